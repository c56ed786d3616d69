"""Angka Pengenal Importir (API) under Permendag 27/M-DAG/PER/5/2012 ("P27").

Reference data (HS sections, issuers, sanction reasons) are tables
seeded by migrations and editable in the admin (style.md habit 10). The workflow states and
their allowed transitions are declared once, in ``APPLICATION_TRANSITIONS`` and friends below;
every change goes through ``api_registry.services``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from reference.models import Province, Regency  # noqa: F401 - the regions moved to reference (issue 18)


# --------------------------------------------------------------------------- reference data


class HsSection(models.Model):
    """API-02: one of the 21 sections of the Harmonized System (P27 Pasal 4(4), Lampiran I).

    An API-U names exactly one section; an HS code belongs to the section whose chapter range
    holds its first two digits.
    """

    number = models.PositiveSmallIntegerField(_("nomor"), unique=True)
    roman = models.CharField(_("bagian"), max_length=6, unique=True)
    title = models.CharField(_("uraian"), max_length=300)
    title_en = models.CharField(_("description (English)"), max_length=300)
    chapter_from = models.PositiveSmallIntegerField(_("dari bab"))
    chapter_to = models.PositiveSmallIntegerField(_("sampai bab"))

    class Meta:
        ordering = ["number"]
        verbose_name = _("bagian (section) HS")
        verbose_name_plural = _("bagian (section) HS")

    def __str__(self):
        return f"Bagian {self.roman}: {self.title}"

    def holds_hs_code(self, hs_code: str) -> bool:
        digits = "".join(ch for ch in str(hs_code) if ch.isdigit())
        if len(digits) < 2:
            return False
        return self.chapter_from <= int(digits[:2]) <= self.chapter_to


class IssuerKind(models.TextChoices):
    BKPM = "bkpm", _("BKPM (Pasal 18)")
    DIRECTOR_GENERAL = "dg", _("Direktur Jenderal Perdagangan Luar Negeri (Pasal 19)")
    DINAS = "dinas", _("Dinas Provinsi (Pasal 20)")
    ZONE = "zone", _("Badan Pengusahaan Kawasan Perdagangan Bebas (Pasal 21)")


class Issuer(models.Model):
    """An API issuer (API-03) and the letter that ends the numbers it issues (API-05)."""

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    kind = models.CharField(_("jenis"), max_length=10, choices=IssuerKind.choices)
    name = models.CharField(_("nama"), max_length=200)
    number_letter = models.CharField(_("huruf nomor API"), max_length=1)
    province = models.ForeignKey(
        Province, null=True, blank=True, on_delete=models.PROTECT, related_name="issuers", verbose_name=_("provinsi"),
        help_text=_("Dinas: provinsinya. Badan Pengusahaan: provinsi kawasannya."),
    )
    zone_regencies = models.ManyToManyField(
        Regency, blank=True, related_name="zone_issuers", verbose_name=_("wilayah kawasan"),
        help_text=_("Badan Pengusahaan: Kab/Kota kawasan perdagangan bebas."),
    )
    email = models.EmailField(_("email"), blank=True)
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="IssuerMembership", related_name="api_issuers", blank=True
    )

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = _("instansi penerbit API")
        verbose_name_plural = _("instansi penerbit API")

    def __str__(self):
        return self.name


class IssuerMembership(models.Model):
    """An issuer officer acting for an issuer. With ``regency`` set the officer works at that
    Kab/Kota Dinas office (Pasal 25(1): the field inspection); without, at the issuer itself
    (the province's Dinas, BKPM, a Badan Pengusahaan) and may decide."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_memberships", verbose_name=_("pengguna"))
    issuer = models.ForeignKey(Issuer, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("penerbit"))
    regency = models.ForeignKey(Regency, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        verbose_name = _("petugas penerbit")
        verbose_name_plural = _("petugas penerbit")
        constraints = [
            models.UniqueConstraint(fields=["user", "issuer", "regency"], name="api_membership_unique"),
        ]

    def __str__(self):
        return f"{self.user} @ {self.issuer}" + (f" ({self.regency})" if self.regency_id else "")


class SanctionKind(models.TextChoices):
    FREEZE = "freeze", _("pembekuan (Pasal 35)")
    REACTIVATE = "reactivate", _("pengaktifan kembali (Pasal 36)")
    REVOKE = "revoke", _("pencabutan (Pasal 37)")
    PI_REVOKE = "pi_revoke", _("pencabutan penetapan Produsen Importir (Pasal 38)")


class NoticeCopy(models.TextChoices):
    """An addressee of the copies (tembusan) of a freeze, reactivation or revocation notice
    (P27 Pasal 41). The central ones have a configured address (``API_TEMBUSAN_EMAILS``); the
    Dinas offices of the company's domicile are reached through their officers' accounts."""

    MINISTER = "menteri", _("Menteri Perdagangan")
    DIRECTOR_OF_IMPORTS = "direktur_impor", _("Direktur Impor")
    CUSTOMS = "bea_cukai", _("Direktur Jenderal Bea dan Cukai")
    PROVINCE_DINAS = "dinas_provinsi", _("Kepala Dinas Provinsi")
    REGENCY_DINAS = "dinas_kabkota", _("Kepala Dinas Kabupaten/Kota")
    REGENCY_PDPPM = "pdppm_kabkota", _("Kepala PDPPM Kabupaten/Kota")


C = NoticeCopy
# Issuer kind -> the copies of its sanction notices, in the order of P27 Pasal 41. A zone's
# Badan Pengusahaan is not named in Pasal 41 (zones act under their own rules, Pasal 21(2)):
# as a regional issuer its notices follow the Dinas Provinsi's, Pasal 41(4). A NIB recorded as
# API (no issuer) is sanctioned by the Director General, Pasal 41(3).
SANCTION_NOTICE_COPIES: dict[str, tuple[str, ...]] = {
    IssuerKind.BKPM: (C.MINISTER, C.CUSTOMS, C.PROVINCE_DINAS, C.REGENCY_DINAS, C.REGENCY_PDPPM),  # Pasal 41(2)
    IssuerKind.DIRECTOR_GENERAL: (C.MINISTER, C.CUSTOMS, C.PROVINCE_DINAS, C.REGENCY_DINAS, C.REGENCY_PDPPM),  # 41(3)
    IssuerKind.DINAS: (C.DIRECTOR_OF_IMPORTS, C.CUSTOMS, C.REGENCY_DINAS),  # Pasal 41(4)
    IssuerKind.ZONE: (C.DIRECTOR_OF_IMPORTS, C.CUSTOMS, C.REGENCY_DINAS),  # as Pasal 41(4)
}


class ApiSanctionReason(models.Model):
    """API-09 reason codes (data): the lettered grounds of P27 Pasal 35, 36, 37 and 38.

    ``waiting_years`` is the waiting period before a new application after a revocation on
    this ground (Pasal 39: one year for Pasal 37 a–c, two years for d–h; Pasal 38(3): one year
    before re-designation as Produsen Importir).
    """

    kind = models.CharField(_("jenis"), max_length=12, choices=SanctionKind.choices)
    code = models.CharField(_("kode"), max_length=30)
    description = models.CharField(_("uraian"), max_length=300)
    source = models.CharField(_("dasar hukum"), max_length=100)
    waiting_years = models.PositiveSmallIntegerField(_("masa tunggu (tahun)"), default=0)

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = _("alasan sanksi API")
        verbose_name_plural = _("alasan sanksi API")
        constraints = [models.UniqueConstraint(fields=["kind", "code"], name="api_sanction_reason_unique")]

    def __str__(self):
        return f"{self.source} {self.code}: {self.description}"


class ImporterProfile(models.Model):
    """The facts of a company that choose its API issuer (API-03, P27 Pasal 18–21)."""

    company = models.OneToOneField("accounts.Company", on_delete=models.CASCADE, related_name="api_profile", verbose_name=_("perusahaan"))
    bkpm_investment = models.BooleanField(
        _("perusahaan penanaman modal berizin BKPM"), default=False, help_text=_("Pasal 18(1)")
    )
    resource_contractor = models.BooleanField(
        _("kontraktor energi/migas/mineral/SDA dengan kontrak kerja sama Pemerintah"), default=False,
        help_text=_("Pasal 19(1)"),
    )
    free_trade_zone = models.ForeignKey(
        Issuer, null=True, blank=True, on_delete=models.PROTECT, limit_choices_to={"kind": IssuerKind.ZONE},
        verbose_name=_("berdomisili di kawasan perdagangan bebas"), help_text=_("Pasal 21(1)"),
    )

    class Meta:
        verbose_name = _("profil importir")
        verbose_name_plural = _("profil importir")

    def __str__(self):
        return str(self.company)


# --------------------------------------------------------------------------- applications


class ApiKind(models.TextChoices):
    API_U = "API-U", _("API-U (Umum)")
    API_P = "API-P", _("API-P (Produsen)")


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("draf")
    INSPECTION = "inspection", _("menunggu pemeriksaan lapangan")
    BAP_SIGNED = "bap_signed", _("BAP ditandatangani, menunggu penyampaian ke Provinsi")
    DECISION = "decision", _("menunggu keputusan penerbit")
    APPROVED = "approved", _("diterbitkan")
    REJECTED = "rejected", _("ditolak")


S = ApplicationStatus
# The allowed transitions of ApiApplication.status, in one place: action -> (from, to).
# ``submit`` goes to INSPECTION on the Dinas route and to DECISION on the others (API-03/04);
# ``inspect`` by Kab/Kota goes to BAP_SIGNED, by the province straight to DECISION.
APPLICATION_TRANSITIONS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "submit": (frozenset({S.DRAFT}), frozenset({S.INSPECTION, S.DECISION})),
    "inspect": (frozenset({S.INSPECTION}), frozenset({S.BAP_SIGNED, S.DECISION})),
    "forward": (frozenset({S.BAP_SIGNED}), frozenset({S.DECISION})),
    "approve": (frozenset({S.DECISION}), frozenset({S.APPROVED})),
    "reject": (frozenset({S.DECISION}), frozenset({S.REJECTED})),
}


class DocumentKind(models.TextChoices):
    """The attachments of P27 Pasal 22, by route (see ``REQUIRED_DOCUMENTS``)."""

    AKTA = "akta_pendirian", _("Akta pendirian perusahaan dan perubahannya")
    IZIN_USAHA = "izin_usaha", _("Izin usaha / NIB")
    NPWP = "npwp", _("NPWP perusahaan")
    DOMISILI = "domisili", _("Keterangan domisili kantor")
    KTP_PENGURUS = "ktp_pengurus", _("KTP / paspor pengurus")
    IZIN_BKPM = "izin_bkpm", _("Izin usaha penanaman modal dari BKPM")
    KONTRAK = "kontrak_kerja_sama", _("Perjanjian kontrak kerja sama dengan Pemerintah")
    IZIN_INDUSTRI = "izin_industri", _("Izin usaha industri / izin usaha produksi")
    OTHER = "lainnya", _("Dokumen lain")


_BASE_DOCS = (DocumentKind.AKTA, DocumentKind.IZIN_USAHA, DocumentKind.NPWP, DocumentKind.DOMISILI, DocumentKind.KTP_PENGURUS)
# (issuer kind, API kind) -> required document kinds (Pasal 22(1)–(4)).
REQUIRED_DOCUMENTS: dict[tuple[str, str], tuple[str, ...]] = {
    (IssuerKind.DINAS, ApiKind.API_U): _BASE_DOCS,
    (IssuerKind.DINAS, ApiKind.API_P): _BASE_DOCS + (DocumentKind.IZIN_INDUSTRI,),
    (IssuerKind.BKPM, ApiKind.API_U): _BASE_DOCS + (DocumentKind.IZIN_BKPM,),
    (IssuerKind.BKPM, ApiKind.API_P): _BASE_DOCS + (DocumentKind.IZIN_BKPM,),
    (IssuerKind.DIRECTOR_GENERAL, ApiKind.API_P): _BASE_DOCS + (DocumentKind.KONTRAK,),
    (IssuerKind.ZONE, ApiKind.API_U): _BASE_DOCS,
    (IssuerKind.ZONE, ApiKind.API_P): _BASE_DOCS,
}


class ApiApplication(models.Model):
    """An application for a new API (P27 Pasal 22), routed to its issuer on submission."""

    company = models.ForeignKey("accounts.Company", on_delete=models.PROTECT, related_name="api_applications", verbose_name=_("perusahaan"))
    kind = models.CharField(_("jenis API"), max_length=5, choices=ApiKind.choices)
    hs_section = models.ForeignKey(
        HsSection, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("bagian HS (API-U)")
    )
    line_of_business = models.CharField(_("bidang usaha"), max_length=300, blank=True)
    directors = models.TextField(_("pengurus/direksi"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ApplicationStatus.choices, default=S.DRAFT, db_index=True)
    issuer = models.ForeignKey(Issuer, null=True, blank=True, on_delete=models.PROTECT, related_name="applications", verbose_name=_("penerbit"))
    regency = models.ForeignKey(Regency, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("dibuat pada"))
    submitted_at = models.DateTimeField(null=True, blank=True, verbose_name=_("diajukan pada"))
    # The clock of the current step (SLA-03): its code and due date; province fallback date.
    step_code = models.CharField(max_length=40, blank=True, verbose_name=_("kode langkah"))
    due_date = models.DateField(_("batas waktu"), null=True, blank=True, db_index=True)
    reject_due_date = models.DateField(_("batas waktu penolakan"), null=True, blank=True)
    province_inspection_due = models.DateField(null=True, blank=True)
    # The inspection (BAP, Pasal 25(3)).
    inspected_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    inspected_at = models.DateTimeField(null=True, blank=True)
    inspection_level = models.CharField(max_length=10, blank=True, choices=[("regency", _("Kab/Kota")), ("province", _("Provinsi"))])
    bap_number = models.CharField(_("nomor BAP"), max_length=60, blank=True)
    bap_result = models.CharField(_("hasil pemeriksaan"), max_length=12, blank=True, choices=[("sesuai", _("sesuai")), ("tidak_sesuai", _("tidak sesuai"))])
    bap_notes = models.TextField(_("catatan BAP"), blank=True)
    bap_file = models.CharField(max_length=300, blank=True)
    forwarded_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True, verbose_name=_("diputuskan pada"))
    decision_reason = models.TextField(_("alasan"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("permohonan API")
        verbose_name_plural = _("permohonan API")
        indexes = [
            models.Index(fields=["status", "due_date"]),
            # PERF-02: the importer's applications, as the API and the page order them.
            models.Index(fields=["company", "due_date", "-created_at"], name="api_app_by_company_due"),
            models.Index(fields=["company", "-created_at", "-id"], name="api_app_by_company_new"),
        ]

    def __str__(self):
        return f"{self.kind} #{self.pk} {self.company}"

    @property
    def reference(self) -> str:
        return f"API-APP-{self.pk:06d}"


class ApplicationDocument(models.Model):
    application = models.ForeignKey(ApiApplication, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("jenis dokumen"), max_length=30, choices=DocumentKind.choices)
    path = models.CharField(max_length=300)
    sha256 = models.CharField(max_length=64)
    filename = models.CharField(max_length=200)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "uploaded_at"]
        verbose_name = _("dokumen permohonan API")
        verbose_name_plural = _("dokumen permohonan API")


# --------------------------------------------------------------------------- the API itself


class ApiStatus(models.TextChoices):
    ACTIVE = "active", _("aktif")
    FROZEN = "frozen", _("dibekukan")
    REVOKED = "revoked", _("dicabut")


A = ApiStatus
API_TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "freeze": (frozenset({A.ACTIVE}), A.FROZEN),
    "reactivate": (frozenset({A.FROZEN}), A.ACTIVE),
    "revoke": (frozenset({A.ACTIVE, A.FROZEN}), A.REVOKED),
}


class ApiSource(models.TextChoices):
    ISSUED = "issued", _("diterbitkan melalui INATRADE")
    NIB = "nib", _("NIB berlaku sebagai API (OSS)")


class Api(models.Model):
    """An Angka Pengenal Importir, issued here or recorded from the company's NIB (API-12).

    A company holds at most one API that is not revoked (API-01, Pasal 14(1)), enforced by a
    partial unique constraint.
    """

    number = models.CharField(_("nomor API"), max_length=13, unique=True)
    kind = models.CharField(_("jenis API"), max_length=5, choices=ApiKind.choices)
    source = models.CharField(_("sumber"), max_length=6, choices=ApiSource.choices, default=ApiSource.ISSUED)
    company = models.ForeignKey("accounts.Company", on_delete=models.PROTECT, related_name="apis", verbose_name=_("perusahaan"))
    hs_section = models.ForeignKey(HsSection, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("bagian HS"))
    issuer = models.ForeignKey(Issuer, null=True, blank=True, on_delete=models.PROTECT, related_name="apis", verbose_name=_("penerbit"))
    application = models.OneToOneField(ApiApplication, null=True, blank=True, on_delete=models.PROTECT, related_name="api", verbose_name=_("permohonan"))
    status = models.CharField(_("status"), max_length=8, choices=ApiStatus.choices, default=A.ACTIVE, db_index=True)
    issued_on = models.DateField(_("tanggal terbit"))
    # API-07: the 5-yearly re-registration (Pasal 15).
    reregistration_due = models.DateField(_("jatuh tempo daftar ulang"), null=True, blank=True, db_index=True)
    reregistration_deadline = models.DateField(_("batas akhir daftar ulang"), null=True, blank=True, db_index=True)
    reminder_stage = models.PositiveSmallIntegerField(default=0, help_text="0 none, 1 after the 60-day, 2 after the 14-day reminder")
    last_reregistered_on = models.DateField(null=True, blank=True)
    # API-09
    sanction_reason = models.ForeignKey(ApiSanctionReason, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    sanction_note = models.TextField(blank=True)
    frozen_on = models.DateField(null=True, blank=True)
    revoked_on = models.DateField(null=True, blank=True, verbose_name=_("tanggal pencabutan"))
    new_application_from = models.DateField(_("permohonan baru mulai"), null=True, blank=True)
    # API-11: the last quarter flagged as missing (e.g. "2026Q1").
    missed_quarter = models.CharField(max_length=7, blank=True, db_index=True)
    version = models.PositiveSmallIntegerField(default=1, verbose_name=_("versi"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("dibuat pada"))

    class Meta:
        ordering = ["-issued_on", "number"]
        verbose_name = _("API")
        verbose_name_plural = _("API")
        constraints = [
            models.UniqueConstraint(
                fields=["company"], condition=~Q(status="revoked"), name="api_one_live_api_per_company"
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.number}"

    @property
    def is_usable(self) -> bool:
        return self.status == A.ACTIVE


class ApiVersion(models.Model):
    """One issued API document (API-06, API-08): the first, then each amendment. Older
    versions are superseded but kept."""

    api = models.ForeignKey(Api, on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveSmallIntegerField(verbose_name=_("versi"))
    company_name = models.CharField(max_length=200)
    address = models.TextField(verbose_name=_("alamat"))
    directors = models.TextField(blank=True)
    line_of_business = models.CharField(max_length=300, blank=True, verbose_name=_("bidang usaha"))
    npwp = models.CharField(max_length=16, blank=True)
    issued_at = models.DateTimeField()
    superseded_at = models.DateTimeField(null=True, blank=True)
    permit_reference = models.CharField(max_length=100, blank=True, help_text="the permits app's document id")

    class Meta:
        ordering = ["api", "version"]
        verbose_name = _("versi dokumen API")
        verbose_name_plural = _("versi dokumen API")
        constraints = [models.UniqueConstraint(fields=["api", "version"], name="api_version_unique")]

    def __str__(self):
        return f"{self.api.number} v{self.version}"


class ApiNumberCounter(models.Model):
    """API-05: the last sequence handed out for one region (province + Kab/Kota code).
    Locked FOR UPDATE by the issuing transaction, so numbers are unique and gap-free."""

    region_code = models.CharField(max_length=4, primary_key=True)
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("penghitung nomor API")
        verbose_name_plural = _("penghitung nomor API")


# --------------------------------------------------------------------------- changes (API-08)


class ChangeStatus(models.TextChoices):
    SUBMITTED = "submitted", _("diajukan")
    APPROVED = "approved", _("disetujui")
    REJECTED = "rejected", _("ditolak")


CHANGE_TRANSITIONS = {
    "approve": (frozenset({ChangeStatus.SUBMITTED}), ChangeStatus.APPROVED),
    "reject": (frozenset({ChangeStatus.SUBMITTED}), ChangeStatus.REJECTED),
}


class ApiChangeRequest(models.Model):
    """A change of API data reported by the holder (P27 Pasal 31); the issuer issues the
    amended API within 3 working days (Pasal 31(4))."""

    api = models.ForeignKey(Api, on_delete=models.PROTECT, related_name="change_requests")
    company_name = models.CharField(_("nama perusahaan baru"), max_length=200, blank=True)
    address = models.TextField(_("alamat baru"), blank=True)
    directors = models.TextField(_("pengurus/direksi baru"), blank=True)
    line_of_business = models.CharField(_("bidang usaha baru"), max_length=300, blank=True)
    changed_on = models.DateField(_("tanggal perubahan"))
    status = models.CharField(max_length=10, choices=ChangeStatus.choices, default=ChangeStatus.SUBMITTED, db_index=True, verbose_name=_("status"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True, verbose_name=_("diajukan pada"))
    due_date = models.DateField(null=True, blank=True)
    reported_late = models.BooleanField(default=False, help_text=_("dilaporkan lebih dari 30 hari setelah perubahan"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True, verbose_name=_("diputuskan pada"))
    reason = models.TextField(blank=True, verbose_name=_("alasan"))

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("perubahan API")
        verbose_name_plural = _("perubahan API")


# --------------------------------------------------------------------------- Produsen Importir (API-10)


class DesignationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("diajukan")
    DESIGNATED = "designated", _("ditetapkan")
    REJECTED = "rejected", _("ditolak")
    REVOKED = "revoked", _("dicabut")


DESIGNATION_TRANSITIONS = {
    "approve": (frozenset({DesignationStatus.SUBMITTED}), DesignationStatus.DESIGNATED),
    "reject": (frozenset({DesignationStatus.SUBMITTED}), DesignationStatus.REJECTED),
    "revoke": (frozenset({DesignationStatus.DESIGNATED}), DesignationStatus.REVOKED),
}


class ProdusenImportir(models.Model):
    """Designation of an API-P holder as Produsen Importir (P27 Pasal 10–11, 38)."""

    api = models.ForeignKey(Api, on_delete=models.PROTECT, related_name="designations")
    purpose = models.CharField(
        _("tujuan"), max_length=20, choices=[("tes_pasar", _("tes pasar")), ("komplementer", _("barang komplementer"))]
    )
    goods = models.TextField(_("jenis dan Pos Tarif/HS barang"))
    status = models.CharField(max_length=10, choices=DesignationStatus.choices, default=DesignationStatus.SUBMITTED, db_index=True, verbose_name=_("status"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True, verbose_name=_("diajukan pada"))
    due_date = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True, verbose_name=_("diputuskan pada"))
    reason = models.TextField(blank=True, verbose_name=_("alasan"))
    revoke_reason = models.ForeignKey(ApiSanctionReason, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    revoked_on = models.DateField(null=True, blank=True, verbose_name=_("tanggal pencabutan"))
    redesignation_from = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("penetapan Produsen Importir")
        verbose_name_plural = _("penetapan Produsen Importir")


# --------------------------------------------------------------------------- quarterly reports (API-11)


class QuarterlyReport(models.Model):
    """A quarterly import-realization report (P27 Pasal 29), realized or not."""

    api = models.ForeignKey(Api, on_delete=models.PROTECT, related_name="quarterly_reports")
    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField(choices=[(1, "I"), (2, "II"), (3, "III"), (4, "IV")])
    realized = models.BooleanField(_("terealisasi"))
    shipments = models.PositiveIntegerField(_("jumlah PIB"), default=0)
    value_usd = models.DecimalField(_("nilai (USD)"), max_digits=16, decimal_places=2, default=0)
    notes = models.TextField(blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True, verbose_name=_("diajukan pada"))

    class Meta:
        ordering = ["-year", "-quarter"]
        verbose_name = _("laporan realisasi triwulanan")
        verbose_name_plural = _("laporan realisasi triwulanan")
        constraints = [models.UniqueConstraint(fields=["api", "year", "quarter"], name="api_quarterly_unique")]

    @property
    def period(self) -> str:
        return f"{self.year}Q{self.quarter}"

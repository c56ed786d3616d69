"""Persetujuan Impor (PI) for sugar, Permendag 14/2020 (P14).

Reference data (admin-editable, seeded by migration 0002 with its legal source): sugar types
with HS codes and ICUMSA limits (PI-04), ports of discharge, countries (ISO 3166-1), purposes
and who may use them (PI-02), rakor quota allocations (PI-05).

Allowed transitions (services.py is the only writer; the tables below are checked by it):

    SugarApplication.status
        draft     --submit-->  submitted   (received complete: the 3-working-day clock starts, P14 Pasal 4)
        submitted --return-->  returned    (clock stops, SLA-02)
        returned  --submit-->  submitted   (clock starts afresh)
        submitted --approve--> approved    (permit issued through permits/, quota drawn)
        submitted --reject-->  rejected    (with reasons, P14 Pasal 4(2))

    SugarPermit.status (the sanction state of an issued PI, P14 Pasal 18–20)
        active --freeze-->     frozen      (monthly report missing after the 15th, Pasal 18(1))
        frozen --reactivate--> active      (late report within 1 month of the freeze, Pasal 18(2))
        active|frozen --revoke--> revoked  (1 month frozen without the report, or a Pasal 19 reason)

    AmendmentRequest.status
        submitted --approve--> approved | --reject--> rejected   (P14 Pasal 6–7)
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from inatrade.i18n import BilingualName, in_language

hs8_validator = RegexValidator(r"^\d{4}\.\d{2}\.\d{2}$", _("Pos tarif/HS harus 8 digit, mis. 1701.14.00."))
TONNES = {"max_digits": 14, "decimal_places": 3}


# --------------------------------------------------------------------------- reference data
class SugarType(BilingualName, models.Model):
    """PI-04 (P14 Lampiran I–II): GKM, GKR, GKP with their HS codes and ICUMSA limits."""

    code = models.CharField(_("kode"), max_length=5, unique=True)
    name = models.CharField(_("nama"), max_length=100)
    name_en = models.CharField(_("nama (Inggris)"), max_length=100, blank=True)
    hs_codes = models.JSONField(_("pos tarif/HS (8 digit)"), default=list)
    icumsa_min = models.PositiveIntegerField(_("ICUMSA minimum (IU)"), null=True, blank=True)
    icumsa_max = models.PositiveIntegerField(_("ICUMSA maksimum (IU)"), null=True, blank=True)
    requires_surveyor = models.BooleanField(_("wajib verifikasi surveyor (LS)"), default=False)
    legal_source = models.CharField(_("dasar hukum"), max_length=200, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("jenis gula")
        verbose_name_plural = _("jenis gula")

    def __str__(self):
        return f"{self.code} – {self.label}"

    def icumsa_ok(self, value) -> bool:
        if self.icumsa_min is not None and value < self.icumsa_min:
            return False
        if self.icumsa_max is not None and value > self.icumsa_max:
            return False
        return True


class Country(BilingualName, models.Model):
    """ISO 3166-1 alpha-2 (negara asal), named in Indonesian and English (Debian iso-codes)."""

    code = models.CharField(_("kode ISO"), max_length=2, primary_key=True)
    name = models.CharField(_("nama"), max_length=100)
    name_en = models.CharField(_("nama (Inggris)"), max_length=100, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("negara")
        verbose_name_plural = _("negara")

    def __str__(self):
        return self.label


class Port(models.Model):
    """Indonesian ports of discharge (pelabuhan tujuan/bongkar), by UN/LOCODE."""

    code = models.CharField(_("UN/LOCODE"), max_length=5, primary_key=True)
    name = models.CharField(_("nama"), max_length=100)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("pelabuhan bongkar")
        verbose_name_plural = _("pelabuhan bongkar")

    def __str__(self):
        return f"{self.name} ({self.code})"


class ApplicantRule(models.TextChoices):
    API_P = "api_p", _("pemilik API-P (atau NIB sebagai API-P)")
    API_P_OR_BUMN_API_P = "api_p_or_bumn", _("importir API-P dan BUMN pemilik API-P")
    BUMN_ONLY = "bumn_only", _("hanya BUMN")


class ValidityRule(models.TextChoices):
    RECOMMENDATION = "recommendation", _("sesuai masa berlaku Rekomendasi")
    SIX_MONTHS = "six_months", _("paling lama 6 bulan")


class Purpose(BilingualName, models.Model):
    """PI-02 (P14 Pasal 5–8, 11–14): purposes, their sugar types, who may apply, documents."""

    code = models.CharField(_("kode"), max_length=30, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    name_en = models.CharField(_("nama (Inggris)"), max_length=200, blank=True)
    sugar_types = models.ManyToManyField(SugarType, related_name="purposes", verbose_name=_("jenis gula"))
    applicant_rule = models.CharField(_("yang dapat mengajukan"), max_length=20, choices=ApplicantRule.choices)
    requires_recommendation = models.BooleanField(_("wajib Rekomendasi"), default=True)
    requires_assignment = models.BooleanField(_("wajib Surat penugasan"), default=False)
    recommendation_or_assignment = models.BooleanField(
        _("Rekomendasi dan/atau Surat penugasan"), default=False,
        help_text=_("Cukup salah satu dari Rekomendasi atau Surat penugasan."),
    )
    validity_rule = models.CharField(_("masa berlaku"), max_length=20, choices=ValidityRule.choices)
    documents = models.JSONField(
        _("dokumen persyaratan"), default=list, blank=True,
        help_text=_('[{"code": "kite_decision", "label": "...", "label_en": "...", "required": true}]'),
    )
    industry_only = models.BooleanField(
        _("dilarang diperdagangkan (hanya untuk industri)"), default=False,
        help_text=_("PI-15, Pasal 12: dicantumkan pada PI dan ditanyakan pada laporan realisasi."),
    )
    legal_source = models.CharField(_("dasar hukum"), max_length=200, blank=True)
    sort = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort", "code"]
        verbose_name = _("tujuan impor")
        verbose_name_plural = _("tujuan impor")

    def __str__(self):
        return self.label

    @property
    def document_list(self) -> list[dict]:
        """The documents this purpose needs, each ``label`` in the active language."""
        return [{**doc, "label": in_language(doc.get("label", ""), doc.get("label_en"))} for doc in self.documents]


class QuotaAllocation(models.Model):
    """PI-05: the volume agreed in a rakor for a year, purpose and sugar type (P14 Pasal 9
    of the stabilisation rules). ``drawn_tonnes`` is only changed under a row lock."""

    year = models.PositiveIntegerField(_("tahun"))
    purpose = models.ForeignKey(Purpose, on_delete=models.PROTECT, verbose_name=_("tujuan"))
    sugar_type = models.ForeignKey(SugarType, on_delete=models.PROTECT, verbose_name=_("jenis gula"))
    tonnes = models.DecimalField(_("volume rakor (ton)"), validators=[MinValueValidator(Decimal("0"))], **TONNES)
    drawn_tonnes = models.DecimalField(_("terpakai (ton)"), default=Decimal("0"), **TONNES)
    rakor_reference = models.CharField(_("risalah rakor"), max_length=200, blank=True)
    rakor_date = models.DateField(_("tanggal rakor"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("dibuat pada"))

    class Meta:
        ordering = ["-year", "purpose__sort", "sugar_type__code"]
        verbose_name = _("alokasi kuota rakor")
        verbose_name_plural = _("alokasi kuota rakor")
        constraints = [
            models.UniqueConstraint(fields=["year", "purpose", "sugar_type"], name="sugar_quota_unique"),
            models.CheckConstraint(condition=models.Q(drawn_tonnes__lte=models.F("tonnes")), name="sugar_quota_not_overdrawn"),
        ]

    def __str__(self):
        return f"{self.year} {self.purpose.code} {self.sugar_type.code}: {self.tonnes} t"

    @property
    def remaining_tonnes(self) -> Decimal:
        return self.tonnes - self.drawn_tonnes


# --------------------------------------------------------------------------- recommendations (PI-03)
class RecommendationKind(models.TextChoices):
    RECOMMENDATION = "recommendation", _("Rekomendasi")
    ASSIGNMENT = "assignment", _("Surat penugasan")


class RecommendationSource(models.TextChoices):
    AGENCY = "agency", _("dicatat instansi teknis")
    UPLOAD = "upload", _("diunggah importir (PDF bertanda tangan)")


class VerificationStatus(models.TextChoices):
    """Issue 15, item 8: an importer's uploaded Rekomendasi counts only once an officer or the
    technical agency has checked it against the signed PDF (docs/decisions/0014)."""

    PENDING = "pending", _("menunggu verifikasi")
    CONFIRMED = "confirmed", _("terverifikasi")
    REJECTED = "rejected", _("ditolak")


# The allowed moves of Recommendation.verification_status, in one place (style.md habit 2).
RECOMMENDATION_TRANSITIONS = {
    "confirm": ({VerificationStatus.PENDING}, VerificationStatus.CONFIRMED),
    "reject": ({VerificationStatus.PENDING}, VerificationStatus.REJECTED),
}


class Recommendation(models.Model):
    """PI-03: a Rekomendasi or Surat penugasan the application relies on (P14 Pasal 3(2)b–c).

    One entered by the technical agency is confirmed as it is recorded; one an importer
    uploads waits for verification (``verification_status``) and backs no application before
    it is confirmed."""

    kind = models.CharField(_("jenis"), max_length=20, choices=RecommendationKind.choices)
    source = models.CharField(_("sumber"), max_length=10, choices=RecommendationSource.choices)
    issuer = models.CharField(_("instansi penerbit"), max_length=200)
    number = models.CharField(_("nomor"), max_length=100)
    date = models.DateField(_("tanggal"))
    company = models.ForeignKey("accounts.Company", on_delete=models.PROTECT, related_name="sugar_recommendations", verbose_name=_("perusahaan"))
    sugar_type = models.ForeignKey(SugarType, on_delete=models.PROTECT, verbose_name=_("jenis gula"))
    volume_tonnes = models.DecimalField(_("volume (ton)"), validators=[MinValueValidator(Decimal("0.001"))], **TONNES)
    used_tonnes = models.DecimalField(_("terpakai (ton)"), default=Decimal("0"), **TONNES)
    hs_codes = models.JSONField(_("pos tarif/HS"), default=list)
    origin_countries = models.ManyToManyField(Country, related_name="+", verbose_name=_("negara asal"))
    ports = models.ManyToManyField(Port, related_name="+", verbose_name=_("pelabuhan tujuan"))
    valid_from = models.DateField(_("berlaku/periode kebutuhan dari"))
    valid_until = models.DateField(_("berlaku/periode kebutuhan sampai"))
    pdf_path = models.CharField(max_length=300, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("dibuat pada"))
    verification_status = models.CharField(
        _("status verifikasi"), max_length=10, choices=VerificationStatus.choices, default=VerificationStatus.PENDING,
        db_index=True,
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("diverifikasi oleh"),
    )
    verified_at = models.DateTimeField(_("diverifikasi"), null=True, blank=True)
    verification_note = models.TextField(_("catatan verifikasi"), blank=True)

    class Meta:
        ordering = ["-date", "number"]
        verbose_name = _("rekomendasi / surat penugasan")
        verbose_name_plural = _("rekomendasi / surat penugasan")
        constraints = [
            # An (issuer, number) is one document: unique among the confirmed ones only, so an
            # importer's pending upload can neither squat another company's number nor learn
            # that it exists (docs/decisions/0014). A company records a number once while it
            # waits for verification.
            models.UniqueConstraint(
                fields=["issuer", "number"], condition=models.Q(verification_status="confirmed"),
                name="sugar_recommendation_unique_confirmed",
            ),
            models.UniqueConstraint(
                fields=["company", "issuer", "number"], condition=models.Q(verification_status="pending"),
                name="sugar_recommendation_unique_pending",
            ),
            models.CheckConstraint(condition=models.Q(used_tonnes__lte=models.F("volume_tonnes")), name="sugar_recommendation_not_overused"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"

    @property
    def remaining_tonnes(self) -> Decimal:
        return self.volume_tonnes - self.used_tonnes

    @property
    def is_confirmed(self) -> bool:
        return self.verification_status == VerificationStatus.CONFIRMED


# --------------------------------------------------------------------------- applications
class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("draf")
    SUBMITTED = "submitted", _("diajukan")
    RETURNED = "returned", _("dikembalikan untuk perbaikan")
    APPROVED = "approved", _("disetujui")
    REJECTED = "rejected", _("ditolak")


OPEN_STATUSES = (ApplicationStatus.SUBMITTED,)

APPLICATION_TRANSITIONS = {
    "submit": ({ApplicationStatus.DRAFT, ApplicationStatus.RETURNED}, ApplicationStatus.SUBMITTED),
    "return": ({ApplicationStatus.SUBMITTED}, ApplicationStatus.RETURNED),
    "approve": ({ApplicationStatus.SUBMITTED}, ApplicationStatus.APPROVED),
    "reject": ({ApplicationStatus.SUBMITTED}, ApplicationStatus.REJECTED),
}


class SugarApplication(models.Model):
    reference = models.CharField(_("nomor permohonan"), max_length=40, unique=True)
    company = models.ForeignKey("accounts.Company", on_delete=models.PROTECT, related_name="sugar_applications", verbose_name=_("perusahaan"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    purpose = models.ForeignKey(Purpose, on_delete=models.PROTECT, verbose_name=_("tujuan"))
    sugar_type = models.ForeignKey(SugarType, on_delete=models.PROTECT, verbose_name=_("jenis gula"))
    recommendation = models.ForeignKey(
        Recommendation, null=True, blank=True, on_delete=models.PROTECT, related_name="applications",
        limit_choices_to={"kind": RecommendationKind.RECOMMENDATION}, verbose_name=_("Rekomendasi"),
    )
    assignment = models.ForeignKey(
        Recommendation, null=True, blank=True, on_delete=models.PROTECT, related_name="assigned_applications",
        limit_choices_to={"kind": RecommendationKind.ASSIGNMENT}, verbose_name=_("Surat penugasan"),
    )
    # PI-07: the production period asked for when no Rekomendasi fixes the validity (KITE).
    period_from = models.DateField(_("periode kebutuhan produksi dari"), null=True, blank=True)
    period_until = models.DateField(_("periode kebutuhan produksi sampai"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ApplicationStatus.choices,
                              default=ApplicationStatus.DRAFT, db_index=True)
    # PI-10: a paper application entered by an officer in force majeure (P14 Pasal 9–10).
    is_manual = models.BooleanField(_("permohonan manual (keadaan kahar)"), default=False)
    manual_letter_path = models.CharField(max_length=300, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # SLA-02/04: the clock of the decision (3 working days, P14 Pasal 4).
    submitted_at = models.DateTimeField(null=True, blank=True, verbose_name=_("diajukan pada"))
    due_date = models.DateField(_("batas waktu"), null=True, blank=True, db_index=True)
    return_reason = models.TextField(_("alasan pengembalian"), blank=True)
    decision_reason = models.TextField(_("alasan penolakan"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True, verbose_name=_("diputuskan pada"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("dibuat pada"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("permohonan PI gula")
        verbose_name_plural = _("permohonan PI gula")
        indexes = [
            models.Index(fields=["status", "due_date"]),
            # PERF-02: the importer's list, newest first, read in index order.
            models.Index(fields=["company", "-created_at"], name="sugar_app_by_company"),
        ]

    def __str__(self):
        return self.reference

    @property
    def total_tonnes(self) -> Decimal:
        return sum((line.volume_tonnes for line in self.lines.all()), Decimal("0"))


class ApplicationLine(models.Model):
    application = models.ForeignKey(SugarApplication, on_delete=models.CASCADE, related_name="lines")
    hs_code = models.CharField(_("pos tarif/HS"), max_length=10, validators=[hs8_validator])
    description = models.CharField(_("uraian"), max_length=300)
    volume_tonnes = models.DecimalField(_("volume (ton)"), validators=[MinValueValidator(Decimal("0.001"))], **TONNES)
    origin_country = models.ForeignKey(Country, on_delete=models.PROTECT, verbose_name=_("negara asal"))
    port_of_discharge = models.ForeignKey(Port, on_delete=models.PROTECT, verbose_name=_("pelabuhan bongkar"))

    class Meta:
        ordering = ["id"]
        verbose_name = _("pos permohonan")
        verbose_name_plural = _("pos permohonan")


class ApplicationDocument(models.Model):
    application = models.ForeignKey(SugarApplication, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("jenis dokumen"), max_length=40)
    filename = models.CharField(max_length=150)
    path = models.CharField(max_length=300)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("dokumen permohonan PI gula")
        verbose_name_plural = _("dokumen permohonan PI gula")
        ordering = ["kind", "id"]


class PermitCounter(models.Model):
    """Numbers of sugar PIs, per year, handed out under a row lock (never max()+1)."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)


# --------------------------------------------------------------------------- issued PIs

    class Meta:
        verbose_name = _("penghitung nomor PI")
        verbose_name_plural = _("penghitung nomor PI")
class SugarPermitStatus(models.TextChoices):
    ACTIVE = "active", _("berlaku")
    FROZEN = "frozen", _("dibekukan")
    REVOKED = "revoked", _("dicabut")


PERMIT_SANCTION_TRANSITIONS = {
    "freeze": ({SugarPermitStatus.ACTIVE}, SugarPermitStatus.FROZEN),
    "reactivate": ({SugarPermitStatus.FROZEN}, SugarPermitStatus.ACTIVE),
    "revoke": ({SugarPermitStatus.ACTIVE, SugarPermitStatus.FROZEN}, SugarPermitStatus.REVOKED),
}


class RevocationReason(models.TextChoices):
    """P14 Pasal 19(1)."""

    ALTERED_DATA = "altered_data", _("a. terbukti mengubah data yang tercantum dalam Persetujuan Impor")
    TRADING = "trading", _("b. terbukti memperdagangkan dan/atau memindahtangankan gula")
    NO_REPORT = "no_report", _("c. tidak menyampaikan laporan pelaksanaan impor dalam 1 bulan")
    UNTRUE_DATA = "untrue_data", _("d. terbukti menyampaikan data yang tidak benar")
    AGENCY_FINDING = "agency_finding", _("e. pelanggaran berdasarkan penilaian instansi teknis")
    COURT_RULING = "court_ruling", _("f. putusan pengadilan")


class SugarPermit(models.Model):
    """An issued sugar PI. The signed document, its versions and INSW events live in
    ``permits.Permit``; this row holds what sugar needs: volumes, reports, sanctions."""

    application = models.OneToOneField(SugarApplication, on_delete=models.PROTECT, related_name="sugar_permit", verbose_name=_("permohonan"))
    permit = models.OneToOneField("permits.Permit", on_delete=models.PROTECT, related_name="sugar_permit", verbose_name=_("perizinan"))
    number = models.CharField(_("nomor PI"), max_length=80, unique=True)
    company = models.ForeignKey("accounts.Company", on_delete=models.PROTECT, related_name="sugar_permits", verbose_name=_("perusahaan"))
    purpose = models.ForeignKey(Purpose, on_delete=models.PROTECT)
    sugar_type = models.ForeignKey(SugarType, on_delete=models.PROTECT, verbose_name=_("jenis gula"))
    volume_tonnes = models.DecimalField(_("volume (ton)"), **TONNES)
    realized_tonnes = models.DecimalField(_("terealisasi (ton)"), default=Decimal("0"), **TONNES)
    surveyed_tonnes = models.DecimalField(_("diverifikasi surveyor (ton)"), default=Decimal("0"), **TONNES)
    quota = models.ForeignKey(QuotaAllocation, null=True, blank=True, on_delete=models.PROTECT, related_name="permits")
    issued_on = models.DateField(_("tanggal terbit"))
    valid_from = models.DateField(_("berlaku dari"))
    valid_until = models.DateField(_("berlaku sampai"), db_index=True)
    status = models.CharField(_("status"), max_length=10, choices=SugarPermitStatus.choices,
                              default=SugarPermitStatus.ACTIVE, db_index=True)
    # PI-12: the freeze (Pasal 18) and what it was for.
    frozen_on = models.DateField(_("dibekukan pada"), null=True, blank=True)
    frozen_period = models.DateField(_("laporan yang tidak disampaikan (bulan)"), null=True, blank=True)
    frozen_until = models.DateField(_("batas pengaktifan kembali"), null=True, blank=True, db_index=True)
    revoked_on = models.DateField(_("dicabut pada"), null=True, blank=True, db_index=True)
    revocation_reason = models.CharField(_("alasan pencabutan"), max_length=20, choices=RevocationReason.choices, blank=True)
    revocation_note = models.TextField(_("keterangan pencabutan"), blank=True)
    # PI-11: the last month whose reminder was sent (first day of the month).
    reminded_period = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("dibuat pada"))

    class Meta:
        ordering = ["-issued_on", "number"]
        verbose_name = _("PI gula")
        verbose_name_plural = _("PI gula")
        # PERF-02: the holder's list of PIs in the order it is shown.
        indexes = [models.Index(fields=["company", "-issued_on", "-id"], name="sugar_permit_by_company")]
        constraints = [
            models.CheckConstraint(condition=models.Q(realized_tonnes__lte=models.F("volume_tonnes")), name="sugar_permit_not_overrealized"),
        ]

    def __str__(self):
        return self.number

    @property
    def remaining_tonnes(self) -> Decimal:
        return self.volume_tonnes - self.realized_tonnes


class SugarPermitLine(models.Model):
    """The current lines of a PI (replaced on an approved amendment)."""

    sugar_permit = models.ForeignKey(SugarPermit, on_delete=models.CASCADE, related_name="lines")
    hs_code = models.CharField(max_length=10, validators=[hs8_validator])
    description = models.CharField(max_length=300)
    volume_tonnes = models.DecimalField(**TONNES)
    origin_country = models.ForeignKey(Country, on_delete=models.PROTECT)
    port_of_discharge = models.ForeignKey(Port, on_delete=models.PROTECT)

    class Meta:
        verbose_name = _("pos PI gula")
        verbose_name_plural = _("pos PI gula")
        ordering = ["id"]


# --------------------------------------------------------------------------- monthly reports (PI-11)
class MonthlyReport(models.Model):
    """P14 Pasal 16: realized or not, every month of validity, by the 15th of the next month."""

    sugar_permit = models.ForeignKey(SugarPermit, on_delete=models.PROTECT, related_name="reports")
    period = models.DateField(_("bulan"), help_text=_("Hari pertama bulan yang dilaporkan."))
    nil_report = models.BooleanField(_("tidak ada realisasi"), default=False)
    destination = models.TextField(_("tujuan penggunaan/penyaluran gula"), blank=True)
    total_tonnes = models.DecimalField(_("jumlah (ton)"), default=Decimal("0"), **TONNES)
    submitted_at = models.DateTimeField(_("disampaikan pada"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    late = models.BooleanField(_("terlambat"), default=False)
    is_manual = models.BooleanField(_("disampaikan manual (keadaan kahar)"), default=False)

    class Meta:
        ordering = ["sugar_permit", "period"]
        verbose_name = _("laporan realisasi bulanan")
        verbose_name_plural = _("laporan realisasi bulanan")
        constraints = [models.UniqueConstraint(fields=["sugar_permit", "period"], name="sugar_report_one_per_month")]

    def __str__(self):
        return f"{self.sugar_permit.number} {self.period:%Y-%m}"


class Shipment(models.Model):
    report = models.ForeignKey(MonthlyReport, on_delete=models.CASCADE, related_name="shipments")
    pib_number = models.CharField(_("nomor PIB"), max_length=30)
    pib_date = models.DateField(_("tanggal PIB"))
    hs_code = models.CharField(_("pos tarif/HS"), max_length=10, validators=[hs8_validator])
    volume_tonnes = models.DecimalField(_("volume (ton)"), validators=[MinValueValidator(Decimal("0.001"))], **TONNES)
    pib_path = models.CharField(max_length=300)
    pib_sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("pengapalan (PIB)")
        verbose_name_plural = _("pengapalan (PIB)")
        ordering = ["pib_date", "id"]


# --------------------------------------------------------------------------- amendments (PI-09)
class AmendmentStatus(models.TextChoices):
    SUBMITTED = "submitted", _("diajukan")
    APPROVED = "approved", _("disetujui")
    REJECTED = "rejected", _("ditolak")


AMENDMENT_TRANSITIONS = {
    "approve": ({AmendmentStatus.SUBMITTED}, AmendmentStatus.APPROVED),
    "reject": ({AmendmentStatus.SUBMITTED}, AmendmentStatus.REJECTED),
}


class AmendmentRequest(models.Model):
    """P14 Pasal 6–7: change of address, HS code, sugar type, volume, origin, port."""

    sugar_permit = models.ForeignKey(SugarPermit, on_delete=models.PROTECT, related_name="amendments")
    status = models.CharField(max_length=10, choices=AmendmentStatus.choices, default=AmendmentStatus.SUBMITTED, db_index=True, verbose_name=_("status"))
    address = models.TextField(_("alamat baru"), blank=True)
    sugar_type = models.ForeignKey(SugarType, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("jenis gula"))
    lines = models.JSONField(_("pos baru"), default=list, blank=True)
    reason = models.TextField(_("alasan perubahan"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(verbose_name=_("diajukan pada"))
    due_date = models.DateField(_("batas waktu"), db_index=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True, verbose_name=_("diputuskan pada"))
    decision_reason = models.TextField(blank=True)
    version_no = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("permohonan perubahan PI")
        verbose_name_plural = _("permohonan perubahan PI")
        ordering = ["-submitted_at"]


# --------------------------------------------------------------------------- surveyors (PI-14)
class SurveyorStatus(models.TextChoices):
    DESIGNATED = "designated", _("ditetapkan")
    REVOKED = "revoked", _("penetapan dicabut")


SURVEYOR_TRANSITIONS = {
    "revoke": ({SurveyorStatus.DESIGNATED}, SurveyorStatus.REVOKED),
}

# P14 Pasal 14(1): what a surveyor must show to be designated.
SURVEYOR_DOCUMENTS = {
    "siujs": _("Surat Izin Usaha Jasa Survey (SIUJS)"),
    "kan": _("Akreditasi lembaga inspeksi oleh KAN"),
    "competence": _("Surat pernyataan kompetensi ruang lingkup"),
    "nib_tdp": _("Fotokopi NIB yang berlaku sebagai TDP"),
    "npwp": _("Fotokopi NPWP"),
    "experts": _("Daftar tenaga ahli dengan DRH"),
    "experience": _("Pengalaman verifikasi atau penelusuran teknis"),
    "branches": _("Cabang atau perwakilan di dalam dan luar negeri"),
    "it_system": _("Sistem teknologi informasi"),
    "track_record": _("Rekam jejak yang baik"),
}


class Surveyor(models.Model):
    """A surveyor designated by the Minister (P14 Pasal 13(2), 14)."""

    name = models.CharField(_("nama"), max_length=200, unique=True)
    decree_number = models.CharField(_("nomor keputusan penetapan"), max_length=100)
    designated_on = models.DateField(_("ditetapkan pada"))
    status = models.CharField(max_length=12, choices=SurveyorStatus.choices, default=SurveyorStatus.DESIGNATED, db_index=True, verbose_name=_("status"))
    documents = models.JSONField(_("dokumen Pasal 14"), default=dict, help_text=_("{kode: {path, sha256}}"))
    revoked_on = models.DateField(null=True, blank=True, verbose_name=_("tanggal pencabutan"))
    revocation_reason = models.TextField(blank=True)
    users = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="surveyors", blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("surveyor")
        verbose_name_plural = _("surveyor")

    def __str__(self):
        return self.name


class SurveyorReport(models.Model):
    """Laporan Surveyor (LS) of one raw-sugar shipment (P14 Pasal 15)."""

    sugar_permit = models.ForeignKey(SugarPermit, on_delete=models.PROTECT, related_name="surveyor_reports")
    surveyor = models.ForeignKey(Surveyor, on_delete=models.PROTECT, related_name="reports")
    ls_number = models.CharField(_("nomor LS"), max_length=60, unique=True)
    sugar_type = models.ForeignKey(SugarType, on_delete=models.PROTECT, verbose_name=_("jenis gula"))
    icumsa = models.PositiveIntegerField(_("ICUMSA (IU)"))
    shipping_date = models.DateField(_("tanggal pengapalan"))
    volume_tonnes = models.DecimalField(_("volume (ton)"), validators=[MinValueValidator(Decimal("0.001"))], **TONNES)
    truth_statement = models.BooleanField(_("pernyataan kebenaran hasil verifikasi"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("dibuat pada"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("Laporan Surveyor")
        verbose_name_plural = _("Laporan Surveyor")


class SurveyorMonthlyReport(models.Model):
    """P14 Pasal 17: the surveyor's monthly report, by the 15th of the next month."""

    surveyor = models.ForeignKey(Surveyor, on_delete=models.PROTECT, related_name="monthly_reports")
    period = models.DateField()
    summary = models.TextField(blank=True)
    submitted_at = models.DateTimeField()
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("laporan bulanan surveyor")
        verbose_name_plural = _("laporan bulanan surveyor")
        ordering = ["surveyor", "period"]
        constraints = [models.UniqueConstraint(fields=["surveyor", "period"], name="surveyor_report_one_per_month")]


# --------------------------------------------------------------------------- exemptions (PI-16)
class ExemptionKind(models.TextChoices):
    """P14 Pasal 34 (of the amended rules): goods exempt from the PI."""

    REIMPORT = "reimport", _("barang ekspor yang ditolak dan diimpor kembali")
    PASSENGER = "passenger", _("barang bawaan penumpang / awak sarana pengangkut, paling banyak 10 kg")
    COURIER = "courier", _("barang kiriman melalui jasa kurir dengan pesawat udara, paling banyak 10 kg")
    RESEARCH = "research", _("barang untuk keperluan penelitian dan pengembangan ilmu pengetahuan")


class ExemptionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("diajukan")
    APPROVED = "approved", _("surat keterangan diterbitkan")
    REJECTED = "rejected", _("ditolak")


EXEMPTION_TRANSITIONS = {
    "approve": ({ExemptionStatus.SUBMITTED}, ExemptionStatus.APPROVED),
    "reject": ({ExemptionStatus.SUBMITTED}, ExemptionStatus.REJECTED),
}


class ExemptionLetter(models.Model):
    """Surat keterangan of the Director General for research imports, applied for through
    UPTP I with identity, recommendation and a self-declaration (PI-16)."""

    applicant_name = models.CharField(_("nama pemohon / lembaga"), max_length=200)
    identity_number = models.CharField(_("nomor identitas (NIK/NIB/paspor)"), max_length=30)
    company = models.ForeignKey("accounts.Company", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("perusahaan"))
    recommendation_reference = models.CharField(_("rekomendasi (nomor, instansi)"), max_length=200)
    goods_description = models.TextField(_("uraian barang"))
    hs_code = models.CharField(_("pos tarif/HS"), max_length=10, validators=[hs8_validator])
    quantity_kg = models.DecimalField(_("jumlah (kg)"), **TONNES)
    self_declaration = models.BooleanField(_("surat pernyataan tidak untuk diperdagangkan"), default=False)
    documents = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=ExemptionStatus.choices, default=ExemptionStatus.SUBMITTED, db_index=True, verbose_name=_("status"))
    letter_number = models.CharField(_("nomor surat keterangan"), max_length=60, blank=True)
    decision_reason = models.TextField(blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("dibuat pada"))
    decided_at = models.DateTimeField(null=True, blank=True, verbose_name=_("diputuskan pada"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("surat keterangan pengecualian")
        verbose_name_plural = _("surat keterangan pengecualian")

"""Applications for a new API (P27 Pasal 22) and their documents; the allowed moves of an
application are ``APPLICATION_MACHINE`` (issue 18)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from api_registry.models.registry import HsSection, Issuer, IssuerKind
from inatrade.transitions import Machine
from reference.models import Regency

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
    status = models.CharField(_("status"), max_length=12, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT, db_index=True)
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


S = ApplicationStatus
# The allowed moves of ApiApplication.status. ``submit`` goes to DECISION, or to INSPECTION on
# the Dinas route (API-03/04); ``inspect`` goes to DECISION by the province, or to BAP_SIGNED by
# the Kab/Kota: the service passes the route's target to ``apply``.
APPLICATION_MACHINE = Machine(
    name="api_application",
    model=ApiApplication,
    moves={
        "submit": ((S.DRAFT,), S.DECISION),
        "inspect": ((S.INSPECTION,), S.DECISION),
        "forward": ((S.BAP_SIGNED,), S.DECISION),
        "approve": ((S.DECISION,), S.APPROVED),
        "reject": ((S.DECISION,), S.REJECTED),
    },
    labels={
        "submit": _("Diajukan"),
        "inspect": _("Pemeriksaan lapangan, BAP ditandatangani"),
        "forward": _("BAP disampaikan ke Provinsi"),
        "approve": _("Disetujui"),
        "reject": _("Ditolak"),
    },
)


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

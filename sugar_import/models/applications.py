"""Rekomendasi / Surat penugasan (PI-03) and sugar PI applications (PI-02…PI-07, PI-10).

Allowed transitions (declared here as machines; services/ is the only writer):

    Recommendation.verification_status (issue 15 item 8, docs/decisions/0014)
        pending --confirm--> confirmed | --reject--> rejected

    SugarApplication.status
        draft     --submit-->  submitted   (received complete: the 3-working-day clock starts, P14 Pasal 4)
        submitted --return-->  returned    (clock stops, SLA-02)
        returned  --submit-->  submitted   (clock starts afresh)
        submitted --approve--> approved    (permit issued through permits/, quota drawn)
        submitted --reject-->  rejected    (with reasons, P14 Pasal 4(2))
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from inatrade.transitions import Machine
from sugar_import.models.reference import (
    TONNES,
    Country,
    Port,
    Purpose,
    SugarType,
    hs8_validator,
)


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


RECOMMENDATION_MACHINE = Machine(
    name="sugar_recommendation", model=Recommendation, field="verification_status",
    moves={
        "confirm": ({VerificationStatus.PENDING}, VerificationStatus.CONFIRMED),
        "reject": ({VerificationStatus.PENDING}, VerificationStatus.REJECTED),
    },
    labels={"confirm": _("Rekomendasi terverifikasi"), "reject": _("Rekomendasi ditolak")},
)


# --------------------------------------------------------------------------- applications
class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("draf")
    SUBMITTED = "submitted", _("diajukan")
    RETURNED = "returned", _("dikembalikan untuk perbaikan")
    APPROVED = "approved", _("disetujui")
    REJECTED = "rejected", _("ditolak")


OPEN_STATUSES = (ApplicationStatus.SUBMITTED,)

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


APPLICATION_MACHINE = Machine(
    name="sugar_application", model=SugarApplication,
    moves={
        "submit": ({ApplicationStatus.DRAFT, ApplicationStatus.RETURNED}, ApplicationStatus.SUBMITTED),
        "return": ({ApplicationStatus.SUBMITTED}, ApplicationStatus.RETURNED),
        "approve": ({ApplicationStatus.SUBMITTED}, ApplicationStatus.APPROVED),
        "reject": ({ApplicationStatus.SUBMITTED}, ApplicationStatus.REJECTED),
    },
    labels={
        "submit": _("Diajukan, diterima lengkap"),
        "return": _("Dikembalikan untuk perbaikan"),
        "approve": _("Disetujui, PI diterbitkan"),
        "reject": _("Ditolak"),
    },
)


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

    class Meta:
        verbose_name = _("penghitung nomor PI")
        verbose_name_plural = _("penghitung nomor PI")

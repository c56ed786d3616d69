"""Issued sugar PIs, their monthly reports (PI-11), sanctions (PI-12, PI-13) and amendments
(PI-09).

Allowed transitions (declared here as machines; services/ is the only writer):

    SugarPermit.status (the sanction state of an issued PI, P14 Pasal 18–20)
        active --freeze-->     frozen      (monthly report missing after the report day, Pasal 18(1))
        frozen --reactivate--> active      (late report within 1 month of the freeze, Pasal 18(2))
        active|frozen --revoke--> revoked  (1 month frozen without the report, or a Pasal 19 reason)

    AmendmentRequest.status
        submitted --approve--> approved | --reject--> rejected   (P14 Pasal 6–7)
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from inatrade.transitions import Machine
from sugar_import.models.applications import SugarApplication
from sugar_import.models.reference import (
    TONNES,
    Country,
    Port,
    Purpose,
    QuotaAllocation,
    SugarType,
    hs8_validator,
)


class SugarPermitStatus(models.TextChoices):
    ACTIVE = "active", _("berlaku")
    FROZEN = "frozen", _("dibekukan")
    REVOKED = "revoked", _("dicabut")


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


PERMIT_SANCTION_MACHINE = Machine(
    name="sugar_permit", model=SugarPermit,
    moves={
        "freeze": ({SugarPermitStatus.ACTIVE}, SugarPermitStatus.FROZEN),
        "reactivate": ({SugarPermitStatus.FROZEN}, SugarPermitStatus.ACTIVE),
        "revoke": ({SugarPermitStatus.ACTIVE, SugarPermitStatus.FROZEN}, SugarPermitStatus.REVOKED),
    },
    labels={"freeze": _("PI dibekukan"), "reactivate": _("PI diaktifkan kembali"), "revoke": _("PI dicabut")},
)


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
    """P14 Pasal 16: realized or not, every month of validity, by the report day of the next month
    (settings.SUGAR_REPORT_DAY)."""

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


AMENDMENT_MACHINE = Machine(
    name="sugar_amendment", model=AmendmentRequest,
    moves={
        "approve": ({AmendmentStatus.SUBMITTED}, AmendmentStatus.APPROVED),
        "reject": ({AmendmentStatus.SUBMITTED}, AmendmentStatus.REJECTED),
    },
    labels={"approve": _("Perubahan disetujui"), "reject": _("Perubahan ditolak")},
)

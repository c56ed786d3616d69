"""Surveyors (PI-14, P14 Pasal 13–17, 32) and exemption letters (PI-16, P14 Pasal 34).

Allowed transitions (declared here as machines; services/ is the only writer):

    Surveyor.status       designated --revoke--> revoked          (Pasal 32)
    ExemptionLetter.status submitted --approve--> approved | --reject--> rejected
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from inatrade.transitions import Machine
from sugar_import.models.permits import SugarPermit
from sugar_import.models.reference import TONNES, SugarType, hs8_validator


class SurveyorStatus(models.TextChoices):
    DESIGNATED = "designated", _("ditetapkan")
    REVOKED = "revoked", _("penetapan dicabut")


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


SURVEYOR_MACHINE = Machine(
    name="surveyor_designation", model=Surveyor,
    moves={"revoke": ({SurveyorStatus.DESIGNATED}, SurveyorStatus.REVOKED)},
    labels={"revoke": _("Penetapan surveyor dicabut")},
)


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
    """P14 Pasal 17: the surveyor's monthly report, by SURVEYOR_REPORT_DAY of the next month."""

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


EXEMPTION_MACHINE = Machine(
    name="exemption", model=ExemptionLetter,
    moves={
        "approve": ({ExemptionStatus.SUBMITTED}, ExemptionStatus.APPROVED),
        "reject": ({ExemptionStatus.SUBMITTED}, ExemptionStatus.REJECTED),
    },
    labels={"approve": _("Surat keterangan diterbitkan"), "reject": _("Permohonan surat keterangan ditolak")},
)

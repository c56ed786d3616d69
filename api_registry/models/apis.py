"""The API itself (issued or a NIB recorded as API), its document versions and number
counters, its changes (API-08), Produsen Importir designations (API-10) and quarterly reports
(API-11). Each status field's allowed moves are a ``Machine`` declared next to its model
(issue 18); audit rows are named ``<object>.<verb>``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from api_registry.models.applications import ApiApplication, ApiKind
from api_registry.models.registry import ApiSanctionReason, HsSection, Issuer
from inatrade import audit_labels
from inatrade.transitions import Machine

# --------------------------------------------------------------------------- the API itself


class ApiStatus(models.TextChoices):
    ACTIVE = "active", _("aktif")
    FROZEN = "frozen", _("dibekukan")
    REVOKED = "revoked", _("dicabut")


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
    status = models.CharField(_("status"), max_length=8, choices=ApiStatus.choices, default=ApiStatus.ACTIVE, db_index=True)
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
        return self.status == ApiStatus.ACTIVE


A = ApiStatus
# The allowed moves of Api.status (API-07, API-09). ``reregister`` keeps an active API active and
# brings back one frozen only for a missed re-registration (the service checks the reason).
API_MACHINE = Machine(
    name="api",
    model=Api,
    moves={
        "freeze": ((A.ACTIVE,), A.FROZEN),
        "reactivate": ((A.FROZEN,), A.ACTIVE),
        "revoke": ((A.ACTIVE, A.FROZEN), A.REVOKED),
        "reregister": ((A.ACTIVE, A.FROZEN), A.ACTIVE),
    },
    labels={
        "freeze": _("Dibekukan"),
        "reactivate": _("Diaktifkan kembali"),
        "revoke": _("Dicabut"),
        "reregister": _("Daftar ulang"),
    },
)


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


CHANGE_MACHINE = Machine(
    name="api_change",
    model=ApiChangeRequest,
    moves={
        "approve": ((ChangeStatus.SUBMITTED,), ChangeStatus.APPROVED),
        "reject": ((ChangeStatus.SUBMITTED,), ChangeStatus.REJECTED),
    },
    labels={"approve": _("Disetujui"), "reject": _("Ditolak")},
)


# --------------------------------------------------------------------------- Produsen Importir (API-10)


class DesignationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("diajukan")
    DESIGNATED = "designated", _("ditetapkan")
    REJECTED = "rejected", _("ditolak")
    REVOKED = "revoked", _("dicabut")


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


DESIGNATION_MACHINE = Machine(
    name="produsen_importir",
    model=ProdusenImportir,
    moves={
        "approve": ((DesignationStatus.SUBMITTED,), DesignationStatus.DESIGNATED),
        "reject": ((DesignationStatus.SUBMITTED,), DesignationStatus.REJECTED),
        "revoke": ((DesignationStatus.DESIGNATED,), DesignationStatus.REVOKED),
    },
    labels={
        "approve": _("Disetujui"),
        "reject": _("Ditolak"),
        "revoke": _("Dicabut"),
    },
)


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


# Audit actions of this app that are not moves of a machine (issue 18: ``<object>.<verb>``);
# rows written before the rename keep their bare names, labelled in ``inatrade.audit_labels``.
# The words are those of the old names, so a timeline reads the same across the rename.
audit_labels.register({
    "api_application.create": _("Draf dibuat"),
    "api.issue": _("Diterbitkan"),
    "api.record_nib": _("API dicatat dari NIB (OSS)"),
    "api.amend": _("Perubahan diterbitkan"),
    "api_change.submit": _("Diajukan"),
    "produsen_importir.submit": _("Diajukan"),
    "quarterly_report.submit": _("Laporan realisasi triwulanan disampaikan"),
})

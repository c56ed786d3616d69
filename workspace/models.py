"""The SLA clock of every case (SLA-02, SLA-03) and the officers' work on it.

A ``CaseStep`` is one step of one case that an official has to act on: a Hak Akses
registration waiting for the director, an API application waiting for the Kab/Kota
inspection, a sugar PI application waiting for the Director General. The app that owns the
case starts a step in the transaction of the transition that opens it
(``workspace.services.case_step_start``) and finishes it in the transaction of the
transition that closes it (``case_step_finish``). So the work lists, the overdue sweep, the
SLA report and the dashboard read one indexed table, whatever the kind of case.

A step whose ``SlaStep`` has working days carries a due date; a step without (UPTP I
validation, field verification) is work without a legal deadline.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from inatrade.registry import case_kind_choices


# The kinds this repository's apps register (accounts, api_registry, sugar_import), by name for
# code and tests that name one. The field's choices come from the registry
# (``inatrade.registry.case_kind``): a new kind is added there, not here, and needs no migration.
class CaseKind(models.TextChoices):
    REGISTRATION = "registration", _("Registrasi Hak Akses")
    API_APPLICATION = "api_application", _("Permohonan API")
    API_CHANGE = "api_change", _("Perubahan API")
    API_DESIGNATION = "api_designation", _("Penetapan Produsen Importir")
    SUGAR_APPLICATION = "sugar_application", _("Permohonan PI gula")
    SUGAR_AMENDMENT = "sugar_amendment", _("Perubahan PI gula")


class Outcome(models.TextChoices):
    NEXT_STEP = "next_step", _("diteruskan ke langkah berikutnya")
    APPROVED = "approved", _("disetujui")
    REJECTED = "rejected", _("ditolak")
    RETURNED = "returned", _("dikembalikan untuk perbaikan")
    WITHDRAWN = "withdrawn", _("ditarik / dibatalkan")


class CaseStep(models.Model):
    kind = models.CharField(_("jenis"), max_length=30, choices=case_kind_choices)
    case_id = models.PositiveBigIntegerField()
    page_arg = models.CharField(max_length=60, editable=False)
    reference = models.CharField(_("nomor"), max_length=60, db_index=True)
    party_name = models.CharField(_("pelaku usaha"), max_length=200)
    party_nib = models.CharField(_("NIB"), max_length=13, blank=True, db_index=True)
    company = models.ForeignKey(
        "accounts.Company", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("pelaku usaha")
    )
    step = models.ForeignKey("inatrade.SlaStep", to_field="code", on_delete=models.PROTECT, related_name="case_steps", verbose_name=_("langkah"))
    # Who has to act: a role, narrowed for issuer officers to an issuer (and a Kab/Kota).
    role = models.CharField(_("peran"), max_length=30, db_index=True)
    issuer = models.ForeignKey("api_registry.Issuer", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("penerbit"))
    regency = models.ForeignKey("reference.Regency", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    started_at = models.DateTimeField(_("mulai"))
    due_date = models.DateField(_("batas waktu"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    outcome = models.CharField(_("hasil"), max_length=12, choices=Outcome.choices, blank=True)
    working_days_taken = models.PositiveSmallIntegerField(_("hari kerja"), null=True, blank=True)
    late = models.BooleanField(_("terlambat"), null=True, blank=True)

    # SLA-03: set once by the sweep, so each notification goes out once per step.
    overdue_notified_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    sweep_batch = models.UUIDField(null=True, blank=True, editable=False)

    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="claimed_steps",
        verbose_name=_("ditangani oleh"),
    )
    assigned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "started_at"]
        verbose_name = _("langkah perkara")
        verbose_name_plural = _("langkah perkara (jam SLA)")
        indexes = [
            models.Index(fields=["kind", "case_id"]),
            # The work list (SLA-03, PERF-02): open steps of a role in urgency order (due date,
            # NULLs last as btree ASC keeps them, then oldest), so a page is read off the index
            # and the count is an index-only scan. The sweep's due-date filters use the prefix.
            models.Index(fields=["role", "due_date", "started_at", "id"], name="workspace_worklist_role", condition=Q(finished_at__isnull=True)),
            models.Index(fields=["due_date", "started_at", "id"], name="workspace_worklist_all", condition=Q(finished_at__isnull=True)),
            models.Index(fields=["step", "finished_at"]),
            # The unassigned queue by due date ("terlambat & belum ditangani", PERF-02): the capped
            # count of the overdue & unassigned list is an index-only scan of at most cap + 1
            # entries (the visibility rule's columns are included) instead of a scan that reads
            # and throws away the assigned and not-yet-due steps (docs/decisions/0009).
            models.Index(fields=["due_date"], include=["role", "escalated_at", "step"], name="workspace_worklist_unassigned",
                         condition=Q(finished_at__isnull=True, assignee__isnull=True)),
        ]
        constraints = [
            # One open step per case: a case never sits in two officers' lists at once.
            models.UniqueConstraint(fields=["kind", "case_id"], condition=Q(finished_at__isnull=True), name="workspace_one_open_step"),
        ]

    def __str__(self):
        return f"{self.reference} · {self.step_id}"

    @property
    def is_open(self) -> bool:
        return self.finished_at is None

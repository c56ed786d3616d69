"""What every app shares: the working-day reference data, the audit log, the e-mail outbox
and the record of idempotent API actions."""

import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _


class HolidayOverride(models.Model):
    """SLA-01: a decision the `holidays` package does not know yet.

    ``add`` makes a day a non-working day (a cuti bersama decreed this year, a one-off
    national holiday); ``remove`` makes a day the package lists a working day again (a
    holiday moved by a revised joint ministerial decree).
    """

    class Kind(models.TextChoices):
        ADD = "add", _("Hari libur / cuti bersama tambahan")
        REMOVE = "remove", _("Bukan hari libur (dibatalkan/dipindah)")

    date = models.DateField(_("tanggal"), unique=True)
    kind = models.CharField(_("jenis"), max_length=6, choices=Kind.choices, default=Kind.ADD)
    name = models.CharField(_("nama"), max_length=200)
    source = models.CharField(_("dasar hukum"), max_length=300, help_text=_("e.g. SKB 3 Menteri No. ..."))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("dibuat pada"))

    class Meta:
        ordering = ["date"]
        verbose_name = _("penyesuaian hari libur")
        verbose_name_plural = _("penyesuaian hari libur")

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}: {self.name}"


class SlaStep(models.Model):
    """SLA-04: a step with a legal deadline in working days, with its source."""

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(_("langkah"), max_length=200)
    name_en = models.CharField(_("step (English)"), max_length=200)
    working_days = models.PositiveSmallIntegerField(
        _("hari kerja"), null=True, blank=True, help_text=_("kosong: pekerjaan tanpa batas waktu hukum")
    )
    source = models.CharField(_("dasar hukum"), max_length=200)
    # SLA-03: who acts on the step, and who hears of it at 2 working days overdue.
    responsible_role = models.CharField(_("peran penanggung jawab"), max_length=30, blank=True)
    escalation_role = models.CharField(_("peran eskalasi"), max_length=30, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("batas waktu layanan (SLA)")
        verbose_name_plural = _("batas waktu layanan (SLA)")

    def __str__(self):
        return f"{self.name} ({self.working_days} HK)" if self.working_days is not None else self.name

    @property
    def label(self) -> str:
        """The step's name in the active language."""
        from django.utils.translation import get_language

        return self.name_en if (get_language() or "").startswith("en") and self.name_en else self.name


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionDenied("The audit log is append-only.")

    def delete(self):
        raise PermissionDenied("The audit log is append-only.")


class AuditEntry(models.Model):
    """AUD-01: one state change, append-only, chained to the previous row by its hash.

    Rows are written only by ``inatrade.audit.audit_record`` inside the transaction of the
    change they describe; ``seq`` is gap-free in commit order and ``entry_hash`` covers the
    previous row's hash, so any later edit in the database breaks the chain
    (``manage.py verify_audit_chain``).
    """

    seq = models.PositiveBigIntegerField(unique=True, editable=False, verbose_name=_("nomor urut"))
    created_at = models.DateTimeField(editable=False, verbose_name=_("dibuat pada"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=150, blank=True, verbose_name=_("pelaku"))
    actor_role = models.CharField(max_length=40, blank=True, verbose_name=_("peran pelaku"))
    actor_capacity = models.CharField(max_length=200, blank=True)
    company = models.ForeignKey(
        "accounts.Company", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("perusahaan")
    )
    object_type = models.CharField(max_length=100, verbose_name=_("jenis objek"))
    object_id = models.CharField(max_length=64, verbose_name=_("ID objek"))
    object_label = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=60, verbose_name=_("tindakan"))
    from_state = models.CharField(max_length=40, blank=True, verbose_name=_("dari status"))
    to_state = models.CharField(max_length=40, blank=True, verbose_name=_("ke status"))
    reason = models.TextField(blank=True, verbose_name=_("alasan"))
    data = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64, editable=False)
    entry_hash = models.CharField(max_length=64, editable=False)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["seq"]
        indexes = [models.Index(fields=["object_type", "object_id", "seq"])]
        verbose_name = _("catatan audit")
        verbose_name_plural = _("log audit")

    def __str__(self):
        return f"#{self.seq} {self.object_type}:{self.object_id} {self.action}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionDenied("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("The audit log is append-only.")


class AuditChainHead(models.Model):
    """The single row that serializes appends to the audit chain (locked FOR UPDATE)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = _("ujung rantai audit")
        verbose_name_plural = _("ujung rantai audit")


class OutgoingEmail(models.Model):
    """AUD-03: an e-mail queued in the same transaction as its cause; delivered after commit
    and retried until sent (the row survives a broker outage: REL-07)."""

    class State(models.TextChoices):
        PENDING = "pending", _("menunggu")
        SENT = "sent", _("terkirim")
        FAILED = "failed", _("gagal")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("dibuat pada"))
    template = models.CharField(max_length=100, verbose_name=_("templat"))
    to = models.JSONField()
    subject = models.CharField(max_length=300, verbose_name=_("perihal"))
    body = models.TextField()
    attachments = models.JSONField(default=list, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING, verbose_name=_("keadaan"))
    attempts = models.PositiveIntegerField(default=0, verbose_name=_("jumlah percobaan"))
    last_error = models.TextField(blank=True, verbose_name=_("galat terakhir"))
    next_attempt_at = models.DateTimeField(null=True, blank=True, verbose_name=_("percobaan berikutnya"))
    sent_at = models.DateTimeField(null=True, blank=True, verbose_name=_("dikirim pada"))

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]
        verbose_name = _("email keluar")
        verbose_name_plural = _("email keluar")

    def __str__(self):
        return f"{self.template} → {', '.join(self.to)}"


class IdempotencyRecord(models.Model):
    """The first successful answer to an action sent with an ``Idempotency-Key`` header.

    The unique key is inserted in the same transaction as the action, so a concurrent repeat
    waits for the first to commit and then replays its answer instead of acting twice.
    """

    scope = models.CharField(max_length=60, help_text="user:<id>, or anon for anonymous callers")
    key = models.CharField(max_length=200)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    body = models.JSONField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("catatan Idempotency-Key")
        verbose_name_plural = _("catatan Idempotency-Key")
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="idempotency_unique_scope_key")]


class JobRun(models.Model):
    """One run of a periodic job (issue 19). ``slot`` names the beat tick that sent it
    (``2026-12-06T05:12Z``); unique with the job's name, so a second beat started by mistake
    cannot run a job twice for one schedule. Manual runs (``run_job``) have no slot."""

    name = models.CharField(max_length=60)
    slot = models.CharField(max_length=40, null=True, blank=True)
    node = models.CharField(max_length=120, blank=True)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    ok = models.BooleanField(null=True)
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["name", "slot"], name="jobrun_one_per_slot")]
        indexes = [models.Index(fields=["name", "-started_at"], name="jobrun_name_started")]
        verbose_name = _("jalannya tugas terjadwal")
        verbose_name_plural = _("jalannya tugas terjadwal")

    def __str__(self):
        return f"{self.name} {self.slot or 'manual'}"

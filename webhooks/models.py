"""Webhooks for integrators (USE-04, docs/decisions/0016-webhooks.md).

A company registers HTTPS endpoints; each business event of the company (an application or
permit transition from the audit log, a report falling due, an access right about to lapse)
becomes one ``WebhookEvent`` (its UUID is the event id the receiver deduplicates on) and one
``WebhookDelivery`` per subscribed endpoint: a database outbox, delivered after commit and
retried with back-off, as the INSW outbox (DOC-05).
"""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EventType(models.TextChoices):
    APPLICATION_SUBMITTED = "application.submitted", "application.submitted"
    APPLICATION_RETURNED = "application.returned", "application.returned"
    APPLICATION_APPROVED = "application.approved", "application.approved"
    APPLICATION_REJECTED = "application.rejected", "application.rejected"
    PERMIT_ISSUED = "permit.issued", "permit.issued"
    PERMIT_AMENDED = "permit.amended", "permit.amended"
    PERMIT_FROZEN = "permit.frozen", "permit.frozen"
    PERMIT_REACTIVATED = "permit.reactivated", "permit.reactivated"
    PERMIT_REVOKED = "permit.revoked", "permit.revoked"
    REPORT_DUE = "report.due", "report.due"
    ACCESS_EXPIRING = "access.expiring", "access.expiring"


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


class WebhookEndpoint(models.Model):
    company = models.ForeignKey("accounts.Company", on_delete=models.PROTECT, related_name="webhook_endpoints",
                                verbose_name=_("pelaku usaha"))
    url = models.URLField(_("URL"), max_length=500)
    description = models.CharField(_("keterangan"), max_length=200, blank=True)
    # Empty: every event type.
    events = models.JSONField(_("jenis peristiwa"), default=list, blank=True)
    secret = models.CharField(max_length=100, default=new_secret, verbose_name=_("rahasia"))
    # After a rotation the previous secret still signs (a second signature) until this time.
    previous_secret = models.CharField(max_length=100, blank=True, verbose_name=_("rahasia sebelumnya"))
    previous_secret_until = models.DateTimeField(null=True, blank=True, verbose_name=_("rahasia sebelumnya berlaku s.d."))
    is_active = models.BooleanField(_("aktif"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("dibuat oleh"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("dibuat pada"))
    disabled_at = models.DateTimeField(null=True, blank=True, verbose_name=_("dinonaktifkan pada"))

    class Meta:
        ordering = ["company", "created_at"]
        verbose_name = _("endpoint webhook")
        verbose_name_plural = _("endpoint webhook")

    def __str__(self):
        return f"{self.company_id}: {self.url}"

    def subscribes(self, event: str) -> bool:
        return not self.events or event in self.events


class WebhookEvent(models.Model):
    """One business event of one company. ``key`` (the cause: an audit row, a report period)
    is unique, so a cause relayed or emitted twice is one event."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    company = models.ForeignKey("accounts.Company", on_delete=models.PROTECT, related_name="+", verbose_name=_("perusahaan"))
    event = models.CharField(max_length=40, choices=EventType.choices, verbose_name=_("peristiwa"))
    key = models.CharField(max_length=200, unique=True, verbose_name=_("kunci"))
    payload = models.JSONField(verbose_name=_("isi"))
    occurred_at = models.DateTimeField(default=timezone.now, verbose_name=_("terjadi pada"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("dibuat pada"))

    class Meta:
        ordering = ["occurred_at"]
        verbose_name = _("peristiwa webhook")
        verbose_name_plural = _("peristiwa webhook")

    def __str__(self):
        return f"{self.event} {self.id}"


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("menunggu")
    DELIVERED = "delivered", _("terkirim")
    FAILED = "failed", _("gagal")


class WebhookDelivery(models.Model):
    event = models.ForeignKey(WebhookEvent, on_delete=models.PROTECT, related_name="deliveries", verbose_name=_("peristiwa"))
    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.PROTECT, related_name="deliveries", verbose_name=_("alamat penerima"))
    state = models.CharField(max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING, db_index=True, verbose_name=_("keadaan"))
    attempts = models.PositiveIntegerField(default=0, verbose_name=_("jumlah percobaan"))
    next_attempt_at = models.DateTimeField(default=timezone.now, db_index=True, verbose_name=_("percobaan berikutnya"))
    claimed_until = models.DateTimeField(null=True, blank=True, verbose_name=_("diklaim s.d."))
    last_status_code = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("kode status terakhir"))
    last_error = models.TextField(blank=True, verbose_name=_("galat terakhir"))
    last_attempt_at = models.DateTimeField(null=True, blank=True, verbose_name=_("percobaan terakhir"))
    delivered_at = models.DateTimeField(null=True, blank=True, verbose_name=_("terkirim pada"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("dibuat pada"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("kiriman webhook")
        verbose_name_plural = _("kiriman webhook")
        constraints = [models.UniqueConstraint(fields=["event", "endpoint"], name="webhook_delivery_once")]

    def __str__(self):
        return f"{self.event_id} → {self.endpoint_id} ({self.state})"


class RelayCursor(models.Model):
    """The last audit row (``seq``) turned into webhook events; one row."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.PositiveBigIntegerField(default=0)

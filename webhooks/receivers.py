"""Signal receivers: business events from ``inatrade.events`` become webhook events in the
caller's transaction; an audit row of a relayed transition asks for a delivery run after
commit (the periodic job catches anything a lost task misses)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from inatrade.events import business_events
from inatrade.models import AuditEntry


@receiver(business_events)
def _record_business_events(sender, events, **kwargs):
    from webhooks.services import events_record

    events_record(events)


@receiver(post_save, sender=AuditEntry)
def _relay_after_commit(sender, instance, created, **kwargs):
    from webhooks.services import RELAYED_ACTIONS, _kick_on_commit

    if created and instance.company_id and instance.action in RELAYED_ACTIONS:
        _kick_on_commit()

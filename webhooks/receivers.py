"""Signal receivers: business events from ``inatrade.events`` become webhook events in the
caller's transaction; an audit row of a relayed transition asks for a delivery run after
commit (the periodic job catches anything a lost task misses)."""

from django.db import transaction
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
    """No query in the caller's transaction; after commit, a delivery run is published only if
    the company has an endpoint (so a broker outage costs nothing to companies without one)."""
    from webhooks.services import RELAYED_ACTIONS, kick_if_listening

    if created and instance.company_id and instance.action in RELAYED_ACTIONS:
        company_id = instance.company_id
        transaction.on_commit(lambda: kick_if_listening(company_id))

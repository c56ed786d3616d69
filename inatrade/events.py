"""Business events for integrations, without the feature apps knowing who listens.

State changes already leave a row in the audit log (AUD-01), written in their own
transaction; integrations (``webhooks``) relay those. Notices that change no state (a monthly
report falls due, an access right is about to lapse) are announced here instead:

    from inatrade.events import emit
    emit(event="report.due", company_id=..., payload={...}, key="report.due:<permit>:<period>")

``emit`` must be called inside the transaction of the cause; receivers write their own rows
in it, so an event exists exactly when its cause does. ``key`` makes an event unique: emitting
the same key twice (a job run twice) records it once.
"""

from django.dispatch import Signal

# sender=None, events=[{"event", "company_id", "user_id" (optional), "payload", "key"}]
business_events = Signal()


def emit(*, event: str, company_id: int | None = None, user_id: int | None = None, payload: dict, key: str) -> None:
    emit_many([{"event": event, "company_id": company_id, "user_id": user_id, "payload": payload, "key": key}])


def emit_many(events: list[dict]) -> None:
    """Several events in one call (set-based jobs): receivers handle them in a few queries."""
    if events:
        business_events.send(sender=None, events=events)

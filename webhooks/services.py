"""Writes of the webhooks app: endpoints (register, rotate the secret, disable), events (from
the audit log and from ``inatrade.events``) and their delivery.

    endpoint_register(*, actor, url, description="", events=()) -> WebhookEndpoint
    endpoint_rotate_secret(*, endpoint, actor) -> WebhookEndpoint
    endpoint_disable(*, endpoint, actor) -> WebhookEndpoint
    events_record(events) -> int                     # receiver of inatrade.events.business_events
    webhooks_relay() -> dict                         # job: audit rows → events and deliveries
    webhooks_deliver(*, as_of=None, now=None) -> dict  # job: POST due deliveries, with back-off
    delivery_requeue(*, delivery, actor) -> WebhookDelivery

Deliveries are claimed by compare-and-set (two workers never post one at the same time) and
delivered in the order of their events per endpoint, and marked delivered only on a 2xx
answer; anything else is retried with exponential back-off
(``WEBHOOKS_RETRY_MAX_ATTEMPTS``, then failed, visible to the company, which may requeue it).
A receiver may still see an event twice (it answered 2xx but the answer was lost): the
``X-Inatrade-Event-Id`` header, stable across attempts, is what it deduplicates on.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import uuid
from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Min, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from inatrade.audit import audit_record
from inatrade.errors import DomainError, InvalidTransition, RuleViolation
from inatrade.models import AuditEntry
from inatrade.queue import queue_task
from webhooks import net
from webhooks.models import (
    DeliveryState,
    EventType,
    RelayCursor,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
    new_secret,
)

logger = logging.getLogger(__name__)

EVENT_NAMESPACE = uuid.UUID("5b0f3c1e-8a55-4e0b-9a43-6f1c2d9e7a10")
RETRY_BASE = dt.timedelta(seconds=30)
RETRY_MAX = dt.timedelta(hours=6)
BATCH = 100
ROTATION_GRACE = dt.timedelta(hours=24)
USER_AGENT = "INATRADE-Webhooks/1"
DELIVER_TASK = "webhooks.deliver"  # queued by name: services never import tasks (issue 18)

# Audit rows (object_type, action) → event type. Permit events come from the generic permit
# document (permits.permit), which every kind (sugar PI, API-U/API-P) has.
_APPLICATION_ACTIONS = {
    ("sugar_import.sugarapplication", "sugar_application_submit"): EventType.APPLICATION_SUBMITTED,
    ("sugar_import.sugarapplication", "sugar_application_return"): EventType.APPLICATION_RETURNED,
    ("sugar_import.sugarapplication", "sugar_application_approve"): EventType.APPLICATION_APPROVED,
    ("sugar_import.sugarapplication", "sugar_application_reject"): EventType.APPLICATION_REJECTED,
    ("sugar_import.sugarapplication", "sugar_application.submit"): EventType.APPLICATION_SUBMITTED,  # issue 18 names
    ("sugar_import.sugarapplication", "sugar_application.return"): EventType.APPLICATION_RETURNED,
    ("sugar_import.sugarapplication", "sugar_application.approve"): EventType.APPLICATION_APPROVED,
    ("sugar_import.sugarapplication", "sugar_application.reject"): EventType.APPLICATION_REJECTED,
    ("api_registry.apiapplication", "submit"): EventType.APPLICATION_SUBMITTED,
    ("api_registry.apiapplication", "approve"): EventType.APPLICATION_APPROVED,
    ("api_registry.apiapplication", "reject"): EventType.APPLICATION_REJECTED,
    ("api_registry.apiapplication", "api_application.submit"): EventType.APPLICATION_SUBMITTED,
    ("api_registry.apiapplication", "api_application.approve"): EventType.APPLICATION_APPROVED,
    ("api_registry.apiapplication", "api_application.reject"): EventType.APPLICATION_REJECTED,
}
_PERMIT_ACTIONS = {
    "permit.freeze": EventType.PERMIT_FROZEN,
    "permit.reactivate": EventType.PERMIT_REACTIVATED,
    "permit.revoke": EventType.PERMIT_REVOKED,
    "permit.supersede": EventType.PERMIT_REVOKED,
    # The names before issue 18, for rows written before the rename and not yet relayed.
    "permit_freeze": EventType.PERMIT_FROZEN,
    "permit_reactivate": EventType.PERMIT_REACTIVATED,
    "permit_revoke": EventType.PERMIT_REVOKED,
    "permit_supersede": EventType.PERMIT_REVOKED,
}
_PERMIT_SIGN_ACTIONS = {"permit.sign", "permit_sign"}
RELAYED_ACTIONS = {action for _t, action in _APPLICATION_ACTIONS} | set(_PERMIT_ACTIONS) | _PERMIT_SIGN_ACTIONS


class EndpointNotFound(DomainError):
    code = "not_found"
    status = 404
    default_message = _("Tidak ditemukan.")


# --- endpoints --------------------------------------------------------------------------------
def _assert_company_admin(actor) -> None:
    """The company's integration administrators: its importer users with an active access
    right (docs/decisions/0016-webhooks.md)."""
    if not (actor and actor.is_authenticated and actor.has_active_access and actor.role == Role.IMPORTER and actor.company_id):
        raise EndpointNotFound()


def _check_events(events) -> list[str]:
    events = list(dict.fromkeys(events or []))
    unknown = [e for e in events if e not in EventType.values]
    if unknown:
        raise RuleViolation(_("Jenis peristiwa tidak dikenal."), code="invalid_event", fields={"events": unknown})
    return events


def endpoint_register(*, actor, url: str, description: str = "", events=()) -> WebhookEndpoint:
    _assert_company_admin(actor)
    events = _check_events(events)
    try:
        net.check_url(url)
    except net.UnsafeUrl as exc:
        raise RuleViolation(str(exc), code="unsafe_url", fields={"url": [str(exc)]}) from exc
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.create(
            company_id=actor.company_id, url=url, description=description, events=events, created_by=actor,
        )
        audit_record(obj=endpoint, action="webhook_endpoint.register", actor=actor, company=actor.company,
                     to_state="active", data={"url": url, "events": events})
    return endpoint


def endpoint_rotate_secret(*, endpoint: WebhookEndpoint, actor) -> WebhookEndpoint:
    """A new secret signs from now on; the previous one adds a second signature for
    ``ROTATION_GRACE`` so that the receiver can switch without losing events."""
    _assert_company_admin(actor)
    with transaction.atomic():
        locked = WebhookEndpoint.objects.select_for_update().filter(pk=endpoint.pk, company_id=actor.company_id).first()
        if locked is None:
            raise EndpointNotFound()
        if not locked.is_active:
            raise InvalidTransition(_("Endpoint tidak aktif."), code="endpoint_disabled")
        locked.previous_secret, locked.previous_secret_until = locked.secret, timezone.now() + ROTATION_GRACE
        locked.secret = new_secret()
        locked.save(update_fields=["secret", "previous_secret", "previous_secret_until"])
        audit_record(obj=locked, action="webhook_endpoint.rotate_secret", actor=actor, company=actor.company)
    return locked


def endpoint_disable(*, endpoint: WebhookEndpoint, actor) -> WebhookEndpoint:
    _assert_company_admin(actor)
    with transaction.atomic():
        locked = WebhookEndpoint.objects.select_for_update().filter(pk=endpoint.pk, company_id=actor.company_id).first()
        if locked is None:
            raise EndpointNotFound()
        if locked.is_active:
            locked.is_active, locked.disabled_at = False, timezone.now()
            locked.save(update_fields=["is_active", "disabled_at"])
            WebhookDelivery.objects.filter(endpoint=locked, state=DeliveryState.PENDING).update(
                state=DeliveryState.FAILED, last_error="endpoint disabled", claimed_until=None,
            )
            audit_record(obj=locked, action="webhook_endpoint.disable", actor=actor, company=actor.company,
                         from_state="active", to_state="disabled")
    return locked


def delivery_requeue(*, delivery: WebhookDelivery, actor) -> WebhookDelivery:
    _assert_company_admin(actor)
    with transaction.atomic():
        updated = WebhookDelivery.objects.filter(
            pk=delivery.pk, endpoint__company_id=actor.company_id, endpoint__is_active=True, state=DeliveryState.FAILED,
        ).update(state=DeliveryState.PENDING, next_attempt_at=timezone.now(), claimed_until=None)
        if not updated:
            raise InvalidTransition(_("Hanya kiriman yang gagal dapat dikirim ulang."), code="not_failed")
        _kick_on_commit()
    delivery.refresh_from_db()
    return delivery


# --- events -----------------------------------------------------------------------------------
def _event_id(key: str) -> uuid.UUID:
    return uuid.uuid5(EVENT_NAMESPACE, key)


def _endpoints_by_company(company_ids) -> dict[int, list[WebhookEndpoint]]:
    by_company: dict[int, list[WebhookEndpoint]] = {}
    for endpoint in WebhookEndpoint.objects.filter(company_id__in=set(company_ids), is_active=True):
        by_company.setdefault(endpoint.company_id, []).append(endpoint)
    return by_company


def _record(rows: list[dict], endpoints: dict[int, list[WebhookEndpoint]]) -> int:
    """rows: {"company_id", "event", "key", "payload", "occurred_at"}; an event only for a
    company with an endpoint that subscribes to it (and existed when it happened)."""
    events, deliveries = [], []
    for row in rows:
        targets = [e for e in endpoints.get(row["company_id"], ())
                   if e.subscribes(row["event"]) and e.created_at <= row["occurred_at"]]
        if not targets:
            continue
        event_id = _event_id(row["key"])
        events.append(WebhookEvent(id=event_id, company_id=row["company_id"], event=row["event"], key=row["key"][:200],
                                   payload=row["payload"], occurred_at=row["occurred_at"]))
        deliveries += [WebhookDelivery(event_id=event_id, endpoint=e) for e in targets]
    if not events:
        return 0
    # A key already recorded (a job run twice) adds nothing: both inserts ignore conflicts.
    WebhookEvent.objects.bulk_create(events, ignore_conflicts=True)
    WebhookDelivery.objects.bulk_create(deliveries, ignore_conflicts=True)
    _kick_on_commit()
    return len(events)


def events_record(events: list[dict]) -> int:
    """Receiver of ``inatrade.events.business_events``, in the caller's transaction."""
    from accounts.models import User

    user_ids = {e["user_id"] for e in events if e.get("user_id") and not e.get("company_id")}
    users = {u.pk: u for u in User.objects.filter(pk__in=user_ids).only("pk", "username", "company_id")} if user_ids else {}
    now = timezone.now()
    rows = []
    for e in events:
        company_id = e.get("company_id") or getattr(users.get(e.get("user_id")), "company_id", None)
        if not company_id:
            continue
        payload = dict(e["payload"])
        if e.get("user_id") in users:
            payload.setdefault("user_id", users[e["user_id"]].username)
        rows.append({"company_id": company_id, "event": e["event"], "key": e["key"], "payload": payload, "occurred_at": now})
    endpoints = _endpoints_by_company(r["company_id"] for r in rows)
    return _record(rows, endpoints) if endpoints else 0


def _audit_event(entry: AuditEntry) -> tuple[str, dict] | None:
    """The event type and payload of an audit row, or None."""
    base = {"object_id": entry.object_id, "from_state": entry.from_state, "to_state": entry.to_state}
    kind = _APPLICATION_ACTIONS.get((entry.object_type, entry.action))
    if kind:
        payload = {**base, "application_type": "sugar_pi" if entry.object_type.startswith("sugar_import") else "api",
                   "reference": entry.object_label, "status": entry.to_state}
        if entry.reason:
            payload["reason"] = entry.reason
        return kind, payload
    if entry.object_type != "permits.permit":
        return None
    if entry.action in _PERMIT_SIGN_ACTIONS:
        version = (entry.data or {}).get("version")
        kind = EventType.PERMIT_ISSUED if version == 1 else EventType.PERMIT_AMENDED
        payload = {**base, "permit_number": entry.object_label, "version": version, "sha256": (entry.data or {}).get("sha256", "")}
    elif entry.action in _PERMIT_ACTIONS:
        kind = _PERMIT_ACTIONS[entry.action]
        payload = {**base, "permit_number": entry.object_label, "reason": entry.reason}
    else:
        return None
    payload["status"] = entry.to_state
    from permits.documents import verification_url

    payload["verification_url"] = verification_url(entry.object_label)
    return kind, payload


def webhooks_relay(*, as_of: date | None = None) -> dict:
    relayed = batches = 0
    while batches < 20:
        batch, more = _relay_batch()
        relayed, batches = relayed + batch, batches + 1
        if not more:
            break
    return {"relayed": relayed, "changed": relayed}


def _relay_batch() -> tuple[int, bool]:
    """Job: turn the audit rows of application and permit transitions written since the last
    run into events and deliveries. The audit log is gap-free in commit order (``seq``), so a
    cursor loses nothing; the cursor row is locked, so two runs never relay the same rows."""
    with transaction.atomic():
        first = WebhookEndpoint.objects.filter(is_active=True).aggregate(at=Min("created_at"))["at"]
        if first is None:
            # No endpoint: nothing to relay; an existing cursor skips to now (the first
            # endpoint created later starts from its own creation anyway).
            RelayCursor.objects.filter(pk=1).update(last_seq=Coalesce(Subquery(
                AuditEntry.objects.order_by("-seq").values("seq")[:1]), Value(0)))
            return 0, False
        cursor = RelayCursor.objects.select_for_update().filter(pk=1).first()
        if cursor is None:
            before = AuditEntry.objects.filter(created_at__lt=first).order_by("-seq").values_list("seq", flat=True).first()
            cursor, _created = RelayCursor.objects.get_or_create(pk=1, defaults={"last_seq": before or 0})
            cursor = RelayCursor.objects.select_for_update().get(pk=1)
        entries = list(
            AuditEntry.objects.filter(seq__gt=cursor.last_seq).order_by("seq")
            .only("seq", "created_at", "company_id", "object_type", "object_id", "object_label", "action",
                  "from_state", "to_state", "reason", "data")[:500]
        )
        if not entries:
            return 0, False
        rows = []
        for entry in entries:
            if entry.action not in RELAYED_ACTIONS or not entry.company_id:
                continue
            found = _audit_event(entry)
            if found:
                kind, payload = found
                rows.append({"company_id": entry.company_id, "event": kind, "key": f"audit:{entry.seq}",
                             "payload": payload, "occurred_at": entry.created_at})
        relayed = _record(rows, _endpoints_by_company(r["company_id"] for r in rows)) if rows else 0
        RelayCursor.objects.filter(pk=1).update(last_seq=entries[-1].seq)
    return relayed, len(entries) == 500


def kick_if_listening(company_id: int) -> None:
    """After commit: ask for a delivery run if the company has an active endpoint."""
    from inatrade.queue import publish_named

    if WebhookEndpoint.objects.filter(company_id=company_id, is_active=True).exists():
        publish_named(DELIVER_TASK)


def _kick_on_commit() -> None:
    queue_task(DELIVER_TASK)


# --- delivery ---------------------------------------------------------------------------------
def body_for(event: WebhookEvent) -> bytes:
    """The delivered body; the same bytes on every attempt (the signature covers them)."""
    document = {
        "id": str(event.id),
        "type": event.event,
        "created_at": event.occurred_at.isoformat(),
        "company": {"id": event.company_id},
        "data": event.payload,
    }
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """HMAC-SHA256 over ``<timestamp>.<body>`` with the endpoint's secret, hex."""
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def headers_for(endpoint: WebhookEndpoint, event: WebhookEvent, body: bytes, *, now: dt.datetime) -> dict[str, str]:
    timestamp = str(int(now.timestamp()))
    signatures = [f"v1={sign(endpoint.secret, timestamp, body)}"]
    if endpoint.previous_secret and endpoint.previous_secret_until and endpoint.previous_secret_until > now:
        signatures.append(f"v1={sign(endpoint.previous_secret, timestamp, body)}")
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Inatrade-Event-Id": str(event.id),
        "X-Inatrade-Event-Type": event.event,
        "X-Inatrade-Timestamp": timestamp,
        "X-Inatrade-Signature": ",".join(signatures),
    }


def _backoff(attempts: int) -> dt.timedelta:
    return min(RETRY_BASE * (2 ** max(attempts - 1, 0)), RETRY_MAX)


def _post(delivery: WebhookDelivery) -> tuple[int | None, str]:
    body = body_for(delivery.event)
    headers = headers_for(delivery.endpoint, delivery.event, body, now=timezone.now())
    try:
        status, head = net.post(delivery.endpoint.url, body, headers, timeout=settings.WEBHOOKS_TIMEOUT_SECONDS)
    except net.UnsafeUrl as exc:
        return None, f"refused: {exc}"[:500]
    except Exception as exc:  # noqa: BLE001 - any network failure is retried
        return None, f"{exc.__class__.__name__}: {exc}"[:500]
    if 200 <= status < 300:
        return status, ""
    if 300 <= status < 400:
        return status, f"HTTP {status}: redirects are not followed"
    return status, f"HTTP {status}: {head[:300].decode(errors='replace')}"


def webhooks_deliver(*, as_of: date | None = None, now: dt.datetime | None = None) -> dict:
    """Job: relay new audit rows, then POST every due pending delivery once."""
    relayed = webhooks_relay().get("relayed", 0)
    now = now or timezone.now()
    delivered = retried = failed = 0
    due = list(
        WebhookDelivery.objects.filter(state=DeliveryState.PENDING, next_attempt_at__lte=now, endpoint__is_active=True)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .order_by("event__occurred_at", "pk").values_list("pk", "endpoint_id", "event__occurred_at")[:BATCH]
    )
    blocked: set[int] = set()
    for pk, endpoint_id, occurred_at in due:
        # In order per endpoint: while an earlier event of the endpoint waits, later ones do too.
        if endpoint_id in blocked or WebhookDelivery.objects.filter(
            endpoint_id=endpoint_id, state=DeliveryState.PENDING, event__occurred_at__lt=occurred_at,
        ).exists():
            blocked.add(endpoint_id)
            continue
        lease = now + dt.timedelta(seconds=settings.WEBHOOKS_TIMEOUT_SECONDS * 2 + 60)
        claimed = WebhookDelivery.objects.filter(pk=pk, state=DeliveryState.PENDING).filter(
            Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
        ).update(claimed_until=lease)
        if not claimed:
            continue  # another worker has it
        delivery = WebhookDelivery.objects.select_related("event", "endpoint").get(pk=pk)
        status_code, error = _post(delivery)
        attempts = delivery.attempts + 1
        fields = {"attempts": attempts, "claimed_until": None, "last_status_code": status_code, "last_error": error,
                  "last_attempt_at": timezone.now()}
        if not error:
            fields.update(state=DeliveryState.DELIVERED, delivered_at=timezone.now())
            delivered += 1
        elif attempts >= settings.WEBHOOKS_RETRY_MAX_ATTEMPTS:
            fields.update(state=DeliveryState.FAILED)
            failed += 1
        else:
            fields.update(next_attempt_at=timezone.now() + _backoff(attempts))
            retried += 1
            blocked.add(endpoint_id)
        WebhookDelivery.objects.filter(pk=pk, state=DeliveryState.PENDING).update(**fields)
    return {"relayed": relayed, "due": len(due), "delivered": delivered, "retrying": retried, "failed": failed,
            "changed": relayed + delivered + failed}

"""The INSW outbox (DOC-05): the payload of a permit event, written in the transaction of the
event itself (one row, or a set of rows in SQL for the set-based jobs), and its delivery."""

from __future__ import annotations

import datetime as dt
import string
import time
from datetime import date

import requests
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from inatrade import bulksql
from inatrade.audit import audit_record
from permits.models import (
    InswDeliveryAttempt,
    InswOutboxEvent,
    OutboxState,
    Permit,
    PermitStatus,
    PermitVersion,
)
from permits.services.common import INSW_REQUEUE, backoff

INSW_RETRY_BASE = dt.timedelta(seconds=30)
INSW_RETRY_MAX = dt.timedelta(hours=1)
INSW_BATCH = 100
# What ``reverse`` leaves unquoted in a path (RFC 3986 unreserved and sub-delimiters, / ~ : @).
_URL_SAFE = string.ascii_letters + string.digits + "_.~-" + "!$&'()*+,;=" + "/:@"


def insw_payload(permit: Permit, event: str, version: PermitVersion) -> dict:
    """The definition of an event's payload (``insw_events_add`` builds the same in SQL)."""
    content = version.content or {}
    return {
        "event": event,
        "permit_number": permit.number,
        "kind": permit.kind,
        "holder_npwp": permit.holder.npwp,
        "holder_nib": permit.holder.nib,
        "valid_from": permit.valid_from.isoformat() if permit.valid_from else None,
        "valid_until": permit.valid_until.isoformat() if permit.valid_until else None,
        "status": permit.public_status,
        "version": version.version_no,
        "lines": content.get("lines") or [],
        "pdf_sha256": version.sha256,
        "pdf_url": settings.SITE_URL + reverse("permit-pdf", kwargs={"number": permit.number}),
    }


def outbox_add(permit: Permit, event: str, version: PermitVersion) -> InswOutboxEvent:
    """Must run in the transaction of the event itself."""
    return InswOutboxEvent.objects.create(permit=permit, event=event, payload=insw_payload(permit, event, version))


def pdf_url_parts() -> tuple[str, str]:
    """The text before and after the number in ``insw_payload``'s ``pdf_url``."""
    marker = "NUMBER0MARKER"
    url = settings.SITE_URL + reverse("permit-pdf", kwargs={"number": marker})
    before, after = url.split(marker)
    return before, after


def insw_events_add(*, event: str, permits: list[tuple[int, str]]) -> None:
    """One outbox event per (permit id, number) in one ``INSERT ... SELECT``, the payload built
    in SQL from the permit, its holder and its current version as ``insw_payload`` builds it
    (``insw_payload`` stays the definition; a test holds the two equal). A number the URL would
    quote (none of the ``04.PI-05...`` numbers) gets its URL from ``reverse`` itself. Must run
    in the transaction of the event."""
    if not permits:
        return
    before, after = pdf_url_parts()
    rows = [[pk, None if not number.strip(_URL_SAFE) else
             settings.SITE_URL + reverse("permit-pdf", kwargs={"number": number})] for pk, number in permits]
    now = bulksql.db_value(InswOutboxEvent, "created_at", timezone.now())
    today = bulksql.db_value(Permit, "valid_until", timezone.localdate())
    if bulksql.is_postgresql():
        lines = ("CASE WHEN v.content->'lines' IS NULL OR v.content->'lines' IN ('null', 'false', '0', '\"\"', '[]', '{}') "
                 "THEN '[]'::jsonb ELSE v.content->'lines' END")
        day = "to_char({}, 'YYYY-MM-DD')"
        obj = "jsonb_build_object"
    else:
        lines = ("CASE WHEN COALESCE(json_extract(v.content, '$.lines'), 0) IN (0, '', '[]', '{}') "
                 "THEN json('[]') ELSE json(json_extract(v.content, '$.lines')) END")
        day = "{}"
        obj = "json_object"
    payload = (
        f"{obj}('event', %s, 'permit_number', p.number, 'kind', p.kind, 'holder_npwp', c.npwp, 'holder_nib', c.nib, "
        f"'valid_from', {day.format('p.valid_from')}, 'valid_until', {day.format('p.valid_until')}, "
        "'status', CASE WHEN p.status = %s AND p.valid_until < %s THEN 'expired' ELSE p.status END, "
        f"'version', v.version_no, 'lines', {lines}, 'pdf_sha256', v.sha256, "
        "'pdf_url', COALESCE(r.url, %s || p.number || %s))"
    )
    holder_table = Permit._meta.get_field("holder").related_model._meta.db_table
    bulksql.execute(
        f"INSERT INTO {InswOutboxEvent._meta.db_table} (id, permit_id, event, payload, state, attempts, next_attempt_at, "
        "claimed_until, last_error, last_status_code, delivered_at, created_at) "
        f"SELECT {bulksql.new_uuid()}, p.id, %s, {payload}, %s, 0, %s, NULL, '', NULL, NULL, %s "
        f"FROM {bulksql.rows_from([('id', 'int'), ('url', 'text')])} "
        f"JOIN {Permit._meta.db_table} p ON p.id = r.id "
        f"JOIN {PermitVersion._meta.db_table} v ON v.id = p.current_version_id "
        f"JOIN {holder_table} c ON c.id = p.holder_id",
        [event, event, PermitStatus.VALID, today, before, after, OutboxState.PENDING, now, now, bulksql.json_param(rows)],
    )


def _insw_post(event: InswOutboxEvent) -> tuple[int | None, str]:
    try:
        response = requests.post(
            settings.INSW_ENDPOINT,
            json={"id": str(event.id), **event.payload},
            headers={
                "Idempotency-Key": str(event.id),
                "Authorization": f"Bearer {settings.INSW_TOKEN}",
                "User-Agent": "INATRADE/1.0",
            },
            timeout=settings.INSW_TIMEOUT_SECONDS,
        )
    except requests.Timeout:
        return None, "timeout"
    except requests.ConnectionError as exc:
        return None, f"connection error: {exc.__class__.__name__}"
    except requests.RequestException as exc:
        return None, f"{exc.__class__.__name__}: {exc}"[:500]
    if 200 <= response.status_code < 300:
        return response.status_code, ""
    return response.status_code, f"HTTP {response.status_code}: {response.text[:300]}"


def insw_outbox_deliver(*, as_of: date | None = None, now: dt.datetime | None = None) -> dict:
    """Job: POST every due pending event, oldest first, with its id as Idempotency-Key.

    Events of one permit go out in order: when one fails, the later ones of that permit wait.
    Transient failures (no connection, timeout, 5xx, 408, 429) retry with exponential back-off
    forever; other 4xx answers mark the event failed for an administrator to look at
    (and requeue). Each event is claimed by compare-and-set, so two runs never post it twice
    at the same time.
    """
    now = now or timezone.now()
    delivered = retried = failed = 0
    blocked: set[int] = set()
    due = list(
        InswOutboxEvent.objects.filter(state=OutboxState.PENDING, next_attempt_at__lte=now)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .order_by("created_at")
        .values_list("pk", "permit_id", "created_at")[:INSW_BATCH]
    )
    for pk, permit_id, created_at in due:
        if permit_id in blocked:
            continue
        earlier_open = InswOutboxEvent.objects.filter(
            permit_id=permit_id, created_at__lt=created_at
        ).exclude(state=OutboxState.DELIVERED).exists()
        if earlier_open:
            blocked.add(permit_id)
            continue
        lease = now + dt.timedelta(seconds=settings.INSW_TIMEOUT_SECONDS + 60)
        claimed = InswOutboxEvent.objects.filter(pk=pk, state=OutboxState.PENDING).filter(
            Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
        ).update(claimed_until=lease)
        if not claimed:
            continue
        event = InswOutboxEvent.objects.get(pk=pk)
        started = time.monotonic()
        status_code, error = _insw_post(event)
        duration = int((time.monotonic() - started) * 1000)
        attempts = event.attempts + 1
        with transaction.atomic():
            InswDeliveryAttempt.objects.create(event=event, status_code=status_code, error=error, duration_ms=duration)
            fields = {"attempts": attempts, "claimed_until": None, "last_status_code": status_code, "last_error": error}
            if not error:
                fields.update(state=OutboxState.DELIVERED, delivered_at=timezone.now())
                delivered += 1
            elif status_code is not None and 400 <= status_code < 500 and status_code not in (408, 425, 429):
                fields.update(state=OutboxState.FAILED)
                failed += 1
                blocked.add(permit_id)
            else:
                fields.update(next_attempt_at=timezone.now() + backoff(INSW_RETRY_BASE, attempts, INSW_RETRY_MAX))
                retried += 1
                blocked.add(permit_id)
            InswOutboxEvent.objects.filter(pk=pk).update(**fields)
    return {"due": len(due), "delivered": delivered, "retrying": retried, "failed": failed, "changed": delivered + failed}


def insw_outbox_requeue(*, event: InswOutboxEvent, actor) -> InswOutboxEvent:
    """Administrator: send a failed (or waiting) event again now."""
    with transaction.atomic():
        InswOutboxEvent.objects.filter(pk=event.pk).exclude(state=OutboxState.DELIVERED).update(
            state=OutboxState.PENDING, next_attempt_at=timezone.now(), claimed_until=None,
        )
        audit_record(object_type="permits.inswoutboxevent", object_id=str(event.pk), action=INSW_REQUEUE,
                     actor=actor, from_state=event.state, to_state=OutboxState.PENDING)
    event.refresh_from_db()
    return event

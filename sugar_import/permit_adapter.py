"""The one place where sugar_import talks to permits/ (and to the audit chain in bulk).

Per-permit calls go straight to ``permits.services`` (issue, amend, revoke). The set-based
jobs of PI-12 need to change many permits at once (PERF-03: the number of queries must not
grow with the rows); permits/ has no bulk service yet, so ``permits_bulk_transition`` does the
same as ``permits.services._transition`` for a set: one UPDATE ... WHERE, the INSW outbox
events bulk-inserted with ``permits.services.insw_payload`` (DOC-05), and the audit rows
appended to the chain in one batch. It should move into permits/ (and ``audit_record_many``
into inatrade/audit.py) when their owners are ready.
"""

from __future__ import annotations

import json

from django.db import transaction
from django.utils import timezone

from inatrade.audit import compute_hash
from inatrade.models import AuditChainHead, AuditEntry
from permits import services as permit_services
from permits.models import PERMIT_TRANSITIONS, InswEvent, InswOutboxEvent, Permit, PermitStatus

permit_issue = permit_services.permit_issue
permit_amend = permit_services.permit_amend
permit_revoke = permit_services.permit_revoke

_EVENTS = {"freeze": InswEvent.FROZEN, "reactivate": InswEvent.REACTIVATED, "revoke": InswEvent.REVOKED}


def audit_record_many(*, rows: list[dict]) -> int:
    """Append many audit rows with one lock of the chain head (AUD-01). Each row is a dict of
    ``audit_record``'s arguments (``obj``, ``action``, ``actor``, ``from_state``, ``to_state``,
    ``reason``, ``company``, ``data``). Must run inside the transaction of the change."""
    if not rows:
        return 0
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record_many must be called inside the transaction of the change it records")
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(id=1)
    now = timezone.now()
    now = now.replace(microsecond=(now.microsecond // 1000) * 1000)
    seq, prev = head.last_seq, head.last_hash
    entries = []
    for row in rows:
        obj, actor = row["obj"], row.get("actor")
        is_user = actor is not None and getattr(actor, "is_authenticated", False)
        seq += 1
        entry = AuditEntry(
            seq=seq, created_at=now, actor=actor if is_user else None,
            actor_label=(actor.get_username() if is_user else "system")[:150],
            actor_role=(getattr(actor, "role", "") if is_user else "system")[:40],
            actor_capacity="", company_id=row.get("company_id"),
            object_type=f"{obj._meta.app_label}.{obj._meta.model_name}", object_id=str(obj.pk),
            object_label=str(obj)[:200], action=row["action"], from_state=row.get("from_state", ""),
            to_state=row.get("to_state", ""), reason=row.get("reason", ""),
            data=json.loads(json.dumps(row.get("data") or {}, default=str)), prev_hash=prev,
        )
        entry.entry_hash = compute_hash(entry)
        prev = entry.entry_hash
        entries.append(entry)
    AuditEntry.objects.bulk_create(entries)  # one INSERT on PostgreSQL; SQLite batches by its own limit (PERF-03)
    AuditChainHead.objects.filter(id=1).update(last_seq=seq, last_hash=prev)
    return len(entries)


def permits_bulk_transition(*, permit_ids: list[int], verb: str, reason: str) -> list[int]:
    """Move every permit of ``permit_ids`` that is in a source state of ``verb`` to its target,
    in one UPDATE; write one INSW event per changed permit; return the changed ids. Runs in
    the caller's transaction (the rows are locked first so the changed set is exact)."""
    if not permit_ids:
        return []
    sources, target = PERMIT_TRANSITIONS[verb]
    with transaction.atomic():
        before = dict(
            Permit.objects.select_for_update().filter(pk__in=permit_ids, status__in=sources).values_list("pk", "status")
        )
        locked = list(before)
        if not locked:
            return []
        now = timezone.now()
        changed = Permit.objects.filter(pk__in=locked)
        if verb == "reactivate":
            # One frozen before its first signature goes back to awaiting it, not to valid.
            changed.filter(current_version__isnull=True).update(
                status=PermitStatus.AWAITING_SIGNATURE, status_reason=reason, status_changed_at=now
            )
            changed = changed.filter(current_version__isnull=False)
        changed.update(status=target, status_reason=reason, status_changed_at=now)
        permits = list(Permit.objects.filter(pk__in=locked).select_related("holder", "current_version"))
        InswOutboxEvent.objects.bulk_create([
            InswOutboxEvent(permit=p, event=_EVENTS[verb], payload=permit_services.insw_payload(p, _EVENTS[verb], p.current_version))
            for p in permits if p.current_version_id
        ])
        audit_record_many(rows=[
            {"obj": p, "action": f"permit_{verb}", "from_state": before[p.pk], "to_state": p.status, "reason": reason,
             "company_id": p.holder_id} for p in permits
        ])
    return locked

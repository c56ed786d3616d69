"""Set-based status transitions of permits, for the scheduled jobs (PI-12, PERF-03).

The same moves, audit action (``permit.<verb>``) and INSW events as ``permits.services.status``
for a set of permits, with a number of queries that does not grow with the rows: one
compare-and-set ``UPDATE ... RETURNING`` per source state (``permit_machine.apply_bulk``: a
concurrent run waits for the row lock, finds the state changed and skips the row), the INSW
events in one ``INSERT ... SELECT`` (``insw_events_add``) and the audit rows in one batch.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from permits.models import PermitStatus, permit_machine
from permits.services.insw import insw_events_add
from permits.services.status import TRANSITION_EVENTS, require_reason

# ``reactivate``: one frozen before its first signature goes back to awaiting it, not to valid
# (what ``status._transition`` does with ``target=``).
_TARGET_SQL = {
    "reactivate": ("CASE WHEN current_version_id IS NULL THEN %s ELSE %s END",
                   [PermitStatus.AWAITING_SIGNATURE, PermitStatus.VALID]),
}


def permits_bulk_transition(*, permit_ids: list[int], verb: str, reason: str, actor=None) -> list[int]:
    """Move every permit of ``permit_ids`` that is in a source state of ``verb`` and write one
    INSW event per changed signed permit and one audit row per changed permit; return the
    changed ids, sorted. Runs in the caller's transaction (one is opened if there is none)."""
    reason = require_reason(reason)
    with transaction.atomic():
        changed = permit_machine.apply_bulk(
            permit_ids, verb, actor=actor, reason=reason,
            set_columns={"status_reason": reason, "status_changed_at": timezone.now()},
            target_sql=_TARGET_SQL.get(verb), label_column="number", company_column="holder_id",
            extra_returning=["current_version_id"],
        )
        insw_events_add(event=TRANSITION_EVENTS[verb],
                        permits=[(row["id"], row["label"]) for row in changed if row["current_version_id"] is not None])
    return [row["id"] for row in changed]

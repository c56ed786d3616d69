"""The one place where sugar_import talks to permits/ (and to the audit chain in bulk).

Per-permit calls go straight to ``permits.services`` (issue, amend, revoke). The set-based
jobs of PI-12 need to change many permits at once (PERF-03: the number of queries must not
grow with the rows); permits/ has no bulk service yet, so ``permits_bulk_transition`` does the
same as ``permits.services._transition`` for a set: one UPDATE ... RETURNING per source state,
the INSW outbox events in one INSERT ... SELECT with the payload of
``permits.services.insw_payload`` (DOC-05), and the audit rows appended to the chain in one
batch (``inatrade.audit.audit_record_many``). It should move into permits/ when its owners are
ready.
"""

from __future__ import annotations

import string

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Company
from inatrade import bulksql
from inatrade.audit import audit_record_many
from permits import services as permit_services
from permits.models import PERMIT_TRANSITIONS, InswEvent, InswOutboxEvent, OutboxState, Permit, PermitStatus, PermitVersion

permit_issue = permit_services.permit_issue
permit_amend = permit_services.permit_amend
permit_revoke = permit_services.permit_revoke

_EVENTS = {"freeze": InswEvent.FROZEN, "reactivate": InswEvent.REACTIVATED, "revoke": InswEvent.REVOKED}
# What ``reverse`` leaves unquoted in a path (RFC 3986 unreserved and sub-delimiters, / ~ : @).
_URL_SAFE = string.ascii_letters + string.digits + "_.~-" + "!$&'()*+,;=" + "/:@"


def permits_bulk_transition(*, permit_ids: list[int], verb: str, reason: str) -> list[int]:
    """Move every permit of ``permit_ids`` that is in a source state of ``verb`` to its target
    and write one INSW event per changed signed permit and one audit row per changed permit;
    return the changed ids. Runs in the caller's transaction.

    Set-based (PERF-03): one ``UPDATE ... RETURNING`` per source state (a compare-and-set: a
    concurrent run waits for the row lock, finds the state changed and skips the row), the
    events in one ``INSERT ... SELECT`` whose payload the database builds from the permit, its
    holder and its current version exactly as ``permits.services.insw_payload`` does, and the
    audit rows in one batch."""
    if not permit_ids:
        return []
    sources, target = PERMIT_TRANSITIONS[verb]
    reason = str(reason)  # may be a lazy translation
    table = Permit._meta.db_table
    now = timezone.now()
    status = "%s"
    status_params = [target]
    if verb == "reactivate":
        # One frozen before its first signature goes back to awaiting it, not to valid.
        status = "CASE WHEN current_version_id IS NULL THEN %s ELSE %s END"
        status_params = [PermitStatus.AWAITING_SIGNATURE, target]
    changed = []  # (pk, from, to, holder_id, number, signed)
    with transaction.atomic():
        for source in sorted(sources):
            rows = bulksql.execute(
                f"UPDATE {table} SET status = {status}, status_reason = %s, status_changed_at = %s "
                f"WHERE status = %s AND id IN ({bulksql.ids_select()}) "
                "RETURNING id, status, holder_id, number, current_version_id",
                [*status_params, reason, bulksql.db_value(Permit, "status_changed_at", now), source,
                 bulksql.json_param(sorted(permit_ids))],
            )
            changed += [(pk, source, to, holder, number, version is not None) for pk, to, holder, number, version in rows]
        if not changed:
            return []
        changed.sort()
        _insw_events_add(event=_EVENTS[verb], permits=[(pk, number) for pk, _f, _t, _h, number, signed in changed if signed])
        audit_record_many(
            object_type=f"{Permit._meta.app_label}.{Permit._meta.model_name}", action=f"permit_{verb}", reason=reason,
            rows=[{"object_id": pk, "object_label": number, "company_id": holder, "from_state": source, "to_state": to}
                  for pk, source, to, holder, number, _s in changed],
        )
    return [pk for pk, *_rest in changed]


def _pdf_url_parts() -> tuple[str, str]:
    """The text before and after the number in ``insw_payload``'s ``pdf_url``."""
    marker = "NUMBER0MARKER"
    url = settings.SITE_URL + reverse("permit-pdf", kwargs={"number": marker})
    before, after = url.split(marker)
    return before, after


def _insw_events_add(*, event: str, permits: list[tuple[int, str]]) -> None:
    """One outbox event per (permit id, number), the payload built in SQL as
    ``permits.services.insw_payload`` builds it (``insw_payload`` stays the definition; a test
    holds the two equal). A number the URL would quote (none of the ``04.PI-05...`` numbers)
    gets its URL from ``reverse`` itself."""
    if not permits:
        return
    before, after = _pdf_url_parts()
    rows = [[pk, None if not number.strip(_URL_SAFE) else
             settings.SITE_URL + reverse("permit-pdf", kwargs={"number": number})] for pk, number in permits]
    now = bulksql.db_value(InswOutboxEvent, "created_at", timezone.now())
    today = bulksql.db_value(Permit, "valid_until", timezone.localdate())
    pg = bulksql.is_postgresql()
    if pg:
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
    bulksql.execute(
        f"INSERT INTO {InswOutboxEvent._meta.db_table} (id, permit_id, event, payload, state, attempts, next_attempt_at, "
        "claimed_until, last_error, last_status_code, delivered_at, created_at) "
        f"SELECT {bulksql.new_uuid()}, p.id, %s, {payload}, %s, 0, %s, NULL, '', NULL, NULL, %s "
        f"FROM {bulksql.rows_from([('id', 'int'), ('url', 'text')])} "
        f"JOIN {Permit._meta.db_table} p ON p.id = r.id "
        f"JOIN {PermitVersion._meta.db_table} v ON v.id = p.current_version_id "
        f"JOIN {Company._meta.db_table} c ON c.id = p.holder_id",
        [event, event, PermitStatus.VALID, today, before, after, OutboxState.PENDING, now, now, bulksql.json_param(rows)],
    )

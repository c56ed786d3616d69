"""Freeze, reactivation and revocation of an API (P27 Pasal 35–37, API-09), with the notices
and copies (tembusan) of Pasal 41.

One path per move, whoever makes it: an officer's button moves one locked row with
``API_MACHINE.apply``; a scheduled job moves its set with ``API_MACHINE.apply_bulk``
(``api_sanction_bulk``). Both set the same columns (``_sanction_columns``) and send the same
document change and notices (``_sanction_follow_up``)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from api_registry.models import API_MACHINE, Api, ApiSanctionReason, SanctionKind
from api_registry.selectors import NoticeCopies, api_sanction_notice_copies
from api_registry.services.common import (
    DIRECTOR_GENERAL_NAME,
    _add_years,
    _api_document_status,
    _assert_decider,
    _company_notice,
    _reason,
)
from inatrade.db import retry_on_db_conflict

REASON_KIND_OF = {"freeze": SanctionKind.FREEZE, "reactivate": SanctionKind.REACTIVATE, "revoke": SanctionKind.REVOKE}


def _sanction_notice_queue(*, api: Api, action: str, reason: str, note: str, copies: NoticeCopies) -> None:
    """The notice of a freeze, reactivation or revocation (``action``) to the company, with its
    copies (tembusan) sent to and listed for the offices of P27 Pasal 41 (see
    ``api_sanction_notice_copies``). ``api`` comes with ``company`` and ``issuer`` loaded."""
    _company_notice(
        api.company, template="api_sanction_notice", also_to=copies.emails,
        context={
            "company": api.company.name, "number": api.number, "action": action,
            "action_label": SanctionKind(action).label, "reason": reason, "note": note,
            "issuer": api.issuer.name if api.issuer else DIRECTOR_GENERAL_NAME,
            "new_application_from": api.new_application_from if action == "revoke" else None,
            "copies": copies.lines,
        },
    )


def _reason_text(reason: ApiSanctionReason) -> str:
    return f"{reason.source}: {reason.description}"


def _sanction_columns(verb: str, *, day: date, reason: ApiSanctionReason, note: str) -> dict:
    """The fields a sanction move sets besides the status (field name → value)."""
    columns = {"sanction_reason": reason, "sanction_note": note}
    if verb == "freeze":
        columns["frozen_on"] = day
    elif verb == "reactivate":
        columns["frozen_on"] = None
    else:  # revoke: a new application after the reason's waiting period (Pasal 39)
        columns["revoked_on"] = day
        columns["new_application_from"] = _add_years(day, reason.waiting_years)
    return columns


def _sanction_follow_up(*, apis: list[Api], verb: str, reason: ApiSanctionReason, note: str, actor) -> None:
    """After ``verb`` moved ``apis`` (loaded with company and issuer): mirror it on each API
    document and queue each notice with its Pasal 41 copies."""
    copies = api_sanction_notice_copies(apis=apis)
    for api in apis:
        _api_document_status(api=api, action=verb, actor=actor, reason=_reason_text(reason))
        _sanction_notice_queue(api=api, action=verb, reason=_reason_text(reason), note=note, copies=copies[api.pk])


@retry_on_db_conflict
def _sanction(*, api: Api, actor, verb: str, reason_code: str, note: str) -> Api:
    reason = _reason(REASON_KIND_OF[verb], reason_code)
    with transaction.atomic():
        locked = API_MACHINE.lock(api.pk, queryset=Api.objects.select_related("company", "issuer"))
        _assert_decider(actor, locked.issuer)
        API_MACHINE.target(verb, locked.status, obj=locked)
        columns = _sanction_columns(verb, day=timezone.localdate(), reason=reason, note=note)
        for name, value in columns.items():
            setattr(locked, name, value)
        API_MACHINE.apply(
            locked, verb, actor=actor, company=locked.company, reason=note or reason.description,
            data={"reason_code": reason.code, "source": reason.source}, update_fields=list(columns),
        )
        _sanction_follow_up(apis=[locked], verb=verb, reason=reason, note=note, actor=actor)
    return locked


def api_sanction_bulk(*, ids, verb: str, reason: ApiSanctionReason, note: str, day: date, data: dict | None = None) -> list[Api]:
    """The set-based ``verb`` of a scheduled job: every API of ``ids`` still in a source state
    moves with one UPDATE per source state (``API_MACHINE.apply_bulk``, audit rows by the
    system), then gets the same document change and notices as an officer's move. Returns the
    APIs it moved; a row another transaction moved first is skipped."""
    columns = _sanction_columns(verb, day=day, reason=reason, note=note)
    columns["sanction_reason"] = reason.pk
    changed = API_MACHINE.apply_bulk(
        ids, verb, actor=None, reason=note or reason.description,
        data={"reason_code": reason.code, "source": reason.source, **(data or {})},
        set_columns={Api._meta.get_field(name).column: value for name, value in columns.items()},
        label_column="number", company_column="company_id",
    )
    apis = list(Api.objects.filter(pk__in=[row["id"] for row in changed]).select_related("company", "issuer").order_by("pk"))
    _sanction_follow_up(apis=apis, verb=verb, reason=reason, note=note, actor=None)
    return apis


def api_freeze(*, api: Api, actor, reason_code: str, note: str = "") -> Api:
    """Freeze (P27 Pasal 35); notice to the company with copies (tembusan) per Pasal 41."""
    return _sanction(api=api, actor=actor, verb="freeze", reason_code=reason_code, note=note)


def api_reactivate(*, api: Api, actor, reason_code: str, note: str = "") -> Api:
    """Reactivate a frozen API (P27 Pasal 36), with notice (Pasal 41)."""
    return _sanction(api=api, actor=actor, verb="reactivate", reason_code=reason_code, note=note)


def api_revoke(*, api: Api, actor, reason_code: str, note: str = "") -> Api:
    """Revoke (P27 Pasal 37), with notice (Pasal 41). A new application is accepted after 1
    year (grounds a–c) or 2 years (grounds d–h) (Pasal 39), per the reason's data."""
    return _sanction(api=api, actor=actor, verb="revoke", reason_code=reason_code, note=note)

"""The 5-yearly re-registration of an API (P27 Pasal 15, API-07): the holder's
re-registration and the daily job that reminds and, once the window closes, freezes."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Company
from api_registry.models import API_MACHINE, Api, ApiSource, ApiStatus, SanctionKind
from api_registry.services.common import (
    REMINDER_DAYS,
    REREGISTRATION_GRACE_WORKING_DAYS,
    REREGISTRATION_YEARS,
    _add_years,
    _assert_holder,
    _company_notice,
    _reason,
)
from api_registry.services.sanctions import _sanction_follow_up, api_sanction_bulk
from inatrade.db import retry_on_db_conflict
from inatrade.errors import InvalidTransition
from inatrade.workdays import add_working_days

AUTO_FREEZE_NOTE = "Dibekukan otomatis: batas pendaftaran ulang terlewati (Pasal 15(3))."
REREGISTERED_NOTE = "Pendaftaran ulang diterima (Pasal 15, 36)."


def reregistration_due_after(due: date, *, day: date) -> date:
    """The next fifth anniversary after ``due``: 5 years on, more if years late, so the cadence
    from issuance is kept."""
    following = _add_years(due, REREGISTRATION_YEARS)
    while following < day:
        following = _add_years(following, REREGISTRATION_YEARS)
    return following


@retry_on_db_conflict
def api_reregister(*, api: Api, actor) -> Api:
    """The holder re-registers (P27 Pasal 15(2)–(3)): from 60 days before the fifth
    anniversary until 30 working days after it. The next one falls 5 years after the last
    anniversary, keeping the cadence from issuance.

    An API frozen only because the window closed (reason ``reregistration``) is reactivated
    by the late re-registration: the obligation behind the freeze is met (Pasal 36).
    """
    _assert_holder(actor, api)
    with transaction.atomic():
        locked = API_MACHINE.lock(api.pk, queryset=Api.objects.select_related("sanction_reason", "company", "issuer"))
        frozen_for_it = (
            locked.status == ApiStatus.FROZEN and locked.sanction_reason_id and locked.sanction_reason.code == "reregistration"
        )
        if locked.source != ApiSource.ISSUED or not (locked.status == ApiStatus.ACTIVE or frozen_for_it):
            raise InvalidTransition(_("Hanya API aktif yang diterbitkan di INATRADE dapat didaftar ulang."))
        day = timezone.localdate()
        opens = locked.reregistration_due - timedelta(days=REMINDER_DAYS[0])
        if day < opens:
            raise InvalidTransition(
                _("Pendaftaran ulang dibuka mulai %(day)s.") % {"day": opens.isoformat()}, code="reregistration_not_open"
            )
        before_due = locked.reregistration_due
        locked.last_reregistered_on = day
        locked.reregistration_due = reregistration_due_after(before_due, day=day)
        locked.reregistration_deadline = add_working_days(locked.reregistration_due, REREGISTRATION_GRACE_WORKING_DAYS)
        locked.reminder_stage = 0
        fields = ["last_reregistered_on", "reregistration_due", "reregistration_deadline", "reminder_stage"]
        reason = None
        if frozen_for_it:
            reason = _reason(SanctionKind.REACTIVATE, "obligation_met")
            locked.frozen_on, locked.sanction_reason, locked.sanction_note = None, reason, REREGISTERED_NOTE
            fields += ["frozen_on", "sanction_reason", "sanction_note"]
        API_MACHINE.apply(
            locked, "reregister", actor=actor, company=locked.company, update_fields=fields,
            data={"previous_due": before_due, "next_due": locked.reregistration_due},
        )
        if reason is not None:
            _sanction_follow_up(apis=[locked], verb="reactivate", reason=reason, note=REREGISTERED_NOTE, actor=actor)
    return locked


def _reminders_send(*, as_of: date, stage: int, days: int) -> int:
    """Remind, once, the holders whose fifth anniversary is ``days`` away or nearer (stage 1:
    60 days, stage 2: 14 days)."""
    base = Api.objects.filter(status=ApiStatus.ACTIVE, source=ApiSource.ISSUED)
    with transaction.atomic():
        candidates = base.filter(
            reminder_stage__lt=stage, reregistration_due__lte=as_of + timedelta(days=days), reregistration_deadline__gte=as_of
        )
        if stage == 1:
            # Past the 14-day mark the 60-day reminder is skipped: only the latest is sent.
            candidates = candidates.filter(reregistration_due__gt=as_of + timedelta(days=REMINDER_DAYS[1]))
        rows = list(
            candidates.select_for_update(of=("self",), no_key=True, skip_locked=True)
            .values_list("pk", "number", "reregistration_due", "reregistration_deadline", "company_id")
        )
        changed = Api.objects.filter(pk__in=[row[0] for row in rows], reminder_stage__lt=stage).update(reminder_stage=stage)
        companies = {c.pk: c for c in Company.objects.filter(pk__in=[row[4] for row in rows])}
        for _pk, number, due, deadline, company_id in rows:
            company = companies[company_id]
            _company_notice(
                company, template="api_reregistration_reminder",
                context={"company": company.name, "number": number, "due": due, "deadline": deadline, "days": days},
            )
    return changed


@retry_on_db_conflict
def api_reregistration_job(*, as_of: date) -> dict:
    """Periodic job ``api_reregistration`` (API-07, Pasal 15): remind 60 and 14 days before
    the fifth anniversary, freeze the APIs whose window (30 working days after it) has closed.

    Set-based and idempotent: each step selects its rows and changes them with one UPDATE whose
    WHERE repeats the condition (so a concurrent run changes nothing twice), then queues the
    notices for exactly the rows it changed. The freeze is the officers' freeze, set-based
    (``api_sanction_bulk``): same columns, audit rows, document change and notices.
    """
    result = {
        "reminded_60": _reminders_send(as_of=as_of, stage=1, days=REMINDER_DAYS[0]),
        "reminded_14": _reminders_send(as_of=as_of, stage=2, days=REMINDER_DAYS[1]),
    }
    with transaction.atomic():
        reason = _reason(SanctionKind.FREEZE, "reregistration")
        ids = list(
            Api.objects.filter(status=ApiStatus.ACTIVE, source=ApiSource.ISSUED, reregistration_deadline__lt=as_of)
            .select_for_update(of=("self",), no_key=True, skip_locked=True)
            .values_list("pk", flat=True)
        )
        frozen = api_sanction_bulk(ids=ids, verb="freeze", reason=reason, note=AUTO_FREEZE_NOTE, day=as_of,
                                   data={"job": "api_reregistration"})
        result["frozen"] = len(frozen)
    return result

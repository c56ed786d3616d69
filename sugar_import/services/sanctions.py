"""Sanctions of a sugar PI (PI-12, PI-13; P14 Pasal 18–21): freeze, reactivate, revoke.

One service function per transition, set-based (``PERMIT_SANCTION_MACHINE.apply_bulk``: one
compare-and-set UPDATE per source state, one batch of audit rows, the permits' own state and
INSW events through ``permit_services.permits_bulk_transition``): the scheduled job calls them
with every PI it finds, the Director General's manual revocation with the one PI it locked.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from inatrade.db import retry_on_db_conflict
from inatrade.errors import RuleViolation
from permits import services as permit_services
from sugar_import.models import (
    PERMIT_SANCTION_MACHINE,
    MonthlyReport,
    RevocationReason,
    SugarPermit,
    SugarPermitStatus,
)
from sugar_import.services import common
from sugar_import.services.common import (
    DECIDERS,
    REACTIVATION_WINDOW,
    assert_role,
    batch_notify,
    due_periods,
    report_deadline,
)

NOTICES = {"freeze": "sugar_permit_frozen", "reactivate": "sugar_permit_reactivated", "revoke": "sugar_permit_revoked"}


def missing_report(period: date) -> Q:
    """Q: the PI's validity covers ``period`` and no report for it exists."""
    last_day = period.replace(day=calendar.monthrange(period.year, period.month)[1])
    return Q(valid_from__lte=last_day, valid_until__gte=period) & ~Q(
        Exists(MonthlyReport.objects.filter(sugar_permit=OuterRef("pk"), period=period))
    )


def _earliest(qs) -> date | None:
    return qs.order_by("valid_from").values_list("valid_from", flat=True).first()


def _ids(qs) -> list[int]:
    return list(qs.values_list("pk", flat=True))


def _sanction(verb: str, permit_ids, *, reason: str, set_columns: dict, actor=None, data: dict | None = None) -> list[tuple]:
    """Move every PI of ``permit_ids`` that ``verb`` allows, with its permits/ document;
    return the changed PIs as (pk, company_id, number). Runs in the caller's transaction."""
    changed = PERMIT_SANCTION_MACHINE.apply_bulk(
        permit_ids, verb, actor=actor, reason=reason, data=data, set_columns=set_columns,
        label_column="number", company_column="company_id", extra_returning=["permit_id"],
    )
    if not changed:
        return []
    permit_services.permits_bulk_transition(permit_ids=[row["permit_id"] for row in changed], verb=verb, reason=reason)
    return [(row["id"], row["company_id"], row["label"]) for row in changed]


def sanction_notify(verb: str, changed: list[tuple], *, as_of: date, **context) -> int:
    """One notice per company for the PIs ``verb`` changed."""
    return batch_notify(changed, NOTICES[verb], {"as_of": as_of.isoformat(), **context})


def sugar_permits_freeze(*, permit_ids, period: date, actor=None) -> list[tuple]:
    """PI-12 (Pasal 18(1)): freeze for the report of ``period`` missing after its report day;
    dated the day after that day, whenever it runs, with the month to file it in."""
    frozen_on = report_deadline(period) + timedelta(days=1)
    return _sanction(
        "freeze", permit_ids, actor=actor, data={"period": f"{period:%Y-%m}"},
        reason=f"Laporan realisasi {period:%Y-%m} tidak disampaikan (Pasal 18 ayat (1)).",
        set_columns={"frozen_on": frozen_on, "frozen_period": period, "frozen_until": frozen_on + REACTIVATION_WINDOW},
    )


def sugar_permits_reactivate(*, permit_ids, actor=None) -> list[tuple]:
    """Pasal 18(2): the late report came within a month of the freeze."""
    return _sanction("reactivate", permit_ids, actor=actor, reason="Laporan realisasi telah disampaikan (Pasal 18 ayat (2)).",
                     set_columns={"frozen_on": None, "frozen_period": None, "frozen_until": None})


def sugar_permits_revoke(*, permit_ids, revoked_on: date, reason_code: str, note: str = "", actor=None) -> list[tuple]:
    """Pasal 19–20: revoked for a Pasal 19(1) reason; the company may not apply again for a
    year (Pasal 21, PI-13)."""
    label = str(RevocationReason(reason_code).label)
    return _sanction("revoke", permit_ids, actor=actor, reason=f"{label}. {note}" if note else label,
                     set_columns={"revoked_on": revoked_on, "revocation_reason": reason_code, "revocation_note": note})


def reactivate_reported(*, as_of: date, permit_ids: list[int] | None = None) -> list[tuple]:
    """Frozen PIs whose missing reports are all in now, the one the freeze was for filed
    within a month of the freeze (P14 Pasal 18(2)); notified."""
    frozen = SugarPermit.objects.filter(status=SugarPermitStatus.FROZEN)
    if permit_ids is not None:
        frozen = frozen.filter(pk__in=permit_ids)
    first = _earliest(frozen)
    if first is None:
        return []
    in_time = frozen.filter(Exists(MonthlyReport.objects.filter(
        sugar_permit=OuterRef("pk"), period=OuterRef("frozen_period"), submitted_at__date__lte=OuterRef("frozen_until"),
    )))
    for period in due_periods(as_of, first):
        in_time = in_time.exclude(missing_report(period))
    changed = sugar_permits_reactivate(permit_ids=_ids(in_time))
    sanction_notify("reactivate", changed, as_of=as_of)
    return changed


@retry_on_db_conflict
def monthly_report_freeze(*, as_of: date) -> dict:
    """Job (PI-12, P14 Pasal 18–19): reactivate frozen PIs whose late report came in time,
    freeze every active PI whose report for a month is missing after the report day, revoke
    every PI frozen for a month without it. Set-based (one SELECT and one UPDATE per state
    change and month), batched notices, INSW events through the permits outbox; safe to run
    twice or late (``--as-of``): a freeze is dated the day after the missed deadline, so a late
    run reaches the same state."""
    from sugar_import.services.surveyors import surveyor_designation_check

    with transaction.atomic():
        reactivated = reactivate_reported(as_of=as_of)
        frozen: list[tuple] = []
        active = SugarPermit.objects.filter(status=SugarPermitStatus.ACTIVE)
        first = _earliest(active)
        for period in (due_periods(as_of, first) if first else []):
            frozen += sugar_permits_freeze(permit_ids=_ids(active.filter(missing_report(period))), period=period)
        sanction_notify("freeze", frozen, as_of=as_of)
        expired = SugarPermit.objects.filter(status=SugarPermitStatus.FROZEN, frozen_until__lt=as_of)
        revoked: list[tuple] = []
        # One UPDATE per day the reactivation window closed (revoked the day after it).
        for until in expired.order_by("frozen_until").values_list("frozen_until", flat=True).distinct():
            revoked += sugar_permits_revoke(permit_ids=_ids(expired.filter(frozen_until=until)),
                                            revoked_on=until + timedelta(days=1), reason_code=RevocationReason.NO_REPORT)
        sanction_notify("revoke", revoked, as_of=as_of, reason=str(RevocationReason.NO_REPORT.label))
    surveyors = surveyor_designation_check(as_of=as_of)["surveyors_revoked"]
    return {"reactivated": len(reactivated), "frozen": len(frozen), "revoked": len(revoked), "surveyors_revoked": surveyors,
            "changed": len(reactivated) + len(frozen) + len(revoked) + surveyors}


@retry_on_db_conflict
def sugar_permit_revoke(*, sugar_permit: SugarPermit, actor, reason_code: str, note: str = "") -> SugarPermit:
    """P14 Pasal 19–20: the Director General revokes for a Pasal 19 reason, through the same
    transition as the job (``sugar_permits_revoke``). A PI already revoked is refused (409
    ``invalid_transition``)."""
    assert_role(actor, DECIDERS)
    if reason_code not in RevocationReason.values:
        raise RuleViolation(_("Alasan pencabutan tidak dikenal."), code="invalid_reason", fields={"reason_code": RevocationReason.values})
    today = common.today()
    with transaction.atomic():
        locked = PERMIT_SANCTION_MACHINE.lock(sugar_permit.pk)
        PERMIT_SANCTION_MACHINE.target("revoke", locked.status, obj=locked)
        changed = sugar_permits_revoke(permit_ids=[locked.pk], revoked_on=today, reason_code=reason_code, note=note, actor=actor)
        sanction_notify("revoke", changed, as_of=today, reason=str(RevocationReason(reason_code).label))
    sugar_permit.refresh_from_db()
    return sugar_permit

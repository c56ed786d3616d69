"""Reads of the workspace: who sees which steps, the work list (SLA-03), with a fixed
number of queries whatever the size of the list (PERF-02)."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet

from accounts.models import Role
from inatrade.workdays import WorkingCalendar, today
from workspace.models import CaseStep

SEE_EVERYTHING = (Role.ADMINISTRATOR,)


def steps_visible_to(*, user) -> QuerySet[CaseStep]:
    """Open steps an official may see and claim: those of their role (for issuer officers,
    of their issuer and Kab/Kota), plus the steps escalated to their role. The
    administrator sees all; importers none."""
    qs = CaseStep.objects.filter(finished_at__isnull=True)
    if not (user and user.is_authenticated and user.is_officer):
        return qs.none()
    if user.role in SEE_EVERYTHING:
        return qs
    mine = Q(role=user.role)
    if user.role == Role.ISSUER_OFFICER:
        scope = Q(pk__in=[])
        for membership in user.api_memberships.all():
            if membership.regency_id:
                scope |= Q(issuer_id=membership.issuer_id, regency_id=membership.regency_id)
            else:
                scope |= Q(issuer_id=membership.issuer_id)
        mine &= scope
    return qs.filter(mine | Q(escalated_at__isnull=False, step__escalation_role=user.role))


def annotate_days_left(steps: list[CaseStep], *, as_of: date | None = None) -> list[CaseStep]:
    """Set ``days_left`` (working days; negative once overdue) and ``overdue`` on each row,
    from one calendar for the whole page (no query per row)."""
    as_of = as_of or today()
    dues = [s.due_date for s in steps if s.due_date]
    calendar = WorkingCalendar.for_years(min(dues + [as_of]).year, max(dues + [as_of]).year + 1) if dues else None
    for step in steps:
        due = step.due_date
        if due is None:
            step.days_left, step.overdue = None, False
        elif as_of <= due:
            step.days_left, step.overdue = calendar.working_days_between(as_of, due), False
        else:
            step.days_left, step.overdue = -calendar.working_days_between(due, as_of), True
    return steps


def current_step_for(case, *, as_of: date | None = None) -> CaseStep | None:
    """AUD-02: the open step of a case (what it waits for, from whom, until when), with
    ``days_left`` and ``overdue``; None once decided."""
    from workspace.cases import kind_of

    step = (
        CaseStep.objects.filter(kind=kind_of(case).kind, case_id=case.pk, finished_at__isnull=True)
        .select_related("step", "assignee").first()
    )
    return annotate_days_left([step], as_of=as_of)[0] if step else None

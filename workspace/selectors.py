"""Reads of the workspace: who sees which steps, the work list (SLA-03), with a fixed
number of queries whatever the size of the list (PERF-02)."""

from __future__ import annotations

from datetime import date

from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from inatrade.workdays import today, working_days_left_many
from inatrade.errors import DomainError
from inatrade.models import SlaStep
from inatrade.registry import OFFICER_SCOPES
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
    narrow = OFFICER_SCOPES.get(user.role)  # registered by the app whose officers these are
    if narrow is not None:
        mine &= narrow.steps(user)
    # The escalation roles are on the (small) SlaStep table: a sub-select rather than a join,
    # so counting a long list does not join every row (PERF-02).
    escalated = SlaStep.objects.filter(escalation_role=user.role).values("code")
    return qs.filter(mine | Q(escalated_at__isnull=False, step_id__in=escalated))


# SLA-03, "sorted by urgency": overdue first, then the nearest due date, work without a
# legal deadline last, then the oldest. Overdue steps are those with the earliest due dates,
# so one ascending order on the due date (NULLs last) does it, and an index can serve it.
URGENCY = (F("due_date").asc(nulls_last=True), "started_at", "pk")


class InvalidFilters(DomainError):
    code = "invalid"
    status = 400
    default_message = _("Filter daftar kerja tidak valid.")


def work_list(*, user, filters: dict | None = None, as_of: date | None = None) -> QuerySet[CaseStep]:
    """The work list of ``user`` (SLA-03): the open steps they may see and claim, filtered
    (``kind``, ``step``, ``company``, ``overdue``, ``assigned=mine|unassigned``, ``q``) and
    sorted by urgency. The rows carry their step and assignee (no query per row, PERF-02)."""
    from workspace.filters import WorkListFilter

    filterset = WorkListFilter(filters or {}, queryset=steps_visible_to(user=user), user=user, as_of=as_of)
    if not filterset.is_valid():
        raise InvalidFilters(fields={k: [str(m) for m in v] for k, v in filterset.errors.items()})
    return filterset.qs.select_related("step", "assignee").order_by(*URGENCY)


def annotate_days_left(steps: list[CaseStep], *, as_of: date | None = None) -> list[CaseStep]:
    """Set ``days_left`` (working days; negative once overdue), ``overdue`` and
    ``days_overdue`` (a positive number once overdue, else None) on each row, from one
    calendar for the whole page (no query per row). Every page that says how many working
    days a case has left (or is late) reads it from here (SLA-03)."""
    as_of = as_of or today()
    for step, left in zip(steps, working_days_left_many([s.due_date for s in steps], as_of=as_of)):
        step.days_left = left
        step.overdue = bool(step.due_date and step.due_date < as_of)
        step.days_overdue = -left if step.overdue else None
    return steps


def current_step_for(case, *, as_of: date | None = None) -> CaseStep | None:
    """AUD-02: the open step of a case (what it waits for, from whom, until when), with
    ``days_left`` and ``overdue``; None once decided."""
    from workspace.cases import kind_of

    step = (
        CaseStep.objects.filter(kind=kind_of(case).code, case_id=case.pk, finished_at__isnull=True)
        .select_related("step", "assignee").first()
    )
    return annotate_days_left([step], as_of=as_of)[0] if step else None

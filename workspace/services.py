"""The SLA clock of every case and the officers' work on it (SLA-02, SLA-03).

``case_step_start`` / ``case_step_finish`` are called by the owning app inside the
transaction of the transition that opens or closes a step. ``case_step_claim`` /
``case_step_release`` let an officer take a case so two officers do not work it at once.
``sla_sweep`` is the periodic job: set-based, idempotent, correct for any ``as_of``.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import AccessStatus, Role, User
from inatrade.audit import audit_record
from inatrade.db import retry_on_db_conflict
from inatrade.errors import DomainError
from inatrade.models import SlaStep
from inatrade.registry import OFFICER_SCOPES
from inatrade.notifications import email_queue
from inatrade.workdays import WorkingCalendar, add_working_days, local_date, working_days_between
from workspace.cases import kind_of
from workspace.models import CaseStep, Outcome

ESCALATE_AFTER_WORKING_DAYS = 2  # issue 7: the director hears of a step 2 working days overdue
EMAIL_LIST_LIMIT = 50  # steps listed in one notification; the rest are counted


class StepNotOpen(DomainError):
    code = "step_not_open"
    status = 409


class NotYours(DomainError):
    code = "permission_denied"
    status = 403


def _open_step(kind: str, case_id: int):
    return CaseStep.objects.select_for_update(of=("self",), no_key=True).filter(kind=kind, case_id=case_id, finished_at__isnull=True).first()


def _close(step: CaseStep, *, outcome: str, at: datetime, step_code: str | None = None) -> None:
    if step_code and step_code != step.step_id:
        # A decision judged against another deadline (a rejection: 7 days, not 5).
        step.step_id = step_code
        step.due_date = add_working_days(step.started_at, SlaStep.objects.get(code=step_code).working_days)
    step.finished_at, step.outcome = at, outcome
    if step.due_date is not None:
        step.working_days_taken = working_days_between(step.started_at, at)
        step.late = local_date(at) > step.due_date
    step.save(update_fields=["step", "due_date", "finished_at", "outcome", "working_days_taken", "late"])


def case_step_start(*, case, step: str, started_at: datetime | None = None, assignee=None) -> date | None:
    """Open ``step`` for ``case`` (closing the step it was at) and return its due date
    (SLA-02: N working days from ``started_at``; None for work without a legal deadline).
    Must run inside the transaction of the transition."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("case_step_start must run inside the transaction of the transition")
    kind = kind_of(case)
    started_at = started_at or timezone.now()
    definition = SlaStep.objects.get(code=step)
    previous = _open_step(kind.code, case.pk)
    if previous is not None:
        _close(previous, outcome=Outcome.NEXT_STEP, at=started_at)
    info = kind.info(case)
    due = add_working_days(started_at, definition.working_days) if definition.working_days is not None else None
    CaseStep.objects.create(
        kind=kind.code, case_id=case.pk, page_arg=kind.page_arg(case), reference=info.reference,
        party_name=info.party_name[:200], party_nib=info.party_nib, company_id=info.company_id,
        step=definition, role=definition.responsible_role, issuer_id=info.issuer_id, regency_id=info.regency_id,
        started_at=started_at, due_date=due,
        assignee=assignee, assigned_at=started_at if assignee else None,
    )
    if assignee is None and previous is not None and previous.assignee_id and previous.role == definition.responsible_role:
        # The officer who claimed the case keeps it across its steps while the role is theirs.
        CaseStep.objects.filter(kind=kind.code, case_id=case.pk, finished_at__isnull=True).update(
            assignee_id=previous.assignee_id, assigned_at=previous.assigned_at
        )
    return due


def case_step_finish(*, case, outcome: str, at: datetime | None = None, step: str | None = None) -> CaseStep | None:
    """Close the open step of ``case``: decided (``approved``/``rejected``), ``returned``
    for correction (SLA-02: the clock stops; resubmission starts a new step) or
    ``withdrawn``. ``step`` re-labels the decision when another deadline applies to it
    (a rejection judged against the rejection deadline). Returns the closed step."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("case_step_finish must run inside the transaction of the transition")
    current = _open_step(kind_of(case).code, case.pk)
    if current is not None:
        _close(current, outcome=outcome, at=at or timezone.now(), step_code=step)
    return current


def _may_work(step: CaseStep, user) -> bool:
    from workspace.selectors import steps_visible_to

    return steps_visible_to(user=user).filter(pk=step.pk).exists()


@retry_on_db_conflict
def case_step_claim(*, step: CaseStep, actor) -> CaseStep:
    """Assign an open step to ``actor`` ("assign to me"). Compare-and-set: of two officers
    claiming at once, one wins and the other is told who has it."""
    if not _may_work(step, actor):
        raise NotYours(_("Perkara ini bukan bagian dari daftar kerja Anda."))
    with transaction.atomic():
        now = timezone.now()
        won = CaseStep.objects.filter(
            Q(assignee__isnull=True) | Q(assignee=actor), pk=step.pk, finished_at__isnull=True
        ).update(assignee=actor, assigned_at=now)
        current = CaseStep.objects.select_related("assignee").get(pk=step.pk)
        if not won:
            if current.finished_at is not None:
                raise StepNotOpen(_("Langkah ini sudah selesai."))
            raise StepNotOpen(
                _("Perkara ini sedang ditangani oleh %(name)s.") % {"name": current.assignee.get_full_name() or current.assignee.username},
                code="already_claimed",
            )
        audit_record(obj=current, action="case.claim", actor=actor, to_state=actor.username, company=current.company,
                     data={"reference": current.reference, "step": current.step_id})
    return current


@retry_on_db_conflict
def case_step_release(*, step: CaseStep, actor) -> CaseStep:
    """Give a claimed step back to the role's list. The assignee may; so may the
    administrator or a director (re-assignment when an officer is away)."""
    with transaction.atomic():
        current = CaseStep.objects.select_for_update(of=("self",), no_key=True).get(pk=step.pk)
        if current.finished_at is not None:
            raise StepNotOpen(_("Langkah ini sudah selesai."))
        if current.assignee_id is None:
            return current
        if current.assignee_id != actor.pk and actor.role not in (Role.ADMINISTRATOR, Role.DIRECTOR, Role.DIRECTOR_GENERAL):
            raise NotYours(_("Hanya petugas yang menangani yang dapat melepas perkara ini."))
        previous = current.assignee.username
        current.assignee, current.assigned_at = None, None
        current.save(update_fields=["assignee", "assigned_at"])
        audit_record(obj=current, action="case.release", actor=actor, from_state=previous, company=current.company,
                     data={"reference": current.reference, "step": current.step_id})
    return current


# --------------------------------------------------------------------------- the sweep (SLA-03)


def escalation_cutoff(as_of: date) -> date:
    """The latest due date that is ``ESCALATE_AFTER_WORKING_DAYS`` working days overdue on
    ``as_of`` (a step due on day D is overdue from D+1; working days counted after D)."""
    calendar = WorkingCalendar.for_years(as_of.year - 1, as_of.year)
    day = as_of - timedelta(days=1)
    while calendar.working_days_between(day, as_of) < ESCALATE_AFTER_WORKING_DAYS:
        day -= timedelta(days=1)
    return day


def _officers(roles: set[str]) -> list[User]:
    return list(
        User.objects.filter(role__in=roles, is_active=True, access_status=AccessStatus.ACTIVE)
        .exclude(email="").select_related("supervisor")
        .prefetch_related(*{name for scope in OFFICER_SCOPES.values() for name in scope.prefetch})
    )


def _responsible(step: _Marked, officers: list[User]) -> list[User]:
    if step.assignee_id:
        return [u for u in officers if u.pk == step.assignee_id] or []
    people = []
    for user in officers:
        if user.role != step.role:
            continue
        narrow = OFFICER_SCOPES.get(step.role)
        if narrow is not None and not narrow.admits(user, step):
            continue
        people.append(user)
    return people


def _mark(*, as_of: date, now) -> tuple[list[_Marked], list[_Marked]]:
    """One UPDATE: set ``overdue_notified_at`` on the open steps past their due date and
    ``escalated_at`` on those ``ESCALATE_AFTER_WORKING_DAYS`` overdue, each only if not yet
    set; then read back the rows this run marked (tagged with its batch id). A concurrent
    sweep's UPDATE waits for ours and then finds the fields set, so each step is notified,
    and escalated, by exactly one run."""
    batch, cutoff = uuid.uuid4(), escalation_cutoff(as_of)
    escalate_now = Q(escalated_at__isnull=True, due_date__lte=cutoff)
    CaseStep.objects.filter(finished_at__isnull=True, due_date__lt=as_of).filter(
        Q(overdue_notified_at__isnull=True) | escalate_now
    ).update(
        overdue_notified_at=Coalesce(F("overdue_notified_at"), Value(now)),
        escalated_at=Case(When(escalate_now, then=Value(now)), default=F("escalated_at")),
        sweep_batch=batch,
    )
    # The marked rows as plain values, not model instances (PERF-03, issue 22: at 100,000 steps
    # building CaseStep and SlaStep objects took longer than the UPDATE); their SlaStep from one
    # read of that small table.
    steps = {s.code: s for s in SlaStep.objects.all()}
    marked = [
        _Marked(row, steps)
        for row in CaseStep.objects.filter(sweep_batch=batch).order_by("due_date", "pk").values_list(*_Marked.__slots__[:-1])
    ]
    return [s for s in marked if s.overdue_notified_at == now], [s for s in marked if s.escalated_at == now]


class _Marked:
    """A step marked by this sweep: the columns the sweep, its e-mails (``step_url``) and its
    audit row read, and its ``SlaStep``."""

    __slots__ = ("pk", "kind", "page_arg", "reference", "party_name", "step_id", "role", "issuer_id", "regency_id",
                 "assignee_id", "due_date", "overdue_notified_at", "escalated_at", "step")

    def __init__(self, row, steps):
        for name, value in zip(self.__slots__, row):
            setattr(self, name, value)
        self.step = steps[self.step_id]


def _send(by_user: dict[int, dict[int, _Marked]], users: dict[int, User], *, template: str, as_of: date) -> int:
    from workspace.cases import step_url

    sent = 0
    for user_id, by_pk in by_user.items():
        user, steps = users[user_id], list(by_pk.values())
        rows = [
            {"reference": s.reference, "party": s.party_name, "step": s.step.name, "due_date": s.due_date, "url": step_url(s)}
            for s in steps[:EMAIL_LIST_LIMIT]
        ]
        email_queue(
            template=template, to=user.email, language=user.preferred_language,
            context={"name": user.get_full_name() or user.username, "steps": rows, "more": max(0, len(steps) - EMAIL_LIST_LIMIT),
                     "count": len(steps), "as_of": as_of},
        )
        sent += 1
    return sent


@retry_on_db_conflict
def sla_sweep(*, as_of: date) -> dict:
    """SLA-03: mark the steps whose due date has passed on ``as_of``, tell the responsible
    officer(s) and their supervisors once per step, and tell the escalation role once a
    step is ``ESCALATE_AFTER_WORKING_DAYS`` working days overdue. One e-mail per person per
    run, listing their steps; the number of queries does not grow with the number of steps."""
    now = timezone.now()
    with transaction.atomic():
        overdue, escalated = _mark(as_of=as_of, now=now)
        if not overdue and not escalated:
            return {"overdue": 0, "escalated": 0, "emails": 0}
        escalation_roles = {s.step.escalation_role for s in escalated if s.step.escalation_role}
        officers = _officers({s.role for s in overdue} | escalation_roles)
        users = {u.pk: u for u in officers}
        # Who hears of a step depends only on (role, assignee, issuer, regency): worked out once
        # per such group, not once per step (PERF-03).
        notify: dict[int, dict[int, _Marked]] = defaultdict(dict)
        recipients: dict[tuple, list[User]] = {}
        for step in overdue:
            key = (step.role, step.assignee_id, step.issuer_id, step.regency_id)
            if key not in recipients:
                people = _responsible(step, officers)
                recipients[key] = people + [p.supervisor for p in people if p.supervisor_id]
                for person in recipients[key]:
                    users.setdefault(person.pk, person)
            for person in recipients[key]:
                notify[person.pk][step.pk] = step
        by_role: dict[str, list[User]] = defaultdict(list)
        for person in officers:
            by_role[person.role].append(person)
        escalate: dict[int, dict[int, _Marked]] = defaultdict(dict)
        for step in escalated:
            for person in by_role.get(step.step.escalation_role, ()):
                escalate[person.pk][step.pk] = step
        emails = _send(notify, users, template="sla_overdue", as_of=as_of)
        emails += _send(escalate, users, template="sla_escalation", as_of=as_of)
        audit_record(
            action="sla.sweep", object_type="workspace.slasweep", object_id=as_of.isoformat(),
            data={"overdue": [s.reference for s in overdue[:200]], "escalated": [s.reference for s in escalated[:200]],
                  "overdue_count": len(overdue), "escalated_count": len(escalated)},
        )
    return {"overdue": len(overdue), "escalated": len(escalated), "emails": emails}

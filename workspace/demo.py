"""Demo data of the workspace: the other apps' demo cases already opened their steps through
the services, so every demo officer has a work list. This makes sure each of them sees the
two states the list is about (SLA-03): one overdue step and one claimed step.

``seed(out)`` is called by ``manage.py seed_demo`` after the apps whose cases it touches; it
is idempotent (a second run finds an overdue and a claimed step and changes nothing).
"""

from __future__ import annotations

from datetime import timedelta

DEMO_OFFICERS = ("dirjen", "direktur", "dinasdki", "uptp1")


def seed(out) -> list:
    from django.apps import apps
    from django.utils import timezone

    from accounts.models import User
    from inatrade.workdays import add_working_days, today
    from inatrade.registry import CASE_KINDS
    from workspace.models import CaseStep
    from workspace.selectors import URGENCY, steps_visible_to
    from workspace.services import case_step_claim

    for user in User.objects.filter(username__in=DEMO_OFFICERS):
        steps = list(steps_visible_to(user=user).select_related("step").order_by("started_at", "pk"))
        if not steps:
            continue
        dated = [s for s in steps if s.due_date]
        if dated and not any(s.due_date < today() for s in dated):
            # DEMO ONLY: the demo cases were all submitted today, so none is late yet. Move the
            # oldest dated step's clock back two weeks (started_at and its due date, counted
            # by the same SLA-02 rule) so the list shows an overdue case. Real steps are never
            # moved: their dates are written once by case_step_start.
            step = dated[0]
            started = timezone.now() - timedelta(days=14)
            due = add_working_days(started, step.step.working_days)
            CaseStep.objects.filter(pk=step.pk).update(started_at=started, due_date=due)
            # The case's own deadline moves with it, so every page tells the same days left.
            model = apps.get_model(CASE_KINDS[step.kind].model)
            if any(f.name == "due_date" for f in model._meta.concrete_fields):
                model.objects.filter(pk=step.case_id).update(due_date=due)
            out.write(f"  workspace: {step.reference} is overdue in {user.username}'s work list (demo clock moved back)\n")
        if not any(s.assignee_id == user.pk for s in steps):
            # Claim the least urgent unclaimed step, so the overdue one stays first and free.
            free = list(steps_visible_to(user=user).filter(assignee__isnull=True).order_by(*URGENCY))
            if len(free) > 1:
                case_step_claim(step=free[-1], actor=user)
                out.write(f"  workspace: {free[-1].reference} claimed by {user.username}\n")
    # The daily sweep (SLA-03) marks the moved steps overdue and escalates those two working
    # days late, as it would on the first night: directors' lists show escalated cases.
    from workspace.services import sla_sweep

    sla_sweep(as_of=today())
    return []

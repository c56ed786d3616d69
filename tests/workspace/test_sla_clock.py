"""SLA-02 / SLA-03: every step with a legal deadline records its due date when it starts;
the sweep marks it overdue the moment the due date passes, tells the responsible officer and
their supervisor once, and escalates at 2 working days overdue."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction

from accounts import services as accounts_services
from accounts.models import Role
from inatrade.jobs import job_run
from inatrade.models import AuditEntry, OutgoingEmail
from tests.factories import UserFactory
from workspace.models import CaseStep, Outcome
from workspace.services import case_step_finish, case_step_start, escalation_cutoff, sla_sweep

WIB = ZoneInfo("Asia/Jakarta")
pytestmark = pytest.mark.django_db

# Tue 22 Dec 2026; Thu 24 is cuti bersama, Fri 25 Christmas, then the weekend.
CHRISTMAS_WEEK = datetime(2026, 12, 22, 10, 0, tzinfo=WIB)


@pytest.fixture
def supervisor(db):
    return UserFactory(username="kasubdit", role=Role.DIRECTOR, email="kasubdit@kemendag.go.id", position="Kasubdit")


@pytest.fixture
def directors(db, supervisor):
    return [supervisor, UserFactory(username="dirjen", role=Role.DIRECTOR_GENERAL, email="dirjen@kemendag.go.id")]


def _emails(template):
    return list(OutgoingEmail.objects.filter(template=template).order_by("created_at"))


def test_it_records_the_due_date_when_the_step_starts__SLA_03(validated):
    step = CaseStep.objects.get(kind="registration", case_id=validated.pk, finished_at__isnull=True)
    assert step.step_id == "hak_akses_grant"
    assert step.role == Role.DIRECTOR
    assert step.due_date == validated.due_date is not None
    # The counter's validation step (no legal deadline) was closed when the clock started.
    validation = CaseStep.objects.get(kind="registration", case_id=validated.pk, step_id="hak_akses_validation")
    assert validation.outcome == Outcome.NEXT_STEP and validation.due_date is None


def test_it_counts_the_deadline_across_cuti_bersama_christmas_and_the_weekend__SLA_02(submitted):
    with transaction.atomic():
        due = case_step_start(case=submitted, step="hak_akses_grant", started_at=CHRISTMAS_WEEK)
    # Day 1 = Wed 23, then 24 (cuti bersama), 25 (Christmas), 26–27 (weekend) are skipped.
    assert due == date(2026, 12, 28)


def test_it_marks_overdue_exactly_when_the_due_date_passes_and_notifies_once__SLA_03(submitted, director, supervisor):
    director.supervisor = supervisor
    director.save(update_fields=["supervisor"])
    with transaction.atomic():
        case_step_start(case=submitted, step="hak_akses_grant", started_at=CHRISTMAS_WEEK)

    assert sla_sweep(as_of=date(2026, 12, 28)) == {"overdue": 0, "escalated": 0, "emails": 0}  # the due day itself
    assert not _emails("sla_overdue")

    result = sla_sweep(as_of=date(2026, 12, 29))
    assert result["overdue"] == 1 and result["escalated"] == 0
    sent = _emails("sla_overdue")
    assert sorted(e.to[0] for e in sent) == sorted([director.email, supervisor.email])
    assert submitted.reference in sent[0].body
    step = CaseStep.objects.get(kind="registration", case_id=submitted.pk, finished_at__isnull=True)
    assert step.overdue_notified_at is not None

    # Run again (same day, and the next): nobody hears of it twice.
    assert sla_sweep(as_of=date(2026, 12, 29))["emails"] == 0
    assert len(_emails("sla_overdue")) == 2


def test_it_escalates_at_two_working_days_overdue_once__SLA_03(submitted, director, directors):
    with transaction.atomic():
        case_step_start(case=submitted, step="hak_akses_grant", started_at=CHRISTMAS_WEEK)
    sla_sweep(as_of=date(2026, 12, 29))  # one working day overdue
    assert not _emails("sla_escalation")
    result = sla_sweep(as_of=date(2026, 12, 30))  # two working days overdue
    assert result["escalated"] == 1
    # hak_akses_grant escalates from the director to the Director General (SLA-04 data).
    assert [e.to for e in _emails("sla_escalation")] == [["dirjen@kemendag.go.id"]]
    assert sla_sweep(as_of=date(2026, 12, 31))["emails"] == 0


def test_the_escalation_cutoff_counts_working_days_after_the_due_date__SLA_03():
    # Due Mon 28 Dec: overdue 1 working day on Tue 29, 2 on Wed 30.
    assert escalation_cutoff(date(2026, 12, 30)) == date(2026, 12, 28)
    assert escalation_cutoff(date(2026, 12, 29)) < date(2026, 12, 28)
    # Over the new year: Fri 1 Jan is a holiday; due Wed 30 Dec is 2 overdue on Mon 4 Jan.
    assert escalation_cutoff(date(2027, 1, 4)) == date(2026, 12, 30)


def test_it_is_correct_for_a_past_day_with_as_of__SLA_03(submitted, director):
    with transaction.atomic():
        case_step_start(case=submitted, step="hak_akses_grant", started_at=CHRISTMAS_WEEK)
    job_run(name="sla_sweep", as_of=date(2026, 12, 23))
    assert not _emails("sla_overdue")
    job_run(name="sla_sweep", as_of=date(2026, 12, 29))
    assert len(_emails("sla_overdue")) == 1


def test_a_decided_step_is_never_reported_overdue__SLA_03(submitted, director):
    with transaction.atomic():
        case_step_start(case=submitted, step="hak_akses_grant", started_at=CHRISTMAS_WEEK)
        case_step_finish(case=submitted, outcome=Outcome.APPROVED, at=datetime(2026, 12, 29, 9, 0, tzinfo=WIB))
    assert sla_sweep(as_of=date(2027, 1, 4))["overdue"] == 0
    step = CaseStep.objects.get(kind="registration", case_id=submitted.pk, step_id="hak_akses_grant")
    assert step.late is True and step.working_days_taken == 3


def test_the_sweep_writes_one_audit_row_per_run_that_changed_something__AUD_01(submitted, director):
    with transaction.atomic():
        case_step_start(case=submitted, step="hak_akses_grant", started_at=CHRISTMAS_WEEK)
    before = AuditEntry.objects.filter(action="sla.sweep").count()
    sla_sweep(as_of=date(2026, 12, 29))
    sla_sweep(as_of=date(2026, 12, 29))
    assert AuditEntry.objects.filter(action="sla.sweep").count() == before + 1


def test_approval_closes_the_step_on_time__SLA_05(validated, director):
    accounts_services.registration_approve(registration=validated, actor=director)
    step = CaseStep.objects.get(kind="registration", case_id=validated.pk, step_id="hak_akses_grant")
    assert step.outcome == Outcome.APPROVED and step.late is False and step.working_days_taken == 0
    assert not CaseStep.objects.filter(kind="registration", case_id=validated.pk, finished_at__isnull=True).exists()


def test_the_field_verifier_is_assigned_the_step_they_were_given__SLA_03(submitted, director, field_verifier):
    accounts_services.registration_assign_field_verifier(registration=submitted, actor=director, verifier=field_verifier)
    step = CaseStep.objects.get(kind="registration", case_id=submitted.pk, finished_at__isnull=True)
    assert step.step_id == "hak_akses_field_verification" and step.assignee == field_verifier


def test_one_case_never_has_two_open_steps(submitted):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError), transaction.atomic():
        CaseStep.objects.create(
            kind="registration", case_id=submitted.pk, page_arg=str(submitted.pk), reference=submitted.reference,
            party_name="x", step_id="hak_akses_grant", role=Role.DIRECTOR, started_at=CHRISTMAS_WEEK,
        )

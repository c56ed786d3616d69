"""api.md "Scheduled jobs": every job name runs from beat and from run_job --as-of."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from inatrade.jobs import JOBS
from inatrade.models import OutgoingEmail
from inatrade.schedule import BEAT_SCHEDULE
from inatrade.tasks import run_scheduled_job

pytestmark = pytest.mark.django_db

API_MD_JOBS = {
    "sla_sweep",
    "inactivity_revocation",
    "monthly_report_reminders",
    "monthly_report_freeze",
    "api_reregistration",
    "quarterly_report_check",
    "insw_outbox_deliver",
}


def test_every_job_of_api_md_is_registered_and_scheduled():
    assert API_MD_JOBS <= set(JOBS)
    scheduled = {entry["args"][0] for entry in BEAT_SCHEDULE.values()}
    assert set(JOBS) == scheduled
    assert all(entry["task"] == "inatrade.run_scheduled_job" for entry in BEAT_SCHEDULE.values())


@pytest.mark.parametrize("name", sorted(API_MD_JOBS))
def test_run_job_runs_each_job_as_of_a_day_and_prints_its_summary(name, capsys):
    call_command("run_job", name, "--as-of", "2026-03-16")
    out = capsys.readouterr().out
    assert out.startswith(f"{name}: ")


def test_run_job_refuses_an_unknown_job_and_a_bad_date():
    with pytest.raises(CommandError):
        call_command("run_job", "no_such_job")
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("run_job", "sla_sweep", "--as-of", "16/03/2026")


def test_run_job_help_lists_every_job(capsys):
    from inatrade.management.commands.run_job import Command

    help_text = Command().create_parser("manage.py", "run_job").format_help()
    for name in JOBS:
        assert name in help_text


def test_the_email_outbox_job_retries_a_pending_email_and_is_idempotent(capsys):
    message = OutgoingEmail.objects.create(
        template="password_changed", to=["siti@contoh.co.id"], subject="Uji", body="Isi",
        next_attempt_at=timezone.now() - timedelta(minutes=1),
    )
    call_command("run_job", "email_outbox_deliver")
    call_command("run_job", "email_outbox_deliver")
    out = capsys.readouterr().out
    assert "sent=1" in out and "sent=0" in out
    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert message.state == OutgoingEmail.State.SENT


def test_the_celery_task_runs_the_same_job():
    assert run_scheduled_job.apply(args=["email_outbox_deliver", "2026-03-16"]).get() == {"sent": 0}

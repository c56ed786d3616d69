"""Issue 18: a rule's constants live in one place and are rendered everywhere (PI-11, PI-12,
AUD-03), and the sugar timelines read audit rows written before and after the rename of the
actions to ``<object>.<verb>`` (AUD-02)."""

from datetime import date

import pytest

from inatrade.audit import audit_record
from inatrade.models import OutgoingEmail
from permits.models import PermitStatus
from sugar_import import selectors, services
from sugar_import.models import SugarPermitStatus
from tests.sugar_import.test_reports_and_sanctions import issued, run, state  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def report_day_20(settings):
    """The report day moved from the 15th (P14 Pasal 16(2)) to the 20th."""
    settings.SUGAR_REPORT_DAY = 20
    return 20


def test_a_changed_report_day_shows_in_the_conditions_the_emails_the_page_and_the_jobs__PI_11_PI_12_AUD_03(
        report_day_20, issued, owner, client):
    # The permit conditions of the letter.
    conditions = " ".join(issued.permit.content["conditions"])
    assert "paling lambat tanggal 20 bulan berikutnya" in conditions and "tanggal 15" not in conditions
    # The issue e-mail.
    issued_mail = OutgoingEmail.objects.get(template="sugar_permit_issued").body
    assert "paling lambat tanggal 20 bulan berikutnya" in issued_mail
    # The reminder window follows the report day: it opens 5 days before it (the 15th), not on a fixed day.
    assert services.reminder_day() == 20 - services.REMINDER_LEAD_DAYS == 15
    run("monthly_report_reminders", date(2026, 2, 14))
    assert not OutgoingEmail.objects.filter(template="sugar_report_reminder").exists()
    run("monthly_report_reminders", date(2026, 2, 16))
    reminder = OutgoingEmail.objects.get(template="sugar_report_reminder").body
    assert "2026-02-20" in reminder and issued.number in reminder
    # The freeze job: the 20th is still in time, the 21st is not; the frozen e-mail names the day.
    run("monthly_report_freeze", date(2026, 2, 20))
    assert state(issued) == (SugarPermitStatus.ACTIVE, PermitStatus.VALID)
    run("monthly_report_freeze", date(2026, 2, 21))
    assert state(issued) == (SugarPermitStatus.FROZEN, PermitStatus.FROZEN) and issued.frozen_on == date(2026, 2, 21)
    assert "sampai tanggal 20 (Pasal 18" in OutgoingEmail.objects.get(template="sugar_permit_frozen").body
    # The page of the PI.
    client.force_login(owner)
    page = client.get(f"/sugar/permits/{issued.number}/").content.decode()
    assert "paling lambat tanggal 20 bulan berikutnya" in page


def test_the_surveyor_deadline_does_not_follow_the_importers_report_day__PI_14(report_day_20):
    assert services.report_deadline(date(2026, 1, 1)) == date(2026, 2, 20)
    assert services.surveyor_report_deadline(date(2026, 1, 1)) == date(2026, 2, services.SURVEYOR_REPORT_DAY)


def test_the_timeline_reads_rows_written_before_and_after_the_rename__AUD_02(submitted, counter_officer):
    # A row written before issue 18 (old name) and one written now (``<object>.<verb>``).
    audit_record(obj=submitted, action="sugar_application_return", actor=counter_officer, from_state="submitted",
                 to_state="returned", company=submitted.company)
    services.sugar_application_return(application=submitted, actor=counter_officer, reason="Lampiran kurang jelas")
    steps = selectors.application_timeline(submitted)["steps"]
    pairs = [(step["action"], step["label"]) for step in steps]
    assert pairs[-2:] == [("sugar_application_return", "Dikembalikan untuk perbaikan"),
                          ("sugar_application.return", "Dikembalikan untuk perbaikan")]
    assert pairs[0] == ("sugar_application.create", "Draf dibuat") and pairs[1] == ("sugar_application.submit", "Diajukan, diterima lengkap")

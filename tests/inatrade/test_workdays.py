"""SLA-01, SLA-02, SLA-04: the working-day calendar and the SLA clock."""

from datetime import date, datetime, timedelta, timezone as dt_timezone

import pytest

from inatrade.models import HolidayOverride, SlaStep
from inatrade.workdays import (
    WorkingCalendar,
    add_working_days,
    is_working_day,
    sla_due_date,
    working_days_between,
    working_days_left,
)

pytestmark = pytest.mark.django_db


def test_it_skips_weekends__SLA_01():
    # Thursday 2026-11-19 + 2 working days: Friday, (weekend), Monday.
    assert add_working_days(date(2026, 11, 19), 2) == date(2026, 11, 23)
    assert not is_working_day(date(2026, 11, 21))  # Saturday
    assert not is_working_day(date(2026, 11, 22))  # Sunday


def test_it_skips_national_holidays_and_cuti_bersama__SLA_01():
    # 2026-12-24 is cuti bersama (government category), 2026-12-25 Christmas.
    assert not is_working_day(date(2026, 12, 24))
    assert not is_working_day(date(2026, 12, 25))
    assert add_working_days(date(2026, 12, 23), 2) == date(2026, 12, 29)


def test_it_counts_across_lebaran__SLA_01():
    # 18-24 March 2026: Nyepi, its cuti bersama, Idul Fitri and its cuti bersama.
    assert add_working_days(date(2026, 3, 17), 3) == date(2026, 3, 27)


def test_it_counts_across_the_year_end__SLA_01():
    # 31 Dec 2026 (Thu) is day 1; 1 Jan 2027 is New Year; Monday 4 Jan is day 2.
    assert add_working_days(date(2026, 12, 30), 2) == date(2027, 1, 4)


def test_an_event_on_a_saturday_counts_from_monday__SLA_02():
    assert add_working_days(date(2026, 11, 21), 2) == date(2026, 11, 25)


def test_an_event_on_a_holiday_counts_from_the_next_working_day__SLA_02():
    # 17 August 2026 (Monday) is Independence Day.
    assert add_working_days(date(2026, 8, 17), 3) == date(2026, 8, 21)


def test_the_date_is_taken_in_jakarta__SLA_02():
    # Friday 20 Nov 2026 18:00 UTC is already Saturday 01:00 in Jakarta.
    event = datetime(2026, 11, 20, 18, 0, tzinfo=dt_timezone.utc)
    assert add_working_days(event, 2) == date(2026, 11, 25)


def test_an_added_cuti_bersama_from_the_admin_table_is_skipped__SLA_01():
    HolidayOverride.objects.create(
        date=date(2026, 11, 24), kind=HolidayOverride.Kind.ADD, name="Cuti bersama tambahan", source="SKB uji"
    )
    assert not is_working_day(date(2026, 11, 24))
    assert add_working_days(date(2026, 11, 21), 2) == date(2026, 11, 26)


def test_a_removed_holiday_from_the_admin_table_is_a_working_day_again__SLA_01():
    HolidayOverride.objects.create(
        date=date(2026, 12, 24), kind=HolidayOverride.Kind.REMOVE, name="Cuti bersama dibatalkan", source="SKB revisi"
    )
    assert is_working_day(date(2026, 12, 24))
    assert add_working_days(date(2026, 12, 23), 2) == date(2026, 12, 28)


def test_working_days_between_is_the_inverse_of_adding__SLA_02():
    calendar = WorkingCalendar.for_years(2025, 2027)
    start = date(2025, 12, 1)
    for offset in range(0, 400, 3):
        day = start + timedelta(days=offset)
        for n in (0, 1, 2, 3, 5, 7, 30):
            assert calendar.working_days_between(day, calendar.add_working_days(day, n)) == n, (day, n)


def test_working_days_between_counts_an_end_on_a_weekend_as_the_next_working_day__SLA_05():
    assert working_days_between(date(2026, 11, 16), date(2026, 11, 21)) == 5  # Mon → Sat
    assert working_days_between(date(2026, 11, 16), date(2026, 11, 16)) == 0


def test_the_deadline_table_is_data_with_sources__SLA_04():
    steps = {s.code: s for s in SlaStep.objects.all()}
    assert steps["hak_akses_grant"].working_days == 2
    assert steps["hak_akses_grant"].source == "P123 Pasal 6(4)"
    assert steps["sugar_pi_decision"].working_days == 3
    assert steps["api_inspection_province"].working_days == 7
    # The twelve legal deadlines of SLA-04, and the four steps officers work on without one.
    assert len([s for s in steps.values() if s.working_days is not None]) == 12
    assert {code for code, s in steps.items() if s.working_days is None} == {
        "hak_akses_validation", "hak_akses_field_verification", "hak_akses_decision", "api_issue",
    }
    assert all(s.responsible_role for s in steps.values())


def test_a_changed_deadline_in_the_table_changes_the_due_date__SLA_04():
    assert sla_due_date("sugar_pi_decision", date(2026, 11, 16)) == date(2026, 11, 19)
    SlaStep.objects.filter(code="sugar_pi_decision").update(working_days=5)
    assert sla_due_date("sugar_pi_decision", date(2026, 11, 16)) == date(2026, 11, 23)


def test_days_left_counts_down_to_zero_and_then_negative__SLA_03():
    due = date(2026, 11, 25)  # Wednesday
    assert working_days_left(due, as_of=date(2026, 11, 23)) == 2
    assert working_days_left(due, as_of=due) == 0
    assert working_days_left(due, as_of=date(2026, 11, 26)) == -1
    assert working_days_left(due, as_of=date(2026, 11, 30)) == -3  # Thu, Fri, Mon

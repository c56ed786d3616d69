"""The working-day calendar and the SLA clock (SLA-01, SLA-02, SLA-04).

A working day (hari kerja) is Monday to Friday, less Indonesian national holidays and cuti
bersama. Holidays come from the ``holidays`` package (Indonesia, categories *public* and
*government*; the latter holds the cuti bersama), corrected by the admin-editable
``HolidayOverride`` table for decrees the package does not know yet.

A deadline of N working days counted from an event on day D is the end of the Nth working
day after D; an event on a non-working day counts from the next working day (SLA-02). So an
event on Monday with N=2 is due at the end of Wednesday, and an event on Saturday with N=2 is
also due at the end of Wednesday. Deadlines are dates in Asia/Jakarta: a step is overdue from
the first moment of the day after its due date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import holidays as holidays_lib
from django.utils import timezone

from inatrade.models import HolidayOverride, SlaStep

# Python's weekday(): Saturday is 5, Sunday is 6.
_WEEKEND = {5, 6}


def local_date(value: date | datetime) -> date:
    """The calendar date of ``value`` in Asia/Jakarta (dates pass through)."""
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date()
    return value


def today() -> date:
    return timezone.localdate()


@dataclass
class WorkingCalendar:
    """The non-working days of a span of years, loaded once (one query for the overrides)."""

    first_year: int
    last_year: int
    _closed: dict[date, str]

    @classmethod
    def for_years(cls, first_year: int, last_year: int) -> "WorkingCalendar":
        years = range(first_year, last_year + 1)
        closed: dict[date, str] = dict(
            holidays_lib.country_holidays(
                "ID", years=years, categories=("public", "government"), language="id"
            ).items()
        )
        for override in HolidayOverride.objects.filter(date__year__gte=first_year, date__year__lte=last_year):
            if override.kind == HolidayOverride.Kind.ADD:
                closed[override.date] = override.name
            else:
                closed.pop(override.date, None)
        return cls(first_year, last_year, closed)

    @classmethod
    def around(cls, day: date, span_days: int = 0) -> "WorkingCalendar":
        """A calendar covering ``day`` and enough of the following year for any SLA."""
        end = day + timedelta(days=max(span_days, 0) * 2 + 60)
        return cls.for_years(day.year - 1 if span_days < 0 else day.year, end.year)

    def _ensure(self, day: date) -> None:
        if day.year < self.first_year or day.year > self.last_year:
            other = WorkingCalendar.for_years(min(day.year, self.first_year), max(day.year, self.last_year))
            self.first_year, self.last_year, self._closed = other.first_year, other.last_year, other._closed

    def holiday_name(self, day: date) -> str | None:
        self._ensure(day)
        return self._closed.get(day)

    def is_working_day(self, day: date) -> bool:
        self._ensure(day)
        return day.weekday() not in _WEEKEND and day not in self._closed

    def next_working_day(self, day: date) -> date:
        """``day`` itself when it is a working day, else the first working day after it."""
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def add_working_days(self, start: date | datetime, days: int) -> date:
        """The Nth working day after ``start`` (SLA-02). ``days`` = 0 gives the start itself,
        moved to the next working day when it is not one."""
        if days < 0:
            raise ValueError("days must be zero or more")
        current = self.next_working_day(local_date(start))
        remaining = days
        while remaining:
            current += timedelta(days=1)
            if self.is_working_day(current):
                remaining -= 1
        return current

    def working_days_between(self, start: date | datetime, end: date | datetime) -> int:
        """Working days from ``start`` to ``end``: the N for which ``add_working_days(start, N)``
        is the first working day on or after ``end``. Zero when ``end`` is on or before the
        (normalised) start day. Used for "time taken" in the SLA report (SLA-05)."""
        origin = self.next_working_day(local_date(start))
        stop = local_date(end)
        count = 0
        day = origin
        while day < stop:
            day += timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        if stop > origin and not self.is_working_day(stop):
            # An end on a non-working day counts as the next working day.
            count += 1
        return count


def is_working_day(day: date) -> bool:
    return WorkingCalendar.for_years(day.year, day.year).is_working_day(day)


def add_working_days(start: date | datetime, days: int) -> date:
    start_day = local_date(start)
    return WorkingCalendar.around(start_day, days).add_working_days(start_day, days)


def working_days_between(start: date | datetime, end: date | datetime) -> int:
    first, last = local_date(start), local_date(end)
    return WorkingCalendar.for_years(min(first, last).year, max(first, last).year + 1).working_days_between(
        first, last
    )


class UnknownSlaStep(LookupError):
    pass


def sla_days(step_code: str) -> int:
    """The working days allowed for a step, from the SLA-04 table (admin-editable data)."""
    try:
        days = SlaStep.objects.values_list("working_days", flat=True).get(code=step_code)
    except SlaStep.DoesNotExist as exc:
        raise UnknownSlaStep(step_code) from exc
    if days is None:
        raise UnknownSlaStep(f"{step_code} has no legal deadline")
    return days


def sla_due_date(step_code: str, started: date | datetime) -> date:
    """SLA-02/SLA-04: the due date of ``step_code`` when its clock starts at ``started``."""
    return add_working_days(started, sla_days(step_code))


def working_days_left(due: date, as_of: date | None = None) -> int:
    """Working days from ``as_of`` (today) to ``due``: positive while time remains, 0 on the
    due date, negative once overdue (counted in working days past it)."""
    as_of = as_of or today()
    if as_of <= due:
        return working_days_between(as_of, due) if as_of < due else 0
    return -working_days_between(due, as_of)


def working_days_left_many(dues: list, as_of: date | None = None) -> list:
    """``working_days_left`` of many due dates (None stays None), from one calendar: the one
    answer every list and page gives to "how many working days are left" (SLA-03)."""
    as_of = as_of or today()
    known = [d for d in dues if d]
    if not known:
        return [None] * len(dues)
    calendar = WorkingCalendar.for_years(min(known + [as_of]).year, max(known + [as_of]).year + 1)
    return [
        None if due is None else calendar.working_days_between(as_of, due) if as_of <= due
        else -calendar.working_days_between(due, as_of)
        for due in dues
    ]


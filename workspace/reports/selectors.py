"""Reads of the SLA report (SLA-05) and the director's dashboard, each in a fixed number of
queries whatever the number of steps or permits (aggregation in the database; the median by
``percentile_cont`` on PostgreSQL, from one grouped ``values_list`` elsewhere)."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from inatrade.i18n import in_language
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import Aggregate, Count, FloatField, Max, Q
from django.db.models.functions import TruncDate, TruncMonth

from inatrade.models import SlaStep
from inatrade.registry import DASHBOARD_PANELS, DASHBOARD_SERIES
from inatrade.workdays import WorkingCalendar, today
from workspace.models import CaseStep, Outcome

WIB = ZoneInfo("Asia/Jakarta")

# A step counts as decided when the official acted on it: a decision, or passing the case on.
# Sent back for correction (the clock stops, SLA-02) or withdrawn is not a decision.
DECIDED = (Outcome.APPROVED, Outcome.REJECTED, Outcome.NEXT_STEP)

# Age of an open case, in working days since its step started.
AGE_BUCKETS = ((0, 2, "0–2"), (3, 5, "3–5"), (6, 10, "6–10"), (11, None, "> 10"))


class Median(Aggregate):
    """PostgreSQL's ``percentile_cont(0.5) WITHIN GROUP (ORDER BY …)``."""

    function = "percentile_cont"
    allow_distinct = False
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


@dataclass
class SlaRow:
    step_code: str
    step_name: str
    deadline_days: int
    month: date
    on_time: int
    late: int
    median: float | None
    worst: int | None

    @property
    def total(self) -> int:
        return self.on_time + self.late

    @property
    def on_time_percent(self) -> float | None:
        return round(100 * self.on_time / self.total, 1) if self.total else None


@dataclass
class SlaReport:
    year: int
    rows: list[SlaRow] = field(default_factory=list)

    def months(self) -> list[dict]:
        """Per month, all steps together: the chart's series."""
        totals: dict[date, list[int]] = {date(self.year, m, 1): [0, 0] for m in range(1, 13)}
        for row in self.rows:
            totals[row.month][0] += row.on_time
            totals[row.month][1] += row.late
        return [{"month": month, "on_time": v[0], "late": v[1]} for month, v in sorted(totals.items())]


def _decided(*, year: int, step: str | None = None, kind: str | None = None):
    start = date(year, 1, 1)
    qs = CaseStep.objects.filter(
        due_date__isnull=False, finished_at__isnull=False, outcome__in=DECIDED, working_days_taken__isnull=False,
        finished_at__gte=_aware(start), finished_at__lt=_aware(date(year + 1, 1, 1)),
    )
    if step:
        qs = qs.filter(step_id=step)
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def _aware(day: date):
    from datetime import datetime, time

    return datetime.combine(day, time.min, tzinfo=WIB)


def sla_report(*, year: int, step: str | None = None, kind: str | None = None) -> SlaReport:
    """SLA-05: per step with a legal deadline and per month of the decision (Asia/Jakarta),
    how many were decided on time and late, the median and the worst working days taken.
    Two queries on PostgreSQL, three elsewhere, whatever the number of steps."""
    qs = _decided(year=year, step=step, kind=kind).annotate(month=TruncMonth("finished_at", tzinfo=WIB))
    aggregates = {
        "on_time": Count("pk", filter=Q(late=False)),
        "late_count": Count("pk", filter=Q(late=True)),
        "worst": Max("working_days_taken"),
    }
    postgres = connection.vendor == "postgresql"
    if postgres:
        aggregates["median"] = Median("working_days_taken")
    grouped = list(qs.values("step_id", "month").annotate(**aggregates).order_by("step_id", "month"))
    if not postgres:
        taken: dict[tuple, list[int]] = defaultdict(list)
        for step_id, month, days in qs.values_list("step_id", "month", "working_days_taken"):
            taken[(step_id, month)].append(days)
        for g in grouped:
            g["median"] = statistics.median(taken[(g["step_id"], g["month"])])
    names = {s.code: s for s in SlaStep.objects.filter(code__in={g["step_id"] for g in grouped})} if grouped else {}
    report = SlaReport(year=year)
    for g in grouped:
        definition = names[g["step_id"]]
        month = g["month"]
        month = month.date() if hasattr(month, "date") else month
        report.rows.append(SlaRow(
            step_code=g["step_id"], step_name=definition.label, deadline_days=definition.working_days,
            month=month.replace(day=1), on_time=g["on_time"], late=g["late_count"],
            median=float(g["median"]) if g["median"] is not None else None, worst=g["worst"],
        ))
    return report


def sla_steps_with_deadline() -> list[SlaStep]:
    return list(SlaStep.objects.filter(working_days__isnull=False).order_by("name"))


# --------------------------------------------------------------------------- the dashboard


def _bucket(days: int) -> int:
    for index, (low, high, _label) in enumerate(AGE_BUCKETS):
        if days >= low and (high is None or days <= high):
            return index
    return len(AGE_BUCKETS) - 1


def open_steps_by_age(*, as_of: date | None = None) -> list[dict]:
    """Open cases per step, in age buckets of working days since the step started; and how
    many are overdue. One query, grouped by step and day started (ages from one calendar)."""
    as_of = as_of or today()
    rows = list(
        CaseStep.objects.filter(finished_at__isnull=True)
        .annotate(started_on=TruncDate("started_at", tzinfo=WIB))
        .values("step_id", "step__name", "step__name_en", "started_on")
        .annotate(n=Count("pk"), overdue=Count("pk", filter=Q(due_date__lt=as_of)))
        .order_by("step__name", "started_on")
    )
    if not rows:
        return []
    first = min(r["started_on"] for r in rows)
    calendar = WorkingCalendar.for_years(min(first.year, as_of.year), as_of.year)
    by_step: dict[str, dict] = {}
    for r in rows:
        entry = by_step.setdefault(r["step_id"], {"code": r["step_id"], "name": r["step__name"],
                                                  "label": in_language(r["step__name"], r["step__name_en"]),
                                                  "buckets": [0] * len(AGE_BUCKETS), "total": 0, "overdue": 0})
        age = calendar.working_days_between(r["started_on"], as_of) if r["started_on"] < as_of else 0
        entry["buckets"][_bucket(age)] += r["n"]
        entry["total"] += r["n"]
        entry["overdue"] += r["overdue"]
    return list(by_step.values())


def dashboard_series() -> list:
    return sorted(DASHBOARD_SERIES.values(), key=lambda s: (s.order, s.key))


def dashboard_panels() -> list:
    return sorted(DASHBOARD_PANELS.values(), key=lambda p: (p.order, p.key))


def permits_issued_by_month(*, year: int) -> list[dict]:
    """Per month of ``year``, the permits issued of each registered series (the sugar PIs,
    the APIs, ...: ``inatrade.registry.dashboard_series``), one grouped query per series.
    Each row has ``month``, a count under each series' key, and ``counts`` in series order."""
    series = dashboard_series()
    months = {date(year, m, 1): {"month": date(year, m, 1), **{s.key: 0 for s in series}} for m in range(1, 13)}
    for s in series:
        for month, n in s.monthly(year).items():
            months[month.replace(day=1)][s.key] += n
    rows = list(months.values())
    for row in rows:
        row["counts"] = [row[s.key] for s in series]
    return rows


def monthly_counts(queryset, *, year: int, field: str = "issued_on") -> dict:
    """``{first of month: n}`` of ``queryset`` by the date ``field`` in ``year``: the one query a
    dashboard series usually is."""
    grouped = (queryset.filter(**{f"{field}__year": year}).annotate(month=TruncMonth(field))
               .values("month").annotate(n=Count("pk")).order_by())
    return {g["month"]: g["n"] for g in grouped}


def director_dashboard(*, year: int, as_of: date | None = None) -> dict:
    open_steps = open_steps_by_age(as_of=as_of)
    return {
        "year": year,
        "age_buckets": [label for _l, _h, label in AGE_BUCKETS],
        "open_steps": open_steps,
        "open_total": sum(s["total"] for s in open_steps),
        "overdue_total": sum(s["overdue"] for s in open_steps),
        "series": dashboard_series(),
        "permits": permits_issued_by_month(year=year),
        # Each registered panel's data under its key (the sugar quota panel: "quota").
        **{panel.key: panel.data(year) for panel in dashboard_panels()},
    }

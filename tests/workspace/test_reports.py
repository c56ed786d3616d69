"""SLA-05: the SLA report (per step and month of the decision: on time, late, median and worst
working days), its CSV/XLSX exports and API; the director's dashboard; who may see them; and a
number of queries that does not grow with the rows (PERF-02 habit)."""

import csv
import math
import re
import io
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from accounts.models import Role
from tests.conftest import token_client
from tests.factories import UserFactory
from tests.workspace import bulk
from workspace.models import CaseStep, Outcome
from workspace.reports import selectors

WIB = ZoneInfo("Asia/Jakarta")
pytestmark = pytest.mark.django_db
_seq = iter(range(1, 10_000_000))


def step(*, code="hak_akses_grant", started, finished=None, due=None, taken=None, late=None, outcome=Outcome.APPROVED,
         kind="registration"):
    n = next(_seq)
    return CaseStep(
        kind=kind, case_id=n, page_arg=str(n), reference=f"REG-{n:05d}", party_name="PT Uji", step_id=code,
        role=Role.DIRECTOR, started_at=started, due_date=due, finished_at=finished,
        outcome=outcome if finished else "", working_days_taken=taken if finished else None, late=late if finished else None,
    )


def at(y, m, d, h=10):
    return datetime(y, m, d, h, 0, tzinfo=WIB)


@pytest.fixture
def known_steps(db):
    """hak_akses_grant (2 working days): January 2026 takes 1, 2 and 5 days (one late);
    February takes 3 and 4 (both late), one decided at 03:00 WIB on 1 Feb (still 31 Jan in UTC).
    Noise that must not count: a returned step, a step without a deadline, another year, an open step."""
    rows = [
        step(started=at(2026, 1, 5), finished=at(2026, 1, 6), due=date(2026, 1, 7), taken=1, late=False),
        step(started=at(2026, 1, 12), finished=at(2026, 1, 14), due=date(2026, 1, 14), taken=2, late=False),
        step(started=at(2026, 1, 19), finished=at(2026, 1, 26), due=date(2026, 1, 21), taken=5, late=True),
        step(started=at(2026, 1, 27), finished=datetime(2026, 1, 31, 20, 0, tzinfo=ZoneInfo("UTC")), due=date(2026, 1, 29),
             taken=4, late=True),
        step(started=at(2026, 2, 2), finished=at(2026, 2, 5), due=date(2026, 2, 4), taken=3, late=True),
        step(started=at(2026, 1, 5), finished=at(2026, 1, 20), due=date(2026, 1, 7), taken=10, late=True, outcome=Outcome.RETURNED),
        step(code="hak_akses_validation", started=at(2026, 1, 5), finished=at(2026, 1, 9), taken=4, late=None),
        step(started=at(2025, 12, 1), finished=at(2025, 12, 10), due=date(2025, 12, 3), taken=7, late=True),
        step(started=at(2026, 2, 9), due=date(2026, 2, 11)),
        step(code="sugar_pi_decision", kind="sugar_application", started=at(2026, 3, 2), finished=at(2026, 3, 4),
             due=date(2026, 3, 5), taken=2, late=False),
    ]
    return CaseStep.objects.bulk_create(rows)


def _rows(report):
    return {(r.step_code, r.month.strftime("%Y-%m")): r for r in report.rows}


def test_it_counts_on_time_late_median_and_worst_per_step_and_month__SLA_05(known_steps):
    rows = _rows(selectors.sla_report(year=2026))
    assert set(rows) == {("hak_akses_grant", "2026-01"), ("hak_akses_grant", "2026-02"), ("sugar_pi_decision", "2026-03")}
    jan, feb, march = rows[("hak_akses_grant", "2026-01")], rows[("hak_akses_grant", "2026-02")], rows[("sugar_pi_decision", "2026-03")]
    assert (jan.on_time, jan.late, jan.median, jan.worst) == (2, 1, 2.0, 5)
    # The decision at 03:00 WIB on 1 February belongs to February (Asia/Jakarta), not January.
    assert (feb.on_time, feb.late, feb.median, feb.worst) == (0, 2, 3.5, 4)
    assert (march.on_time, march.late, march.median, march.worst, march.deadline_days) == (1, 0, 2.0, 2, 3)


def test_it_filters_by_step_kind_and_year__SLA_05(known_steps):
    assert {r.step_code for r in selectors.sla_report(year=2026, step="sugar_pi_decision").rows} == {"sugar_pi_decision"}
    assert {r.step_code for r in selectors.sla_report(year=2026, kind="registration").rows} == {"hak_akses_grant"}
    december = selectors.sla_report(year=2025).rows
    assert [(r.month, r.late, r.worst) for r in december] == [(date(2025, 12, 1), 1, 7)]


def test_it_shows_the_report_with_chart_and_table_to_officers__SLA_05(client, known_steps):
    client.force_login(UserFactory(username="uptp", role=Role.COUNTER_OFFICER))
    response = client.get("/work/reports/sla/?year=2026")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="sla-chart"' in html and html.count('class="bar"') == 24  # 12 months × on time / late
    assert 'data-value="2"' in html  # January's two on-time decisions
    table = html[html.index('id="sla-table"'):]
    assert "Januari 2026" in table and "Februari 2026" in table


def test_it_exports_the_same_table_as_csv__SLA_05(client, director, known_steps):
    client.force_login(director)
    response = client.get("/work/reports/sla/export.csv?year=2026&step=hak_akses_grant")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert lines[0][0] == "Kode langkah"
    assert [line[0] for line in lines[1:]] == ["hak_akses_grant", "hak_akses_grant"]
    assert [line[3:] for line in lines[1:]] == [["2026-01", "2", "1", "3", "2.0", "5"], ["2026-02", "0", "2", "2", "3.5", "4"]]


def test_it_exports_the_same_table_as_xlsx__SLA_05(client, director, known_steps):
    client.force_login(director)
    response = client.get("/work/reports/sla/export.xlsx?year=2026")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="laporan-sla-2026.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0][:4] == ["Kode langkah", "Langkah", "Batas waktu (hari kerja)", "Bulan"]
    assert [row[0] for row in values[1:]] == ["hak_akses_grant", "hak_akses_grant", "sugar_pi_decision"]
    assert values[1][2:] == [2, "2026-01", 2, 1, 3, 2, 5]
    assert values[2][2:] == [2, "2026-02", 0, 2, 2, 3.5, 4]


def test_it_serves_the_figures_through_the_api__SLA_05(director, known_steps):
    response = token_client(director).get("/api/v1/reports/sla/?year=2026&step=hak_akses_grant")
    assert response.status_code == 200
    body = response.json()
    assert body["year"] == 2026
    assert body["results"][0] == {
        "step": "hak_akses_grant", "step_name": body["results"][0]["step_name"], "deadline_working_days": 2,
        "month": "2026-01", "on_time": 2, "late": 1, "total": 3, "median_working_days": 2.0, "worst_working_days": 5,
    }
    assert token_client(director).get("/api/v1/reports/sla/?year=abc").status_code == 400


def test_it_refuses_importers_and_sends_anonymous_to_login__SLA_05(client, owner):
    for url in ("/work/reports/sla/", "/work/reports/sla/export.csv", "/work/reports/sla/export.xlsx", "/work/dashboard/"):
        anonymous = client.get(url)
        assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    client.force_login(owner)
    for url in ("/work/reports/sla/", "/work/reports/sla/export.csv", "/work/dashboard/"):
        assert client.get(url).status_code == 403
    assert token_client(owner).get("/api/v1/reports/sla/").status_code == 403


def test_it_keeps_the_dashboard_to_directors_and_administrators(client, counter_officer, director, administrator):
    client.force_login(counter_officer)
    assert client.get("/work/dashboard/").status_code == 403
    for user in (director, administrator, UserFactory(username="dirjen", role=Role.DIRECTOR_GENERAL)):
        client.force_login(user)
        assert client.get("/work/dashboard/").status_code == 200


# --------------------------------------------------------------------------- the dashboard


def test_it_counts_open_cases_by_age_and_overdue_by_step(db):
    as_of = date(2026, 3, 16)  # Monday
    CaseStep.objects.bulk_create([
        step(started=at(2026, 3, 16), due=date(2026, 3, 18)),  # age 0
        step(started=at(2026, 3, 11), due=date(2026, 3, 13)),  # Wed → Mon: 3 working days, overdue
        step(started=at(2026, 2, 2), due=date(2026, 2, 4)),  # long ago, overdue
        step(code="hak_akses_validation", started=at(2026, 3, 13)),  # no deadline: never overdue
        step(started=at(2026, 3, 2), finished=at(2026, 3, 3), due=date(2026, 3, 4), taken=1, late=False),  # closed
    ])
    by_code = {s["code"]: s for s in selectors.open_steps_by_age(as_of=as_of)}
    assert by_code["hak_akses_grant"]["buckets"] == [1, 1, 0, 1]
    assert (by_code["hak_akses_grant"]["total"], by_code["hak_akses_grant"]["overdue"]) == (3, 2)
    assert (by_code["hak_akses_validation"]["buckets"], by_code["hak_akses_validation"]["overdue"]) == ([1, 0, 0, 0], 0)


def test_it_shows_permits_per_month_and_sugar_volume_against_quota(client, director):
    from tests.factories import CompanyFactory
    from tests.sugar_import.conftest import make_quota, reseed_reference_data
    from sugar_import.models import Purpose, SugarType

    reseed_reference_data()
    industry, gkm = Purpose.objects.get(code="industry"), SugarType.objects.get(code="GKM")
    quota = make_quota(industry, gkm)
    company = CompanyFactory()
    bulk.sugar_permits(company=company, user=UserFactory(username="imp", company=company), purpose=industry, sugar_type=gkm,
                       issued=[(date(quota.year, 2, 3), "100.000"), (date(quota.year, 2, 20), "250.500")])
    data = selectors.director_dashboard(year=quota.year)
    february = data["permits"][1]
    assert (february["month"], february["sugar"], february["api"]) == (date(quota.year, 2, 1), 2, 0)
    row = next(q for q in data["quota"] if q["sugar_type"] == "GKM")
    assert (row["quota"], row["approved"]) == (quota.tonnes, Decimal("350.500"))
    client.force_login(director)
    html = client.get(f"/work/dashboard/?year={quota.year}").content.decode()
    for chart in ("age-chart", "overdue-chart", "permits-chart", "quota-chart"):
        assert f'id="{chart}"' in html
    quota_table = html[html.index('id="quota-table"'):]
    cells = re.findall(r"<td>([^<]*)</td>", quota_table)
    assert cells[1:3] == ["100.000", "350,500"]  # grouped, Indonesian notation (tonnes to the kg)


def test_chart_axes_fit_large_values_and_long_labels__SLA_05():
    """Tick labels are grouped and the margin fits them; long category labels turn instead of
    overlapping, and the chart grows to hold them."""
    from django.utils import translation

    from workspace.reports.charts import bar_chart

    def chart(language):
        with translation.override(language):
            return str(bar_chart(title="t", categories=["sugar_pi_decision", "api_kabkota_inspection"] * 4,
                                 series=[("n", [3_000_000, 1] * 4)], height=260))

    svg = chart("id")
    assert ">5,000,000<" in chart("en")  # the axis tops at the next round value
    assert ">5.000.000<" in svg and ": 3.000.000</title>" in svg and 'data-value="3000000"' in svg and "e+06" not in svg
    assert svg.count('transform="rotate(-40') == 8
    assert int(re.search(r'height="(\d+)"', svg).group(1)) > 260
    short = str(bar_chart(title="t", categories=["Jan", "Feb"], series=[("n", [1, 2])]))
    assert "rotate(" not in short and 'height="260"' in short
    assert re.findall(r'fill="#555">([^<]*)<', short) == ["0", "1", "2", "3", "4"]  # counts: whole ticks
    ten = str(bar_chart(title="t", categories=["Jan", "Feb"], series=[("n", [10, 1])]))
    assert re.findall(r'fill="#555">([^<]*)<', ten) == ["0", "3", "6", "9", "12"]
    # A turned label stays inside the picture: its far end is right of x = 0.
    steps = ["hak_akses_decision"] + [f"step_{i}" for i in range(8)]
    small = str(bar_chart(title="t", categories=steps, series=[("n", [1] * 9)]))
    first = re.search(r'<text x="([\d.]+)" y="[\d.]+" text-anchor="end" transform', small)
    assert float(first.group(1)) - len("hak_akses_decision") * 6.4 * math.cos(math.radians(40)) >= 0


# --------------------------------------------------------------------------- query counts


def _many(n):
    start = at(2026, 1, 5)
    rows = []
    for i in range(n):
        s = start + timedelta(days=i % 300)
        rows.append(step(code="hak_akses_grant" if i % 2 else "sugar_pi_decision", started=s, finished=s + timedelta(days=3),
                         due=(s + timedelta(days=2)).date(), taken=i % 7, late=i % 3 == 0))
        rows.append(step(code="hak_akses_grant", started=s, due=(s + timedelta(days=2)).date()))
    CaseStep.objects.bulk_create(rows)


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_it_reads_the_report_and_dashboard_in_constant_queries__SLA_05(client, director):
    client.force_login(director)
    _many(10)
    small = (_queries(client, "/work/reports/sla/?year=2026"), _queries(client, "/work/dashboard/?year=2026"),
             _queries(client, "/work/reports/sla/export.xlsx?year=2026"))
    _many(190)
    large = (_queries(client, "/work/reports/sla/?year=2026"), _queries(client, "/work/dashboard/?year=2026"),
             _queries(client, "/work/reports/sla/export.xlsx?year=2026"))
    assert small == large


def test_the_dashboard_names_steps_in_words_and_draws_lateness_in_red__SLA_05_USE_01(client, director):
    """Issue 17: the chart's labels were raw codes (``hak_akses_decision``) and its overdue
    series was green."""
    CaseStep.objects.bulk_create([step(code="hak_akses_grant", started=at(2026, 1, 5), due=date(2026, 1, 7))])
    client.force_login(director)
    html = client.get("/work/dashboard/").content.decode()
    assert "hak_akses_grant" not in html
    assert "Pemberian Hak Akses" in html
    overdue = html[html.index('id="overdue-chart"'):]
    overdue = overdue[: overdue.index("</svg>")]
    assert 'class="bar"' in overdue and 'fill="#c0392b"' in overdue and "#1f7a4d" not in overdue
    client.cookies["django_language"] = "en"
    assert "Access right granted" in client.get("/work/dashboard/").content.decode()

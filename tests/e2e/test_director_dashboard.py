"""The director's dashboard and the SLA report in a real browser (SLA-05): the server-drawn
charts are present, have a size and bars with data. Screenshots under artifacts/."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Role
from tests.factories import DEFAULT_PASSWORD, UserFactory
from workspace.models import CaseStep, Outcome

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def cases(db):
    from tests.sugar_import.conftest import reseed_reference_data

    reseed_reference_data()
    now = timezone.now()
    rows = []
    for n in range(12):
        started = now - timedelta(days=3 * n + 1)
        rows.append(CaseStep(kind="registration", case_id=n + 1, page_arg=str(n + 1), reference=f"REG-{n:04d}",
                             party_name="PT Uji", step_id="hak_akses_grant", role=Role.DIRECTOR, started_at=started,
                             due_date=(started + timedelta(days=2)).date()))
        finished = now - timedelta(days=n * 2)
        rows.append(CaseStep(kind="sugar_application", case_id=n + 1, page_arg=str(n + 1), reference=f"PI-{n:04d}",
                             party_name="PT Gula", step_id="sugar_pi_decision", role=Role.DIRECTOR_GENERAL,
                             started_at=finished - timedelta(days=3), due_date=finished.date(), finished_at=finished,
                             outcome=Outcome.APPROVED, working_days_taken=n % 5, late=n % 4 == 0))
    CaseStep.objects.bulk_create(rows)


def _drawn(page, chart_id):
    box = page.locator(f"#{chart_id}").bounding_box()
    assert box and box["width"] > 200 and box["height"] > 100
    heights = page.eval_on_selector_all(f"#{chart_id} rect.bar", "bars => bars.map(b => b.getBBox().height)")
    assert heights and max(heights) > 0
    return heights


def test_director_sees_dashboard_and_sla_report_charts__SLA_05(live_server, page, shot, login, cases):
    UserFactory(username="direktur", role=Role.DIRECTOR, first_name="Budi", last_name="Santoso")
    login(page, "direktur", DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/work/dashboard/")
    assert page.locator("h1").inner_text().startswith("Dasbor direktur")
    _drawn(page, "age-chart")
    _drawn(page, "overdue-chart")
    assert page.locator("#age-table tbody tr").count() == 1
    shot(page, "01-dashboard")

    page.goto(f"{live_server.url}/work/reports/sla/")
    heights = _drawn(page, "sla-chart")
    assert len(heights) == 24
    assert page.locator("#sla-table tbody tr").count() >= 1
    shot(page, "02-sla-report")

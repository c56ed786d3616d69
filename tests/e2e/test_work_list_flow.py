"""The officers' work list in a real browser (issue 7, SLA-03): the Director General logs in,
opens "Daftar kerja" from the navigation, finds the overdue case first with its badge, and
claims it ("Tangani"); the colleague's claim shows in the list."""

import pytest

from accounts.models import Role
from inatrade.models import AuditEntry
from tests.factories import DEFAULT_PASSWORD, CompanyFactory, UserFactory
from tests.workspace.conftest import step_row
from workspace.models import CaseKind, CaseStep

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_overdue_case_comes_first_and_the_officer_claims_it__SLA_03(live_server, page, shot, login):
    dirjen = UserFactory(username="dirjen", role=Role.DIRECTOR_GENERAL, first_name="Sri", last_name="Mulyani")
    colleague = UserFactory(username="plhdirjen", role=Role.DIRECTOR_GENERAL, first_name="Agus", last_name="Wibowo")
    gula, kopi = CompanyFactory(name="PT Gula Manis Sejahtera"), CompanyFactory(name="PT Kopi Nusantara")
    CaseStep.objects.bulk_create([
        step_row(reference="PGL-SOON", company=gula, due_in_days=4, started_days_ago=1),
        step_row(reference="PI-API-000007", company=kopi, kind=CaseKind.API_DESIGNATION, step="produsen_importir", started_days_ago=20),
        step_row(reference="PGL-LATE", company=kopi, due_in_days=-6, started_days_ago=11),
        step_row(reference="PGL-TAKEN", company=gula, due_in_days=9, assignee=colleague),
    ])

    login(page, "dirjen", DEFAULT_PASSWORD)
    page.click("nav.site-nav >> text=Daftar kerja")
    page.wait_for_url(f"{live_server.url}/work/")
    rows = page.locator("table.work-list tbody tr")
    assert rows.count() == 4
    first = rows.nth(0)
    assert first.get_attribute("data-reference") == "PGL-LATE"
    assert first.locator(".overdue-badge").is_visible()
    assert "terlambat" in first.locator(".overdue-badge").inner_text()
    assert page.locator(".overdue-badge").count() == 1
    assert [rows.nth(i).get_attribute("data-reference") for i in range(4)] == ["PGL-LATE", "PGL-SOON", "PGL-TAKEN", "PI-API-000007"]
    assert "Agus Wibowo" in rows.nth(2).inner_text()
    shot(page, "01-work-list-overdue-first")

    first.locator("button", has_text="Tangani").click()
    page.wait_for_selector(".message")
    assert "PGL-LATE" in page.locator(".message").inner_text()
    first = page.locator("table.work-list tbody tr").nth(0)
    assert "Sri Mulyani" in first.inner_text()
    assert first.locator("button", has_text="Lepaskan").is_visible()
    shot(page, "02-claimed")

    step = CaseStep.objects.get(reference="PGL-LATE")
    assert step.assignee == dirjen
    assert AuditEntry.objects.filter(action="case.claim", actor=dirjen).exists()

    page.goto(f"{live_server.url}/work/?assigned=mine")
    assert [r.get_attribute("data-reference") for r in page.locator("table.work-list tbody tr").all()] == ["PGL-LATE"]
    shot(page, "03-mine")

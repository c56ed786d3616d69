"""SLA-03: one work list per role for every kind of case (HTML /work/ and API /api/v1/work/),
with due date, working days left and overdue state, sorted by urgency; filters, search,
pagination; "Tangani" (claim) so two officers never work the same case."""

import re

import pytest

from accounts.models import Role
from inatrade.models import AuditEntry
from tests.conftest import token_client
from tests.factories import CompanyFactory, UserFactory
from tests.workspace.conftest import step_row
from workspace.models import CaseKind, CaseStep

pytestmark = pytest.mark.django_db


def references_on_page(response) -> list[str]:
    return re.findall(r'<tr data-reference="([^"]+)"', response.content.decode())


@pytest.fixture
def gula(db):
    return CompanyFactory(name="PT Gula Manis Sejahtera", nib="9120001111111")


@pytest.fixture
def kopi(db):
    return CompanyFactory(name="PT Kopi Nusantara", nib="9120002222222")


@pytest.fixture
def work(make_steps, gula, kopi):
    """Five open steps of the Director General and one of the director (not theirs)."""
    return {s.reference: s for s in make_steps(
        step_row(reference="PI-SOON", company=gula, due_in_days=3, started_days_ago=2),
        step_row(reference="UNDATED-NEW", company=kopi, step="produsen_importir", kind=CaseKind.API_DESIGNATION, started_days_ago=1),
        step_row(reference="PI-OVERDUE", company=kopi, due_in_days=-7, started_days_ago=12),
        step_row(reference="UNDATED-OLD", company=gula, step="produsen_importir", kind=CaseKind.API_DESIGNATION, started_days_ago=30),
        step_row(reference="AMD-LATER", company=gula, kind=CaseKind.SUGAR_AMENDMENT, step="sugar_pi_amendment", due_in_days=20),
        step_row(reference="HA-DIRECTOR", company=gula, kind=CaseKind.REGISTRATION, step="hak_akses_grant", role=Role.DIRECTOR, due_in_days=-3),
    )}


URGENCY_ORDER = ["PI-OVERDUE", "PI-SOON", "AMD-LATER", "UNDATED-OLD", "UNDATED-NEW"]


def test_it_shows_the_roles_open_steps_sorted_by_urgency_with_the_overdue_badge__SLA_03(client, dirjen, work):
    client.force_login(dirjen)
    response = client.get("/work/")
    assert response.status_code == 200
    assert references_on_page(response) == URGENCY_ORDER  # the director's step is not in the DG's list
    html = response.content.decode()
    first_row = html[html.index('data-reference="PI-OVERDUE"'):html.index('data-reference="PI-SOON"')]
    assert 'class="overdue"' in first_row and "overdue-badge" in first_row
    assert "PT Kopi Nusantara" in first_row and "9120002222222" in first_row
    assert html.count("overdue-badge") == 1
    assert 'href="/sugar/applications/' in first_row  # the reference links to the case page


def test_the_api_gives_due_date_days_left_and_overdue_in_urgency_order__SLA_03(dirjen, work):
    response = token_client(dirjen).get("/api/v1/work/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 5 and [r["reference"] for r in body["results"]] == URGENCY_ORDER
    overdue, soon, *_ , undated = body["results"]
    assert overdue["overdue"] is True and overdue["days_left"] < 0 and overdue["due_date"]
    assert soon["overdue"] is False and 0 <= soon["days_left"] <= 3
    assert undated["due_date"] is None and undated["days_left"] is None and undated["overdue"] is False
    assert overdue["party_name"] == "PT Kopi Nusantara" and overdue["party_nib"] == "9120002222222"
    assert overdue["kind"] == "sugar_application" and overdue["step"] == "sugar_pi_decision" and overdue["step_name"]
    assert overdue["assignee"] is None and overdue["url"].startswith("/sugar/applications/")


def test_the_reference_links_to_the_real_case_page__SLA_03(client, director, validated):
    client.force_login(director)
    response = client.get("/work/")
    assert references_on_page(response) == [validated.reference]
    assert f'href="/accounts/registrations/{validated.pk}/"' in response.content.decode()
    assert client.get(f"/accounts/registrations/{validated.pk}/").status_code == 200


@pytest.mark.parametrize("query,expected", [
    ("kind=api_designation", ["UNDATED-OLD", "UNDATED-NEW"]),
    ("step=sugar_pi_amendment", ["AMD-LATER"]),
    ("overdue=true", ["PI-OVERDUE"]),
    ("overdue=false", ["PI-SOON", "AMD-LATER", "UNDATED-OLD", "UNDATED-NEW"]),
    ("q=PI-SO", ["PI-SOON"]),
    ("q=kopi nusantara", ["PI-OVERDUE", "UNDATED-NEW"]),
    ("q=9120001111", ["PI-SOON", "AMD-LATER", "UNDATED-OLD"]),
    ("kind=sugar_application&q=kopi", ["PI-OVERDUE"]),
])
def test_it_filters_and_searches_the_same_way_in_the_api_and_the_page__SLA_03(client, dirjen, work, query, expected):
    api = token_client(dirjen).get(f"/api/v1/work/?{query}").json()
    assert [r["reference"] for r in api["results"]] == expected
    client.force_login(dirjen)
    assert references_on_page(client.get(f"/work/?{query}")) == expected


def test_it_filters_by_company(client, dirjen, work, gula):
    api = token_client(dirjen).get(f"/api/v1/work/?company={gula.pk}").json()
    assert [r["reference"] for r in api["results"]] == ["PI-SOON", "AMD-LATER", "UNDATED-OLD"]
    client.force_login(dirjen)
    response = client.get(f"/work/?company={gula.pk}")
    assert references_on_page(response) == ["PI-SOON", "AMD-LATER", "UNDATED-OLD"]
    assert "PT Gula Manis Sejahtera" in response.content.decode()


def test_it_filters_mine_and_unassigned__SLA_03(client, dirjen, dirjen_2, work):
    CaseStep.objects.filter(reference="PI-SOON").update(assignee=dirjen)
    CaseStep.objects.filter(reference="AMD-LATER").update(assignee=dirjen_2)
    api = token_client(dirjen)
    assert [r["reference"] for r in api.get("/api/v1/work/?assigned=mine").json()["results"]] == ["PI-SOON"]
    assert [r["reference"] for r in api.get("/api/v1/work/?assigned=unassigned").json()["results"]] == [
        "PI-OVERDUE", "UNDATED-OLD", "UNDATED-NEW"]
    client.force_login(dirjen)
    page = client.get("/work/")
    assert "Agus Wibowo" in page.content.decode()  # the colleague's name in the assignee column
    assert references_on_page(client.get("/work/?assigned=mine")) == ["PI-SOON"]


def test_an_invalid_filter_answers_400_in_the_one_error_shape(dirjen, work, client):
    response = token_client(dirjen).get("/api/v1/work/?kind=nonsense&company=abc")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid" and set(error["fields"]) == {"kind", "company"}
    client.force_login(dirjen)
    page = client.get("/work/?kind=nonsense")
    assert page.status_code == 200 and references_on_page(page) == []


def test_it_paginates_the_api_and_the_page(client, dirjen, make_steps, gula):
    make_steps(*[step_row(reference=f"PI-{n:03d}", company=gula, due_in_days=n) for n in range(30)])
    api = token_client(dirjen)
    first = api.get("/api/v1/work/?page_size=10").json()
    assert first["count"] == 30 and len(first["results"]) == 10 and first["next"] and first["previous"] is None
    third = api.get("/api/v1/work/?page_size=10&page=3").json()
    assert [r["reference"] for r in third["results"]][-1] == "PI-029" and third["next"] is None
    assert len(api.get("/api/v1/work/?page_size=500").json()["results"]) == 30  # page_size is capped at 100, not refused
    client.force_login(dirjen)
    page_one = client.get("/work/")
    assert len(references_on_page(page_one)) == 25
    assert "page=2" in page_one.content.decode()
    page_two = client.get("/work/?q=PI-0&page=2")
    assert references_on_page(page_two) == [f"PI-{n:03d}" for n in range(25, 30)]
    assert "q=PI-0&amp;page=1" in page_two.content.decode()  # the filters survive paging


# --------------------------------------------------------------------------- claiming


def test_it_claims_a_case_from_the_page_and_records_it_in_the_audit_log__SLA_03(client, dirjen, work):
    step = work["PI-OVERDUE"]
    client.force_login(dirjen)
    response = client.post(f"/work/{step.pk}/claim", {"next": "/work/?overdue=true"}, follow=True)
    assert response.redirect_chain[-1][0] == "/work/?overdue=true"
    assert "sekarang Anda tangani" in response.content.decode()
    step.refresh_from_db()
    assert step.assignee == dirjen and step.assigned_at is not None
    entry = AuditEntry.objects.filter(action="case.claim").latest("seq")
    assert entry.actor == dirjen and entry.data["reference"] == "PI-OVERDUE"
    assert "Lepaskan" in response.content.decode()

    released = client.post(f"/work/{step.pk}/release", follow=True)
    step.refresh_from_db()
    assert step.assignee is None and released.redirect_chain[-1][0] == "/work/"
    assert AuditEntry.objects.filter(action="case.release", actor=dirjen).exists()


def test_the_second_officer_to_claim_gets_409_naming_who_has_it__SLA_03(dirjen, dirjen_2, work):
    step = work["PI-SOON"]
    first = token_client(dirjen).post(f"/api/v1/work/{step.pk}/claim")
    assert first.status_code == 200 and first.json()["assignee"] == "dirjen"
    second = token_client(dirjen_2).post(f"/api/v1/work/{step.pk}/claim")
    assert second.status_code == 409
    assert second.json() == {"error": {"code": "already_claimed", "message": "Perkara ini sedang ditangani oleh Dewi Lestari.", "fields": {}}}
    step.refresh_from_db()
    assert step.assignee == dirjen
    assert AuditEntry.objects.filter(action="case.claim").count() == 1
    # Claiming one's own case again changes nothing.
    assert token_client(dirjen).post(f"/api/v1/work/{step.pk}/claim").status_code == 200
    step.refresh_from_db()
    assert step.assignee == dirjen


def test_only_the_assignee_releases_a_case_not_a_colleague_of_the_same_rank(counter_officer, make_steps, gula):
    colleague = UserFactory(role=Role.COUNTER_OFFICER)
    [step] = make_steps(step_row(reference="HA-VAL", company=gula, kind=CaseKind.REGISTRATION, step="hak_akses_validation",
                                 role=Role.COUNTER_OFFICER, assignee=counter_officer))
    response = token_client(colleague).post(f"/api/v1/work/{step.pk}/release")
    assert response.status_code == 403 and response.json()["error"]["code"] == "permission_denied"
    step.refresh_from_db()
    assert step.assignee == counter_officer


def test_the_page_tells_the_second_officer_who_has_the_case__SLA_03(client, dirjen, dirjen_2, work):
    step = work["PI-SOON"]
    token_client(dirjen).post(f"/api/v1/work/{step.pk}/claim")
    client.force_login(dirjen_2)
    response = client.post(f"/work/{step.pk}/claim", follow=True)
    assert "Perkara ini sedang ditangani oleh Dewi Lestari." in response.content.decode()
    step.refresh_from_db()
    assert step.assignee == dirjen


def test_a_claim_with_the_same_idempotency_key_is_replayed(dirjen, work):
    api = token_client(dirjen)
    step = work["PI-SOON"]
    one = api.post(f"/api/v1/work/{step.pk}/claim", HTTP_IDEMPOTENCY_KEY="k-1")
    two = api.post(f"/api/v1/work/{step.pk}/claim", HTTP_IDEMPOTENCY_KEY="k-1")
    assert one.json() == two.json() and two["Idempotent-Replayed"] == "true"
    assert AuditEntry.objects.filter(action="case.claim").count() == 1


def test_a_step_outside_the_officers_list_is_404(client, dirjen, work):
    other = work["HA-DIRECTOR"]
    assert token_client(dirjen).post(f"/api/v1/work/{other.pk}/claim").status_code == 404
    client.force_login(dirjen)
    assert client.post(f"/work/{other.pk}/claim").status_code == 404
    other.refresh_from_db()
    assert other.assignee is None


# --------------------------------------------------------------------------- access


def test_importers_are_refused_and_see_nothing__SEC_01(client, owner, work):
    client.force_login(owner)
    assert client.get("/work/").status_code == 403
    assert client.post(f"/work/{work['PI-SOON'].pk}/claim").status_code == 403
    api = token_client(owner)
    response = api.get("/api/v1/work/")
    assert response.status_code == 403 and response.json()["error"]["code"] == "permission_denied"
    assert "PI-SOON" not in response.content.decode()
    assert api.post(f"/api/v1/work/{work['PI-SOON'].pk}/claim").status_code == 403
    assert CaseStep.objects.get(reference="PI-SOON").assignee is None


def test_anonymous_callers_go_to_the_login_page_or_get_401(client, work):
    response = client.get("/work/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    assert client.get("/api/v1/work/").status_code == 401


def test_officers_see_daftar_kerja_in_the_navigation_and_importers_do_not(client, dirjen, owner):
    client.force_login(dirjen)
    assert '<a href="/work/"' in client.get("/accounts/dashboard/").content.decode()
    client.force_login(owner)
    assert '<a href="/work/"' not in client.get("/accounts/dashboard/").content.decode()


def test_the_administrator_sees_every_open_step(administrator, work):
    body = token_client(administrator).get("/api/v1/work/").json()
    assert body["count"] == 6 and body["results"][0]["reference"] == "PI-OVERDUE"


def test_an_issuer_officer_sees_only_the_steps_of_their_issuer(db, make_steps, gula):
    from api_registry.models import Issuer, IssuerMembership

    mine, other = Issuer.objects.all()[:2]
    officer = UserFactory(role=Role.ISSUER_OFFICER)
    IssuerMembership.objects.create(user=officer, issuer=mine)
    make_steps(
        step_row(reference="API-MINE", company=gula, kind=CaseKind.API_APPLICATION, step="api_issue", role=Role.ISSUER_OFFICER, issuer=mine),
        step_row(reference="API-OTHER", company=gula, kind=CaseKind.API_APPLICATION, step="api_issue", role=Role.ISSUER_OFFICER, issuer=other),
    )
    assert [r["reference"] for r in token_client(officer).get("/api/v1/work/").json()["results"]] == ["API-MINE"]

"""The REST API of sugar imports (api.md "Sugar import approvals"): shapes, access, errors,
idempotency (REL-04)."""

import json
from datetime import date

import pytest

from inatrade.models import OutgoingEmail
from permits.models import Permit
from sugar_import.models import QuotaAllocation, Recommendation, SugarPermit
from tests.conftest import token_client
from tests.sugar_import.conftest import line, mark_signed, pdf_upload

pytestmark = pytest.mark.django_db

BASE = "/api/v1/sugar"


@pytest.fixture
def draft_id(owner_api, api_p, quota, recommendation):
    response = owner_api.post(f"{BASE}/applications/", {
        "purpose": "industry", "sugar_type": "GKM", "recommendation": recommendation.pk,
        "lines": [line("1250.5"), line("500", origin="TH", port="IDSUB")],
    }, format="json")
    assert response.status_code == 201, response.json()
    return response.json()["id"]


def test_an_importer_drafts_and_submits_and_sees_the_deadline__PI_01_AUD_02(owner_api, draft_id):
    submitted = owner_api.post(f"{BASE}/applications/{draft_id}/submit")
    assert submitted.status_code == 200, submitted.json()
    body = owner_api.get(f"{BASE}/applications/{draft_id}").json()
    assert body["status"] == "submitted" and body["due_date"]
    assert body["timeline"]["due_date"] == body["due_date"]
    assert [s["action"] for s in body["timeline"]["steps"]][-1] == "sugar_application.submit"
    assert body["lines"][0]["volume_tonnes"] == "1250.500"


def test_another_company_gets_404__SEC_01(draft_id, outsider):
    client = token_client(outsider)
    assert client.get(f"{BASE}/applications/{draft_id}").status_code == 404
    assert client.post(f"{BASE}/applications/{draft_id}/submit").status_code == 404
    assert client.get(f"{BASE}/applications/").json()["count"] == 0


def test_rule_violations_have_the_one_error_shape__PI_04(owner_api, api_p, quota, recommendation):
    draft = owner_api.post(f"{BASE}/applications/", {
        "purpose": "industry", "sugar_type": "GKM", "recommendation": recommendation.pk, "lines": [line(hs="1701.99.11")],
    }, format="json").json()
    response = owner_api.post(f"{BASE}/applications/{draft['id']}/submit")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "application_invalid" and "lines.0.hs_code" in error["fields"]


def test_only_the_director_general_approves_and_a_repeat_is_409__PI_06(owner_api, draft_id, dirjen, counter_officer):
    owner_api.post(f"{BASE}/applications/{draft_id}/submit")
    assert token_client(counter_officer).post(f"{BASE}/applications/{draft_id}/approve").status_code == 403
    assert owner_api.post(f"{BASE}/applications/{draft_id}/approve").status_code == 403
    dg = token_client(dirjen)
    approved = dg.post(f"{BASE}/applications/{draft_id}/approve")
    assert approved.status_code == 200, approved.json()
    assert approved.json()["volume_tonnes"] == "1750.500"
    again = dg.post(f"{BASE}/applications/{draft_id}/approve")
    assert again.status_code == 409 and again.json()["error"]["code"] == "invalid_transition"


def test_an_action_repeated_with_the_same_idempotency_key_changes_nothing__REL_04(owner_api, draft_id, dirjen):
    owner_api.post(f"{BASE}/applications/{draft_id}/submit")
    dg = token_client(dirjen)
    first = dg.post(f"{BASE}/applications/{draft_id}/approve", HTTP_IDEMPOTENCY_KEY="abc-1")
    second = dg.post(f"{BASE}/applications/{draft_id}/approve", HTTP_IDEMPOTENCY_KEY="abc-1")
    assert first.status_code == second.status_code == 200
    assert first.json() == second.json() and second["Idempotent-Replayed"] == "true"
    assert Permit.objects.count() == 1
    assert OutgoingEmail.objects.filter(template="sugar_permit_issued").count() == 1


def test_a_return_needs_a_reason_and_stops_the_clock__SLA_02(owner_api, draft_id, counter_officer):
    owner_api.post(f"{BASE}/applications/{draft_id}/submit")
    officer = token_client(counter_officer)
    assert officer.post(f"{BASE}/applications/{draft_id}/return", {}, format="json").status_code == 400
    returned = officer.post(f"{BASE}/applications/{draft_id}/return", {"reason": "Rekomendasi tidak terbaca"}, format="json")
    assert returned.status_code == 200 and returned.json()["due_date"] is None


def test_permits_list_shows_status_and_remaining_volume(owner_api, draft_id, dirjen, outsider):
    owner_api.post(f"{BASE}/applications/{draft_id}/submit")
    number = token_client(dirjen).post(f"{BASE}/applications/{draft_id}/approve").json()["number"]
    listed = owner_api.get(f"{BASE}/permits/").json()
    assert listed["count"] == 1 and listed["results"][0]["remaining_tonnes"] == "1750.500"
    assert owner_api.get(f"{BASE}/permits/{number}").json()["lines"][1]["origin_country"] == "TH"
    assert token_client(outsider).get(f"{BASE}/permits/{number}").status_code == 404
    # Not signed yet: no PDF to download.
    assert owner_api.get(f"{BASE}/permits/{number}/pdf").status_code == 404


def test_an_importer_files_a_monthly_report_with_pib_files__PI_11(owner_api, draft_id, dirjen, monkeypatch):
    from sugar_import import services

    owner_api.post(f"{BASE}/applications/{draft_id}/submit")
    number = token_client(dirjen).post(f"{BASE}/applications/{draft_id}/approve").json()["number"]
    sp = mark_signed(SugarPermit.objects.get(number=number))
    period = sp.valid_from.strftime("%Y-%m")
    shipments = [{"pib_number": "123456", "pib_date": sp.valid_from.isoformat(), "hs_code": "1701.14.00", "volume_tonnes": "700"}]
    response = owner_api.post(f"{BASE}/permits/{number}/reports", {
        "period": period, "nil_report": "false", "destination": "Pabrik sendiri", "shipments": json.dumps(shipments),
        "pib_file_0": pdf_upload("pib.pdf"),
    }, format="multipart")
    assert response.status_code == 201, response.json()
    assert response.json()["realized_tonnes"] == "700.000"
    assert response.json()["reports"][0]["period"] == period
    duplicate = owner_api.post(f"{BASE}/permits/{number}/reports", {"period": period, "nil_report": True}, format="json")
    assert duplicate.status_code == 409


def test_the_director_general_revokes_by_api__PI_12(owner_api, draft_id, dirjen):
    owner_api.post(f"{BASE}/applications/{draft_id}/submit")
    dg = token_client(dirjen)
    number = dg.post(f"{BASE}/applications/{draft_id}/approve").json()["number"]
    bad = dg.post(f"{BASE}/permits/{number}/revoke", {"reason_code": "nope"}, format="json")
    assert bad.status_code == 400
    done = dg.post(f"{BASE}/permits/{number}/revoke", {"reason_code": "court_ruling", "note": "Putusan PN"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "revoked"


def test_an_agency_records_a_recommendation_and_sees_its_use__PI_03(agency, company):
    client = token_client(agency)
    payload = {"kind": "recommendation", "company_nib": company.nib, "issuer": "Kementerian Perindustrian",
               "number": "REK-77/IND/2026", "date": "2026-02-01", "sugar_type": "GKR", "volume_tonnes": "2000",
               "hs_codes": ["1701.99.11"], "origin_countries": ["TH"], "ports": ["IDTPP"],
               "valid_from": "2026-01-01", "valid_until": "2026-12-31"}
    created = client.post(f"{BASE}/recommendations/", payload, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["remaining_tonnes"] == "2000.000"
    assert client.post(f"{BASE}/recommendations/", {**payload, "hs_codes": ["1701.14.00"], "number": "X"}, format="json").status_code == 400
    assert Recommendation.objects.filter(number="REK-77/IND/2026", source="agency").exists()


def test_an_importer_uploads_a_recommendation_pdf__PI_03(owner_api):
    payload = {"kind": "recommendation", "issuer": "Kementerian Perindustrian", "number": "REK-9", "date": "2026-02-01",
               "sugar_type": "GKM", "volume_tonnes": "10", "hs_codes": "1701.14.00", "origin_countries": "BR,TH",
               "ports": "IDTPP", "valid_from": "2026-01-01", "valid_until": "2026-12-31"}
    assert owner_api.post(f"{BASE}/recommendations/", payload, format="multipart").status_code == 400  # no PDF
    created = owner_api.post(f"{BASE}/recommendations/", {**payload, "file": pdf_upload()}, format="multipart")
    assert created.status_code == 201, created.json()
    assert created.json()["origin_countries"] == ["BR", "TH"]


def test_only_administrators_record_rakor_quotas__PI_05(administrator, owner_api):
    payload = {"year": 2026, "purpose": "stabilization_gkp", "sugar_type": "GKP", "tonnes": "250000", "rakor_reference": "Rakor 12/2025"}
    assert owner_api.post(f"{BASE}/quotas/", payload, format="json").status_code == 403
    created = token_client(administrator).post(f"{BASE}/quotas/", payload, format="json")
    assert created.status_code == 201, created.json()
    assert QuotaAllocation.objects.get(year=2026, purpose__code="stabilization_gkp").tonnes == 250000


def test_anonymous_is_refused_everywhere(api_client):
    for path in ("applications/", "permits/", "recommendations/", "quotas/"):
        assert api_client.get(f"{BASE}/{path}").status_code == 401


def test_a_returned_application_is_corrected_and_resubmitted__SLA_02(owner_api, draft_id, counter_officer, outsider):
    owner_api.post(f"{BASE}/applications/{draft_id}/submit")
    token_client(counter_officer).post(f"{BASE}/applications/{draft_id}/return", {"reason": "Volume pos 2 salah"}, format="json")
    assert token_client(outsider).put(f"{BASE}/applications/{draft_id}", {"lines": [line("10")]}, format="json").status_code == 404
    corrected = owner_api.put(f"{BASE}/applications/{draft_id}", {"lines": [line("900")]}, format="json")
    assert corrected.status_code == 200, corrected.json()
    assert [l["volume_tonnes"] for l in corrected.json()["lines"]] == ["900.000"]
    again = owner_api.post(f"{BASE}/applications/{draft_id}/submit")
    assert again.status_code == 200 and again.json()["status"] == "submitted"


def test_a_submitted_application_cannot_be_changed__SLA_02(owner_api, draft_id):
    owner_api.post(f"{BASE}/applications/{draft_id}/submit")
    assert owner_api.put(f"{BASE}/applications/{draft_id}", {"lines": [line("5")]}, format="json").status_code == 409


def test_a_draft_correction_repeated_with_the_same_idempotency_key_changes_nothing__REL_04(owner_api, draft_id):
    from inatrade.audit import AuditEntry

    before = AuditEntry.objects.count()
    body = {"lines": [line("900")]}
    first = owner_api.put(f"{BASE}/applications/{draft_id}", body, format="json", HTTP_IDEMPOTENCY_KEY="put-1")
    after_first = AuditEntry.objects.count()
    second = owner_api.put(f"{BASE}/applications/{draft_id}", body, format="json", HTTP_IDEMPOTENCY_KEY="put-1")
    assert first.status_code == second.status_code == 200, first.json()
    assert second["Idempotent-Replayed"] == "true" and second.json() == first.json()
    assert after_first > before and AuditEntry.objects.count() == after_first


def test_the_fast_permit_list_has_exactly_the_shape_of_the_permit_serializer__PERF_04(owner_api, draft_id, dirjen, owner):
    from sugar_import import selectors
    from sugar_import.apis import SugarPermitOutput

    owner_api.post(f"{BASE}/applications/{draft_id}/submit")
    token_client(dirjen).post(f"{BASE}/applications/{draft_id}/approve")
    listed = owner_api.get(f"{BASE}/permits/").json()["results"]
    expected = json.loads(json.dumps(SugarPermitOutput(selectors.permit_list(user=owner), many=True).data))
    assert listed == expected and len(listed) == 1


@pytest.fixture
def permits_of_two_companies(owner, outsider, api_p, quota, recommendation, dirjen):
    """12 PIs of the owner's company, 3 of another company, one of the owner's frozen."""
    from sugar_import import services
    from tests.bulk import clone_sugar_permits
    from tests.sugar_import.conftest import draft

    app = services.sugar_application_submit(application=draft(owner, recommendation, lines=[line("10"), line("5")]), actor=owner)
    services.sugar_application_approve(application=app, actor=dirjen)
    app.refresh_from_db()
    clone_sugar_permits(app, 14)
    theirs = list(SugarPermit.objects.order_by("pk").values_list("pk", flat=True))[-3:]
    SugarPermit.objects.filter(pk__in=theirs).update(company=outsider.company)
    SugarPermit.objects.filter(pk=SugarPermit.objects.filter(company=owner.company).order_by("pk")[1].pk).update(
        status="frozen", frozen_on=date(2026, 2, 2))


def _expected_page(user, status, page, size):
    """The list as it was served before PERF-04: ``permit_list`` through Django's paginator and
    the permit serializer."""
    from django.core.paginator import Paginator

    from sugar_import import selectors
    from sugar_import.apis import SugarPermitOutput

    qs = selectors.permit_list(user=user, status=status)
    paginator = Paginator(qs, size)
    number = paginator.num_pages if page == "last" else page
    if number > paginator.num_pages:
        return None
    rows = SugarPermitOutput(paginator.page(number).object_list, many=True).data
    return {"count": qs.count(), "results": json.loads(json.dumps(rows)), "has_next": number < paginator.num_pages,
            "has_previous": number > 1}


def test_the_one_query_permit_list_pages_like_the_serializer_for_every_reader__PERF_04_SEC_01(
        permits_of_two_companies, owner, outsider, counter_officer, surveyor_user, dirjen, agency):
    """Every reader, status filter and page (past the end: 404, ``last``) against the queryset and
    serializer it replaced: the same rows, total and links; an importer only its own PIs."""
    seen = {}
    for user in (owner, outsider, counter_officer, surveyor_user, dirjen):
        client = token_client(user)
        for status in (None, "active", "frozen", "revoked"):
            for page in (1, 2, 3, 4, "last"):
                query = {"page_size": 5, "page": page, **({"status": status} if status else {})}
                response = client.get(f"{BASE}/permits/", query)
                expected = _expected_page(user, status, page, 5)
                if expected is None:
                    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found", (user, query)
                    continue
                body = response.json()
                assert response.status_code == 200, (user, query, body)
                assert body["count"] == expected["count"] and body["results"] == expected["results"], (user, query)
                assert (body["next"] is not None) == expected["has_next"], (user, query)
                assert (body["previous"] is not None) == expected["has_previous"], (user, query)
                seen.setdefault(user.username, set()).update(r["number"] for r in body["results"])
    mine = set(SugarPermit.objects.filter(company=owner.company).values_list("number", flat=True))
    theirs = set(SugarPermit.objects.filter(company=outsider.company).values_list("number", flat=True))
    assert len(mine) == 12 and len(theirs) == 3
    assert seen[owner.username] == mine and seen[outsider.username] == theirs
    assert seen[counter_officer.username] == seen[surveyor_user.username] == seen[dirjen.username] == mine | theirs
    assert token_client(agency).get(f"{BASE}/permits/").status_code == 403


def test_a_revocation_shows_in_the_permit_list_at_once__PERF_04(permits_of_two_companies, owner_api, dirjen):
    number = owner_api.get(f"{BASE}/permits/", {"status": "active"}).json()["results"][0]["number"]
    revoked = token_client(dirjen).post(f"{BASE}/permits/{number}/revoke", {"reason_code": "trading"}, format="json")
    assert revoked.status_code == 200, revoked.json()
    listed = {r["number"]: r for r in owner_api.get(f"{BASE}/permits/", {"page_size": 100}).json()["results"]}
    assert listed[number]["status"] == "revoked" and listed[number]["revocation_reason"] == "trading"
    assert number in [r["number"] for r in owner_api.get(f"{BASE}/permits/", {"status": "revoked"}).json()["results"]]


def test_an_empty_permit_list_is_one_empty_page__PERF_04(owner_api):
    body = owner_api.get(f"{BASE}/permits/").json()
    assert body == {"count": 0, "count_capped": False, "next": None, "previous": None, "results": []}
    assert owner_api.get(f"{BASE}/permits/", {"page": 2}).status_code == 404
    assert owner_api.get(f"{BASE}/permits/", {"page": "last"}).json()["count"] == 0


def test_the_permit_list_count_is_capped_in_its_one_statement__PERF_02(settings, permits_of_two_companies, owner_api, owner):
    """12 PIs of the owner, the cap at 5: count 5 and ``count_capped``; the pages within the cap
    are the uncapped list's pages, each still one query; past the cap is past the end (404)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.LIST_COUNT_CAP = 5
    pages = []
    for page in (1, 2, 3):
        expected = _expected_page(owner, None, page, 2)
        owner_api.get(f"{BASE}/permits/", {"page_size": 2, "page": page})  # warm the token
        with CaptureQueriesContext(connection) as ctx:
            body = owner_api.get(f"{BASE}/permits/", {"page_size": 2, "page": page}).json()
        pages.append(body)
        assert body["count"] == 5 and body["count_capped"] is True, body
        assert body["results"] == expected["results"][: 5 - (page - 1) * 2], page
        assert sum("sugar_import_sugarpermit" in q["sql"] for q in ctx.captured_queries) == 1, ctx.captured_queries
    assert pages[2]["next"] is None and pages[0]["previous"] is None and pages[0]["next"] is not None
    assert owner_api.get(f"{BASE}/permits/", {"page_size": 2, "page": "last"}).json()["results"] == pages[2]["results"]
    assert owner_api.get(f"{BASE}/permits/", {"page_size": 2, "page": 4}).status_code == 404
    settings.LIST_COUNT_CAP = 12
    body = owner_api.get(f"{BASE}/permits/", {"page_size": 2}).json()
    assert body["count"] == 12 and body["count_capped"] is False
    frozen = owner_api.get(f"{BASE}/permits/", {"status": "frozen"}).json()
    assert frozen["count"] == 1 and frozen["count_capped"] is False

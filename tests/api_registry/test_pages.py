"""The HTML pages: an importer applies for API-U, the Kab/Kota officer records the inspection,
the province issues, the importer finds the light-blue API document (API-03, API-04, API-06,
AUD-02, SLA-03); access is declared on every page."""

import pytest
from django.urls import reverse

from api_registry.models import REQUIRED_DOCUMENTS, ApiApplication, HsSection, IssuerKind
from permits.models import Permit
from tests.api_registry.conftest import pdf_upload, submitted_application

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.force_login(user)
    return client


def test_an_importer_applies_the_kab_kota_inspects_the_province_issues_and_the_importer_gets_the_document__API_04_API_06(
    client, owner, regency_officer, province_officer
):
    _login(client, owner)
    page = client.get(reverse("api-apply"))
    assert page.status_code == 200 and "Dinas Provinsi DKI Jakarta" in page.content.decode()
    data = {"kind": "API-U", "hs_section": HsSection.objects.get(roman="IV").pk, "line_of_business": "Perdagangan gula",
            "directors": "Siti Rahayu"}
    for kind in REQUIRED_DOCUMENTS[(IssuerKind.DINAS, "API-U")]:
        data[f"doc_{kind}"] = pdf_upload(f"{kind}.pdf")
    response = client.post(reverse("api-apply"), data)
    application = ApiApplication.objects.get(company=owner.company)
    assert response.status_code == 302 and application.status == "inspection"
    detail = client.get(reverse("api-application", args=[application.pk])).content.decode()
    assert "submit" in detail and application.due_date.isoformat() in detail  # timeline and deadline (AUD-02)

    client.logout()
    _login(client, regency_officer)
    work = client.get(reverse("api-work-list")).content.decode()
    from django.utils import translation
    from django.utils.formats import date_format

    with translation.override("id"):
        in_words = date_format(application.due_date, "j F Y")  # dates in words on pages (issue 17)
    assert application.reference in work and in_words in work
    client.post(reverse("api-application-action", args=[application.pk, "inspection"]),
                {"result": "sesuai", "notes": "Kantor dan gudang sesuai", "bap_number": "BAP/3171/001"})
    client.post(reverse("api-application-action", args=[application.pk, "forward"]))
    application.refresh_from_db()
    assert application.status == "decision" and application.bap_number == "BAP/3171/001"

    client.logout()
    _login(client, province_officer)
    client.post(reverse("api-application-action", args=[application.pk, "approve"]))
    application.refresh_from_db()
    assert application.status == "approved"

    client.logout()
    _login(client, owner)
    mine = client.get(reverse("api-my")).content.decode()
    assert "317100001D" in mine
    permit = Permit.objects.get(number="317100001D")
    assert permit.kind == "api_u"  # rendered light blue by permits/pdf/api.html
    assert reverse("permit-pdf", args=[permit.number]) in mine


def test_an_importer_never_sees_another_companys_application__SEC_01(client, owner, outsider):
    application = submitted_application(owner)
    _login(client, outsider)
    assert client.get(reverse("api-application", args=[application.pk])).status_code == 404


@pytest.mark.parametrize("name,args", [
    ("api-my", []), ("api-apply", []), ("api-work-list", []), ("api-application", [1]), ("api-detail", [1]),
])
def test_every_page_requires_login_and_the_right_role__SEC_01(client, name, args, counter_officer, owner):
    assert client.get(reverse(name, args=args)).status_code == 302  # to the login page
    _login(client, counter_officer)
    assert client.get(reverse(name, args=args)).status_code == 403


def test_the_officer_forms_refuse_importers__SEC_01(client, owner):
    application = submitted_application(owner)
    _login(client, owner)
    response = client.post(reverse("api-application-action", args=[application.pk, "approve"]))
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.status == "inspection"


def test_the_work_list_shows_due_dates_days_left_and_overdue_most_urgent_first__SLA_03(client, owner, outsider, regency_officer):
    from datetime import timedelta

    from django.utils import timezone

    from api_registry.selectors import api_work_list

    outsider.company.regency_code = "3171"
    outsider.company.save()
    late = submitted_application(owner)
    fresh = submitted_application(outsider)
    ApiApplication.objects.filter(pk=late.pk).update(due_date=timezone.localdate() - timedelta(days=7))
    rows = api_work_list(user=regency_officer)
    assert [row["object"].pk for row in rows] == [late.pk, fresh.pk]
    assert rows[0]["overdue"] and rows[0]["days_left"] < 0
    assert not rows[1]["overdue"] and rows[1]["days_left"] >= 0


def test_the_work_list_takes_the_same_number_of_queries_at_any_size__PERF_02(owner, regency_officer, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from api_registry.selectors import api_work_list
    from tests.factories import CompanyFactory, ImporterFactory

    client.force_login(regency_officer)

    def queries(expected_rows):
        with CaptureQueriesContext(connection) as selector:
            assert len(api_work_list(user=regency_officer)) == expected_rows
        with CaptureQueriesContext(connection) as page:
            assert client.get(reverse("api-work-list")).status_code == 200
        return len(selector), len(page)

    for _ in range(3):
        submitted_application(ImporterFactory(company=CompanyFactory()))
    small = queries(3)
    for _ in range(9):
        submitted_application(ImporterFactory(company=CompanyFactory()))
    large = queries(12)
    assert small == large and max(large) <= 15


@pytest.mark.parametrize("model", ["hssection", "reference.province", "reference.regency", "issuer", "apisanctionreason", "importerprofile",
                                   "apiapplication", "api", "apiversion", "apichangerequest", "produsenimportir",
                                   "quarterlyreport", "apinumbercounter"])
def test_the_admin_lists_every_model_and_workflow_records_are_read_only__AUD_01(client, administrator, api_u, model):
    client.force_login(administrator)
    app, _dot, model = model.rpartition(".")  # the regions are the reference app's (issue 18)
    assert client.get(reverse(f"admin:{app or 'api_registry'}_{model}_changelist")).status_code == 200
    if model in ("api", "apiapplication"):
        assert client.get(reverse(f"admin:api_registry_{model}_add")).status_code == 403


def test_the_issuer_sees_its_quarterly_recap_and_who_is_late__API_11(client, province_officer, api_u):
    from api_registry.models import Api

    Api.objects.filter(pk=api_u.pk).update(issued_on="2025-01-02")
    client.force_login(province_officer)
    page = client.get(reverse("api-recap"), {"issuer": "dinas-31", "year": 2025, "quarter": 2}).content.decode()
    assert "2025Q2" in page and api_u.number in page


def test_the_issuer_reads_the_uploaded_documents_and_other_companies_cannot__SEC_05(client, owner, outsider, regency_officer):
    application = submitted_application(owner)
    document = application.documents.first()
    url = reverse("api-application-document", args=[application.pk, document.pk])
    client.force_login(regency_officer)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    client.force_login(outsider)
    assert client.get(url).status_code == 404

"""Browser pages: apply, work list with due dates, approve, report; access by role."""

from datetime import date

import pytest

from sugar_import import services
from sugar_import.models import ApplicationStatus, SugarApplication, SugarPermit
from tests.sugar_import.conftest import draft, mark_signed, pdf_upload

pytestmark = pytest.mark.django_db


def form_lines(**extra):
    data = {"purpose": "industry", "sugar_type": "GKM", "hs_code_0": "1701.14.00", "description_0": "Raw sugar",
            "volume_0": "1500", "origin_0": "BR", "port_0": "IDTPP"}
    return {**data, **extra}


def test_an_importer_applies_and_submits_in_the_browser__PI_01(client, owner, api_p, quota, recommendation):
    client.force_login(owner)
    page = client.get("/sugar/applications/new/")
    assert page.status_code == 200 and "Bahan baku industri" in page.content.decode()
    response = client.post("/sugar/applications/new/", form_lines(recommendation=recommendation.pk))
    application = SugarApplication.objects.get()
    assert response.status_code == 302 and response.url == f"/sugar/applications/{application.pk}/"
    client.post(f"/sugar/applications/{application.pk}/submit")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    detail = client.get(f"/sugar/applications/{application.pk}/").content.decode()
    assert "Batas keputusan" in detail and "Diajukan, diterima lengkap" in detail


def test_a_refused_submission_shows_the_reason_on_the_page__PI_05(client, owner, api_p, recommendation):
    client.force_login(owner)
    application = draft(owner, recommendation)
    response = client.post(f"/sugar/applications/{application.pk}/submit", follow=True)
    assert "alokasi rakor" in response.content.decode()


def test_the_due_date_counts_three_working_days_past_the_holidays__SLA_04_PI_06(client, owner, api_p, quota, recommendation,
                                                                                 counter_officer, clock):
    """Submitted complete on Monday 21 December 2026: Tuesday 22 and Wednesday 23 count; 24
    December is cuti bersama, 25 Christmas, then the weekend; the third working day is Monday
    28 December 2026 (counted by hand on the calendar)."""
    clock.set(date(2026, 12, 21))
    application = services.sugar_application_submit(application=draft(owner, recommendation), actor=owner)
    assert application.due_date == date(2026, 12, 28)
    client.force_login(counter_officer)
    page = client.get("/sugar/").content.decode()
    assert application.reference in page and "28 Desember 2026" in page


def test_the_officers_work_list_shows_due_dates_and_the_dg_approves__SLA_04_PI_06(client, owner, api_p, quota, recommendation,
                                                                                    dirjen, counter_officer, clock):
    """Submitted complete on Friday 3 July 2026: Monday 6, Tuesday 7 and Wednesday 8 July are
    the three working days (no holiday among them), so the decision is due on 8 July 2026."""
    clock.set(date(2026, 7, 3))
    submitted = services.sugar_application_submit(application=draft(owner, recommendation), actor=owner)
    assert submitted.due_date == date(2026, 7, 8)
    client.force_login(counter_officer)
    page = client.get("/sugar/").content.decode()
    assert submitted.reference in page and "8 Juli 2026" in page
    assert client.post(f"/sugar/applications/{submitted.pk}/approve").status_code == 403
    client.force_login(dirjen)
    response = client.post(f"/sugar/applications/{submitted.pk}/approve")
    sp = SugarPermit.objects.get()
    assert response.status_code == 302 and response.url == f"/sugar/permits/{sp.number}/"
    assert "sedang ditandatangani" in client.get(response.url).content.decode()


def test_an_importer_files_a_report_in_the_browser__PI_11(client, owner, submitted, dirjen):
    sp = mark_signed(services.sugar_application_approve(application=submitted, actor=dirjen))
    client.force_login(owner)
    page = client.get(f"/sugar/permits/{sp.number}/").content.decode()
    assert "Unduh PI" in page
    period = sp.valid_from.strftime("%Y-%m")
    response = client.post(f"/sugar/permits/{sp.number}/reports", {
        "period": period, "destination": "Pabrik sendiri", "pib_number_0": "778899", "pib_date_0": sp.valid_from.isoformat(),
        "hs_code_0": "1701.14.00", "volume_0": "250", "pib_file_0": pdf_upload("pib.pdf"),
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    sp.refresh_from_db()
    assert sp.realized_tonnes == 250 and sp.reports.get().shipments.count() == 1


def test_another_company_cannot_open_the_pages__SEC_01(client, submitted, outsider, dirjen):
    sp = services.sugar_application_approve(application=submitted, actor=dirjen)
    client.force_login(outsider)
    assert client.get(f"/sugar/applications/{submitted.pk}/").status_code == 404
    assert client.get(f"/sugar/permits/{sp.number}/").status_code == 404
    assert submitted.reference not in client.get("/sugar/").content.decode()


def test_anonymous_goes_to_login(client):
    for path in ("/sugar/", "/sugar/applications/new/", "/sugar/recommendations/"):
        response = client.get(path)
        assert response.status_code == 302 and "/accounts/login/" in response.url


def test_an_agency_records_a_recommendation_in_the_browser__PI_03(client, agency, company):
    client.force_login(agency)
    response = client.post("/sugar/recommendations/", {
        "kind": "recommendation", "company_nib": company.nib, "issuer": "Kementerian Perindustrian", "number": "REK-55",
        "date": "2026-01-10", "sugar_type": "GKR", "volume_tonnes": "800", "hs_codes": "1701.99.11, 1701.99.19",
        "origin_countries": ["TH"], "ports": ["IDSUB"], "valid_from": "2026-01-01", "valid_until": "2026-12-31",
    })
    assert response.status_code == 302
    assert "REK-55" in client.get("/sugar/recommendations/").content.decode()


def test_an_officer_enters_a_paper_application_in_the_browser__PI_10(client, counter_officer, company, api_p, quota, recommendation):
    client.force_login(counter_officer)
    assert "manual" in client.get("/sugar/applications/new/").content.decode()
    response = client.post("/sugar/applications/new/", form_lines(
        recommendation=recommendation.pk, company_nib=company.nib, manual_letter=pdf_upload("surat.pdf")))
    application = SugarApplication.objects.get()
    assert response.status_code == 302 and application.is_manual and application.company == company
    client.post(f"/sugar/applications/{application.pk}/submit")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_an_importer_records_a_recommendation_from_its_signed_pdf__PI_03(client, owner):
    client.force_login(owner)
    data = {"kind": "recommendation", "issuer": "Kementerian Perindustrian", "number": "REK-PDF-1", "date": "2026-01-10",
            "sugar_type": "GKM", "volume_tonnes": "800", "hs_codes": "1701.14.00", "origin_countries": ["BR"],
            "ports": ["IDTPP"], "valid_from": "2026-01-01", "valid_until": "2026-12-31"}
    assert client.post("/sugar/recommendations/", data).status_code == 200  # no PDF: the form asks for it
    response = client.post("/sugar/recommendations/", {**data, "file": pdf_upload("rekomendasi.pdf")})
    assert response.status_code == 302
    from sugar_import.models import Recommendation

    rec = Recommendation.objects.get(number="REK-PDF-1")
    assert rec.source == "upload" and rec.company == owner.company and rec.pdf_path


def test_a_returned_application_is_corrected_in_the_browser__SLA_02(client, owner, submitted, counter_officer):
    services.sugar_application_return(application=submitted, actor=counter_officer, reason="Volume salah")
    client.force_login(owner)
    page = client.get(f"/sugar/applications/{submitted.pk}/edit").content.decode()
    assert "1701.14.00" in page
    response = client.post(f"/sugar/applications/{submitted.pk}/edit", {
        "recommendation": submitted.recommendation_id, "hs_code_0": "1701.14.00", "description_0": "Raw sugar",
        "volume_0": "777", "origin_0": "BR", "port_0": "IDTPP"})
    assert response.status_code == 302
    assert [str(l.volume_tonnes) for l in submitted.lines.all()] == ["777.000"]

"""Browser pages of issue #5: the surveyor's LS and monthly report (PI-14), surveyor
designation (PI-14, P14 Pasal 14), research-import exemption letters (PI-16) and the rakor
quota view (PI-05). Each page calls the one service of its transition."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inatrade.models import AuditEntry
from sugar_import import services
from sugar_import.models import (
    SURVEYOR_DOCUMENTS,
    ExemptionLetter,
    ExemptionStatus,
    Purpose,
    QuotaAllocation,
    SugarType,
    Surveyor,
    SurveyorMonthlyReport,
    SurveyorReport,
)
from tests.factories import UserFactory
from tests.sugar_import.conftest import make_quota, pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def surveyor(administrator, surveyor_user):
    return services.surveyor_designate(
        actor=administrator, name="PT Surveyor Indonesia (Persero)", decree_number="KEPMENDAG 123/2026",
        designated_on=date(2025, 12, 1), documents={code: pdf_upload() for code in SURVEYOR_DOCUMENTS}, users=[surveyor_user])


@pytest.fixture
def permit(submitted, dirjen):
    return services.sugar_application_approve(application=submitted, actor=dirjen)


@pytest.fixture
def agency_user(db):
    from accounts.models import Role

    return UserFactory(username="kemenperin2", role=Role.AGENCY)


def ls_data(permit, **extra):
    return {"ls_number": "LS-0001", "icumsa": "1200", "shipping_date": permit.valid_from.isoformat(),
            "volume_tonnes": "400", "truth_statement": "on", **extra}


def exemption_data(**extra):
    return {"applicant_name": "Pusat Penelitian Gula", "identity_number": "3171010101800001",
            "recommendation_reference": "Surat BRIN 12/2026", "goods_description": "Gula untuk uji laboratorium",
            "hs_code": "1701.14.00", "quantity_kg": "25", "self_declaration": "on",
            "recommendation_file": pdf_upload("rekomendasi.pdf"), "declaration_file": pdf_upload("pernyataan.pdf"), **extra}


def record_exemption(counter_officer, company=None):
    return services.exemption_request_record(
        actor=counter_officer, applicant_name="Lab Gula", identity_number="3171010101800001",
        recommendation_reference="Surat BRIN 1/2026", goods_description="Gula uji", hs_code="1701.14.00", quantity_kg="10",
        self_declaration=True, recommendation_file=pdf_upload(), declaration_file=pdf_upload(), company=company)


def _status(client, user, method, url, data=None):
    client.force_login(user)
    return getattr(client, method)(url, data or {}).status_code


# --------------------------------------------------------------------------- surveyor home and LS (PI-14)
def test_it_shows_the_surveyor_home_with_verifiable_permits_only_to_surveyors__PI_14(
        client, surveyor, surveyor_user, permit, owner, counter_officer):
    client.force_login(surveyor_user)
    page = client.get("/sugar/surveyor/")
    assert page.status_code == 200
    body = page.content.decode()
    assert surveyor.name in body and permit.number in body
    assert 'id="link-surveyor-home"' in client.get("/sugar/").content.decode()
    for user in (owner, counter_officer):
        assert _status(client, user, "get", "/sugar/surveyor/") == 403


def test_it_records_an_ls_from_the_permit_page_through_the_service__PI_14(client, surveyor, surveyor_user, permit):
    client.force_login(surveyor_user)
    assert 'id="ls-form"' in client.get(f"/sugar/permits/{permit.number}/").content.decode()
    response = client.post(f"/sugar/permits/{permit.number}/surveyor-reports", ls_data(permit))
    assert response.status_code == 302 and response.url == f"/sugar/permits/{permit.number}/"
    report = SurveyorReport.objects.get()
    assert (report.ls_number, report.icumsa, report.surveyor) == ("LS-0001", 1200, surveyor)
    permit.refresh_from_db()
    assert permit.surveyed_tonnes == Decimal("400")
    assert AuditEntry.objects.filter(action="surveyor_report.record").count() == 1
    assert "LS-0001" in client.get("/sugar/surveyor/").content.decode()


def test_it_shows_an_icumsa_outside_pi_04_next_to_the_field_and_saves_nothing__PI_04_PI_14(
        client, surveyor, surveyor_user, permit):
    client.force_login(surveyor_user)
    response = client.post(f"/sugar/permits/{permit.number}/surveyor-reports",
                           ls_data(permit, icumsa="300", truth_statement=""))
    assert response.status_code == 400
    body = response.content.decode()
    assert 'class="field-error">ICUMSA 300 IU' in body
    assert "Pasal 15 ayat (2)" in body  # the missing truth statement, next to its box
    assert not SurveyorReport.objects.exists()
    permit.refresh_from_db()
    assert permit.surveyed_tonnes == 0
    assert not AuditEntry.objects.filter(action="surveyor_report.record").exists()


def test_it_refuses_an_ls_over_what_the_pi_has_left_and_a_reused_ls_number__PI_14(client, surveyor, surveyor_user, permit):
    client.force_login(surveyor_user)
    over = client.post(f"/sugar/permits/{permit.number}/surveyor-reports", ls_data(permit, volume_tonnes="1000.5"))
    assert over.status_code == 400 and "sisa PI" in over.content.decode()
    client.post(f"/sugar/permits/{permit.number}/surveyor-reports", ls_data(permit))
    again = client.post(f"/sugar/permits/{permit.number}/surveyor-reports", ls_data(permit, volume_tonnes="1"))
    assert again.status_code == 400 and "Nomor LS sudah dipakai" in again.content.decode()
    assert SurveyorReport.objects.count() == 1


def test_it_lets_only_a_surveyor_record_an_ls__PI_14(client, surveyor, permit, owner, counter_officer, dirjen):
    for user in (owner, counter_officer, dirjen):
        assert _status(client, user, "post", f"/sugar/permits/{permit.number}/surveyor-reports", ls_data(permit)) == 403
    assert client.get(f"/sugar/permits/{permit.number}/surveyor-reports").status_code == 405
    assert not SurveyorReport.objects.exists()


def test_it_submits_the_surveyors_monthly_report_once_per_month__PI_14(client, surveyor, surveyor_user, clock):
    clock.set(date(2026, 1, 10))
    client.force_login(surveyor_user)
    response = client.post("/sugar/surveyor/monthly-reports", {"period": "2025-12", "summary": "3 LS diterbitkan"})
    assert response.status_code == 302 and response.url == "/sugar/surveyor/"
    report = SurveyorMonthlyReport.objects.get()
    assert (report.surveyor, report.period, report.submitted_by) == (surveyor, date(2025, 12, 1), surveyor_user)
    assert AuditEntry.objects.filter(action="surveyor_monthly_report.submit").count() == 1
    again = client.post("/sugar/surveyor/monthly-reports", {"period": "2025-12"})
    assert again.status_code == 400 and "sudah disampaikan" in again.content.decode()
    future = client.post("/sugar/surveyor/monthly-reports", {"period": "2026-02"})
    assert future.status_code == 400 and 'class="field-error">2026-02' in future.content.decode()
    bad = client.post("/sugar/surveyor/monthly-reports", {"period": "Desember"})
    assert bad.status_code == 400
    assert SurveyorMonthlyReport.objects.count() == 1


def test_it_refuses_the_monthly_report_of_a_surveyor_whose_designation_was_revoked__PI_14(
        client, surveyor, surveyor_user, clock):
    Surveyor.objects.filter(pk=surveyor.pk).update(status="revoked")
    clock.set(date(2026, 1, 10))
    client.force_login(surveyor_user)
    assert 'id="not-designated"' in client.get("/sugar/surveyor/").content.decode()
    response = client.post("/sugar/surveyor/monthly-reports", {"period": "2025-12"})
    assert response.status_code == 400 and "Pasal 32" in response.content.decode()
    assert not SurveyorMonthlyReport.objects.exists()


# --------------------------------------------------------------------------- designation (PI-14, Pasal 14)
def test_it_lists_surveyors_with_status_and_documents_for_officers_only__PI_14(
        client, surveyor, administrator, counter_officer, owner, surveyor_user):
    client.force_login(administrator)
    page = client.get("/sugar/surveyors/").content.decode()
    assert surveyor.name in page and "KEPMENDAG 123/2026" in page and 'id="designate-form"' in page
    client.force_login(counter_officer)
    page = client.get("/sugar/surveyors/").content.decode()
    assert surveyor.name in page and 'id="designate-form"' not in page
    for user in (owner, surveyor_user):
        assert _status(client, user, "get", "/sugar/surveyors/") == 403


def test_it_designates_a_surveyor_with_every_pasal_14_document__PI_14(client, administrator, surveyor_user):
    client.force_login(administrator)
    data = {"name": "PT Sucofindo", "decree_number": "KEP-9/2026", "designated_on": "2026-01-02", "users": [surveyor_user.pk],
            **{f"doc_{code}": pdf_upload(f"{code}.pdf") for code in SURVEYOR_DOCUMENTS}}
    response = client.post("/sugar/surveyors/designate", data)
    assert response.status_code == 302 and response.url == "/sugar/surveyors/"
    surveyor = Surveyor.objects.get()
    assert surveyor.status == "designated" and set(surveyor.documents) == set(SURVEYOR_DOCUMENTS)
    assert list(surveyor.users.all()) == [surveyor_user]
    assert AuditEntry.objects.filter(action="surveyor_designation.designate").count() == 1


def test_it_marks_each_missing_pasal_14_document_and_designates_nobody__PI_14(client, administrator, counter_officer):
    client.force_login(administrator)
    response = client.post("/sugar/surveyors/designate", {"name": "PT X", "decree_number": "1", "designated_on": "2026-01-02",
                                                          "doc_siujs": pdf_upload()})
    assert response.status_code == 400
    body = response.content.decode()
    assert body.count("Wajib diunggah (Pasal 14 ayat (1))") == len(SURVEYOR_DOCUMENTS) - 1
    not_pdf = {f"doc_{code}": pdf_upload() for code in SURVEYOR_DOCUMENTS}
    not_pdf["doc_npwp"] = SimpleUploadedFile("npwp.pdf", b"not a pdf", content_type="application/pdf")
    response = client.post("/sugar/surveyors/designate", {"name": "PT X", "decree_number": "1", "designated_on": "2026-01-02",
                                                          **not_pdf})
    assert response.status_code == 400
    assert not Surveyor.objects.exists() and not AuditEntry.objects.filter(action="surveyor_designation.designate").exists()
    data = {"name": "PT X", "decree_number": "1", "designated_on": "2026-01-02",
            **{f"doc_{code}": pdf_upload() for code in SURVEYOR_DOCUMENTS}}
    assert _status(client, counter_officer, "post", "/sugar/surveyors/designate", data) == 403
    assert not Surveyor.objects.exists()


# --------------------------------------------------------------------------- exemption letters (PI-16)
def test_it_lets_the_counter_officer_record_an_exemption_request__PI_16(client, counter_officer, company):
    client.force_login(counter_officer)
    assert 'id="exemption-form"' in client.get("/sugar/exemptions/").content.decode()
    response = client.post("/sugar/exemptions/new", exemption_data(company_nib=company.nib))
    letter = ExemptionLetter.objects.get()
    assert response.status_code == 302 and response.url == f"/sugar/exemptions/{letter.pk}/"
    assert (letter.status, letter.company, letter.entered_by) == (ExemptionStatus.SUBMITTED, company, counter_officer)
    assert set(letter.documents) == {"recommendation", "declaration"}
    assert AuditEntry.objects.filter(action="exemption.submit").count() == 1


def test_it_shows_a_missing_self_declaration_next_to_the_field_and_saves_nothing__PI_16(client, counter_officer):
    client.force_login(counter_officer)
    data = exemption_data(self_declaration="")
    del data["declaration_file"]
    response = client.post("/sugar/exemptions/new", data)
    assert response.status_code == 400
    assert 'class="field-error">Surat pernyataan mandiri wajib dilampirkan.' in response.content.decode()
    unknown = client.post("/sugar/exemptions/new", exemption_data(company_nib="9999999999999"))
    assert unknown.status_code == 400 and "NIB ini tidak ditemukan" in unknown.content.decode()
    assert not ExemptionLetter.objects.exists()


def test_it_lets_only_the_counter_officer_record_and_only_the_dg_decide__PI_16(client, counter_officer, dirjen, owner, director):
    for user in (owner, dirjen, director):
        assert _status(client, user, "post", "/sugar/exemptions/new", exemption_data()) == 403
    letter = record_exemption(counter_officer)
    for user in (counter_officer, director, owner):
        assert _status(client, user, "post", f"/sugar/exemptions/{letter.pk}/approve") == 403
    letter.refresh_from_db()
    assert letter.status == ExemptionStatus.SUBMITTED


def test_it_lets_the_dg_approve_an_exemption_letter__PI_16(client, counter_officer, dirjen):
    letter = record_exemption(counter_officer)
    client.force_login(dirjen)
    page = client.get(f"/sugar/exemptions/{letter.pk}/").content.decode()
    assert "Terbitkan surat keterangan" in page
    response = client.post(f"/sugar/exemptions/{letter.pk}/approve")
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.status == ExemptionStatus.APPROVED and letter.letter_number.startswith("SK-PENELITIAN-GULA/")
    assert AuditEntry.objects.filter(action="exemption.approve").count() == 1
    page = client.get(response.url).content.decode()
    assert letter.letter_number in page and "Surat keterangan diterbitkan" in page  # the history, in words


def test_it_needs_a_reason_for_the_dg_to_reject__PI_16(client, counter_officer, dirjen):
    letter = record_exemption(counter_officer)
    client.force_login(dirjen)
    refused = client.post(f"/sugar/exemptions/{letter.pk}/reject", {"reason": ""}, follow=True)
    assert "Alasan wajib diisi" in refused.content.decode()
    letter.refresh_from_db()
    assert letter.status == ExemptionStatus.SUBMITTED
    client.post(f"/sugar/exemptions/{letter.pk}/reject", {"reason": "Rekomendasi tidak sah"})
    letter.refresh_from_db()
    assert (letter.status, letter.decision_reason) == (ExemptionStatus.REJECTED, "Rekomendasi tidak sah")
    again = client.post(f"/sugar/exemptions/{letter.pk}/approve", follow=True)
    letter.refresh_from_db()
    assert letter.status == ExemptionStatus.REJECTED and "tidak dapat" in again.content.decode()


def test_it_shows_an_importer_only_its_own_companys_exemption_letters__PI_16(
        client, counter_officer, company, owner, outsider, surveyor_user):
    mine = record_exemption(counter_officer, company=company)
    other = record_exemption(counter_officer)
    client.force_login(owner)
    page = client.get("/sugar/exemptions/").content.decode()
    assert f"/sugar/exemptions/{mine.pk}/" in page and f"/sugar/exemptions/{other.pk}/" not in page
    assert 'id="exemption-form"' not in page
    assert client.get(f"/sugar/exemptions/{mine.pk}/").status_code == 200
    assert client.get(f"/sugar/exemptions/{other.pk}/").status_code == 404
    client.force_login(outsider)
    assert client.get(f"/sugar/exemptions/{mine.pk}/").status_code == 404
    assert f"/sugar/exemptions/{mine.pk}/" not in client.get("/sugar/exemptions/").content.decode()
    assert _status(client, surveyor_user, "get", "/sugar/exemptions/") == 403


# --------------------------------------------------------------------------- quotas (PI-05)
def test_it_shows_allocated_used_and_remaining_quota_to_officers__PI_05(
        client, permit, quota, counter_officer, agency_user, owner, surveyor_user):
    quota.refresh_from_db()
    client.force_login(counter_officer)
    page = client.get("/sugar/quotas/").content.decode()
    # Indonesian number format: 100000,000 allocated, 1000,000 drawn by the one PI, 99000,000 left.
    assert "<td>GKM</td><td>100.000</td><td>1.000</td><td>99.000</td><td>1</td>" in page
    assert quota.drawn_tonnes == permit.volume_tonnes and 'id="quota-form"' not in page
    assert _status(client, agency_user, "get", "/sugar/quotas/") == 200
    assert 'id="link-quotas"' in client.get("/sugar/recommendations/").content.decode()
    client.force_login(counter_officer)
    assert "/sugar/quotas/" in client.get("/sugar/").content.decode()
    for user in (owner, surveyor_user):
        assert _status(client, user, "get", "/sugar/quotas/") == 403


def test_it_reads_the_quota_view_in_a_constant_number_of_queries__PI_05(client, counter_officer, industry, gkm):
    client.force_login(counter_officer)
    make_quota(industry, gkm, year=2025)
    client.get("/sugar/quotas/")
    with CaptureQueriesContext(connection) as one:
        client.get("/sugar/quotas/")
    for purpose in Purpose.objects.exclude(pk=industry.pk):
        for sugar_type in SugarType.objects.all():
            make_quota(purpose, sugar_type, year=2025)
    with CaptureQueriesContext(connection) as many:
        page = client.get("/sugar/quotas/")
    assert QuotaAllocation.objects.count() > 3 and page.status_code == 200
    assert len(many) == len(one)


def test_it_lets_the_administrator_record_a_rakor_allocation__PI_05(client, administrator, counter_officer, sugar_reference):
    client.force_login(administrator)
    assert 'id="quota-form"' in client.get("/sugar/quotas/").content.decode()
    data = {"year": "2027", "purpose": "industry", "sugar_type": "GKM", "tonnes": "250000", "rakor_reference": "Rakor 3/2026",
            "rakor_date": "2026-11-01"}
    response = client.post("/sugar/quotas/record", data)
    assert response.status_code == 302 and response.url == "/sugar/quotas/"
    quota = QuotaAllocation.objects.get(year=2027)
    assert quota.tonnes == Decimal("250000") and quota.rakor_reference == "Rakor 3/2026"
    assert AuditEntry.objects.filter(action="quota.record").count() == 1
    assert _status(client, counter_officer, "post", "/sugar/quotas/record", {**data, "tonnes": "1"}) == 403
    quota.refresh_from_db()
    assert quota.tonnes == Decimal("250000")


def test_it_refuses_an_allocation_below_what_issued_permits_drew__PI_05(client, administrator, permit, quota):
    quota.refresh_from_db()
    client.force_login(administrator)
    response = client.post("/sugar/quotas/record", {"year": str(quota.year), "purpose": "industry", "sugar_type": "GKM",
                                                    "tonnes": "1"})
    assert response.status_code == 400
    assert f'class="field-error">{quota.drawn_tonnes}' in response.content.decode()
    before = quota.tonnes
    quota.refresh_from_db()
    assert quota.tonnes == before
    bad = client.post("/sugar/quotas/record", {"year": "1999", "purpose": "industry", "sugar_type": "GKM", "tonnes": "-1"})
    assert bad.status_code == 400 and QuotaAllocation.objects.count() == 1


# --------------------------------------------------------------------------- found while building the pages
def test_it_refuses_a_second_surveyor_of_the_same_name_on_the_form__PI_14(client, surveyor, administrator):
    client.force_login(administrator)
    data = {"name": surveyor.name, "decree_number": "KEP-10/2026", "designated_on": "2026-01-02",
            **{f"doc_{code}": pdf_upload() for code in SURVEYOR_DOCUMENTS}}
    response = client.post("/sugar/surveyors/designate", data)
    assert response.status_code == 400 and "sudah ditetapkan" in response.content.decode()
    assert Surveyor.objects.count() == 1


def test_it_stores_no_file_when_one_pasal_14_document_is_not_a_pdf__PI_14(administrator, settings):
    from pathlib import Path

    from inatrade.files import UploadRefused

    documents = {code: pdf_upload() for code in SURVEYOR_DOCUMENTS}
    documents["track_record"] = SimpleUploadedFile("x.pdf", b"not a pdf", content_type="application/pdf")
    with pytest.raises(UploadRefused):
        services.surveyor_designate(actor=administrator, name="PT Y", decree_number="2", designated_on=date(2026, 1, 2),
                                    documents=documents)
    assert not list(Path(settings.MEDIA_ROOT).rglob("*.pdf"))


def test_it_stores_no_file_when_the_exemption_declaration_is_not_a_pdf__PI_16(client, counter_officer, settings):
    from pathlib import Path

    client.force_login(counter_officer)
    bad = SimpleUploadedFile("pernyataan.pdf", b"not a pdf", content_type="application/pdf")
    response = client.post("/sugar/exemptions/new", exemption_data(declaration_file=bad))
    assert response.status_code == 400 and 'class="field-error"' in response.content.decode()
    assert not ExemptionLetter.objects.exists()
    assert not list(Path(settings.MEDIA_ROOT).rglob("*.pdf"))


def test_it_lets_officers_download_the_pasal_14_documents_of_a_surveyor__PI_14(
        client, surveyor, counter_officer, owner, surveyor_user):
    client.force_login(counter_officer)
    page = client.get("/sugar/surveyors/").content.decode()
    assert f"/sugar/surveyors/{surveyor.pk}/documents/siujs" in page
    response = client.get(f"/sugar/surveyors/{surveyor.pk}/documents/siujs")
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert client.get(f"/sugar/surveyors/{surveyor.pk}/documents/unknown").status_code == 404
    for user in (owner, surveyor_user):
        assert _status(client, user, "get", f"/sugar/surveyors/{surveyor.pk}/documents/siujs") == 403


def test_it_serves_exemption_documents_only_to_those_who_may_see_the_request__PI_16(
        client, counter_officer, dirjen, company, owner, outsider):
    letter = record_exemption(counter_officer, company=company)
    url = f"/sugar/exemptions/{letter.pk}/documents/declaration"
    for user in (dirjen, owner):
        client.force_login(user)
        assert url in client.get(f"/sugar/exemptions/{letter.pk}/").content.decode()
        assert client.get(url).status_code == 200
    assert _status(client, outsider, "get", url) == 404

"""Surveyors and Laporan Surveyor (PI-14), exemption letters for research imports (PI-16)."""

from datetime import date
from decimal import Decimal

import pytest

from inatrade.errors import DomainError, InvalidTransition, RuleViolation
from sugar_import import services
from sugar_import.models import SURVEYOR_DOCUMENTS, ExemptionStatus, SurveyorStatus
from tests.conftest import token_client
from tests.sugar_import.conftest import pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def surveyor(administrator, surveyor_user):
    return services.surveyor_designate(
        actor=administrator, name="PT Surveyor Indonesia (Persero)", decree_number="KEPMENDAG 123/2026",
        designated_on=date(2025, 12, 1), documents={code: pdf_upload() for code in SURVEYOR_DOCUMENTS}, users=[surveyor_user])


@pytest.fixture
def permit(submitted, dirjen):
    return services.sugar_application_approve(application=submitted, actor=dirjen)


def ls(permit, user, **kwargs):
    data = {"ls_number": "LS-0001", "icumsa": 1200, "shipping_date": permit.valid_from, "volume_tonnes": "400",
            "truth_statement": True, **kwargs}
    return services.surveyor_report_record(sugar_permit=permit, actor=user, **data)


def test_designation_needs_every_pasal_14_document__PI_14(administrator):
    with pytest.raises(RuleViolation) as err:
        services.surveyor_designate(actor=administrator, name="PT X", decree_number="1", designated_on=date(2026, 1, 1),
                                    documents={"siujs": pdf_upload()})
    assert len(err.value.fields["documents"]) == len(SURVEYOR_DOCUMENTS) - 1


def test_a_surveyor_records_an_ls_checked_against_icumsa_and_volume__PI_14(surveyor, surveyor_user, permit):
    with pytest.raises(RuleViolation) as err:
        ls(permit, surveyor_user, icumsa=300)  # GKM needs ICUMSA >= 600 (PI-04)
    assert "icumsa" in err.value.fields
    with pytest.raises(RuleViolation) as err:
        ls(permit, surveyor_user, volume_tonnes="1000.5")
    assert "volume_tonnes" in err.value.fields
    ls(permit, surveyor_user)
    permit.refresh_from_db()
    assert permit.surveyed_tonnes == Decimal("400")
    with pytest.raises(RuleViolation) as err:
        ls(permit, surveyor_user, ls_number="LS-0002", volume_tonnes="601")  # only 600 t left
    assert "volume_tonnes" in err.value.fields


def test_a_frozen_permit_cannot_be_used_for_an_ls__PI_12_PI_14(surveyor, surveyor_user, permit):
    from sugar_import.models import SugarPermit

    SugarPermit.objects.filter(pk=permit.pk).update(status="frozen")
    permit.refresh_from_db()
    with pytest.raises(InvalidTransition):
        ls(permit, surveyor_user)


def test_an_ls_by_api__PI_14(surveyor, surveyor_user, permit):
    client = token_client(surveyor_user)
    response = client.post(f"/api/v1/sugar/permits/{permit.number}/surveyor-reports", {
        "ls_number": "LS-77", "icumsa": 900, "shipping_date": permit.valid_from.isoformat(), "volume_tonnes": "250",
        "truth_statement": True}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["surveyor"] == "PT Surveyor Indonesia (Persero)"


def test_a_surveyor_missing_two_monthly_reports_loses_the_designation__PI_14(surveyor, surveyor_user, clock):
    clock.set(date(2026, 1, 10))
    services.surveyor_monthly_report_submit(actor=surveyor_user, period=date(2025, 12, 1))
    services.monthly_report_freeze(as_of=date(2026, 2, 16))  # January missed: once
    surveyor.refresh_from_db()
    assert surveyor.status == SurveyorStatus.DESIGNATED
    services.monthly_report_freeze(as_of=date(2026, 3, 16))  # February missed: twice
    surveyor.refresh_from_db()
    assert surveyor.status == SurveyorStatus.REVOKED
    with pytest.raises(DomainError) as err:
        services.surveyor_monthly_report_submit(actor=surveyor_user, period=date(2026, 2, 1))
    assert err.value.code == "surveyor_not_designated"


def test_research_imports_need_a_letter_applied_for_through_uptp_i__PI_16(counter_officer, owner, dirjen):
    base = dict(applicant_name="Pusat Penelitian Gula", identity_number="3171010101800001",
                recommendation_reference="Surat BRIN 12/2026", goods_description="Gula kristal mentah untuk uji",
                hs_code="1701.14.00", quantity_kg="25", recommendation_file=pdf_upload())
    with pytest.raises(DomainError):
        services.exemption_request_record(actor=owner, self_declaration=True, declaration_file=pdf_upload(), **base)
    with pytest.raises(RuleViolation) as err:
        services.exemption_request_record(actor=counter_officer, self_declaration=False, declaration_file=None, **base)
    assert "self_declaration" in err.value.fields
    letter = services.exemption_request_record(actor=counter_officer, self_declaration=True, declaration_file=pdf_upload(), **base)
    letter = services.exemption_decide(letter=letter, actor=dirjen, approve=True)
    assert letter.status == ExemptionStatus.APPROVED and letter.letter_number
    with pytest.raises(InvalidTransition):
        services.exemption_decide(letter=letter, actor=dirjen, approve=False, reason="x")


def test_exemption_letters_by_api__PI_16(counter_officer, dirjen):
    officer = token_client(counter_officer)
    created = officer.post("/api/v1/sugar/exemptions/", {
        "applicant_name": "Pusat Penelitian Gula", "identity_number": "3171010101800001",
        "recommendation_reference": "Surat BRIN 12/2026", "goods_description": "Gula untuk uji", "hs_code": "1701.14.00",
        "quantity_kg": "25", "self_declaration": "true", "recommendation_file": pdf_upload(), "declaration_file": pdf_upload(),
    }, format="multipart")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert officer.post(f"/api/v1/sugar/exemptions/{pk}/approve").status_code == 403
    decided = token_client(dirjen).post(f"/api/v1/sugar/exemptions/{pk}/reject", {"reason": "Rekomendasi tidak sah"}, format="json")
    assert decided.status_code == 200 and decided.json()["status"] == "rejected"

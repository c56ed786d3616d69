"""Applications for API-U / API-P: one API per company, HS sections, routing and the route's
steps with their working-day deadlines (API-01 … API-04, API-09, SLA-04, AUD-01/03)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import AccessStatus
from accounts.selectors import NoActiveAccess
from api_registry import services
from api_registry.models import (
    Api,
    ApiApplication,
    ApiKind,
    ApiStatus,
    ApplicationStatus,
    HsSection,
    ImporterProfile,
    Issuer,
    IssuerKind,
)
from api_registry.selectors import api_route_for
from inatrade.errors import InvalidTransition, RuleViolation
from inatrade.models import AuditEntry, OutgoingEmail
from inatrade.workdays import sla_due_date
from tests.api_registry.conftest import add_documents, issued_api, submitted_application
from tests.factories import CompanyFactory, ImporterFactory

pytestmark = pytest.mark.django_db


def test_it_refuses_a_second_api_for_one_company__API_01(owner, api_u):
    with pytest.raises(RuleViolation) as error:
        services.api_application_create(actor=owner, kind=ApiKind.API_P)
    assert error.value.code == "api_already_held"
    assert Api.objects.filter(company=owner.company).count() == 1


def test_it_refuses_a_second_open_application__API_01(owner, section_iv):
    services.api_application_create(actor=owner, kind=ApiKind.API_U, hs_section=section_iv)
    with pytest.raises(RuleViolation) as error:
        services.api_application_create(actor=owner, kind=ApiKind.API_P)
    assert error.value.code == "api_application_open"


def test_the_database_refuses_two_live_apis_for_one_company__API_01(owner, api_u):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Api.objects.create(number="317100999D", kind=ApiKind.API_P, company=owner.company, issued_on=timezone.localdate())


def test_it_requires_exactly_one_hs_section_for_api_u__API_02(owner, section_iv):
    with pytest.raises(RuleViolation) as error:
        services.api_application_create(actor=owner, kind=ApiKind.API_U)
    assert error.value.code == "hs_section_required"
    with pytest.raises(RuleViolation) as error:
        services.api_application_create(actor=owner, kind=ApiKind.API_P, hs_section=section_iv)
    assert error.value.code == "hs_section_not_allowed"


def test_the_21_hs_sections_are_reference_data__API_02(db):
    assert HsSection.objects.count() == 21
    assert HsSection.objects.get(roman="IV").holds_hs_code("1701.99.10")
    assert not HsSection.objects.get(roman="XVI").holds_hs_code("1701.99.10")


def test_only_users_with_active_access_may_apply__HA_15(owner, section_iv):
    owner.access_status = AccessStatus.BLOCKED
    owner.save()
    with pytest.raises(NoActiveAccess):
        services.api_application_create(actor=owner, kind=ApiKind.API_U, hs_section=section_iv)


def test_it_routes_an_ordinary_company_to_its_province_dinas_with_a_copy_to_its_kab_kota__API_03(owner):
    route = api_route_for(company=owner.company, kind=ApiKind.API_U)
    assert route.issuer.code == "dinas-31" and route.issuer.number_letter == "D"
    assert route.regency.code == "3171"


def test_it_routes_a_bkpm_investment_company_to_bkpm__API_03(owner):
    ImporterProfile.objects.create(company=owner.company, bkpm_investment=True)
    assert api_route_for(company=owner.company, kind=ApiKind.API_U).issuer.kind == IssuerKind.BKPM


def test_it_routes_a_resource_contractor_to_the_director_general_for_api_p_only__API_03(owner, contractor_profile):
    assert api_route_for(company=owner.company, kind=ApiKind.API_P).issuer.kind == IssuerKind.DIRECTOR_GENERAL
    with pytest.raises(RuleViolation) as error:
        api_route_for(company=owner.company, kind=ApiKind.API_U)
    assert error.value.code == "kind_not_allowed_for_route"


def test_it_routes_a_free_trade_zone_company_to_its_badan_pengusahaan__API_03(db):
    company = CompanyFactory(province_code="21", regency_code="2171")
    ImporterProfile.objects.create(company=company, free_trade_zone=Issuer.objects.get(code="bp-batam"))
    assert api_route_for(company=company, kind=ApiKind.API_U).issuer.code == "bp-batam"


def test_it_refuses_submission_without_the_routes_documents__API_04(owner, section_iv):
    application = services.api_application_create(actor=owner, kind=ApiKind.API_U, hs_section=section_iv)
    with pytest.raises(RuleViolation) as error:
        services.api_application_submit(application=application, actor=owner)
    assert error.value.code == "documents_missing"
    assert "akta_pendirian" in error.value.fields
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT


def test_submission_starts_the_kab_kota_inspection_clock_of_3_days_and_the_province_fallback_of_7__API_04(owner):
    application = submitted_application(owner)
    assert application.status == ApplicationStatus.INSPECTION
    assert application.issuer.code == "dinas-31"
    assert application.due_date == sla_due_date("api_inspection_regency", application.submitted_at)
    assert application.province_inspection_due == sla_due_date("api_inspection_province", application.submitted_at)
    assert AuditEntry.objects.filter(object_type="api_registry.apiapplication", action="api_application.submit", to_state="inspection").exists()
    mail = OutgoingEmail.objects.get(template="api_application_received")
    assert owner.company.email in mail.to and application.reference in mail.subject


def test_the_kab_kota_bap_must_be_forwarded_within_2_days_then_the_province_decides_in_5__API_04(owner, regency_officer, province_officer):
    application = submitted_application(owner)
    application = services.api_application_inspect(application=application, actor=regency_officer, result="sesuai", notes="Kantor ada")
    assert application.status == ApplicationStatus.BAP_SIGNED
    assert application.due_date == sla_due_date("api_bap_forward", application.inspected_at)
    assert application.bap_number.startswith("BAP/")
    application = services.api_application_forward(application=application, actor=regency_officer)
    assert application.status == ApplicationStatus.DECISION
    assert application.due_date == sla_due_date("api_issue_province", application.forwarded_at)
    assert application.reject_due_date == sla_due_date("api_reject_province", application.forwarded_at)


def test_the_province_may_inspect_only_once_the_kab_kota_deadline_has_passed__API_04(owner, province_officer):
    application = submitted_application(owner)
    with pytest.raises(InvalidTransition) as error:
        services.api_application_inspect(application=application, actor=province_officer, result="sesuai")
    assert error.value.code == "regency_inspection_pending"
    ApiApplication.objects.filter(pk=application.pk).update(due_date=timezone.localdate() - timedelta(days=1))
    application = services.api_application_inspect(application=application, actor=province_officer, result="sesuai")
    assert application.status == ApplicationStatus.DECISION
    assert application.inspection_level == "province"


def test_an_officer_of_another_kab_kota_or_province_cannot_inspect_or_decide__API_04(owner, other_province_officer, regency_officer):
    application = submitted_application(owner)
    with pytest.raises(services.NotAllowed):
        services.api_application_inspect(application=application, actor=other_province_officer, result="sesuai")
    services.api_application_inspect(application=application, actor=regency_officer, result="sesuai")
    services.api_application_forward(application=application, actor=regency_officer)
    with pytest.raises(services.NotAllowed):
        services.api_application_approve(application=application, actor=other_province_officer)
    with pytest.raises(services.NotAllowed):
        services.api_application_approve(application=application, actor=regency_officer)


def test_the_province_rejects_with_reasons_and_the_company_is_told__API_04(owner, regency_officer, province_officer):
    application = submitted_application(owner)
    services.api_application_inspect(application=application, actor=regency_officer, result="tidak_sesuai")
    services.api_application_forward(application=application, actor=regency_officer)
    with pytest.raises(RuleViolation):
        services.api_application_reject(application=application, actor=province_officer, reason=" ")
    application = services.api_application_reject(application=application, actor=province_officer, reason="Alamat kantor tidak ditemukan")
    assert application.status == ApplicationStatus.REJECTED
    mail = OutgoingEmail.objects.get(template="api_application_rejected")
    assert "Alamat kantor tidak ditemukan" in mail.body
    with pytest.raises(InvalidTransition):
        services.api_application_approve(application=application, actor=province_officer)


def test_the_dg_route_decides_api_p_within_5_working_days__API_04(owner, contractor_profile, dirjen, province_officer):
    application = submitted_application(owner, kind=ApiKind.API_P, issuer_kind=IssuerKind.DIRECTOR_GENERAL)
    assert application.status == ApplicationStatus.DECISION
    assert application.due_date == sla_due_date("api_p_issue_dg", application.submitted_at)
    assert application.reject_due_date == sla_due_date("api_p_reject_dg", application.submitted_at)
    with pytest.raises(services.NotAllowed):
        services.api_application_approve(application=application, actor=province_officer)
    api = services.api_application_approve(application=application, actor=dirjen)
    assert api.kind == ApiKind.API_P and api.number.endswith("P")


def test_the_bkpm_route_has_bkpm_issue_with_letter_b__API_04(owner, bkpm_officer):
    ImporterProfile.objects.create(company=owner.company, bkpm_investment=True)
    application = submitted_application(owner, issuer_kind=IssuerKind.BKPM)
    assert application.status == ApplicationStatus.DECISION and application.due_date is None
    api = services.api_application_approve(application=application, actor=bkpm_officer)
    assert api.number == "317100001B"


def test_issuing_writes_audit_rows_and_emails_the_company__AUD_01(owner, regency_officer, province_officer):
    api = issued_api(owner, regency_officer, province_officer)
    actions = list(AuditEntry.objects.filter(object_type="api_registry.apiapplication", object_id=str(api.application_id)).values_list("action", flat=True))
    assert actions == [
        "api_application.create", "api_application.submit", "api_application.inspect", "api_application.forward",
        "api_application.approve",
    ]
    assert AuditEntry.objects.filter(object_type="api_registry.api", action="api.issue", actor=province_officer).exists()
    assert OutgoingEmail.objects.filter(template="api_issued").exists()


def test_it_refuses_a_new_application_during_the_waiting_period_after_revocation__API_09(owner, api_u, province_officer, section_iv):
    services.api_revoke(api=api_u, actor=province_officer, reason_code="a", note="Tidak memenuhi kewajiban")
    api_u.refresh_from_db()
    assert api_u.new_application_from == services._add_years(timezone.localdate(), 1)
    with pytest.raises(RuleViolation) as error:
        services.api_application_create(actor=owner, kind=ApiKind.API_U, hs_section=section_iv)
    assert error.value.code == "revocation_waiting_period"
    Api.objects.filter(pk=api_u.pk).update(new_application_from=timezone.localdate())
    assert services.api_application_create(actor=owner, kind=ApiKind.API_U, hs_section=section_iv).status == ApplicationStatus.DRAFT


def test_revocation_on_grounds_d_to_h_waits_two_years__API_09(api_u, province_officer):
    api = services.api_revoke(api=api_u, actor=province_officer, reason_code="e", note="API-P diperdagangkan")
    assert api.status == ApiStatus.REVOKED
    assert api.new_application_from == services._add_years(timezone.localdate(), 2)


def test_a_colleague_of_another_company_cannot_submit_the_draft__HA_15(owner, outsider, section_iv):
    application = services.api_application_create(actor=owner, kind=ApiKind.API_U, hs_section=section_iv)
    add_documents(application, owner)
    with pytest.raises(services.NotAllowed):
        services.api_application_submit(application=application, actor=outsider)


def test_api_application_moves_keep_reaching_webhooks_under_their_new_audit_names__USE_04(owner, regency_officer, province_officer):
    """Issue 18 renamed the audit actions ``<object>.<verb>``; the webhook relay still maps an
    API application's submission and approval to its events."""
    from webhooks.services import _audit_event

    api = issued_api(owner, regency_officer, province_officer)
    rows = AuditEntry.objects.filter(object_type="api_registry.apiapplication", object_id=str(api.application_id))
    kinds = [_audit_event(row)[0] for row in rows.filter(action__in=["api_application.submit", "api_application.approve"]).order_by("pk")]
    assert kinds == ["application.submitted", "application.approved"]

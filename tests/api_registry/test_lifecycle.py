"""The life of an API after issuance: what it may back, re-registration, changes, sanctions,
Produsen Importir, quarterly reports and NIB as API (API-02, API-06 … API-12)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from api_registry import services
from api_registry.models import (
    Api,
    ApiChangeRequest,
    ApiKind,
    ApiSource,
    ApiStatus,
    DesignationStatus,
    HsSection,
    ProdusenImportir,
    QuarterlyReport,
)
from api_registry.selectors import ApiRefused, api_assert_can_back_import, issuer_quarterly_recap, quarterly_reports_late
from inatrade.errors import InvalidTransition, RuleViolation
from inatrade.jobs import job_run
from inatrade.models import AuditEntry, OutgoingEmail
from inatrade.workdays import add_working_days
from tests.api_registry.conftest import issued_api

pytestmark = pytest.mark.django_db


# --------------------------------------------------------------------------- API-02 / API-09 for other apps


def test_an_api_u_backs_only_goods_of_its_hs_section__API_02(owner, api_u):
    assert api_assert_can_back_import(company=owner.company, hs_code="1701.14.00") == api_u
    with pytest.raises(ApiRefused) as error:
        api_assert_can_back_import(company=owner.company, hs_code="8471.30.00")
    assert error.value.code == "hs_outside_section"


def test_a_frozen_or_revoked_api_backs_no_permit_application__API_09(owner, api_u, province_officer):
    services.api_freeze(api=api_u, actor=province_officer, reason_code="investigation", note="Penyidikan")
    with pytest.raises(ApiRefused) as error:
        api_assert_can_back_import(company=owner.company, hs_code="1701.14.00")
    assert error.value.code == "api_frozen"
    services.api_revoke(api=api_u, actor=province_officer, reason_code="g")
    with pytest.raises(ApiRefused) as error:
        api_assert_can_back_import(company=owner.company, hs_code="1701.14.00")
    assert error.value.code == "api_revoked"


def test_a_company_without_api_is_refused__API_09(owner):
    with pytest.raises(ApiRefused) as error:
        api_assert_can_back_import(company=owner.company, hs_code="1701.14.00")
    assert error.value.code == "api_missing"


def test_an_api_p_is_required_when_the_caller_asks_for_one__API_01(owner, api_u):
    with pytest.raises(ApiRefused) as error:
        api_assert_can_back_import(company=owner.company, hs_code="1701.14.00", kind=ApiKind.API_P)
    assert error.value.code == "api_kind_mismatch"


# --------------------------------------------------------------------------- API-12


def test_a_company_may_record_its_nib_as_api_and_it_backs_imports__API_12(owner):
    api = services.api_record_nib(actor=owner, kind=ApiKind.API_U, hs_section=HsSection.objects.get(roman="IV"))
    assert api.number == owner.company.nib and api.source == ApiSource.NIB
    assert api_assert_can_back_import(company=owner.company, hs_code="1701.99.00") == api
    with pytest.raises(RuleViolation) as error:
        services.api_record_nib(actor=owner, kind=ApiKind.API_P)
    assert error.value.code == "api_already_held"


def test_a_frozen_nib_as_api_blocks_imports__API_12(owner, dirjen):
    api = services.api_record_nib(actor=owner, kind=ApiKind.API_P)
    services.api_freeze(api=api, actor=dirjen, reason_code="reporting")
    with pytest.raises(ApiRefused):
        api_assert_can_back_import(company=owner.company, hs_code="1701.99.00")


# --------------------------------------------------------------------------- API-06


def test_issuance_hands_the_light_blue_or_green_document_to_permits__API_06(owner, api_u):
    from permits.models import Permit

    permit = Permit.objects.get(number=api_u.number)
    assert permit.kind == "api_u" and permit.holder == owner.company
    content = permit.content
    assert content["holder"]["name"] == owner.company.name
    assert any("Bagian IV" in row["value"] for row in content["fields"])
    assert api_u.versions.get().permit_reference == f"{api_u.number} v1"


# --------------------------------------------------------------------------- API-07


def _due_in(api, days):
    due = timezone.localdate() + timedelta(days=days)
    Api.objects.filter(pk=api.pk).update(reregistration_due=due, reregistration_deadline=add_working_days(due, 30))
    api.refresh_from_db()
    return api


@pytest.mark.parametrize("issued_on, due, deadline", [
    # Counted by hand on the calendar: the fifth anniversary falls on Sunday 3 August 2031,
    # which counts from Monday 4 August (SLA-02); the 30th working day after it is Monday
    # 15 September 2031 (no holiday between: 17 August 2031 is a Sunday).
    (date(2026, 8, 3), date(2031, 8, 3), date(2031, 9, 15)),
    # An API issued on 29 February re-registers on 28 February five years on.
    (date(2028, 2, 29), date(2033, 2, 28), None),
])
def test_reregistration_falls_five_years_after_issuance__API_07(monkeypatch, owner, regency_officer, province_officer,
                                                                   issued_on, due, deadline):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: issued_on)
    api = issued_api(owner, regency_officer, province_officer)
    assert (api.issued_on, api.reregistration_due) == (issued_on, due)
    if deadline:
        assert api.reregistration_deadline == deadline


def test_the_job_reminds_60_and_14_days_before_once_each__API_07(api_u):
    api = _due_in(api_u, 60)
    today = timezone.localdate()
    assert job_run(name="api_reregistration", as_of=today)["reminded_60"] == 1
    assert job_run(name="api_reregistration", as_of=today)["reminded_60"] == 0  # REL-04
    assert OutgoingEmail.objects.filter(template="api_reregistration_reminder").count() == 1
    assert job_run(name="api_reregistration", as_of=today + timedelta(days=46))["reminded_14"] == 1
    assert job_run(name="api_reregistration", as_of=today + timedelta(days=46))["reminded_14"] == 0
    assert OutgoingEmail.objects.filter(template="api_reregistration_reminder").count() == 2
    api.refresh_from_db()
    assert api.status == ApiStatus.ACTIVE


def test_the_job_freezes_the_api_when_the_window_closes__API_07(api_u):
    api = _due_in(api_u, -60)
    as_of = api.reregistration_deadline
    assert job_run(name="api_reregistration", as_of=as_of)["frozen"] == 0  # the last day is still open
    assert job_run(name="api_reregistration", as_of=as_of + timedelta(days=1))["frozen"] == 1
    assert job_run(name="api_reregistration", as_of=as_of + timedelta(days=1))["frozen"] == 0
    api.refresh_from_db()
    assert api.status == ApiStatus.FROZEN and api.sanction_reason.code == "reregistration"
    assert AuditEntry.objects.filter(object_type="api_registry.api", action="api.freeze", actor_role="system").count() == 1
    assert OutgoingEmail.objects.filter(template="api_sanction_notice").count() == 1


def test_run_job_command_takes_an_as_of_date__API_07(api_u):
    api = _due_in(api_u, -60)
    call_command("run_job", "api_reregistration", "--as-of", (api.reregistration_deadline + timedelta(days=3)).isoformat())
    api.refresh_from_db()
    assert api.status == ApiStatus.FROZEN


def test_the_holder_cannot_reregister_before_the_window_opens__API_07(owner, api_u):
    with pytest.raises(InvalidTransition):
        services.api_reregister(api=api_u, actor=owner)  # years before the window opens


@pytest.mark.parametrize("due, day, next_due", [
    # Written out by hand, not computed with the code under test: the next fifth anniversary.
    (date(2031, 10, 10), date(2031, 9, 30), date(2036, 10, 10)),  # 10 days before, inside the 60-day window
    (date(2031, 10, 10), date(2031, 8, 11), date(2036, 10, 10)),  # the window's first day (60 days before)
    (date(2031, 10, 10), date(2037, 1, 5), date(2041, 10, 10)),  # years late: the next anniversary still ahead
    (date(2032, 2, 29), date(2032, 2, 1), date(2037, 2, 28)),  # 29 February falls on 28 February
])
def test_the_holder_reregisters_and_the_next_due_date_moves_five_years__API_07(monkeypatch, owner, api_u, due, day, next_due):
    Api.objects.filter(pk=api_u.pk).update(reregistration_due=due, reregistration_deadline=due + timedelta(days=42))
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)
    api = services.api_reregister(api=Api.objects.get(pk=api_u.pk), actor=owner)
    assert api.reregistration_due == next_due
    assert api.last_reregistered_on == day and api.reminder_stage == 0


# --------------------------------------------------------------------------- API-08


def test_a_change_is_issued_as_an_amended_version_and_the_old_one_is_kept__API_08(owner, api_u, province_officer, django_capture_on_commit_callbacks):
    from permits.models import Permit, PermitStatus, PermitVersion, VersionState

    Permit.objects.filter(number=api_u.number).update(status=PermitStatus.VALID)  # as if signed
    PermitVersion.objects.filter(permit__number=api_u.number).update(state=VersionState.SIGNED)
    change = services.api_change_request_submit(api=api_u, actor=owner, changed_on=timezone.localdate(), company_name="PT Gula Manis Abadi")
    assert change.due_date == add_working_days(change.submitted_at, 3) and not change.reported_late
    version = services.api_change_request_approve(change=change, actor=province_officer)
    api_u.refresh_from_db()
    assert api_u.version == 2 and version.company_name == "PT Gula Manis Abadi"
    old = api_u.versions.get(version=1)
    assert old.superseded_at is not None and old.company_name == "PT Gula Manis Sejahtera"
    owner.company.refresh_from_db()
    assert owner.company.name == "PT Gula Manis Abadi"
    assert Permit.objects.get(number=api_u.number).versions.count() == 2


def test_a_change_reported_after_30_days_is_marked_late__API_08(owner, api_u):
    change = services.api_change_request_submit(api=api_u, actor=owner, changed_on=timezone.localdate() - timedelta(days=31), address="Jl. Baru 1")
    assert change.reported_late


def test_a_change_may_be_rejected_with_reasons__API_08(owner, api_u, province_officer):
    change = services.api_change_request_submit(api=api_u, actor=owner, changed_on=timezone.localdate(), address="Jl. Baru 1")
    services.api_change_request_reject(change=change, actor=province_officer, reason="Akta perubahan tidak dilampirkan")
    change.refresh_from_db()
    assert change.status == "rejected"
    api_u.refresh_from_db()
    assert api_u.version == 1


# --------------------------------------------------------------------------- API-09


def test_freeze_reactivate_and_revoke_need_a_reason_code_and_notify_company_and_customs__API_09(api_u, province_officer):
    with pytest.raises(RuleViolation) as error:
        services.api_freeze(api=api_u, actor=province_officer, reason_code="nonsense")
    assert error.value.code == "invalid_reason_code"
    api = services.api_freeze(api=api_u, actor=province_officer, reason_code="reporting", note="Tiga triwulan tanpa laporan")
    assert api.status == ApiStatus.FROZEN
    api = services.api_reactivate(api=api, actor=province_officer, reason_code="obligation_met")
    assert api.status == ApiStatus.ACTIVE
    api = services.api_revoke(api=api, actor=province_officer, reason_code="d")
    assert api.status == ApiStatus.REVOKED
    mails = OutgoingEmail.objects.filter(template="api_sanction_notice")
    assert mails.count() == 3
    assert all(settings.API_TEMBUSAN_EMAILS["bea_cukai"] in mail.to for mail in mails)
    assert list(AuditEntry.objects.filter(object_type="api_registry.api").values_list("action", flat=True))[-3:] == ["api.freeze", "api.reactivate", "api.revoke"]
    with pytest.raises(InvalidTransition):
        services.api_reactivate(api=api, actor=province_officer, reason_code="obligation_met")


def test_only_the_issuer_may_sanction_an_api__API_09(api_u, other_province_officer, dirjen):
    with pytest.raises(services.NotAllowed):
        services.api_freeze(api=api_u, actor=other_province_officer, reason_code="reporting")
    with pytest.raises(services.NotAllowed):
        services.api_freeze(api=api_u, actor=dirjen, reason_code="reporting")


# --------------------------------------------------------------------------- API-10


@pytest.fixture
def api_p(owner, regency_officer, province_officer):
    return issued_api(owner, regency_officer, province_officer, kind=ApiKind.API_P)


def test_an_api_p_holder_is_designated_produsen_importir_by_the_dg_in_5_days__API_10(owner, api_p, dirjen, province_officer):
    designation = services.produsen_importir_apply(api=api_p, actor=owner, purpose="tes_pasar", goods="8418.10 lemari pendingin")
    assert designation.due_date == add_working_days(designation.submitted_at, 5)
    with pytest.raises(services.NotAllowed):
        services.produsen_importir_approve(designation=designation, actor=province_officer)
    designation = services.produsen_importir_approve(designation=designation, actor=dirjen)
    assert designation.status == DesignationStatus.DESIGNATED


def test_an_api_u_holder_cannot_be_designated__API_10(owner, api_u):
    with pytest.raises(RuleViolation) as error:
        services.produsen_importir_apply(api=api_u, actor=owner, purpose="tes_pasar", goods="x")
    assert error.value.code == "api_p_required"


def test_a_revoked_designation_may_be_sought_again_only_after_a_year__API_10(owner, api_p, dirjen):
    designation = services.produsen_importir_apply(api=api_p, actor=owner, purpose="komplementer", goods="8501 motor listrik")
    services.produsen_importir_approve(designation=designation, actor=dirjen)
    designation = services.produsen_importir_revoke(designation=designation, actor=dirjen, reason_code="a")
    assert designation.redesignation_from == services._add_years(timezone.localdate(), 1)
    with pytest.raises(RuleViolation) as error:
        services.produsen_importir_apply(api=api_p, actor=owner, purpose="komplementer", goods="8501")
    assert error.value.code == "redesignation_waiting_period"
    ProdusenImportir.objects.filter(pk=designation.pk).update(redesignation_from=timezone.localdate())
    assert services.produsen_importir_apply(api=api_p, actor=owner, purpose="komplementer", goods="8501").status == "submitted"


# --------------------------------------------------------------------------- API-11


def _backdate(api, day):
    Api.objects.filter(pk=api.pk).update(issued_on=day)
    api.refresh_from_db()
    return api


def test_holders_report_each_ended_quarter_realized_or_not__API_11(owner, api_u):
    today = timezone.localdate()
    with pytest.raises(RuleViolation) as error:
        services.quarterly_report_submit(api=api_u, actor=owner, year=today.year, quarter=(today.month - 1) // 3 + 1, realized=False)
    assert error.value.code == "quarter_not_ended"
    report = services.quarterly_report_submit(api=api_u, actor=owner, year=today.year - 1, quarter=4, realized=False)
    assert report.period == f"{today.year - 1}Q4"
    with pytest.raises(InvalidTransition):
        services.quarterly_report_submit(api=api_u, actor=owner, year=today.year - 1, quarter=4, realized=True, shipments=2)


def test_the_job_flags_holders_late_with_the_quarterly_report_once__API_11(owner, api_u):
    api = _backdate(api_u, date(2025, 1, 10))
    assert job_run(name="quarterly_report_check", as_of=date(2026, 4, 10))["flagged"] == 0  # grace period
    assert job_run(name="quarterly_report_check", as_of=date(2026, 4, 20))["flagged"] == 1
    assert job_run(name="quarterly_report_check", as_of=date(2026, 4, 20))["flagged"] == 0  # REL-04
    api.refresh_from_db()
    assert api.missed_quarter == "2026Q1"
    assert OutgoingEmail.objects.filter(template="api_quarterly_missed").count() == 1
    assert list(quarterly_reports_late(issuer=api.issuer, year=2026, quarter=1)) == [api]
    services.quarterly_report_submit(api=api, actor=owner, year=2026, quarter=1, realized=True, shipments=3, value_usd="125000.00")
    api.refresh_from_db()
    assert api.missed_quarter == ""
    assert list(quarterly_reports_late(issuer=api.issuer, year=2026, quarter=1)) == []


def test_the_issuer_recap_counts_issued_apis_and_realizations__API_11(owner, api_u):
    api = _backdate(api_u, date(2026, 2, 3))
    services.quarterly_report_submit(api=api, actor=owner, year=2026, quarter=1, realized=True, shipments=3, value_usd="1000.50")
    recap = issuer_quarterly_recap(issuer=api.issuer, year=2026, quarter=1)
    assert recap["issued"] == {"API-U": 1}
    assert recap["reports_filed"] == 1 and recap["reports_realized"] == 1
    assert recap["shipments"] == 3 and Decimal(recap["value_usd"]) == Decimal("1000.50") and recap["late"] == 0


def test_a_late_reregistration_reactivates_an_api_frozen_for_missing_it__API_07(owner, api_u):
    api = _due_in(api_u, -60)
    job_run(name="api_reregistration", as_of=api.reregistration_deadline + timedelta(days=1))
    api.refresh_from_db()
    assert api.status == ApiStatus.FROZEN
    api = services.api_reregister(api=api, actor=owner)
    assert api.status == ApiStatus.ACTIVE and api.reregistration_due > timezone.localdate()
    assert job_run(name="api_reregistration", as_of=timezone.localdate())["frozen"] == 0
    assert AuditEntry.objects.filter(object_type="api_registry.api", action="api.reregister", from_state="frozen", to_state="active").exists()


def test_an_api_frozen_for_another_reason_cannot_be_reregistered_back_to_life__API_07(owner, api_u, province_officer):
    api = _due_in(api_u, 10)
    services.api_freeze(api=api, actor=province_officer, reason_code="investigation")
    with pytest.raises(InvalidTransition):
        services.api_reregister(api=api, actor=owner)

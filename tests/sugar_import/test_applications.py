"""The application → submit → return → approve/reject flow (PI-01…PI-08, SLA-02, AUD-01/02/03)."""

from datetime import date
from decimal import Decimal

import pytest

from accounts.models import AccessStatus
from inatrade.audit import timeline_for
from inatrade.errors import DomainError, InvalidTransition, RuleViolation
from inatrade.models import OutgoingEmail
from inatrade.workdays import sla_due_date
from permits.models import Permit, PermitStatus
from sugar_import import services
from sugar_import.models import ApplicationStatus, Purpose, QuotaAllocation, SugarApplication, SugarPermit, SugarType
from tests.factories import CompanyFactory, ImporterFactory
from tests.sugar_import.conftest import draft, line, make_quota, make_recommendation, pdf_upload, record_api_p

pytestmark = pytest.mark.django_db


def test_it_starts_the_three_day_clock_when_a_complete_application_is_received__SLA_02_PI_06(submitted):
    assert submitted.status == ApplicationStatus.SUBMITTED
    assert submitted.due_date == sla_due_date("sugar_pi_decision", submitted.submitted_at)
    assert OutgoingEmail.objects.filter(template="sugar_application_received").count() == 1


def test_it_refuses_a_user_without_active_access__PI_01_HA_15(owner, api_p, quota, recommendation):
    application = draft(owner, recommendation)
    owner.access_status = AccessStatus.REVOKED
    owner.save()
    with pytest.raises(DomainError) as err:
        services.sugar_application_submit(application=application, actor=owner)
    assert err.value.status == 403


def test_it_refuses_a_company_without_an_api_p_for_industry_when_the_draft_is_saved__PI_02(owner, quota, recommendation):
    """Issue 17: the importer learns it at once, not only on submission, in a sentence."""
    with pytest.raises(RuleViolation) as err:
        draft(owner, recommendation)
    assert err.value.fields["purpose"] == ["Tujuan ini memerlukan API-P; perusahaan belum memiliki API."]
    assert not SugarApplication.objects.exists()


def test_it_refuses_on_submission_when_the_api_p_is_gone_since_the_draft__PI_02(owner, api_p, quota, recommendation):
    from api_registry.models import Api

    application = draft(owner, recommendation)
    Api.objects.filter(company=owner.company).update(kind="API-U")
    with pytest.raises(RuleViolation) as err:
        services.sugar_application_submit(application=application, actor=owner)
    assert "api" in err.value.fields


def test_it_refuses_gkp_to_a_company_that_is_not_bumn__PI_02(owner, api_p, agency, company):
    gkp = SugarType.objects.get(code="GKP")
    purpose = Purpose.objects.get(code="stabilization_gkp")
    make_quota(purpose, gkp)
    assignment = make_recommendation(agency, company, number="SP-1/MBU/2026", sugar_type=gkp, kind="assignment")
    with pytest.raises(RuleViolation) as err:
        services.sugar_application_create(
            actor=owner, purpose=purpose, sugar_type=gkp, assignment=assignment, lines=[line(hs="1701.91.00")])
    assert err.value.fields["purpose"] == ["Tujuan ini hanya untuk BUMN."]


def test_it_accepts_gkp_from_a_bumn_with_an_assignment_and_the_pi_states_it__PI_02_PI_08(agency, dirjen):
    bumn = CompanyFactory(name="PT Perkebunan Nusantara (Persero)", is_bumn=True)
    user = ImporterFactory(company=bumn)
    record_api_p(user)
    gkp = SugarType.objects.get(code="GKP")
    purpose = Purpose.objects.get(code="stabilization_gkp")
    make_quota(purpose, gkp)
    assignment = make_recommendation(agency, bumn, number="SP-2/MBU/2026", sugar_type=gkp, kind="assignment")
    application = services.sugar_application_create(
        actor=user, purpose=purpose, sugar_type=gkp, assignment=assignment, lines=[line(hs="1701.91.00")])
    services.sugar_application_submit(application=application, actor=user)
    sp = services.sugar_application_approve(application=application, actor=dirjen)
    # PI-07: stabilization PIs are valid for at most 6 months (Pasal 5(2)).
    assert (sp.valid_until - sp.valid_from).days <= 184
    # PI-08 c.: the Surat penugasan's number and date, in the content and on the letter.
    from permits.documents import tanggal
    from permits.services import render_version_html

    assignment_date = assignment.date.isoformat()
    assert sp.permit.content["assignment"] == {"issuer": assignment.issuer, "number": "SP-2/MBU/2026", "date": assignment_date}
    assert {"label": "Surat penugasan", "value": f"SP-2/MBU/2026 tanggal {tanggal(assignment.date)}"} in sp.permit.content["holder_documents"]
    html = render_version_html(sp.permit.versions.get())
    assert "Surat penugasan" in html and f"SP-2/MBU/2026 tanggal {tanggal(assignment.date)}" in html


def test_it_refuses_an_hs_code_of_another_sugar_type__PI_04(owner, api_p, quota, recommendation):
    application = draft(owner, recommendation, lines=[line(hs="1701.99.11")])
    with pytest.raises(RuleViolation) as err:
        services.sugar_application_submit(application=application, actor=owner)
    assert "lines.0.hs_code" in err.value.fields


def test_it_refuses_what_the_recommendation_does_not_allow__PI_03(owner, api_p, quota, recommendation):
    application = draft(owner, recommendation, lines=[line(volume="6000", origin="IN", port="IDBLW")])
    with pytest.raises(RuleViolation) as err:
        services.sugar_application_submit(application=application, actor=owner)
    fields = err.value.fields
    assert "lines.0.origin_country" in fields and "lines.0.port_of_discharge" in fields


def test_it_refuses_a_draft_beyond_what_is_left_of_the_recommendation__PI_03(owner, api_p, quota, recommendation):
    """Issue 17: a 999,999 t draft is refused when saved, saying what is left."""
    with pytest.raises(RuleViolation) as err:
        draft(owner, recommendation, lines=[line(volume="999999")])
    assert err.value.fields["recommendation"] == ["Volume 999999.000 ton melebihi sisa Rekomendasi (50000.000 ton)."]


def test_it_refuses_an_expired_recommendation__PI_03(owner, api_p, quota, agency, company):
    old = make_recommendation(agency, company, number="REK-OLD", valid_from=date(2020, 1, 1), valid_until=date(2020, 12, 31))
    with pytest.raises(RuleViolation) as err:
        services.sugar_application_submit(application=draft(owner, old), actor=owner)
    assert "recommendation" in err.value.fields


def test_it_refuses_an_application_beyond_the_rakor_quota__PI_05(owner, api_p, industry, gkm, recommendation):
    quota = make_quota(industry, gkm, tonnes="5000")
    application = draft(owner, recommendation)
    QuotaAllocation.objects.filter(pk=quota.pk).update(tonnes=500)
    with pytest.raises(RuleViolation) as err:
        services.sugar_application_submit(application=application, actor=owner)
    assert err.value.code == "quota_exceeded"


def test_it_refuses_a_draft_beyond_the_rakor_quota_left__PI_05(owner, api_p, industry, gkm, recommendation):
    make_quota(industry, gkm, tonnes="500")
    with pytest.raises(RuleViolation) as err:
        draft(owner, recommendation)
    assert err.value.fields["quota"] == ["Volume 1000.000 ton melebihi sisa kuota rakor (500.000 ton)."]


def test_it_refuses_without_a_rakor_allocation__PI_05(owner, api_p, recommendation):
    with pytest.raises(RuleViolation) as err:
        services.sugar_application_submit(application=draft(owner, recommendation), actor=owner)
    assert "quota" in err.value.fields


def test_kite_needs_its_documents__PI_02(owner, api_p, gkm):
    kite = Purpose.objects.get(code="kite")
    make_quota(kite, gkm)
    application = services.sugar_application_create(
        actor=owner, purpose=kite, sugar_type=gkm, lines=[line()], period_from=date(2026, 1, 1), period_until=date(2099, 6, 30))
    with pytest.raises(RuleViolation) as err:
        services.sugar_application_submit(application=application, actor=owner)
    assert len(err.value.fields["documents"]) == 2
    services.sugar_application_document_add(application=application, actor=owner, kind="kite_decision", upload=pdf_upload())
    services.sugar_application_document_add(application=application, actor=owner, kind="no_domestic_sale", upload=pdf_upload())
    assert services.sugar_application_submit(application=application, actor=owner).status == ApplicationStatus.SUBMITTED


def test_a_return_stops_the_clock_and_a_resubmission_starts_it_afresh__SLA_02(submitted, counter_officer, owner):
    returned = services.sugar_application_return(application=submitted, actor=counter_officer, reason="Lampiran kurang jelas")
    assert returned.status == ApplicationStatus.RETURNED and returned.due_date is None
    assert OutgoingEmail.objects.filter(template="sugar_application_returned").exists()
    again = services.sugar_application_submit(application=returned, actor=owner)
    assert again.status == ApplicationStatus.SUBMITTED and again.due_date is not None


def test_only_the_director_general_decides__PI_06(submitted, counter_officer, director):
    for user in (counter_officer, director):
        with pytest.raises(DomainError) as err:
            services.sugar_application_approve(application=submitted, actor=user)
        assert err.value.status == 403


def test_it_issues_the_permit_and_draws_the_quota_on_approval__PI_06_PI_05(submitted, dirjen, quota, recommendation):
    sp = services.sugar_application_approve(application=submitted, actor=dirjen)
    submitted.refresh_from_db()
    assert submitted.status == ApplicationStatus.APPROVED
    assert sp.permit.kind == "sugar_pi" and sp.permit.status == PermitStatus.AWAITING_SIGNATURE
    quota.refresh_from_db()
    recommendation.refresh_from_db()
    assert quota.drawn_tonnes == Decimal("1000") and recommendation.used_tonnes == Decimal("1000")
    assert OutgoingEmail.objects.filter(template="sugar_permit_issued").count() == 1
    # PI-07: industry PIs are valid as long as the Rekomendasi (Pasal 5(1)).
    assert sp.valid_until == recommendation.valid_until


def test_the_permit_carries_every_field_of_pasal_8__PI_08(submitted, dirjen, api_p, company, recommendation):
    sp = services.sugar_application_approve(application=submitted, actor=dirjen)
    content = sp.permit.content
    assert content["api"]["number"] == company.nib  # a. NIB as API
    assert content["recommendation"] == {  # b.
        "issuer": recommendation.issuer, "number": "REK-001/IND/2026", "date": recommendation.date.isoformat()}
    # c. no Surat penugasan backs this application, so the PI claims none (the field when there
    # is one: test_it_accepts_gkp_from_a_bumn_with_an_assignment_and_the_pi_states_it__PI_02_PI_08).
    assert content["assignment"] is None
    assert not any("penugasan" in doc["label"].lower() for doc in content["holder_documents"])
    assert content["holder"]["name"] == company.name and content["holder"]["address"] == company.address  # d.
    assert content["lines"][0]["hs_code"] == "1701.14.00"  # e.
    assert content["sugar_type"]["code"] == "GKM"  # f.
    assert content["volume_tonnes"] == "1000.000"  # g.
    assert content["lines"][0]["origin_country"] == "Brasil"  # h. (the letter is in Indonesian: Country.name)
    assert "Tanjung Priok" in content["lines"][0]["port_of_discharge"]  # i.
    assert sp.permit.number == sp.number and sp.permit.versions.get().issued_on == sp.issued_on  # j.
    assert sp.permit.valid_from and sp.permit.valid_until  # k.
    assert any("dilarang diperdagangkan" in c for c in content["conditions"])  # PI-15


def test_it_renders_the_permit_in_the_lampiran_iv_format__PI_08_DOC_01(submitted, dirjen):
    from permits.services import render_version_html

    sp = services.sugar_application_approve(application=submitted, actor=dirjen)
    html = render_version_html(sp.permit.versions.get())
    for text in (sp.number, "Persetujuan Impor Gula", "REK-001/IND/2026", "1701.14.00", "Brasil", "Tanjung Priok", "1.000,000"):
        assert text in html


def test_approving_twice_is_a_conflict__REL_01(submitted, dirjen):
    services.sugar_application_approve(application=submitted, actor=dirjen)
    with pytest.raises(InvalidTransition):
        services.sugar_application_approve(application=submitted, actor=dirjen)
    assert Permit.objects.count() == 1 and SugarPermit.objects.count() == 1


def test_a_rejection_needs_reasons_and_is_emailed__PI_06(submitted, dirjen):
    with pytest.raises(RuleViolation):
        services.sugar_application_reject(application=submitted, actor=dirjen, reason=" ")
    rejected = services.sugar_application_reject(application=submitted, actor=dirjen, reason="Data tidak benar")
    assert rejected.status == ApplicationStatus.REJECTED
    assert "Data tidak benar" in OutgoingEmail.objects.get(template="sugar_application_rejected").body


def test_every_state_change_is_in_the_timeline__AUD_01_AUD_02(submitted, counter_officer, owner, dirjen):
    services.sugar_application_return(application=submitted, actor=counter_officer, reason="Perbaiki")
    services.sugar_application_submit(application=submitted, actor=owner)
    services.sugar_application_approve(application=submitted, actor=dirjen)
    steps = [(e.action, e.from_state, e.to_state, e.actor_role) for e in timeline_for(submitted)]
    assert [s[0] for s in steps] == [
        "sugar_application.create", "sugar_application.submit", "sugar_application.return",
        "sugar_application.submit", "sugar_application.approve",
    ]
    assert steps[-1][1:] == ("submitted", "approved", "director_general")


def test_the_permit_letter_writes_every_date_in_words__DOC_01(submitted, dirjen, recommendation):
    """Issue 17 finding 10: the PI PDF had one ISO date (the Rekomendasi's, "2026-07-14")."""
    import json
    import re

    sp = services.sugar_application_approve(application=submitted, actor=dirjen)
    printed = json.dumps(sp.permit.content.get("holder_documents"), ensure_ascii=False)
    assert recommendation.number in printed
    assert not re.search(r"\d{4}-\d{2}-\d{2}", printed), printed

"""Amendments (PI-09) and force-majeure manual entry (PI-10)."""

from decimal import Decimal

import pytest

from inatrade.errors import DomainError, InvalidTransition, RuleViolation
from inatrade.models import OutgoingEmail
from inatrade.workdays import sla_due_date
from permits.models import PermitVersion
from sugar_import import services
from sugar_import.models import AmendmentStatus, ApplicationStatus, Purpose, SugarType
from tests.sugar_import.conftest import line, mark_signed, pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def valid_permit(submitted, dirjen):
    return mark_signed(services.sugar_application_approve(application=submitted, actor=dirjen))


def test_an_amendment_is_decided_in_three_working_days_and_is_a_new_signed_version__PI_09(valid_permit, owner, dirjen, quota):
    amendment = services.amendment_submit(
        sugar_permit=valid_permit, actor=owner, reason="Tambah volume dan ganti pelabuhan", address="Jl. Gula Baru 2, Cilegon",
        lines=[line("1500", port="IDSUB")])
    assert amendment.due_date == sla_due_date("sugar_pi_amendment", amendment.submitted_at)
    services.amendment_approve(amendment=amendment, actor=dirjen)
    amendment.refresh_from_db()
    valid_permit.refresh_from_db()
    quota.refresh_from_db()
    assert amendment.status == AmendmentStatus.APPROVED and amendment.version_no == 2
    assert valid_permit.volume_tonnes == Decimal("1500") and quota.drawn_tonnes == Decimal("1500")
    version = PermitVersion.objects.get(permit=valid_permit.permit, version_no=2)
    assert version.content["holder"]["address"] == "Jl. Gula Baru 2, Cilegon"
    assert "Tanjung Perak" in version.content["lines"][0]["port_of_discharge"]
    assert version.supersedes_id == valid_permit.permit.current_version_id  # superseded once signed (DOC-06)
    assert OutgoingEmail.objects.filter(template="sugar_amendment_decided").exists()


def test_an_amendment_cannot_take_more_than_the_quota_left__PI_09_PI_05(valid_permit, owner, dirjen, quota):
    type(quota).objects.filter(pk=quota.pk).update(tonnes=Decimal("1200"))
    amendment = services.amendment_submit(sugar_permit=valid_permit, actor=owner, reason="Tambah", lines=[line("1300")])
    with pytest.raises(RuleViolation) as err:
        services.amendment_approve(amendment=amendment, actor=dirjen)
    assert err.value.code == "quota_exceeded"


def test_an_amendment_is_rejected_with_reasons__PI_09(valid_permit, owner, dirjen):
    amendment = services.amendment_submit(sugar_permit=valid_permit, actor=owner, reason="Ganti alamat", address="Jl. X")
    with pytest.raises(InvalidTransition):
        services.amendment_submit(sugar_permit=valid_permit, actor=owner, reason="Lagi", address="Jl. Y")
    services.amendment_reject(amendment=amendment, actor=dirjen, reason="Tidak sesuai akta")
    amendment.refresh_from_db()
    assert amendment.status == AmendmentStatus.REJECTED


def test_an_officer_enters_a_paper_application_in_force_majeure__PI_10(counter_officer, company, api_p, quota, recommendation, dirjen):
    with pytest.raises(RuleViolation):
        services.sugar_application_create(actor=counter_officer, company=company, purpose=Purpose.objects.get(code="industry"),
                                          sugar_type=SugarType.objects.get(code="GKM"), recommendation=recommendation, lines=[line()])
    application = services.sugar_application_create(
        actor=counter_officer, company=company, purpose=Purpose.objects.get(code="industry"),
        sugar_type=SugarType.objects.get(code="GKM"), recommendation=recommendation, lines=[line()],
        manual_letter=pdf_upload("surat.pdf"))
    assert application.is_manual and application.manual_letter_path
    # The same rules and deadlines apply.
    submitted = services.sugar_application_submit(application=application, actor=counter_officer)
    assert submitted.status == ApplicationStatus.SUBMITTED and submitted.due_date
    sp = services.sugar_application_approve(application=submitted, actor=dirjen)
    assert sp.company == company


def test_an_importer_cannot_enter_for_another_company__PI_10(owner, outsider, recommendation):
    with pytest.raises(DomainError):
        services.sugar_application_create(actor=outsider, purpose=Purpose.objects.get(code="industry"),
                                          sugar_type=SugarType.objects.get(code="GKM"), recommendation=recommendation, lines=[line()])

"""API-09: notices of a freeze, reactivation or revocation go to the company with the copies
(tembusan) P27 Pasal 41 names for the issuer: 41(2) BKPM and 41(3) the Director General copy
the Minister, the DG of Customs, the Dinas Provinsi and the Dinas and PDPPM of the Kab/Kota
where the company is domiciled; 41(4) a Dinas Provinsi copies the Direktur Impor, the DG of
Customs and the Dinas of the Kab/Kota."""

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import AccessStatus, Role
from api_registry import services
from api_registry.models import ApiKind, IssuerKind, IssuerMembership
from tests.api_registry.conftest import submitted_application
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

COPIES = settings.API_TEMBUSAN_EMAILS


@pytest.fixture
def other_regency_officer(dinas_dki):
    """An officer of the Kab/Kota Dinas of Jakarta Selatan (3174): not the owner's Kab/Kota."""
    user = UserFactory(username="kabkota3174", role=Role.ISSUER_OFFICER, position="Dinas Kota Administrasi Jakarta Selatan")
    IssuerMembership.objects.create(user=user, issuer=dinas_dki, regency_id="3174")
    return user


def notice(subject_word: str):
    [message] = [m for m in mail.outbox if subject_word in m.subject]
    return message


def test_a_dinas_freeze_notice_copies_customs_the_direktur_impor_and_the_kab_kota_only__API_09(
    owner, api_u, regency_officer, province_officer, other_regency_officer, django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        services.api_freeze(api=api_u, actor=province_officer, reason_code="reporting")
    message = notice("pembekuan")
    assert owner.email in message.to and owner.company.email in message.to
    assert COPIES["bea_cukai"] in message.to and COPIES["direktur_impor"] in message.to
    assert regency_officer.email in message.to
    assert other_regency_officer.email not in message.to
    assert COPIES["menteri"] not in message.to  # Pasal 41(4) does not copy the Minister
    assert province_officer.email not in message.to  # the Dinas Provinsi sends it
    indonesian, english = message.body.split("-" * 60)
    assert "pembekuan (Pasal 35)" in indonesian
    assert (
        "Tembusan:\n1. Direktur Impor\n2. Direktur Jenderal Bea dan Cukai\n"
        "3. Kepala Dinas Kabupaten/Kota (Kota Administrasi Jakarta Pusat)"
    ) in indonesian
    assert "Cc:\n1. Director of Imports\n2. Director General of Customs and Excise\n" in english
    assert "freeze (Article 35)" in english


def test_a_director_general_revocation_also_copies_the_minister_and_the_province_dinas__API_09(
    owner, contractor_profile, dirjen, regency_officer, province_officer, other_regency_officer,
    django_capture_on_commit_callbacks,
):
    application = submitted_application(owner, kind=ApiKind.API_P, issuer_kind=IssuerKind.DIRECTOR_GENERAL)
    api = services.api_application_approve(application=application, actor=dirjen)
    with django_capture_on_commit_callbacks(execute=True):
        services.api_revoke(api=api, actor=dirjen, reason_code="b")
    message = notice("pencabutan")
    assert owner.email in message.to
    assert {COPIES["menteri"], COPIES["bea_cukai"], province_officer.email, regency_officer.email} <= set(message.to)
    assert COPIES["direktur_impor"] not in message.to  # Pasal 41(3) does not name the Direktur Impor
    assert other_regency_officer.email not in message.to
    assert (
        "Tembusan:\n1. Menteri Perdagangan\n2. Direktur Jenderal Bea dan Cukai\n"
        "3. Kepala Dinas Provinsi (Daerah Khusus Ibukota Jakarta)\n"
        "4. Kepala Dinas Kabupaten/Kota (Kota Administrasi Jakarta Pusat)\n"
        "5. Kepala PDPPM Kabupaten/Kota (Kota Administrasi Jakarta Pusat)"
    ) in message.body


def test_the_reregistration_job_freeze_carries_the_same_copies__API_09(owner, api_u, regency_officer, other_regency_officer):
    from inatrade.models import OutgoingEmail

    services.api_reregistration_job(as_of=api_u.reregistration_deadline.replace(year=api_u.reregistration_deadline.year + 1))
    message = OutgoingEmail.objects.get(template="api_sanction_notice")
    assert {owner.email, COPIES["bea_cukai"], COPIES["direktur_impor"], regency_officer.email} <= set(message.to)
    assert other_regency_officer.email not in message.to
    assert "Kepala Dinas Kabupaten/Kota (Kota Administrasi Jakarta Pusat)" in message.body


def test_the_copies_cost_the_same_queries_with_one_or_many_officers__API_09(owner, api_u, dinas_dki, province_officer):
    def freeze_and_reactivate() -> int:
        with CaptureQueriesContext(connection) as ctx:
            services.api_freeze(api=api_u, actor=province_officer, reason_code="reporting")
            services.api_reactivate(api=api_u, actor=province_officer, reason_code="obligation_met")
        return len(ctx.captured_queries)

    freeze_and_reactivate()  # warm
    few = freeze_and_reactivate()
    for n in range(10):
        user = UserFactory(username=f"kabkota3171x{n}", role=Role.ISSUER_OFFICER)
        IssuerMembership.objects.create(user=user, issuer=dinas_dki, regency_id="3171")
    many = freeze_and_reactivate()
    assert few == many


def test_a_revoked_user_of_the_company_gets_no_sanction_notice__API_09_HA_12(
    owner, api_u, province_officer, django_capture_on_commit_callbacks,
):
    """Issue 18: a company's notices go to ``accounts.selectors.company_recipients``; a user whose
    access right was revoked (still ``is_active``) is no longer among them, on an officer's
    freeze as on the job's."""
    from inatrade.models import OutgoingEmail

    revoked = UserFactory(username="dicabut1", role=Role.IMPORTER, company=owner.company, access_status=AccessStatus.REVOKED)
    assert revoked.is_active
    with django_capture_on_commit_callbacks(execute=True):
        services.api_freeze(api=api_u, actor=province_officer, reason_code="reporting")
        services.api_reactivate(api=api_u, actor=province_officer, reason_code="obligation_met")
    messages = [m for m in mail.outbox if "pembekuan" in m.subject or "pengaktifan" in m.subject]
    assert len(messages) == 2
    assert all(owner.email in m.to and revoked.email not in m.to for m in messages)
    services.api_reregistration_job(as_of=api_u.reregistration_deadline.replace(year=api_u.reregistration_deadline.year + 1))
    job_notice = OutgoingEmail.objects.filter(template="api_sanction_notice").latest("pk")
    assert owner.email in job_notice.to and revoked.email not in job_notice.to

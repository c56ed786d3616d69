"""SEC-01 / HA-14 (issue 15, item 2): a registration cannot take over a company that has a
holder. ``_previous_records`` used to link any company with the same NPWP, and approving the
registration overwrote the company's name, NIB, address and region and added the registrant
as one more user of it."""

import pytest
from django.urls import reverse

from accounts import services
from accounts.models import AccessStatus, Company, Registration, User
from accounts.services.registration import CompanyHasAccess
from inatrade.models import AuditEntry
from tests.accounts.test_registration import API, _multipart
from tests.factories import CompanyFactory, ImporterFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def holder(fields):
    """A company with an active access holder, under the NPWP and NIB of ``fields``."""
    company = CompanyFactory(name="PT Pemilik Asli", npwp="012345674012000", nib="9120001112223",
                             address="Jl. Asli No. 1", regency_code="3171", province_code="31")
    return ImporterFactory(company=company)


def _unchanged(company):
    before = Company.objects.values().get(pk=company.pk)
    return lambda: Company.objects.values().get(pk=company.pk) == before


def test_the_api_refuses_a_registration_under_the_npwp_of_a_company_with_access__SEC_01_HA_14(
    api_client, fields, uploads, holder
):
    response = api_client.post(API, _multipart(fields, uploads()), format="multipart")
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "company_has_access"
    assert "pemegang Hak Akses" in error["message"] and "kredensial yang hilang" in error["message"]
    assert "npwp" in error["fields"]
    assert not Registration.objects.exists()


def test_the_nib_of_a_company_with_access_is_refused_too__SEC_01_HA_14(api_client, fields, uploads, holder):
    response = api_client.post(API, _multipart({**fields, "npwp": "1234567890123456"}, uploads()), format="multipart")
    assert response.status_code == 409 and response.json()["error"]["fields"].keys() == {"nib"}
    assert not Registration.objects.exists()


def test_a_blocked_holder_still_holds_the_company__SEC_01_HA_10_HA_14(api_client, fields, uploads, holder):
    services.user_report_lost_credentials(user=holder)
    response = api_client.post(API, _multipart(fields, uploads()), format="multipart")
    assert response.status_code == 409 and response.json()["error"]["code"] == "company_has_access"


def test_the_form_shows_the_refusal_beside_the_npwp__SEC_01_HA_14(client, fields, uploads, holder):
    response = client.post(reverse("register"), _multipart(fields, uploads()))
    html = response.content.decode()
    assert response.status_code == 400 and "pemegang Hak Akses" in html
    assert not Registration.objects.exists()


def test_approval_refuses_when_the_company_gained_a_holder_meanwhile__SEC_01_HA_14(
    validated, director
):
    """The race: submitted while no company had the NPWP; before the director decides, a
    company with that NPWP and an active holder exists. Approval neither overwrites it nor
    adds the registrant to it."""
    company = CompanyFactory(name="PT Pemilik Asli", npwp=validated.npwp, nib="9999999999999")
    ImporterFactory(company=company)
    unchanged = _unchanged(company)
    users = User.objects.count()
    with pytest.raises(CompanyHasAccess):
        services.registration_approve(registration=validated, actor=director)
    validated.refresh_from_db()
    assert validated.status == "validated" and validated.company is None
    assert unchanged() and User.objects.count() == users


def test_a_revoked_company_is_linked_and_its_details_change_through_an_audited_change__HA_14(
    fields, uploads, validated, director, counter_officer, administrator
):
    user = services.registration_approve(registration=validated, actor=director)
    services.user_revoke(user=user, actor=administrator, reason_code="untrue_data")
    again = services.registration_submit(data={**fields, "company_name": "PT Sinar Gula Baru"}, files=uploads())
    assert again.previous_company == user.company
    services.registration_validate(registration=again, actor=counter_officer, result="valid")
    new_user = services.registration_approve(registration=again, actor=director)
    assert new_user.company == user.company and new_user.company.name == "PT Sinar Gula Baru"
    change = AuditEntry.objects.get(action="company.update_details")
    assert change.object_id == str(user.company.pk) and change.actor_id == director.pk
    assert change.data["changes"]["name"] == ["PT Sinar Gula Abadi", "PT Sinar Gula Baru"]
    assert again.reference in change.reason


def test_the_admin_changes_company_details_through_the_audited_change(client, administrator):
    company = CompanyFactory(name="PT Lama")
    client.force_login(administrator)
    data = {
        "name": "PT Baru", "jenis_trader": company.jenis_trader, "nib": company.nib, "npwp": company.npwp,
        "address": company.address, "regency_code": company.regency_code, "email": company.email, "phone": company.phone,
    }
    response = client.post(reverse("admin:accounts_company_change", args=[company.pk]), data)
    assert response.status_code == 302
    change = AuditEntry.objects.get(action="company.update_details")
    assert change.data["changes"]["name"] == ["PT Lama", "PT Baru"]


def test_the_status_pages_of_a_pending_registration_show_no_npwp__SEC_01(client, submitted):
    """Issue 15 (Low): the secret-link pages of a pending registration show neither the NPWP
    nor any run of its digits (the Lampiran II document behind the link keeps it, HA-05)."""
    npwp = submitted.npwp
    runs = {npwp[i:i + 6] for i in range(len(npwp) - 5)}
    for name in ("registration_status", "registration_done"):
        html = client.get(reverse(name, args=[submitted.access_key])).content.decode()
        assert submitted.reference in html
        assert npwp not in html and submitted.npwp_formatted not in html
        assert not [run for run in runs if run in html], name

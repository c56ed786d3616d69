"""The Kab/Kota of domicile asked at registration (browser form and API): it decides the issuer
of the company's API (API-03: the Dinas of its province, the Kab/Kota office inspecting, API-04)
and the region digits of its number (API-05). Unknown codes are refused beside the field and
nothing is saved (HA-02, HA-03); the admin offers the same validated choice."""

import re

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from accounts import services
from accounts.models import Company, Registration, RegistrationDocument, Role
from api_registry import services as api_services
from api_registry.models import ApiKind, ApplicationStatus, Issuer, IssuerMembership
from api_registry.selectors import api_applications_visible_to, api_route_for
from inatrade.errors import DomainError
from inatrade.models import OutgoingEmail
from tests.api_registry.conftest import submitted_application
from tests.conftest import token_client
from tests.factories import CompanyFactory, UserFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/registrations/"


def _multipart(fields, files):
    return {**fields, "jenis_usaha": list(fields["jenis_usaha"]), **files}


def _stored_files():
    try:
        return default_storage.listdir("registrations")[1]
    except FileNotFoundError:
        return []


@pytest.fixture
def jakarta_selatan_office(db):
    """An officer of the Kab/Kota Dinas office of Jakarta Selatan (3174), under DKI's Dinas."""
    user = UserFactory(username="kabkota3174", role=Role.ISSUER_OFFICER, position="Dinas Kota Administrasi Jakarta Selatan")
    IssuerMembership.objects.create(user=user, issuer=Issuer.objects.get(code="dinas-31"), regency_id="3174")
    return user


@pytest.fixture
def jakarta_pusat_office(db):
    user = UserFactory(username="kabkota3171", role=Role.ISSUER_OFFICER, position="Dinas Kota Administrasi Jakarta Pusat")
    IssuerMembership.objects.create(user=user, issuer=Issuer.objects.get(code="dinas-31"), regency_id="3171")
    return user


def _assert_routed_to_dki_and_jakarta_selatan(importer, jakarta_selatan_office, jakarta_pusat_office):
    """The company applies for an API-U: the Dinas of DKI issues, the 3174 office inspects."""
    company = importer.company
    assert (company.province_code, company.regency_code) == ("31", "3174")
    route = api_route_for(company=company, kind=ApiKind.API_U)
    assert route.issuer.code == "dinas-31" and route.regency.code == "3174"

    application = submitted_application(importer)
    assert application.status == ApplicationStatus.INSPECTION
    assert application.issuer.code == "dinas-31" and application.regency_id == "3174"
    assert application in api_applications_visible_to(user=jakarta_selatan_office)
    assert application not in api_applications_visible_to(user=jakarta_pusat_office)
    with pytest.raises(DomainError):
        api_services.api_application_inspect(application=application, actor=jakarta_pusat_office, result="sesuai")
    application = api_services.api_application_inspect(application=application, actor=jakarta_selatan_office, result="sesuai")
    assert application.inspection_level == "regency" and application.status == ApplicationStatus.BAP_SIGNED


# --- through the browser form and through the API ------------------------------------------------


def test_a_company_registered_through_the_form_in_3174_is_routed_to_the_dinas_of_dki__API_03_API_04(
    client, fields, uploads, counter_officer, director, jakarta_selatan_office, jakarta_pusat_office,
    django_capture_on_commit_callbacks,
):
    assert fields["regency_code"] == "3174"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("register"), {**fields, **uploads()})
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.regency_code == "3174" and registration.city == "Kota Administrasi Jakarta Selatan"

    services.registration_validate(registration=registration, actor=counter_officer, result="valid")
    user = services.registration_approve(registration=registration, actor=director)

    company = Company.objects.get(pk=user.company_id)
    assert (company.province_code, company.regency_code) == ("31", "3174")
    assert company.address == (
        "Jl. Gatot Subroto No. 10, Jakarta Selatan, Kota Administrasi Jakarta Selatan, Daerah Khusus Ibukota Jakarta"
    )
    _assert_routed_to_dki_and_jakarta_selatan(user, jakarta_selatan_office, jakarta_pusat_office)


def test_a_company_registered_through_the_api_in_3174_is_routed_to_the_dinas_of_dki__API_03_API_04(
    api_client, fields, uploads, counter_officer, director, jakarta_selatan_office, jakarta_pusat_office,
):
    response = api_client.post(API, _multipart(fields, uploads()), format="multipart")
    assert response.status_code == 201, response.content
    registration = Registration.objects.get(pk=response.json()["id"])
    assert registration.regency_code == "3174"

    assert token_client(counter_officer).post(
        f"/api/v1/registrations/{registration.pk}/validate", {"result": "valid"}, format="json"
    ).status_code == 200
    approved = token_client(director).post(f"/api/v1/registrations/{registration.pk}/approve", {}, format="json")
    assert approved.status_code == 200, approved.content
    registration.refresh_from_db()
    _assert_routed_to_dki_and_jakarta_selatan(registration.user, jakarta_selatan_office, jakarta_pusat_office)


def test_the_api_accepts_a_code_written_with_a_dot__API_05(api_client, fields, uploads):
    response = api_client.post(API, _multipart({**fields, "regency_code": "31.74"}, uploads()), format="multipart")
    assert response.status_code == 201, response.content
    assert Registration.objects.get().regency_code == "3174"


# --- unknown or missing codes: a field error, nothing saved ---------------------------------------


@pytest.mark.parametrize(
    "code, message",
    [
        ("9999", "Kabupaten/kota tidak dikenal"),
        ("3199", "Kabupaten/kota tidak dikenal"),  # a province that exists, a Kab/Kota that does not
        ("31", "Kabupaten/kota tidak dikenal"),  # a province is not a Kab/Kota
        ("Jakarta", "Kabupaten/kota tidak dikenal"),  # the old free-text city
        ("", "Pilih kabupaten/kota domisili"),
    ],
)
def test_the_api_refuses_an_unknown_or_missing_kab_kota_and_saves_nothing__API_03(api_client, fields, uploads, code, message):
    response = api_client.post(API, _multipart({**fields, "regency_code": code}, uploads()), format="multipart")
    body = response.json()
    assert response.status_code == 400
    assert body["error"]["code"] == "invalid"
    assert list(body["error"]["fields"]) == ["regency_code"]
    if code:  # a blank value is refused by the serializer ("may not be blank"), in the same shape
        assert any(message in text for text in body["error"]["fields"]["regency_code"]), body
    assert Registration.objects.count() == 0 and RegistrationDocument.objects.count() == 0
    assert _stored_files() == [] and OutgoingEmail.objects.count() == 0


def test_the_api_requires_the_kab_kota_and_the_schema_says_so__API_03(api_client, fields, uploads):
    del fields["regency_code"]
    response = api_client.post(API, _multipart(fields, uploads()), format="multipart")
    assert response.status_code == 400 and "regency_code" in response.json()["error"]["fields"]
    assert Registration.objects.count() == 0

    schema = api_client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    body = schema["paths"]["/api/v1/registrations/"]["post"]["requestBody"]["content"]["multipart/form-data"]["schema"]
    component = schema["components"]["schemas"][body["$ref"].rsplit("/", 1)[1]]
    assert "regency_code" in component["required"] and "city" not in component["properties"]
    assert "Kemendagri" in component["properties"]["regency_code"]["description"]


@pytest.mark.parametrize("code, message", [("9999", "Kabupaten/kota tidak dikenal"), ("", "Pilih kabupaten/kota domisili")])
def test_the_form_shows_the_kab_kota_error_beside_the_field_and_saves_nothing__API_03(client, fields, uploads, code, message):
    response = client.post(reverse("register"), {**fields, "regency_code": code, **uploads()})
    html = response.content.decode()
    assert response.status_code == 400
    block = re.search(r'<div class="field has-error" data-field="regency_code">.*?</div>', html, re.S)
    assert block and message in block.group(0)
    assert Registration.objects.count() == 0 and _stored_files() == [] and OutgoingEmail.objects.count() == 0


def test_the_form_offers_every_kab_kota_searchable_without_script__API_03(client):
    """Issue 17: a <datalist> the browser filters as one types (no script); each entry names
    its province; what is chosen or typed ("Jakarta Selatan (3174)", "31.74") gives the code."""
    html = client.get(reverse("register")).content.decode()
    assert re.search(r'<input type="text" name="regency_code"[^>]*list="regency-options"', html)
    datalist = re.search(r'<datalist id="regency-options">(.*?)</datalist>', html, re.S).group(1)
    assert len(re.findall(r"<option value=\"[^\"]+ \(\d{4}\)\">", datalist)) == 514
    assert '<option value="Kota Administrasi Jakarta Selatan (3174)">Daerah Khusus Ibukota Jakarta</option>' in datalist


@pytest.mark.parametrize("typed", ["Kota Administrasi Jakarta Selatan (3174)", "31.74", "kota administrasi jakarta selatan"])
def test_the_kab_kota_is_read_from_what_was_chosen_or_typed__API_03(typed, db):
    from accounts.forms import regency_code_from_text

    assert regency_code_from_text(typed) == "3174"


# --- review screens and the registration document -------------------------------------------------


def test_the_counter_officer_sees_the_kab_kota_and_province_on_the_registration__API_03(client, submitted, counter_officer):
    client.force_login(counter_officer)
    html = client.get(reverse("registration_detail", args=[submitted.pk])).content.decode()
    regency = re.search(r'<dd id="registration-regency">(.*?)</dd>', html, re.S).group(1)
    assert regency == "Kota Administrasi Jakarta Selatan (3174) · Daerah Khusus Ibukota Jakarta"


# --- records made before the Kab/Kota was asked ---------------------------------------------------


def test_a_registration_made_before_the_kab_kota_was_asked_is_still_shown_and_approved__API_03(
    client, validated, counter_officer, director
):
    Registration.objects.filter(pk=validated.pk).update(regency_code="", city="Jakarta")
    client.force_login(counter_officer)
    html = client.get(reverse("registration_detail", args=[validated.pk])).content.decode()
    assert "Jl. Gatot Subroto No. 10, Jakarta Selatan, Jakarta" in html
    assert "tidak dipilih pada registrasi ini" in html
    validated.refresh_from_db()
    user = services.registration_approve(registration=validated, actor=director)
    # the codes stay blank, as before: an administrator fills them in (the Dinas route says so)
    assert (user.company.province_code, user.company.regency_code) == ("", "")
    assert user.company.address == "Jl. Gatot Subroto No. 10, Jakarta Selatan, Jakarta"


def test_a_re_registration_gives_the_company_its_new_kab_kota__HA_14_API_03(
    fields, uploads, validated, director, counter_officer, administrator
):
    user = services.registration_approve(registration=validated, actor=director)
    services.user_revoke(user=user, actor=administrator, reason_code="untrue_data")
    again = services.registration_submit(data={**fields, "regency_code": "3578"}, files=uploads())
    services.registration_validate(registration=again, actor=counter_officer, result="valid")
    new_user = services.registration_approve(registration=again, actor=director)
    assert new_user.company_id == user.company_id
    assert (new_user.company.province_code, new_user.company.regency_code) == ("35", "3578")


# --- the admin ------------------------------------------------------------------------------------


def _admin_company_post(company, **changes):
    data = {
        "name": company.name, "jenis_trader": company.jenis_trader, "nib": company.nib, "npwp": company.npwp,
        "address": company.address, "regency_code": company.regency_code, "email": company.email, "phone": company.phone,
    }
    data.update(changes)
    return data


def test_the_admin_offers_a_validated_kab_kota_and_derives_the_province__API_03(client, administrator):
    company = CompanyFactory(province_code="", regency_code="")
    client.force_login(administrator)
    url = reverse("admin:accounts_company_change", args=[company.pk])
    html = client.get(url).content.decode()
    assert '<select name="regency_code"' in html and '<optgroup label="Daerah Khusus Ibukota Jakarta">' in html

    refused = client.post(url, _admin_company_post(company, regency_code="9999"))
    assert refused.status_code == 200 and "Kabupaten/kota tidak dikenal" in refused.content.decode()
    company.refresh_from_db()
    assert (company.province_code, company.regency_code) == ("", "")

    saved = client.post(url, _admin_company_post(company, regency_code="3174"))
    assert saved.status_code == 302
    company.refresh_from_db()
    assert (company.province_code, company.regency_code) == ("31", "3174")

    # a company may be kept without a Kab/Kota (as existing ones are); the province follows
    client.post(url, _admin_company_post(company, regency_code=""))
    company.refresh_from_db()
    assert (company.province_code, company.regency_code) == ("", "")


def test_the_admin_flags_an_unknown_code_an_older_company_holds__API_03(client, administrator):
    company = CompanyFactory(province_code="31", regency_code="3199")
    client.force_login(administrator)
    url = reverse("admin:accounts_company_change", args=[company.pk])
    assert "3199 — kode tidak dikenal" in client.get(url).content.decode()
    response = client.post(url, _admin_company_post(company))
    assert response.status_code == 200 and "Kabupaten/kota tidak dikenal" in response.content.decode()
    company.refresh_from_db()
    assert company.regency_code == "3199"  # unchanged until a known Kab/Kota is chosen

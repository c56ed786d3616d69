"""style.md habit 7 / SEC-01 for the accounts pages and API: anonymous users and the wrong
roles are refused; an importer never reaches registrations."""

import pytest
from django.urls import reverse

from accounts.models import Role
from tests.conftest import token_client
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

OFFICER_PAGES = ["registration_list", "access_holders"]


def test_officer_pages_refuse_anonymous_and_importers(client, owner):
    for name in OFFICER_PAGES:
        assert client.get(reverse(name)).status_code == 302
    client.force_login(owner)
    for name in OFFICER_PAGES:
        assert client.get(reverse(name)).status_code == 403


def test_registration_pages_refuse_importers_and_anonymous(client, owner, submitted):
    urls = [
        reverse("registration_detail", args=[submitted.pk]),
        reverse("registration_file", args=[submitted.pk, "document"]),
        reverse("registration_file", args=[submitted.pk, "tdp"]),
    ]
    posts = [
        reverse("registration_validate", args=[submitted.pk]),
        reverse("registration_assign_verifier", args=[submitted.pk]),
        reverse("registration_field_result", args=[submitted.pk]),
        reverse("registration_decide", args=[submitted.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 302
    client.force_login(owner)
    for url in urls:
        assert client.get(url).status_code == 403
    for url in posts:
        assert client.post(url, {}).status_code == 403


def test_each_action_admits_only_its_role(client, submitted, counter_officer, director):
    client.force_login(director)
    assert client.post(reverse("registration_validate", args=[submitted.pk]), {"result": "valid"}).status_code == 403
    client.force_login(counter_officer)
    assert client.post(reverse("registration_decide", args=[submitted.pk]), {"decision": "approve"}).status_code == 403
    assert client.get(reverse("registration_file", args=[submitted.pk, "tdp"])).status_code == 200


@pytest.mark.parametrize(
    "path, allowed",
    [
        ("/api/v1/registrations/", {Role.COUNTER_OFFICER, Role.FIELD_VERIFIER, Role.DIRECTOR, Role.ADMINISTRATOR}),
    ],
)
def test_api_work_list_by_role(api_client, path, allowed):
    assert api_client.get(path).status_code == 401
    for role in Role.values:
        user = UserFactory(role=role)
        status = token_client(user).get(path).status_code
        assert (status == 200) == (role in allowed), (role, status)


def test_api_actions_refuse_anonymous(api_client, submitted, owner):
    for suffix in ("validate", "approve", "reject", "field-verification", "field-verification/result"):
        response = api_client.post(f"/api/v1/registrations/{submitted.pk}/{suffix}", {}, format="json")
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "not_authenticated"
    assert api_client.post(f"/api/v1/users/{owner.pk}/revoke", {}, format="json").status_code == 401
    assert api_client.post("/api/v1/me/report-lost-credentials").status_code == 401


def test_the_admin_lists_registrations_read_only(client, administrator, submitted):
    client.force_login(administrator)
    for model in ("registration", "bap", "revocation", "company", "user"):
        assert client.get(f"/admin/accounts/{model}/").status_code == 200, model
    assert client.get(f"/admin/accounts/registration/?q={submitted.npwp}").status_code == 200
    page = client.get(f"/admin/accounts/registration/{submitted.pk}/change/")
    assert page.status_code == 200 and 'name="status"' not in page.content.decode()
    assert client.get("/admin/accounts/registration/add/").status_code == 403

"""SEC-04 / HA-09 on the API (issue 15 item 5).

A user who must change the password cannot get a new token, and now cannot keep using the
API either, with an existing token or a browser session. Tokens expire, and die with a
password change, a block (lost credentials), a revocation and an administrator's reset; the
admin's reset forces a change at the next login."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts import services
from accounts.models import ApiToken, User
from tests.conftest import token_client
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

ROUTES = ["/api/v1/me", "/api/v1/api-applications/", "/api/v1/sugar/applications/"]


def _forced(user):
    User.objects.filter(pk=user.pk).update(must_change_password=True)


@pytest.mark.parametrize("url", ROUTES)
def test_an_existing_token_is_refused_until_the_password_is_changed__SEC_04_HA_09(owner, url):
    client = token_client(owner)
    assert client.get(url).status_code == 200
    _forced(owner)
    response = client.get(url)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "password_change_required"
    assert response.json()["error"]["message"]


@pytest.mark.parametrize("url", ROUTES)
def test_a_browser_session_is_refused_on_the_api_until_the_password_is_changed__SEC_04_HA_09(owner, url):
    client = APIClient()
    client.force_login(owner)
    assert client.get(url).status_code == 200
    _forced(owner)
    response = client.get(url)
    assert response.status_code == 403 and response.json()["error"]["code"] == "password_change_required"


def test_a_password_older_than_the_maximum_age_is_refused_too__SEC_04_HA_09(owner, settings):
    client = token_client(owner)
    User.objects.filter(pk=owner.pk).update(password_changed_at=timezone.now() - timedelta(days=settings.PASSWORD_MAX_AGE_DAYS + 1))
    assert client.get("/api/v1/me").json()["error"]["code"] == "password_change_required"


def test_the_user_may_still_revoke_the_token__SEC_04(owner):
    client = token_client(owner)
    _forced(owner)
    assert client.delete("/api/v1/auth/token").status_code == 204
    assert not ApiToken.objects.filter(user=owner).exists()


def test_a_token_expires_after_its_lifetime__SEC_04(owner, settings):
    settings.API_TOKEN_LIFETIME_HOURS = 24
    response = APIClient().post("/api/v1/auth/token", {"username": owner.username, "password": DEFAULT_PASSWORD}, format="json")
    assert response.status_code == 200 and response.json()["expires_at"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert client.get("/api/v1/me").status_code == 200
    ApiToken.objects.filter(user=owner).update(created_at=timezone.now() - timedelta(hours=25))
    expired = client.get("/api/v1/me")
    assert expired.status_code == 401 and expired.json()["error"]["code"] == "authentication_failed"


def test_a_password_change_revokes_every_token__SEC_04(owner):
    client = token_client(owner)
    services.user_password_change(user=owner, new_password="Baru#Sekali2027")
    assert not ApiToken.objects.filter(user=owner).exists()
    assert client.get("/api/v1/me").status_code == 401


def test_a_token_issued_before_the_current_password_is_dead_whatever_set_it__SEC_04(owner):
    """Any path that sets a password (a set-password link, a script) leaves older tokens dead."""
    client = token_client(owner)
    owner.set_password("Lain#Sekali2027")
    owner.save(update_fields=["password", "password_changed_at"])
    assert client.get("/api/v1/me").status_code == 401


def test_reporting_lost_credentials_and_revocation_delete_the_tokens__SEC_04_HA_10_HA_12(owner, colleague, director):
    token_client(owner), token_client(colleague)
    services.user_report_lost_credentials(user=owner)
    assert not ApiToken.objects.filter(user=owner).exists()
    services.user_revoke(user=colleague, actor=director, reason_code="misuse")
    assert not ApiToken.objects.filter(user=colleague).exists()


def test_an_admin_password_reset_forces_a_change_and_revokes_tokens__SEC_04_HA_09(owner, administrator):
    api = token_client(owner)
    admin = Client()
    admin.force_login(administrator)
    response = admin.post(reverse("admin:auth_user_password_change", args=[owner.pk]),
                          {"password1": "Reset#Admin2027", "password2": "Reset#Admin2027", "usable_password": "true"})
    assert response.status_code == 302, response.content[:500]
    owner.refresh_from_db()
    assert owner.must_change_password
    assert not ApiToken.objects.filter(user=owner).exists()
    assert api.get("/api/v1/me").status_code == 401
    browser = Client()
    browser.post(reverse("login"), {"username": owner.username, "password": "Reset#Admin2027"})
    assert browser.get(reverse("dashboard")).url == reverse("password_change")

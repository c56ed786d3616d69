"""SEC-04: passwords, login throttling and lockout, CSRF on session-authenticated POSTs,
session and cookie flags, production settings. (``check --deploy`` with production settings
and the refusal to start without SECRET_KEY are proved in tests/inatrade/test_pages.py;
weak passwords at first use in tests/accounts/test_access_rights.py.)"""

import json
import subprocess
import sys

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db


# --- passwords --------------------------------------------------------------------------------


@pytest.mark.parametrize("password", ["pendek1!", "12345678901", "Password1!", "{username}#Aa1"])
def test_the_password_change_refuses_weak_passwords__SEC_04(client, owner, password):
    password = password.format(username=owner.username.lower() + owner.email)
    client.force_login(owner)
    response = client.post(reverse("password_change"), {
        "old_password": DEFAULT_PASSWORD, "new_password1": password, "new_password2": password})
    assert response.status_code == 200  # the form again, with the reason
    errors = response.context["form"].errors
    assert errors.get("new_password2") or errors.get("new_password1"), errors
    assert str(next(iter(errors.values()))[0]) in response.content.decode()  # shown on the page
    owner.refresh_from_db()
    assert owner.check_password(DEFAULT_PASSWORD)


def test_passwords_are_stored_hashed__SEC_04(owner):
    assert DEFAULT_PASSWORD not in owner.password and "$" in owner.password


# --- throttling and lockout ---------------------------------------------------------------------


def test_the_token_endpoint_throttles_guessing_from_one_address__SEC_04(api_client):
    """THROTTLE_LOGIN (20/minute): many user ids tried from one address are slowed down even
    though none of them reaches the per-user lockout."""
    statuses = [
        api_client.post("/api/v1/auth/token", {"username": f"GUESS{i:02d}", "password": "salah"}, format="json").status_code
        for i in range(22)
    ]
    assert statuses[0] in (400, 401)
    assert statuses[-1] == 429
    body = api_client.post("/api/v1/auth/token", {"username": "X", "password": "y"}, format="json").json()
    assert body["error"]["code"] == "throttled"


def test_five_api_failures_lock_the_user_id_for_the_browser_too__SEC_04(api_client, owner):
    for _ in range(5):
        api_client.post("/api/v1/auth/token", {"username": owner.username, "password": "salah"}, format="json")
    locked = api_client.post("/api/v1/auth/token", {"username": owner.username, "password": DEFAULT_PASSWORD}, format="json")
    assert locked.status_code in (403, 429) and "token" not in locked.json()
    browser = Client()
    response = browser.post(reverse("login"), {"username": owner.username, "password": DEFAULT_PASSWORD})
    assert response.status_code == 429 and "_auth_user_id" not in browser.session


# --- CSRF ---------------------------------------------------------------------------------------


def test_a_browser_post_without_the_csrf_token_is_refused__SEC_04(owner):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(owner)
    refused = browser.post(reverse("lost_credentials"), {})
    assert refused.status_code == 403
    owner.refresh_from_db()
    assert owner.access_status == "active"


def test_a_session_authenticated_api_post_needs_the_csrf_token__SEC_04(owner):
    api = APIClient(enforce_csrf_checks=True)
    api.force_login(owner)
    refused = api.post("/api/v1/me/report-lost-credentials", {}, format="json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["error"]["message"]
    owner.refresh_from_db()
    assert owner.access_status == "active"
    # With the token from the cookie, the same session may write.
    api.get("/accounts/dashboard/")
    token = api.cookies["csrftoken"].value
    accepted = api.post("/api/v1/api-applications/", {"kind": "API-Z"}, format="json", HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 400  # reached validation: CSRF passed


def test_a_token_authenticated_api_post_needs_no_csrf_token__SEC_04(owner):
    from accounts.models import ApiToken

    _, key = ApiToken.issue(owner)
    api = APIClient(enforce_csrf_checks=True)
    response = api.post("/api/v1/api-applications/", {"kind": "API-Z"}, format="json", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 400


# --- session and cookie flags -------------------------------------------------------------------


def test_the_session_cookie_is_http_only_and_same_site__SEC_04(client, owner):
    response = client.post(reverse("login"), {"username": owner.username, "password": DEFAULT_PASSWORD})
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


def _production_settings(tmp_path, **extra):
    env = {
        "PATH": "/usr/bin:/bin", "INATRADE_ENV": "production", "INATRADE_VAR_DIR": str(tmp_path),
        "SECRET_KEY": "x" * 20 + "-production-secret-for-the-check-0123456789abcdef",
        "AUDIT_HMAC_KEY": "y" * 20 + "-production-audit-key-0123456789abcdef",
        "ALLOWED_HOSTS": "inatrade.example.go.id", "INSW_TOKEN": "production-insw-token", **extra,
    }
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; print(json.dumps({k: getattr(s, k, None) for k in ["
        "'DEBUG','SESSION_COOKIE_SECURE','CSRF_COOKIE_SECURE','SESSION_COOKIE_HTTPONLY','SESSION_COOKIE_SAMESITE',"
        "'CSRF_COOKIE_SAMESITE','SECURE_SSL_REDIRECT','SECURE_HSTS_SECONDS','SECURE_CONTENT_TYPE_NOSNIFF',"
        "'X_FRAME_OPTIONS','SECRET_KEY','PKI_DEV_PASSPHRASE']}, default=str))"
    )
    return subprocess.run([sys.executable, "-c", code], env={**env, "DJANGO_SETTINGS_MODULE": "inatrade.settings"},
                          capture_output=True, text=True)


def test_production_settings_set_secure_cookie_flags_and_https__SEC_04(tmp_path):
    result = _production_settings(tmp_path)
    assert result.returncode == 0, result.stderr
    s = json.loads(result.stdout)
    assert s["DEBUG"] is False
    assert s["SESSION_COOKIE_SECURE"] and s["CSRF_COOKIE_SECURE"] and s["SESSION_COOKIE_HTTPONLY"]
    assert s["SESSION_COOKIE_SAMESITE"] == s["CSRF_COOKIE_SAMESITE"] == "Lax"
    assert s["SECURE_SSL_REDIRECT"] and s["SECURE_HSTS_SECONDS"] >= 31536000 and s["SECURE_CONTENT_TYPE_NOSNIFF"]
    assert s["X_FRAME_OPTIONS"] == "DENY"
    assert "dev-only" not in s["SECRET_KEY"] and s["PKI_DEV_PASSPHRASE"] == ""


def test_production_takes_secrets_only_from_the_environment__SEC_04(tmp_path):
    """No development default leaks into production: the key comes from SECRET_KEY."""
    result = _production_settings(tmp_path, SECRET_KEY="k" * 60)
    assert json.loads(result.stdout)["SECRET_KEY"] == "k" * 60
    without = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={"PATH": "/usr/bin:/bin", "INATRADE_ENV": "production", "INATRADE_VAR_DIR": str(tmp_path),
             "DJANGO_SETTINGS_MODULE": "inatrade.settings", "ALLOWED_HOSTS": "x"},
        capture_output=True, text=True,
    )
    assert without.returncode != 0 and "SECRET_KEY" in without.stderr

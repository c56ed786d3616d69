"""Health, base pages, login, language switch, forced password change (HA-09)."""

import subprocess
import sys
from datetime import timedelta

import pytest
from django.utils import timezone

from inatrade.models import AuditEntry
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db


def test_healthz_is_liveness_only_and_touches_no_database__issue_19(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_readyz_reports_database_migrations_cache_broker_and_storage__issue_19(client, settings):
    response = client.get("/readyz")
    body = response.json()
    assert response.status_code == 200, body
    assert body["status"] == "ok" and body["failing"] == []
    expected = {"database", "migrations", "cache", "broker", "storage"} | ({"redis"} if settings.REDIS_URL else set())
    assert set(body["checks"]) == expected


def test_the_home_page_is_indonesian_by_default_and_english_on_request(client):
    # Indonesian even for a browser that prefers English, until the user switches.
    assert "Masuk" in client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/").content.decode()
    assert 'lang="en"' in page
    assert "Sign in" in page


def test_a_login_lands_on_the_dashboard_and_is_audited__HA_11(client, owner):
    response = client.post("/accounts/login/", {"username": owner.username, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302 and response.url == "/accounts/dashboard/"
    page = client.get("/accounts/dashboard/").content.decode()
    assert "Siti Rahayu" in page and "PT Gula Manis Sejahtera" in page
    assert AuditEntry.objects.filter(action="user.login", actor=owner).exists()


def test_a_user_who_must_change_the_password_reaches_nothing_else__HA_09(client, owner):
    owner.must_change_password = True
    owner.save(update_fields=["must_change_password"])
    client.force_login(owner)
    response = client.get("/accounts/dashboard/")
    assert response.status_code == 302 and response.url == "/accounts/password/"
    weak = client.post(
        "/accounts/password/",
        {"old_password": DEFAULT_PASSWORD, "new_password1": "abcdefgh", "new_password2": "abcdefgh"},
    )
    assert "huruf kapital" in weak.content.decode()
    done = client.post(
        "/accounts/password/",
        {"old_password": DEFAULT_PASSWORD, "new_password1": "Gula#Manis2026", "new_password2": "Gula#Manis2026"},
    )
    assert done.status_code == 302
    assert client.get("/accounts/dashboard/").status_code == 200


def test_a_password_older_than_the_limit_must_be_changed__HA_09(client, owner, settings):
    owner.password_changed_at = timezone.now() - timedelta(days=settings.PASSWORD_MAX_AGE_DAYS + 1)
    owner.save(update_fields=["password_changed_at"])
    client.force_login(owner)
    assert client.get("/accounts/dashboard/").url == "/accounts/password/"


def test_a_revoked_users_session_ends_at_the_next_request__HA_12(client, owner):
    client.force_login(owner)
    owner.access_status = "revoked"
    owner.save(update_fields=["access_status"])
    response = client.get("/accounts/dashboard/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    assert client.get("/accounts/dashboard/").status_code == 302


def test_an_unknown_page_answers_404_in_html(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"Halaman tidak ditemukan" in response.content


def test_a_bad_setting_value_stops_the_process_loudly(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={"DJANGO_SETTINGS_MODULE": "inatrade.settings", "INATRADE_ENV": "staging", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "INATRADE_ENV must be development, test or production" in result.stderr


def test_production_settings_pass_check_deploy(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "INATRADE_ENV": "production",
        "SECRET_KEY": "x" * 20 + "-production-secret-for-the-check-0123456789abcdef",
        "ALLOWED_HOSTS": "inatrade.example.go.id",
        "AUDIT_HMAC_KEY": "y" * 20 + "-production-audit-key-0123456789abcdef",
        "INATRADE_VAR_DIR": str(tmp_path),
        "INSW_TOKEN": "production-insw-token",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "INATRADE_ENV": "production", "INATRADE_VAR_DIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "manage.py", "check"], env=env, capture_output=True, text=True)
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr

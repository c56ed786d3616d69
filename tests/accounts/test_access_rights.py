"""Passwords (HA-09), lost credentials (HA-10), login throttling (HA-11), revocation and the
inactivity job (HA-12, HA-13), re-registration (HA-14), the submit gate (HA-15)."""

from datetime import date, datetime, timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import AccessStatus, Registration, Revocation, Role, User
from accounts.selectors import NoActiveAccess, user_assert_can_submit
from inatrade.models import AuditEntry
from tests.conftest import token_client
from tests.factories import DEFAULT_PASSWORD, ImporterFactory

pytestmark = pytest.mark.django_db


# --- HA-09 --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "password, message",
    [
        ("Ab#1", "terlalu pendek"),
        ("gula#manis2026", "huruf kapital"),
        ("Gula#Manis", "satu angka"),
        ("GulaManis2026", "satu simbol"),
        ("Password1!", "terlalu umum"),
    ],
)
def test_it_refuses_weak_passwords_at_first_use__HA_09(client, validated, director, password, message):
    user = services.registration_approve(registration=validated, actor=director)
    from accounts.tokens import set_password_token

    response = client.post(reverse("set_password", args=[set_password_token(user)]), {"new_password1": password, "new_password2": password})
    assert response.status_code == 200
    assert message in response.content.decode()
    user.refresh_from_db()
    assert not user.has_usable_password()


def test_a_user_asked_to_change_the_password_reaches_nothing_else__HA_09(client, owner):
    owner.must_change_password = True
    owner.save()
    client.force_login(owner)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302 and response["Location"] == reverse("password_change")
    assert client.get(reverse("lost_credentials"))["Location"] == reverse("password_change")
    client.post(reverse("password_change"), {"old_password": DEFAULT_PASSWORD, "new_password1": "Baru#Sandi2026", "new_password2": "Baru#Sandi2026"})
    assert client.get(reverse("dashboard")).status_code == 200


def test_an_old_password_must_be_changed__HA_09(client, owner):
    User.objects.filter(pk=owner.pk).update(password_changed_at=timezone.now() - timedelta(days=settings.PASSWORD_MAX_AGE_DAYS + 1))
    client.force_login(owner)
    assert client.get(reverse("dashboard"))["Location"] == reverse("password_change")


# --- HA-10 --------------------------------------------------------------------------------------


def test_reporting_lost_credentials_blocks_at_once_and_tells_the_admins__HA_10(owner, django_capture_on_commit_callbacks):
    api = token_client(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post("/api/v1/me/report-lost-credentials")
    owner.refresh_from_db()
    assert response.status_code == 200 and response.json() == {"access_status": "blocked"}
    assert owner.access_status == AccessStatus.BLOCKED
    admin_mail = next(m for m in mail.outbox if m.to == list(settings.ADMIN_NOTIFICATION_EMAILS))
    assert owner.username in admin_mail.subject and "diblokir" in admin_mail.body
    assert any(m.to == [owner.email] for m in mail.outbox)
    # the same token no longer works; the password no longer logs in
    assert api.get("/api/v1/me").status_code == 401
    assert AuditEntry.objects.filter(action="user.block_access", to_state="blocked").exists()


def test_reporting_through_the_browser_logs_out__HA_10(client, owner):
    client.force_login(owner)
    assert client.get(reverse("lost_credentials")).status_code == 200
    response = client.post(reverse("lost_credentials"))
    assert response.status_code == 200 and "diblokir" in response.content.decode()
    assert client.get(reverse("dashboard")).status_code == 302
    refused = client.post(reverse("login"), {"username": owner.username, "password": DEFAULT_PASSWORD})
    assert refused.status_code == 200 and "_auth_user_id" not in client.session


# --- HA-11 --------------------------------------------------------------------------------------


def test_five_failures_lock_the_user_id_and_are_audited__HA_11(client, owner):
    for _ in range(5):
        client.post(reverse("login"), {"username": owner.username, "password": "salah"})
    response = client.post(reverse("login"), {"username": owner.username, "password": DEFAULT_PASSWORD})
    assert response.status_code == 429
    actions = list(AuditEntry.objects.filter(object_id=str(owner.pk)).values_list("action", flat=True))
    assert actions.count("user.login_failed") >= 5 and "user.login_locked" in actions


# --- HA-12 --------------------------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["untrue_data", "misuse", "agency_request", "legal", "inactive"])
def test_the_director_or_admin_revokes_with_a_reason_code__HA_12(owner, director, reason, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = token_client(director).post(f"/api/v1/users/{owner.pk}/revoke", {"reason_code": reason, "note": "Surat 12/2026"}, format="json")
    owner.refresh_from_db()
    assert response.status_code == 200 and response.json()["access_status"] == "revoked"
    assert owner.access_status == AccessStatus.REVOKED
    revocation = Revocation.objects.get(user=owner)
    assert revocation.reason_code == reason and revocation.revoked_by == director and revocation.company == owner.company
    message = mail.outbox[-1]
    assert message.to == [owner.email] and "dicabut" in message.subject and "Surat 12/2026" in message.body


def test_a_revoked_user_cannot_log_in_or_use_a_token__HA_12(client, owner, administrator):
    api = token_client(owner)
    services.user_revoke(user=owner, actor=administrator, reason_code="misuse")
    assert api.get("/api/v1/me").status_code == 401
    refused = client.post(reverse("login"), {"username": owner.username, "password": DEFAULT_PASSWORD})
    assert refused.status_code == 200 and "_auth_user_id" not in client.session
    response = client.post(reverse("api-auth-token"), {"username": owner.username, "password": DEFAULT_PASSWORD})
    assert response.status_code == 401


def test_a_revoked_users_records_stay_readable_to_officers__HA_12(owner, administrator, counter_officer, client):
    services.user_revoke(user=owner, actor=administrator, reason_code="legal")
    assert User.objects.filter(pk=owner.pk).exists()
    client.force_login(administrator)
    page = client.get(reverse("access_holders") + "?status=revoked")
    assert owner.username in page.content.decode()


def test_revocation_refuses_bad_input_and_repeats__HA_12(owner, director, counter_officer):
    api = token_client(director)
    assert api.post(f"/api/v1/users/{owner.pk}/revoke", {"reason_code": "bosan"}, format="json").status_code == 400
    assert token_client(counter_officer).post(f"/api/v1/users/{owner.pk}/revoke", {"reason_code": "misuse"}, format="json").status_code == 403
    assert api.post(f"/api/v1/users/{owner.pk}/revoke", {"reason_code": "misuse"}, format="json").status_code == 200
    again = api.post(f"/api/v1/users/{owner.pk}/revoke", {"reason_code": "misuse"}, format="json")
    assert again.status_code == 409 and again.json()["error"]["code"] == "invalid_transition"  # the USER_ACCESS machine
    assert api.post("/api/v1/users/999999/revoke", {"reason_code": "misuse"}, format="json").status_code == 404


def test_revocation_through_the_browser__HA_12(client, owner, director):
    client.force_login(director)
    assert client.get(reverse("user_revoke", args=[owner.pk])).status_code == 200
    response = client.post(reverse("user_revoke", args=[owner.pk]), {"reason_code": "untrue_data", "note": "hasil verifikasi"})
    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.access_status == "revoked"


# --- HA-13: the inactivity job --------------------------------------------------------------------


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=10))


def test_the_job_revokes_six_months_without_use_and_warns_14_days_before__HA_13(django_capture_on_commit_callbacks):
    as_of = date(2026, 9, 15)
    stale = ImporterFactory(last_used_at=_aware(date(2026, 3, 15)))  # 6 months ago today
    never_used = ImporterFactory(last_used_at=None, access_granted_at=_aware(date(2026, 3, 1)))
    soon = ImporterFactory(last_used_at=_aware(date(2026, 3, 25)))  # reaches 6 months on 25 Sept
    fresh = ImporterFactory(last_used_at=_aware(date(2026, 8, 1)))
    officer = ImporterFactory(role=Role.COUNTER_OFFICER, company=None, last_used_at=_aware(date(2025, 1, 1)))
    with django_capture_on_commit_callbacks(execute=True):
        summary = services.inactivity_revocation(as_of=as_of)
    assert summary == {"revoked": 2, "warned": 1}
    statuses = dict(User.objects.values_list("pk", "access_status"))
    assert statuses[stale.pk] == statuses[never_used.pk] == "revoked"
    assert statuses[soon.pk] == statuses[fresh.pk] == statuses[officer.pk] == "active"
    assert set(Revocation.objects.values_list("user_id", "reason_code")) == {(stale.pk, "inactive"), (never_used.pk, "inactive")}
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert "dicabut" in by_recipient[stale.email].subject and "6 (enam) bulan" in by_recipient[stale.email].body
    assert "25 September 2026" in by_recipient[soon.email].body
    assert fresh.email not in by_recipient


def test_the_job_writes_to_each_owner_in_their_own_language__HA_13(django_capture_on_commit_callbacks):
    english = ImporterFactory(last_used_at=_aware(date(2026, 3, 1)), preferred_language="en")
    english_soon = ImporterFactory(last_used_at=_aware(date(2026, 3, 25)), preferred_language="en")
    indonesian = ImporterFactory(last_used_at=_aware(date(2026, 3, 1)), preferred_language="id")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.inactivity_revocation(as_of=date(2026, 9, 15)) == {"revoked": 2, "warned": 1}
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert "dicabut" in subjects[indonesian.email]
    assert "dicabut" not in subjects[english.email] and "INATRADE" in subjects[english.email]
    assert "akan dicabut" not in subjects[english_soon.email]


def test_the_job_is_safe_to_run_twice_and_warns_once__HA_13(django_capture_on_commit_callbacks):
    ImporterFactory(last_used_at=_aware(date(2026, 3, 1)))
    ImporterFactory(last_used_at=_aware(date(2026, 3, 25)))
    with django_capture_on_commit_callbacks(execute=True):
        first = services.inactivity_revocation(as_of=date(2026, 9, 15))
    sent = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        second = services.inactivity_revocation(as_of=date(2026, 9, 15))
        third = services.inactivity_revocation(as_of=date(2026, 9, 16))
    assert first == {"revoked": 1, "warned": 1}
    assert second == third == {"revoked": 0, "warned": 0}
    assert len(mail.outbox) == sent and Revocation.objects.count() == 1


def test_use_after_a_warning_resets_it__HA_13(django_capture_on_commit_callbacks):
    user = ImporterFactory(last_used_at=_aware(date(2026, 3, 25)))
    services.inactivity_revocation(as_of=date(2026, 9, 15))
    User.objects.filter(pk=user.pk).update(last_used_at=_aware(date(2026, 9, 16)))
    assert services.inactivity_revocation(as_of=date(2027, 3, 5)) == {"revoked": 0, "warned": 1}


def test_an_api_call_counts_as_use__HA_13(owner):
    User.objects.filter(pk=owner.pk).update(last_used_at=_aware(date(2026, 1, 1)))
    token_client(owner).get("/api/v1/me")
    owner.refresh_from_db()
    assert owner.last_used_at.date() == timezone.localdate()


def test_the_job_runs_from_run_job__HA_13(capsys):
    ImporterFactory(last_used_at=_aware(date(2026, 1, 1)))
    call_command("run_job", "inactivity_revocation", "--as-of", "2026-09-15")
    assert "revoked=1" in capsys.readouterr().out


def test_the_job_uses_a_constant_number_of_queries__HA_13(django_assert_max_num_queries):
    for _ in range(30):
        ImporterFactory(last_used_at=_aware(date(2026, 1, 1)))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        services.inactivity_revocation(as_of=date(2026, 9, 15))
    # the state change, the revocation rows and the audit are set-based; only the per-owner
    # notices (one queued e-mail each) grow with the number of users
    non_email = [q for q in ctx.captured_queries if "outgoingemail" not in q["sql"].lower()]
    assert len(non_email) <= 15


# --- HA-14 --------------------------------------------------------------------------------------


def test_a_revoked_business_registers_again_linked_to_its_history__HA_14(
    fields, uploads, validated, director, counter_officer, administrator
):
    user = services.registration_approve(registration=validated, actor=director)
    services.user_revoke(user=user, actor=administrator, reason_code="untrue_data")
    again = services.registration_submit(data=fields, files=uploads())
    assert again.previous_registration == validated and again.previous_company == user.company
    services.registration_validate(registration=again, actor=counter_officer, result="valid")
    new_user = services.registration_approve(registration=again, actor=director)
    assert new_user.company == user.company and new_user.username != user.username
    assert user.company.revocations.count() == 1


def test_officers_see_the_history_on_the_new_registration__HA_14(client, fields, uploads, validated, director, administrator, counter_officer):
    user = services.registration_approve(registration=validated, actor=director)
    services.user_revoke(user=user, actor=administrator, reason_code="untrue_data")
    again = services.registration_submit(data=fields, files=uploads())
    client.force_login(counter_officer)
    html = client.get(reverse("registration_detail", args=[again.pk])).content.decode()
    assert validated.reference in html and "Pasal 16" in html


# --- HA-15 --------------------------------------------------------------------------------------


def test_only_an_active_importer_may_submit__HA_15(owner, colleague, counter_officer, administrator):
    user_assert_can_submit(user=owner)
    user_assert_can_submit(user=colleague)  # several users per company
    with pytest.raises(NoActiveAccess):
        user_assert_can_submit(user=counter_officer)
    services.user_revoke(user=owner, actor=administrator, reason_code="misuse")
    with pytest.raises(NoActiveAccess) as caught:
        user_assert_can_submit(user=owner)
    assert caught.value.status == 403
    services.user_report_lost_credentials(user=colleague)
    with pytest.raises(NoActiveAccess):
        user_assert_can_submit(user=colleague)


def test_me_shows_the_access_status__HA_15(owner):
    body = token_client(owner).get("/api/v1/me").json()
    assert body["access_status"] == "active" and body["company"]["name"] == owner.company.name


def test_a_too_similar_password_is_refused_under_the_password_field_in_the_portals_words__HA_09(client, owner):
    """Issue 17 finding 10: the "too similar" error sat under the confirmation field, and the
    wording changed from message to message ("Sandi anda…", "Kata sandi…")."""
    from accounts.views import _PasswordChangeForm

    password = f"{owner.username}#Aa1"
    form = _PasswordChangeForm(owner, {"old_password": DEFAULT_PASSWORD, "new_password1": password, "new_password2": password})
    assert not form.is_valid()
    assert not form.errors.get("new_password2")
    assert any(message.startswith("Kata sandi Anda terlalu mirip") for message in form.errors["new_password1"])
    mismatch = _PasswordChangeForm(owner, {"old_password": DEFAULT_PASSWORD, "new_password1": "Gula#Manis2026x", "new_password2": "Lain#Sandi2026"})
    assert not mismatch.is_valid() and mismatch.errors.get("new_password2")  # a mismatch stays under the confirmation


@pytest.mark.parametrize("language, label, message", [
    ("id", "ID pengguna", "ID pengguna atau kata sandi salah"),
    ("en", "User ID", "Incorrect user ID or password"),
])
def test_the_login_page_speaks_the_users_language_and_never_repeats_itself__HA_11(client, owner, language, label, message):
    """Issue 17 finding 8: "User id" on the Indonesian page; a wrong password said "Masukkan
    nama pengguna nama pengguna …"."""
    client.cookies["django_language"] = language
    page = client.post(reverse("login"), {"username": owner.username, "password": "salah-sekali"}).content.decode()
    assert label in page and message in page
    assert "nama pengguna nama pengguna" not in page and "User id" not in page

"""HA-10 (issue 17, finding 2): lost credentials are not a dead end. The login page links to
a password reset by e-mail (Django's views) and to the lost-credentials report, which works
logged out. Neither says whether an account exists; both are throttled."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import AccessStatus
from inatrade.models import OutgoingEmail
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    """The page without its per-request CSRF tokens."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def test_the_login_page_links_to_the_password_reset_and_the_lost_credentials_report__HA_10(client):
    html = client.get(reverse("login")).content.decode()
    assert 'href="/accounts/password-reset/"' in html and "Lupa kata sandi?" in html
    assert 'href="/accounts/lost-credentials/"' in html


def test_a_reset_link_is_e_mailed_and_sets_a_new_password__HA_10(client, owner, django_capture_on_commit_callbacks):
    owner.email = "siti@gulamanis.co.id"
    owner.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": "SITI@gulamanis.co.id"})
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    mail = OutgoingEmail.objects.get(template="password_reset")
    assert mail.to == ["siti@gulamanis.co.id"] and owner.username in mail.body
    path = re.search(r"https?://[^/\s]+(/accounts/password-reset/[^\s]+/)", mail.body).group(1)
    form = client.get(path, follow=True)
    assert form.status_code == 200 and "Pasang kata sandi baru" in form.content.decode()
    done = client.post(form.redirect_chain[-1][0] if form.redirect_chain else path,
                       {"new_password1": "Baru#Sandi2026", "new_password2": "Baru#Sandi2026"})
    assert done.status_code == 302 and done["Location"] == reverse("password_reset_complete")
    owner.refresh_from_db()
    assert owner.check_password("Baru#Sandi2026") and not owner.check_password(DEFAULT_PASSWORD)
    # The link works once.
    used = client.get(path, follow=True)
    assert used.status_code == 404 and "Tautan tidak berlaku" in used.content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_e_mail__HA_10(client, owner):
    owner.email = "siti@gulamanis.co.id"
    owner.save()
    known = client.post(reverse("password_reset"), {"email": "siti@gulamanis.co.id"}, follow=True)
    unknown = client.post(reverse("password_reset"), {"email": "nobody@example.com"}, follow=True)
    assert known.status_code == unknown.status_code == 200
    assert _text(known) == _text(unknown)
    assert OutgoingEmail.objects.filter(template="password_reset").count() == 1


def test_a_blocked_account_gets_no_reset_link__HA_10(client, owner):
    owner.email = "siti@gulamanis.co.id"
    owner.access_status = AccessStatus.BLOCKED
    owner.save()
    client.post(reverse("password_reset"), {"email": "siti@gulamanis.co.id"})
    assert not OutgoingEmail.objects.filter(template="password_reset").exists()


def test_password_reset_requests_are_throttled__HA_10(client):
    answers = [client.post(reverse("password_reset"), {"email": f"x{i}@example.com"}).status_code for i in range(6)]
    assert answers[:5] == [302] * 5 and answers[5] == 429


def test_lost_credentials_can_be_reported_logged_out_without_telling_who_exists__HA_10(owner, settings):
    owner.email = "siti@gulamanis.co.id"
    owner.save()
    settings.ADMIN_NOTIFICATION_EMAILS = ["tim@inatrade.example"]
    anonymous = Client()
    page = anonymous.get(reverse("lost_credentials"))
    assert page.status_code == 200 and 'name="username"' in page.content.decode()
    wrong = anonymous.post(reverse("lost_credentials"), {"username": owner.username, "email": "other@example.com"})
    owner.refresh_from_db()
    assert owner.access_status == AccessStatus.ACTIVE
    right = anonymous.post(reverse("lost_credentials"), {"username": owner.username, "email": "siti@gulamanis.co.id"})
    owner.refresh_from_db()
    assert owner.access_status == AccessStatus.BLOCKED
    assert wrong.status_code == right.status_code == 200 and _text(wrong) == _text(right)
    assert OutgoingEmail.objects.filter(template="credentials_lost_admin").exists()


def test_lost_credential_reports_are_throttled__HA_10(client):
    answers = [client.post(reverse("lost_credentials"), {"username": "X", "email": "x@example.com"}).status_code for _ in range(6)]
    assert answers[5] == 429

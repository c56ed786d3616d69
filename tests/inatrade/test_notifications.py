"""AUD-03: e-mails queued in the transaction of their cause, sent after commit, retried."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.db import transaction

from inatrade.models import OutgoingEmail
from inatrade.notifications import email_deliver, email_queue

pytestmark = pytest.mark.django_db


def _queue():
    return email_queue(
        template="password_changed", to="siti@contoh.co.id", context={"name": "Siti", "username": "4C7ADA"}, language="id"
    )


def test_an_email_is_sent_only_after_commit_in_both_languages__AUD_03(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            _queue()
            assert mail.outbox == []
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["siti@contoh.co.id"]
    assert "kata sandi Anda telah diganti" in message.subject
    assert "user id 4C7ADA" in message.body
    indonesian, english = message.body.split("-" * 60)
    assert "Kata sandi untuk user id 4C7ADA di INATRADE baru saja diganti" in indonesian
    assert "The password for user ID 4C7ADA in INATRADE has just been changed" in english
    assert OutgoingEmail.objects.get().state == OutgoingEmail.State.SENT


def test_an_english_reader_gets_the_english_text_first__AUD_03(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email_queue(template="password_changed", to="siti@contoh.co.id",
                    context={"name": "Siti", "username": "4C7ADA"}, language="en")
    message = mail.outbox[0]
    assert message.subject == "INATRADE: your password has been changed"
    assert message.body.startswith("Dear Siti,")
    assert "Yth. Siti," in message.body.split("-" * 60)[1]


EMAIL_TEMPLATES = sorted(
    path.name.removesuffix(".body.txt") for path in (Path(settings.BASE_DIR) / "templates" / "emails").glob("*.body.txt")
)


@pytest.mark.parametrize("template", EMAIL_TEMPLATES)
def test_every_email_is_written_in_english_too__AUD_03(template):
    """Each template's subject and body come out differently in English: none is left
    untranslated (a missing catalogue entry would render the Indonesian text twice)."""
    from inatrade.notifications import _render

    context = {"name": "Siti", "username": "4C7ADA", "reference": "REG-2026-000001", "number": "04.PI-05.26.0001", "count": 2}
    assert _render(template, context, "id") != _render(template, context, "en")
    id_subject, _ = _render(template, context, "id")
    en_subject, _ = _render(template, context, "en")
    assert id_subject != en_subject, template


def test_an_email_of_a_rolled_back_change_is_never_sent__AUD_03(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                _queue()
                raise RuntimeError("the change failed")
    assert mail.outbox == []
    assert not OutgoingEmail.objects.exists()


def test_a_failed_delivery_is_recorded_and_retried__AUD_03(settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "tests.inatrade.failing_backend.FailingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        message = _queue()
    message.refresh_from_db()
    assert message.state == OutgoingEmail.State.PENDING
    assert message.attempts == 1 and "SMTP down" in message.last_error
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert email_deliver(email_id=str(message.pk)) is True
    assert email_deliver(email_id=str(message.pk)) is False  # already sent: nothing twice
    assert len(mail.outbox) == 1

"""AUD-03: e-mails rendered from templates, queued in the transaction of their cause,
delivered after commit and retried until sent.

Each message carries both languages: the recipient's language first, then the other, from
``templates/emails/<name>.subject.txt`` and ``<name>.body.txt`` rendered once per language.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from inatrade.models import OutgoingEmail
from inatrade.queue import publish_named, queue_task

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
EMAIL_BATCH = 200  # e-mails per delivery task queued by email_queue_many
_SEPARATOR = "\n\n" + "-" * 60 + "\n\n"


def _render(template: str, context: dict, language: str) -> tuple[str, str]:
    with translation.override(language):
        ctx = {"site_url": settings.SITE_URL, **context}
        subject = " ".join(render_to_string(f"emails/{template}.subject.txt", ctx).split())
        body = render_to_string(f"emails/{template}.body.txt", ctx).strip()
    return subject, body


def email_queue(
    *,
    template: str,
    to: list[str] | str,
    context: dict,
    language: str = "id",
    attachments: list[dict] | None = None,
) -> OutgoingEmail:
    """Queue one e-mail. ``attachments`` are ``{"path": <storage path>, "filename", "mimetype"}``.

    Call inside the transaction of the change that causes the e-mail: the message exists only
    if the change commits, and is handed to the worker after commit.
    """
    recipients = [to] if isinstance(to, str) else list(to)
    language = language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    other = "en" if language == "id" else "id"
    subject, body = _render(template, context, language)
    _, other_body = _render(template, context, other)
    message = OutgoingEmail.objects.create(
        template=template,
        to=recipients,
        subject=subject,
        body=body + _SEPARATOR + other_body,
        attachments=attachments or [],
        next_attempt_at=timezone.now(),
    )
    queue_task("inatrade.deliver_email", str(message.pk))
    return message


def email_queue_many(messages: list[dict]) -> list[str]:
    """Queue many e-mails (each a dict of ``email_queue``'s arguments, without attachments) in
    one INSERT ... SELECT, rendering each distinct (template, context, language) once and
    sending each distinct text to the database once: a periodic job that tells 100,000 people
    the same thing makes a constant number of queries and no per-row objects (PERF-03).
    Returns the ids of the queued e-mails, handed to the worker after commit."""
    from inatrade import bulksql

    if not messages:
        return []
    languages = dict(settings.LANGUAGES)
    texts: dict[str, int] = {}
    bodies: list[list] = []  # [index, template, subject, body]
    rows: list[list] = []  # [recipients, index of the text]
    seen: dict[tuple, str] = {}  # the key of a context object already seen (many messages share one)
    default = settings.LANGUAGE_CODE
    for message in messages:
        template, context = message["template"], message["context"]
        language = message.get("language") or default
        language = language if language in languages else default
        key = seen.get((template, language, id(context)))
        if key is None:
            key = seen[(template, language, id(context))] = f"{template}|{language}|{sorted((k, str(v)) for k, v in context.items())}"
        if key not in texts:
            other = "en" if language == "id" else "id"
            subject, body = _render(template, context, language)
            texts[key] = len(bodies)
            bodies.append([len(bodies), template, subject, body + _SEPARATOR + _render(template, context, other)[1]])
        to = message["to"]
        rows.append([[to] if isinstance(to, str) else list(to), texts[key]])
    now = bulksql.db_value(OutgoingEmail, "created_at", timezone.now())
    returned = bulksql.execute(
        # The texts materialized first: each is read out of its parameter once, not per e-mail.
        f"WITH t AS MATERIALIZED ({bulksql.rows_select([('text', 'int'), ('template', 'text'), ('subject', 'text'), ('body', 'text')])}) "
        f"INSERT INTO {OutgoingEmail._meta.db_table} (id, created_at, template, {connection.ops.quote_name('to')}, subject, "
        "body, attachments, state, attempts, last_error, next_attempt_at, sent_at) "
        f"SELECT {bulksql.new_uuid()}, %s, t.template, r.recipients, t.subject, t.body, {bulksql.json_value('%s')}, %s, 0, '', "
        "%s, NULL "
        f"FROM {bulksql.rows_from([('recipients', 'json'), ('text', 'int')])} JOIN t ON t.text = r.text RETURNING CAST(id AS TEXT)",
        [bulksql.json_param(bodies), now, "[]", OutgoingEmail.State.PENDING, now, bulksql.json_param(rows)],
    )
    ids = [pk for (pk,) in returned]  # a UUID, or its 32 hex digits on SQLite: both name the row
    # Handed to the worker in batches after commit (not one task per e-mail); what a batch
    # cannot send waits in the outbox for the sweep, as any queued e-mail does.
    batches = [ids[i:i + EMAIL_BATCH] for i in range(0, len(ids), EMAIL_BATCH)]
    transaction.on_commit(lambda: [publish_named("inatrade.deliver_emails", batch) for batch in batches])
    return ids


def email_deliver(*, email_id: str) -> bool:
    """Send one queued e-mail if still pending. Safe to run twice (the row is locked and
    re-checked); failures are recorded and retried with back-off."""
    with transaction.atomic():
        message = OutgoingEmail.objects.select_for_update(skip_locked=True).filter(
            pk=email_id, state=OutgoingEmail.State.PENDING
        ).first()
        if message is None:
            return False
        mail = EmailMessage(
            subject=message.subject, body=message.body, from_email=settings.DEFAULT_FROM_EMAIL, to=message.to
        )
        try:
            for item in message.attachments:
                with default_storage.open(item["path"], "rb") as handle:
                    mail.attach(item["filename"], handle.read(), item.get("mimetype", "application/pdf"))
            mail.send(fail_silently=False)
        except Exception as exc:  # noqa: BLE001 - any delivery failure is retried
            message.attempts += 1
            message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if message.attempts >= MAX_ATTEMPTS:
                message.state = OutgoingEmail.State.FAILED
            message.next_attempt_at = timezone.now() + timedelta(minutes=2**message.attempts)
            message.save(update_fields=["attempts", "last_error", "state", "next_attempt_at"])
            logger.warning("E-mail %s failed (attempt %s): %s", message.pk, message.attempts, exc)
            return False
        message.attempts += 1
        message.state = OutgoingEmail.State.SENT
        message.sent_at = timezone.now()
        message.save(update_fields=["attempts", "state", "sent_at"])
        return True


def email_outbox_deliver(*, as_of=None) -> dict:
    """Periodic job: send every pending e-mail whose next attempt is due."""
    due = OutgoingEmail.objects.filter(
        state=OutgoingEmail.State.PENDING, next_attempt_at__lte=timezone.now()
    ).values_list("pk", flat=True)[:500]
    sent = sum(1 for pk in list(due) if email_deliver(email_id=str(pk)))
    return {"sent": sent}

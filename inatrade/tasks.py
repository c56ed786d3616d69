"""Celery tasks of the shared foundation. Tasks take ids or names and call a service."""

from celery import shared_task

from inatrade import notifications
from inatrade.jobs import job_run


@shared_task(name="inatrade.run_scheduled_job")
def run_scheduled_job(name: str, as_of: str | None = None, slot: str | None = None) -> dict:
    from datetime import date

    return job_run(name=name, as_of=date.fromisoformat(as_of) if as_of else None, slot=slot)


@shared_task(name="inatrade.deliver_email")
def deliver_email(email_id: str) -> bool:
    return notifications.email_deliver(email_id=email_id)


@shared_task(name="inatrade.deliver_emails")
def deliver_emails(email_ids: list[str]) -> int:
    """A batch of queued e-mails (a periodic job's notices): each sent as ``deliver_email``
    sends it; one that fails stays pending for the outbox sweep. Returns how many were sent."""
    return sum(1 for email_id in email_ids if notifications.email_deliver(email_id=email_id))

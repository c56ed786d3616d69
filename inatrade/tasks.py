"""Celery tasks of the shared foundation. Tasks take ids or names and call a service."""

from celery import shared_task

from inatrade import notifications
from inatrade.jobs import job_run


@shared_task(name="inatrade.run_scheduled_job")
def run_scheduled_job(name: str, as_of: str | None = None) -> dict:
    from datetime import date

    return job_run(name=name, as_of=date.fromisoformat(as_of) if as_of else None)


@shared_task(name="inatrade.deliver_email")
def deliver_email(email_id: str) -> bool:
    return notifications.email_deliver(email_id=email_id)

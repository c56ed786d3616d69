"""Celery tasks of webhooks: they call a service."""

from celery import shared_task


@shared_task(name="webhooks.deliver", acks_late=True)
def deliver_webhooks() -> dict:
    from webhooks.services import webhooks_deliver

    return webhooks_deliver()

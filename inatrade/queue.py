"""Queueing work after commit without depending on the broker being up (REL-07).

Every side effect first exists as a database row (an e-mail in ``OutgoingEmail``, a permit
awaiting signature, an INSW outbox event) written in the transaction of its cause. After
commit we *try* to hand its id to Celery for prompt delivery; if the broker is down the row
simply waits, and the periodic outbox job (also run by ``run_job``) picks it up later.
"""

import logging

from django.conf import settings
from django.db import transaction

logger = logging.getLogger(__name__)


def publish_now(task, *args) -> bool:
    """Send ``task`` with ``args`` to the broker; False (logged) when the broker is down."""
    try:
        if settings.CELERY_TASK_ALWAYS_EAGER:
            task.apply(args=args, throw=True)
        else:
            task.apply_async(
                args=args,
                retry=False,
                connect_timeout=settings.CELERY_BROKER_PUBLISH_TIMEOUT,
                timeout=settings.CELERY_BROKER_PUBLISH_TIMEOUT,
            )
        return True
    except Exception:  # noqa: BLE001 - any broker failure leaves the row for the sweep
        if settings.CELERY_TASK_ALWAYS_EAGER:
            raise
        logger.warning("Could not publish %s%r; the outbox sweep will retry", task.name, args, exc_info=True)
        return False


def enqueue_on_commit(task, *args) -> None:
    """Publish ``task(*args)`` once the current transaction commits (never before)."""
    transaction.on_commit(lambda: publish_now(task, *args))

"""Queueing work after commit without depending on the broker being up (REL-07).

Every side effect first exists as a database row (an e-mail in ``OutgoingEmail``, a permit
awaiting signature, an INSW outbox event) written in the transaction of its cause. After
commit we *try* to hand its id to Celery for prompt delivery; if the broker is down the row
simply waits, and the periodic outbox job (also run by ``run_job``) picks it up later.

Trying costs at most ``CELERY_BROKER_PUBLISH_TIMEOUT`` once (docs/decisions/0012): one
connection attempt, no retry loop. Left to itself kombu retries the connection inside the
publish (``Connection.default_channel`` → ``ensure_connection`` with ``interval_start=2``,
``interval_step=2`` until ``broker_connection_timeout``: attempts at 0, 2 and 6 s), whatever
``retry=False`` says, which is where an approval's 6 s per message went. After a failure the
process remembers for ``CELERY_BROKER_DOWN_MEMORY`` seconds that the broker is down and sends
later work straight to the outbox without touching the network, so one request (or one job
queueing thousands of e-mails) pays the timeout once, not once per message.
"""

import logging
import threading
import time

from django.conf import settings
from django.db import transaction

logger = logging.getLogger(__name__)

_clock = time.monotonic  # replaced in tests
_lock = threading.Lock()
_down_until = 0.0


def broker_known_down() -> bool:
    """True while this process remembers a failed publish (no network round trip)."""
    return _clock() < _down_until


def _mark_broker_down() -> None:
    global _down_until
    with _lock:
        _down_until = _clock() + settings.CELERY_BROKER_DOWN_MEMORY


def _mark_broker_up() -> None:
    global _down_until
    with _lock:
        _down_until = 0.0


def forget_broker_state() -> None:
    """Forget a remembered outage (tests, and after the broker's settings change)."""
    _mark_broker_up()


def _publish(task, args) -> None:
    """One bounded attempt: connect once (no kombu retry loop), then publish without retry."""
    timeout = settings.CELERY_BROKER_PUBLISH_TIMEOUT
    with task.app.producer_or_acquire() as producer:
        # max_retries=0: a single connection attempt; the socket's own connect timeout is the
        # transport option socket_connect_timeout (settings), so this waits at most `timeout`.
        producer.connection.ensure_connection(max_retries=0, timeout=timeout)
        task.apply_async(args=args, producer=producer, retry=False)


def publish_now(task, *args) -> bool:
    """Send ``task`` with ``args`` to the broker; False (logged) when the broker is down or was
    found down moments ago: the row waits for the outbox sweep."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        task.apply(args=args, throw=True)
        return True
    if broker_known_down():
        logger.info("Broker down (remembered); %s%r waits in the outbox for the sweep", task.name, args)
        return False
    try:
        _publish(task, args)
    except Exception:  # noqa: BLE001 - any broker failure leaves the row for the sweep
        _mark_broker_down()
        logger.warning("Could not publish %s%r; the outbox sweep will retry", task.name, args, exc_info=True)
        return False
    _mark_broker_up()
    return True


def enqueue_on_commit(task, *args) -> None:
    """Publish ``task(*args)`` once the current transaction commits (never before)."""
    transaction.on_commit(lambda: publish_now(task, *args))


_tasks_lock = threading.Lock()


def task_named(name: str):
    """The Celery task registered as ``name`` (``"accounts.render_registration_document"``).
    Services queue tasks by name, so that no service imports a tasks module (issue 18: tasks
    call services, never the other way round); the apps' tasks modules are imported here on
    first use when the process has not loaded them yet (a web process).

    The first use is serialised: under gunicorn's threads several requests reach it at once,
    and a second autodiscovery started while the first is still importing finds the modules
    half-loaded and the task missing (``NotRegistered`` after the approval had committed)."""
    from inatrade.celery import app

    tasks = app.tasks
    if name not in tasks:
        with _tasks_lock:
            if name not in tasks:
                app.loader.import_default_modules()  # runs the autodiscovery of every app's tasks
    return tasks[name]


def publish_named(name: str, *args) -> bool:
    """``publish_now`` of the task registered as ``name``. Runs after commit, so it never
    raises into the request whose change is already saved: a task that cannot be found is
    logged and its row waits for the outbox sweep, like a broker that is down."""
    try:
        task = task_named(name)
    except Exception:  # noqa: BLE001
        if settings.CELERY_TASK_ALWAYS_EAGER:
            raise
        logger.exception("No task %s in this process; %r waits in the outbox for the sweep", name, args)
        return False
    return publish_now(task, *args)


def queue_task(name: str, *args) -> None:
    """Publish the task registered as ``name`` with ``args`` once the current transaction
    commits (never before), as ``enqueue_on_commit`` does."""
    transaction.on_commit(lambda: publish_named(name, *args))

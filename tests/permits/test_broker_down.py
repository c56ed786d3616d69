"""REL-07, the cost of a stopped broker to one request (issue 21: an approval waited 6–12 s,
about 6 s per message, although CELERY_BROKER_PUBLISH_TIMEOUT was 2 s).

The broker is pointed at a loopback port where nobody listens (a stopped Redis) and every
TCP connection attempt to it is counted. One approval queues several messages (the permit to
sign, the e-mails); it must try the broker at most once, and the rest of the work must wait
in the database outbox and go out when the broker is back. Counts are asserted, not times
(the seconds are in benchmarks/perf07_broker_down.py)."""

import socket

import pytest

from inatrade import queue
from inatrade.models import OutgoingEmail
from permits.models import PermitStatus, PermitVersion, VersionState
from tests.permits.conftest import submitted_sugar_application

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def broker_down(settings, monkeypatch):
    """The Celery app publishing for real (not eager) to a broker on a closed loopback port;
    yields a list that receives every connection attempt to that port."""
    from inatrade.celery import app

    port = _closed_port()
    attempts = []
    real_connect = socket.socket.connect

    def counting_connect(sock, address):
        if isinstance(address, tuple) and address[1] == port:
            attempts.append(address)
        return real_connect(sock, address)

    def reset_pools():
        app._pool = None
        app.amqp._producer_pool = None
        queue.forget_broker_state()

    saved = {key: app.conf[key] for key in ("broker_url", "broker_transport_options", "task_always_eager")}
    monkeypatch.setattr(socket.socket, "connect", counting_connect)
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    app.conf.broker_url = f"redis://127.0.0.1:{port}/0"
    app.conf.broker_transport_options = {"visibility_timeout": 3600, "socket_connect_timeout": settings.CELERY_BROKER_PUBLISH_TIMEOUT}
    reset_pools()
    yield attempts
    for key, value in saved.items():
        app.conf[key] = value
    reset_pools()


def _approve(application, dirjen, capture):
    from sugar_import import services as sugar

    with capture(execute=True):
        return sugar.sugar_application_approve(application=application, actor=dirjen)


def test_one_approval_tries_a_stopped_broker_at_most_once_and_its_work_waits_in_the_outbox__REL_07(
        dirjen, dirjen_certificate, broker_down, django_capture_on_commit_callbacks, settings):
    first, second = submitted_sugar_application(), submitted_sugar_application()
    emails_before = OutgoingEmail.objects.count()

    sp = _approve(first, dirjen, django_capture_on_commit_callbacks)

    assert len(broker_down) <= 1, f"{len(broker_down)} connection attempts to the stopped broker for one approval"
    # the approval queued more than one message: all of them wait in the database
    version = PermitVersion.objects.get(permit__number=sp.number)
    assert version.state == VersionState.AWAITING_SIGNATURE
    assert OutgoingEmail.objects.count() - emails_before >= 1
    assert set(OutgoingEmail.objects.values_list("state", flat=True)) == {OutgoingEmail.State.PENDING}

    # the next approval, moments later, does not touch the network at all
    _approve(second, dirjen, django_capture_on_commit_callbacks)
    assert len(broker_down) <= 1

    # the outage is remembered only for a while: then the broker is tried again, once
    monkeypatch_clock = queue._clock
    try:
        queue._clock = lambda: monkeypatch_clock() + settings.CELERY_BROKER_DOWN_MEMORY + 1
        from inatrade import tasks

        assert queue.publish_now(tasks.deliver_email, "00000000-0000-0000-0000-000000000000") is False
        assert queue.publish_now(tasks.deliver_email, "00000000-0000-0000-0000-000000000000") is False
        assert len(broker_down) == 2
    finally:
        queue._clock = monkeypatch_clock

    # the broker is back: the sweeps (what beat runs) send out everything that waited
    settings.CELERY_TASK_ALWAYS_EAGER = True
    from django.core.management import call_command

    from permits.services import permit_signing_sweep

    assert permit_signing_sweep()["signed"] == 2
    call_command("run_job", "email_outbox_deliver")
    version.refresh_from_db()
    assert version.state == VersionState.SIGNED and version.permit.status == PermitStatus.VALID
    assert not OutgoingEmail.objects.filter(state=OutgoingEmail.State.PENDING).exists()


def test_a_broker_that_is_up_gets_the_message_and_clears_a_remembered_outage__REL_07(broker_down, settings):
    """With a broker that answers, publish_now hands the task over (and forgets an outage
    that has expired)."""
    from inatrade import tasks
    from inatrade.celery import app

    if not settings.REDIS_URL:
        pytest.skip("needs a Redis broker (REDIS_URL)")
    import redis

    app.conf.broker_url = settings.REDIS_URL
    app._pool = None
    app.amqp._producer_pool = None
    client = redis.Redis.from_url(settings.REDIS_URL)
    queue_name = app.conf.task_default_queue
    before = client.llen(queue_name)
    try:
        assert queue.publish_now(tasks.deliver_email, "00000000-0000-0000-0000-000000000000") is True
        assert client.llen(queue_name) == before + 1
        assert not queue.broker_known_down()
    finally:
        client.lpop(queue_name)  # kombu LPUSHes: ours is at the head

"""DOC-05 / REL-05: the INSW outbox, delivered to a fake INSW on loopback that refuses
connections, answers 500 or hangs, then recovers: every event arrives once, with its id as
Idempotency-Key; nothing is lost; every attempt is recorded."""

import datetime as dt
import json
import urllib.request

import pytest
from django.core.management import call_command
from django.utils import timezone

from permits.fake_insw import FakeInsw
from permits.models import InswDeliveryAttempt, InswOutboxEvent, OutboxState
from permits.services import insw_outbox_deliver, insw_outbox_requeue, permit_freeze, permit_revoke

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("dirjen_certificate")]


def _later(minutes=120):
    return timezone.now() + dt.timedelta(minutes=minutes)


@pytest.fixture
def three_events(issue_permit, dirjen):
    """Two permits: issued + frozen + revoked on the first, issued on the second (4 events)."""
    first = issue_permit(number="04.PI-05.26.0100")
    permit_freeze(permit=first, actor=dirjen, reason="Laporan tidak disampaikan")
    permit_revoke(permit=first, actor=dirjen, reason="Dicabut")
    second = issue_permit(number="04.PI-05.26.0101")
    return first, second


def test_it_delivers_every_event_once_with_its_idempotency_key__DOC_05(fake_insw, three_events):
    summary = insw_outbox_deliver()
    assert summary["delivered"] == 4
    events = InswOutboxEvent.objects.order_by("created_at")
    assert all(e.state == OutboxState.DELIVERED and e.attempts == 1 for e in events)
    assert sorted(fake_insw.events) == sorted(str(e.id) for e in events)
    first = [r["body"] for r in fake_insw.received if r["body"]["permit_number"] == "04.PI-05.26.0100"]
    assert [b["event"] for b in first] == ["issued", "frozen", "revoked"]  # in order
    assert insw_outbox_deliver()["delivered"] == 0  # nothing twice
    assert len(fake_insw.received) == 4


def test_it_survives_refused_connections_500s_and_timeouts_then_delivers_everything_once__REL_05(fake_insw, three_events):
    port = fake_insw.port
    total = InswOutboxEvent.objects.count()

    # 1. connection refused: the receiver is down
    fake_insw.stop()
    summary = insw_outbox_deliver()
    assert summary["delivered"] == 0 and summary["retrying"] >= 1
    event = InswOutboxEvent.objects.exclude(attempts=0).first()
    assert event.state == OutboxState.PENDING and "connection" in event.last_error and event.next_attempt_at > timezone.now()

    # 2. back up but answering 500
    fake_insw.port = port
    fake_insw.start()
    fake_insw.mode = "error"
    insw_outbox_deliver(now=_later())
    assert InswOutboxEvent.objects.filter(last_status_code=500, state=OutboxState.PENDING).exists()

    # 3. hanging longer than the timeout
    fake_insw.mode = "hang"
    insw_outbox_deliver(now=_later(240))
    assert InswOutboxEvent.objects.filter(last_error="timeout", state=OutboxState.PENDING).exists()

    # 4. recovered
    fake_insw.mode = "ok"
    for hours in range(1, 8):  # the back-off is capped at one hour
        insw_outbox_deliver(now=_later(240 + 60 * hours))
    assert InswOutboxEvent.objects.filter(state=OutboxState.DELIVERED).count() == total
    keys = [r["key"] for r in fake_insw.received]
    assert sorted(set(keys)) == sorted(str(pk) for pk in InswOutboxEvent.objects.values_list("pk", flat=True))
    assert len(fake_insw.events) == total  # each event stored once by INSW
    # every attempt recorded, with what happened
    errors = set(InswDeliveryAttempt.objects.values_list("error", flat=True))
    assert any("connection" in e for e in errors) and "timeout" in errors and any("HTTP 500" in e for e in errors)
    assert InswDeliveryAttempt.objects.filter(error="").count() == total


def test_the_back_off_grows_exponentially__REL_05(fake_insw, issue_permit):
    issue_permit()
    fake_insw.mode = "error"
    event = InswOutboxEvent.objects.get()
    gaps = []
    now = timezone.now()
    for _ in range(4):
        insw_outbox_deliver(now=now)
        event.refresh_from_db()
        gaps.append((event.next_attempt_at - timezone.now()).total_seconds())
        now = event.next_attempt_at + dt.timedelta(seconds=1)
    assert gaps[0] < gaps[1] < gaps[2] < gaps[3]
    assert event.attempts == 4 and event.state == OutboxState.PENDING


def test_a_rejected_event_is_marked_failed_for_an_administrator_and_can_be_requeued__DOC_05(fake_insw, issue_permit, administrator):
    issue_permit()
    fake_insw.mode = "reject"
    insw_outbox_deliver()
    event = InswOutboxEvent.objects.get()
    assert event.state == OutboxState.FAILED and event.last_status_code == 422
    fake_insw.mode = "ok"
    insw_outbox_requeue(event=event, actor=administrator)
    insw_outbox_deliver()
    event.refresh_from_db()
    assert event.state == OutboxState.DELIVERED and list(fake_insw.events) == [str(event.id)]


def test_later_events_of_a_permit_wait_for_the_earlier_ones__DOC_05(fake_insw, issue_permit, dirjen):
    permit = issue_permit()
    fake_insw.mode = "error"
    insw_outbox_deliver()
    permit_freeze(permit=permit, actor=dirjen, reason="x")
    fake_insw.mode = "ok"
    insw_outbox_deliver()  # the issued event is not due yet, so the freeze waits behind it
    assert not fake_insw.events
    insw_outbox_deliver(now=_later())
    assert [r["body"]["event"] for r in fake_insw.received] == ["issued", "frozen"]


def test_the_job_runs_from_run_job__DOC_05(fake_insw, issue_permit, capsys):
    issue_permit()
    call_command("run_job", "insw_outbox_deliver")
    assert "delivered" in capsys.readouterr().out
    assert InswOutboxEvent.objects.get().state == OutboxState.DELIVERED


def test_an_insw_that_refuses_events_keeps_them_waiting_until_it_accepts_them__REL_05(issue_permit, settings):
    """The fake INSW of `make run` is switched over its HTTP control endpoint, as a developer
    does: while it answers 500 the event waits with the attempt recorded; once it accepts, the
    event is delivered once."""
    fake = FakeInsw(token=settings.INSW_TOKEN).start()
    settings.INSW_ENDPOINT = fake.url
    try:
        def control(mode):
            request = urllib.request.Request(f"http://127.0.0.1:{fake.port}/_control",
                                             data=json.dumps({"mode": mode}).encode(), method="POST")
            return json.load(urllib.request.urlopen(request))["mode"]

        issue_permit()
        assert control("error") == "error"
        assert insw_outbox_deliver()["delivered"] == 0
        event = InswOutboxEvent.objects.get()
        assert (event.state, event.attempts, event.last_status_code) == (OutboxState.PENDING, 1, 500)
        assert control("ok") == "ok"
        assert insw_outbox_deliver(now=_later())["delivered"] == 1
        event.refresh_from_db()
        assert event.state == OutboxState.DELIVERED
        assert json.load(urllib.request.urlopen(f"http://127.0.0.1:{fake.port}/_events"))["received"] == 1
    finally:
        fake.stop()

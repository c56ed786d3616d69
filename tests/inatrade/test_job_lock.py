"""Issue 19, exactly one scheduler: every periodic job goes through one lock and one slot
record (inatrade/joblock.py, inatrade/beat.py)."""

from datetime import datetime, timedelta, timezone

import pytest
from celery.schedules import crontab
from django.db import connection

from inatrade import joblock
from inatrade.beat import SlotScheduler, slot_for
from inatrade.jobs import job_run
from inatrade.models import JobRun

pytestmark = pytest.mark.django_db


@pytest.fixture
def counted(monkeypatch):
    calls = []

    def service(*, as_of):
        calls.append(as_of)
        return {"changed": 1}

    monkeypatch.setattr("inatrade.jobs.import_string", lambda dotted: service)
    return calls


def test_the_same_beat_slot_runs_a_job_once_whatever_the_number_of_beats__issue_19(counted):
    first = job_run(name="sla_sweep", slot="2026-12-06T05:15Z")
    second = job_run(name="sla_sweep", slot="2026-12-06T05:15Z")  # what a second beat sends
    third = job_run(name="sla_sweep", slot="2026-12-06T05:30Z")
    assert first == {"changed": 1} and third == {"changed": 1}
    assert second == {"skipped": "duplicate_slot"}
    assert len(counted) == 2
    runs = JobRun.objects.filter(name="sla_sweep").order_by("slot")
    assert [(r.slot, r.ok) for r in runs] == [("2026-12-06T05:15Z", True), ("2026-12-06T05:30Z", True)]
    assert all(r.finished_at for r in runs)


def test_manual_runs_have_no_slot_and_always_run__issue_19(counted):
    job_run(name="sla_sweep")
    job_run(name="sla_sweep")
    assert len(counted) == 2 and JobRun.objects.filter(slot=None).count() == 2


def test_a_failed_run_is_recorded_as_failed__issue_19(monkeypatch):
    def broken(*, as_of):
        raise RuntimeError("boom")

    monkeypatch.setattr("inatrade.jobs.import_string", lambda dotted: broken)
    with pytest.raises(RuntimeError):
        job_run(name="sla_sweep", slot="2026-12-06T06:00Z")
    assert JobRun.objects.get().ok is False


@pytest.mark.skipif(not joblock.redis_client() and connection.vendor != "postgresql",
                    reason="SQLite without Redis has no cross-process lock (embedded default: one beat)")
def test_a_job_held_by_another_node_is_skipped_and_its_lock_expires__issue_19(counted, settings):
    """A node that holds the lock (or died holding it) blocks the job; with Redis the lock
    expires by itself (PX), so a dead node blocks it at most ``lock_seconds``."""
    client = joblock.redis_client()
    if client is not None:
        client.set("inatrade:joblock:sla_sweep", "other-node", px=60_000)
        try:
            assert job_run(name="sla_sweep", slot="2026-12-06T07:00Z") == {"skipped": "locked"}
            assert client.pttl("inatrade:joblock:sla_sweep") > 0  # it expires: never a stuck job
        finally:
            client.delete("inatrade:joblock:sla_sweep")
    else:
        import psycopg2

        db = connection.settings_dict
        other = psycopg2.connect(host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"],
                                 password=db["PASSWORD"] or None, dbname=db["NAME"])
        try:
            with other.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_lock(%s)", [joblock._advisory_key("sla_sweep")])
            assert job_run(name="sla_sweep", slot="2026-12-06T07:00Z") == {"skipped": "locked"}
        finally:
            other.close()  # a dead node: its connection closes, the server frees the lock
    assert counted == []
    assert job_run(name="sla_sweep", slot="2026-12-06T07:00Z") == {"changed": 1}


def test_beat_names_each_tick_by_the_minute_so_two_beats_send_the_same_slot__issue_19():
    tick = datetime(2026, 12, 6, 5, 12, 0, 300000, tzinfo=timezone.utc)
    assert slot_for(crontab(minute="*"), tick) == "2026-12-06T05:12Z"
    assert slot_for(crontab(minute="*"), tick + timedelta(seconds=40)) == "2026-12-06T05:12Z"
    from celery.schedules import schedule

    assert slot_for(schedule(timedelta(seconds=10)), tick + timedelta(seconds=3)) == "2026-12-06T05:12:00Z"


def test_the_beat_scheduler_adds_the_slot_to_every_job_message__issue_19(monkeypatch):
    from celery.beat import PersistentScheduler, ScheduleEntry

    from inatrade.celery import app

    sent = []
    monkeypatch.setattr(PersistentScheduler, "apply_async",
                        lambda self, entry, producer=None, advance=True, **kw: sent.append(dict(entry.kwargs)))
    entry = ScheduleEntry(name="sla_sweep", task="inatrade.run_scheduled_job", schedule=crontab(minute="*"),
                          args=["sla_sweep"], kwargs={}, app=app)
    SlotScheduler.apply_async(object.__new__(SlotScheduler), entry)
    assert set(sent[0]) == {"slot"} and entry.kwargs == {}

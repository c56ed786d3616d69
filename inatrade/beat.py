"""Celery beat that names each tick it sends (issue 19, inatrade/joblock.py).

Every scheduled ``inatrade.run_scheduled_job`` message gets ``slot=<tick>``: the due time
floored to the entry's period (crontab entries: the minute, UTC). Two beats started by mistake
send the same slot for the same tick; ``inatrade.jobs.job_run`` runs the first and skips the
second (``JobRun`` is unique per job and slot).
"""

from __future__ import annotations

from datetime import datetime, timezone

from celery.beat import PersistentScheduler
from celery.schedules import schedule as interval_schedule


def slot_for(entry_schedule, now: datetime) -> str:
    now = now.astimezone(timezone.utc)
    if isinstance(entry_schedule, interval_schedule) and type(entry_schedule) is interval_schedule:
        seconds = max(int(entry_schedule.run_every.total_seconds()), 1)
        floored = int(now.timestamp()) // seconds * seconds
        return datetime.fromtimestamp(floored, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return now.strftime("%Y-%m-%dT%H:%MZ")


class SlotScheduler(PersistentScheduler):
    def apply_async(self, entry, producer=None, advance=True, **kwargs):
        if entry.task == "inatrade.run_scheduled_job":
            slot = slot_for(entry.schedule, datetime.now(timezone.utc))
            original = entry.kwargs
            entry.kwargs = {**(original or {}), "slot": slot}
            try:
                return super().apply_async(entry, producer=producer, advance=advance, **kwargs)
            finally:
                entry.kwargs = original
        return super().apply_async(entry, producer=producer, advance=advance, **kwargs)

"""Every periodic job, by name (api.md, "Scheduled jobs").

Each app registers its jobs with ``inatrade.registry.job`` (name, service, help, schedule);
this module knows none of them by name. A job is a set-based service taking ``as_of`` (a date in Asia/Jakarta) and returning a small
summary dict. It runs from Celery beat (``inatrade.run_scheduled_job``, scheduled in
inatrade/schedule.py) and from ``python manage.py run_job <name> [--as-of YYYY-MM-DD]``, so
an operator can catch up after an outage and a test can run a job as of a given day.
Running a job twice for the same day changes nothing the second time.
"""

from __future__ import annotations

from datetime import date

import logging
import os
import socket

from django.utils.module_loading import import_string

from inatrade import registry
from inatrade.registry import Job
from inatrade.workdays import today

__all__ = ["JOBS", "Job", "UnknownJob", "job_run"]

logger = logging.getLogger(__name__)
NODE = f"{socket.gethostname()}:{os.getpid()}"


# Every app registers its own jobs (``inatrade.registry.job``) in its ``AppConfig.ready()``;
# this is the same dict, filled at start-up. The core's own two jobs are registered here.
JOBS: dict[str, Job] = registry.JOBS

registry.job(
    name="audit_anchor", service="inatrade.audit.audit_anchor",
    help="Write the audit chain's head outside the database: the anchor file and the administrators' mailbox (SEC-06).",
    schedule={"hour": 23, "minute": 55},
)
registry.job(
    name="email_outbox_deliver", service="inatrade.notifications.email_outbox_deliver",
    help="Send queued e-mails whose next attempt is due (AUD-03).", schedule={"minute": "*/2"},
)


class UnknownJob(KeyError):
    pass


def job_run(*, name: str, as_of: date | None = None, slot: str | None = None) -> dict:
    """Run one job under its run lock; ``slot`` (from beat) makes the run once-only per tick.

    Returns the job's summary, or ``{"skipped": "duplicate_slot"}`` when this tick already ran
    (a second beat), or ``{"skipped": "locked"}`` while another node runs the same job.
    """
    try:
        job = JOBS[name]
    except KeyError as exc:
        raise UnknownJob(name) from exc
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    from inatrade.joblock import run_lock
    from inatrade.models import JobRun

    with run_lock(name, ttl_seconds=job.lock_seconds) as acquired:
        if not acquired:
            logger.info("job %s skipped: another node holds its lock", name)
            return {"skipped": "locked"}
        try:
            with transaction.atomic():
                run = JobRun.objects.create(name=name, slot=slot, node=NODE, started_at=timezone.now())
        except IntegrityError:
            logger.info("job %s skipped: slot %s already ran", name, slot)
            return {"skipped": "duplicate_slot"}
        try:
            summary = import_string(job.service)(as_of=as_of or today())
        except BaseException:
            JobRun.objects.filter(pk=run.pk).update(finished_at=timezone.now(), ok=False)
            raise
        JobRun.objects.filter(pk=run.pk).update(
            finished_at=timezone.now(), ok=True, summary=_jsonable(summary))
        return summary


def _jsonable(summary) -> dict:
    if not isinstance(summary, dict):
        return {"result": str(summary)}
    return {str(k): (v if isinstance(v, (int, float, str, bool, type(None))) else str(v)) for k, v in summary.items()}

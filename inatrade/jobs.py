"""Every periodic job, by name (api.md, "Scheduled jobs").

A job is a set-based service taking ``as_of`` (a date in Asia/Jakarta) and returning a small
summary dict. It runs from Celery beat (``inatrade.run_scheduled_job``, scheduled in
inatrade/schedule.py) and from ``python manage.py run_job <name> [--as-of YYYY-MM-DD]``, so
an operator can catch up after an outage and a test can run a job as of a given day.
Running a job twice for the same day changes nothing the second time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import logging
import os
import socket

from django.utils.module_loading import import_string

from inatrade.workdays import today

logger = logging.getLogger(__name__)
NODE = f"{socket.gethostname()}:{os.getpid()}"


@dataclass(frozen=True)
class Job:
    name: str
    service: str  # dotted path of a function (*, as_of: date) -> dict
    help: str
    # How long the run lock outlives a node that died mid-run (inatrade/joblock.py).
    lock_seconds: int = 600


JOBS: dict[str, Job] = {
    job.name: job
    for job in [
        Job("sla_sweep", "workspace.services.sla_sweep", "Mark steps overdue, notify once, escalate at 2 working days (SLA-03)."),
        Job(
            "inactivity_revocation",
            "accounts.services.access.inactivity_revocation",
            "Warn 14 days before, revoke access unused for 6 months (HA-12, HA-13).",
        ),
        Job(
            "monthly_report_reminders",
            "sugar_import.services.monthly_report_reminders",
            "Remind sugar PI holders of the monthly realization report on the 10th (PI-11).",
        ),
        Job(
            "monthly_report_freeze",
            "sugar_import.services.monthly_report_freeze",
            "Freeze, reactivate or revoke sugar PIs by their monthly reports (PI-12).",
        ),
        Job(
            "api_reregistration",
            "api_registry.services.api_reregistration_job",
            "Remind and freeze APIs due for 5-yearly re-registration (API-07).",
        ),
        Job(
            "quarterly_report_check",
            "api_registry.services.quarterly_report_check",
            "Flag API holders late with the quarterly realization report (API-11).",
        ),
        Job(
            "insw_outbox_deliver",
            "permits.services.insw_outbox_deliver",
            "Deliver pending permit events to INSW with retries (DOC-05).",
        ),
        Job(
            "permit_signing_sweep",
            "permits.services.permit_signing_sweep",
            "Sign permits still awaiting signature (lost tasks, retries after a failure) (DOC-02, REL-06).",
        ),
        Job(
            "registration_documents_sweep",
            "accounts.services.registration.registration_documents_sweep",
            "Render registration documents and BAPs a lost task left unrendered (HA-05, HA-06).",
        ),
        Job(
            "audit_anchor",
            "inatrade.audit.audit_anchor",
            "Write the audit chain's head outside the database: the anchor file and the administrators' mailbox (SEC-06).",
        ),
        Job(
            "registration_uploads_purge",
            "accounts.services.wizard.registration_uploads_purge",
            "Delete temporary uploads of registrations abandoned for two days (HA-03, issue 17).",
        ),
        Job(
            "webhooks_deliver",
            "webhooks.services.webhooks_deliver",
            "Relay application and permit events to the companies' webhook endpoints and deliver them with retries (USE-04).",
        ),
        Job(
            "email_outbox_deliver",
            "inatrade.notifications.email_outbox_deliver",
            "Send queued e-mails whose next attempt is due (AUD-03).",
        ),
    ]
}


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

"""The beat schedule: every periodic job in one place (api.md, "Scheduled jobs").

Each entry runs ``inatrade.tasks.run_scheduled_job`` with a job name from inatrade/jobs.py,
the same code path as ``python manage.py run_job <name>``. Times are Asia/Jakarta.
"""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "audit_anchor": {
        "task": "inatrade.run_scheduled_job",
        "schedule": crontab(hour=23, minute=55),
        "args": ["audit_anchor"],
    },
    "sla_sweep": {
        "task": "inatrade.run_scheduled_job",
        "schedule": crontab(minute="*/15"),
        "args": ["sla_sweep"],
    },
    "inactivity_revocation": {
        "task": "inatrade.run_scheduled_job",
        "schedule": crontab(hour=1, minute=0),
        "args": ["inactivity_revocation"],
    },
    "monthly_report_reminders": {
        "task": "inatrade.run_scheduled_job",
        "schedule": crontab(hour=7, minute=0),
        "args": ["monthly_report_reminders"],
    },
    "monthly_report_freeze": {
        "task": "inatrade.run_scheduled_job",
        "schedule": crontab(hour=0, minute=30),
        "args": ["monthly_report_freeze"],
    },
    "api_reregistration": {
        "task": "inatrade.run_scheduled_job",
        "schedule": crontab(hour=1, minute=30),
        "args": ["api_reregistration"],
    },
    "quarterly_report_check": {
        "task": "inatrade.run_scheduled_job",
        "schedule": crontab(hour=2, minute=0),
        "args": ["quarterly_report_check"],
    },
    "insw_outbox_deliver": {
        "task": "inatrade.run_scheduled_job",
        "schedule": crontab(minute="*"),
        "args": ["insw_outbox_deliver"],
    },
    "permit_signing_sweep": {
        "task": "inatrade.run_scheduled_job",
        "schedule": crontab(minute="*"),
        "args": ["permit_signing_sweep"],
    },
    "registration_uploads_purge": {
        "task": "inatrade.run_scheduled_job",
        "schedule": crontab(hour=3, minute=15),
        "args": ["registration_uploads_purge"],
    },
    "registration_documents_sweep": {
        "task": "inatrade.run_scheduled_job",
        "schedule": crontab(minute="*/5"),
        "args": ["registration_documents_sweep"],
    },
    "webhooks_deliver": {
        "task": "inatrade.run_scheduled_job",
        "schedule": crontab(minute="*"),
        "args": ["webhooks_deliver"],
    },
    "email_outbox_deliver": {
        "task": "inatrade.run_scheduled_job",
        "schedule": crontab(minute="*/2"),
        "args": ["email_outbox_deliver"],
    },
}

"""Entry points of the periodic jobs that belong to capabilities still being built.

Each is registered in inatrade/jobs.py so that ``run_job`` and beat know every name of
api.md today. A job whose capability has not landed yet does nothing and says so in its
summary (and in ``run_job --help``); when the capability lands, JOBS points at its service.
"""

from datetime import date


def _not_built(job: str, capability: str) -> dict:
    return {"status": f"inactive: {job} does its work once {capability} lands", "changed": 0}


def sla_sweep(*, as_of: date) -> dict:
    return _not_built("sla_sweep", "the officers' workspace (SLA-03)")


def inactivity_revocation(*, as_of: date) -> dict:
    return _not_built("inactivity_revocation", "Hak Akses revocation (HA-12)")


def monthly_report_reminders(*, as_of: date) -> dict:
    return _not_built("monthly_report_reminders", "sugar import approvals (PI-11)")


def monthly_report_freeze(*, as_of: date) -> dict:
    return _not_built("monthly_report_freeze", "sugar import approvals (PI-12)")


def api_reregistration(*, as_of: date) -> dict:
    return _not_built("api_reregistration", "the API registry (API-07)")


def quarterly_report_check(*, as_of: date) -> dict:
    return _not_built("quarterly_report_check", "the API registry (API-11)")


def insw_outbox_deliver(*, as_of: date) -> dict:
    return _not_built("insw_outbox_deliver", "permits and the INSW outbox (DOC-05)")

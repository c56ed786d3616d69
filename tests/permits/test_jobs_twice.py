"""REL-04 for every periodic job of inatrade/jobs.py: over the demo world plus a few planted
candidates (an API due for re-registration, a permit awaiting signature, INSW up), each job run
twice for the same day changes the database the first time and nothing the second time: every
table's rows (so e-mails, audit entries, outbox events, attempts) are identical."""

import hashlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from inatrade.jobs import JOBS, job_run

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("dirjen_certificate")]

# Jobs with nothing to do in this world: no registration document is left unrendered by the demo.
IDLE = {"registration_documents_sweep", "registration_uploads_purge"}  # files only, no rows


def snapshot() -> dict[str, tuple[int, str]]:
    """Every concrete table: its row count and a digest of all its rows."""
    tables = {}
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed or model._meta.label == "inatrade.JobRun":
            continue  # JobRun is the log of the runs themselves (issue 19)
        rows = model._default_manager.order_by("pk").values_list()
        # binary columns come back as memoryviews, whose repr is their address: compare bytes
        rows = [tuple(bytes(v) if isinstance(v, memoryview) else v for v in row) for row in rows]
        digest = hashlib.sha256(repr(rows).encode()).hexdigest()
        tables[model._meta.label] = (len(rows), digest)
    return tables


def changed(before, after):
    return sorted(label for label in after if before.get(label) != after[label])


def test_every_periodic_job_run_twice_for_the_same_day_changes_nothing_the_second_time__REL_04(
        fake_insw, company, dirjen, sugar_content, capsys, settings):
    from api_registry.models import Api, ApiStatus
    from permits.services import permit_issue
    from webhooks.models import WebhookEndpoint

    call_command("seed_demo")
    # A webhook endpoint of the company (USE-04): the permit signed by the sweep reaches it
    # (the fake INSW refuses it, so the delivery waits for its next attempt).
    settings.WEBHOOKS_ALLOW_PRIVATE_HOSTS = True
    WebhookEndpoint.objects.create(company=company, url=fake_insw.url, created_by=dirjen)
    as_of = (timezone.localdate() + timedelta(days=200)).replace(day=10)
    Api.objects.filter(pk=Api.objects.filter(status=ApiStatus.ACTIVE).order_by("pk").values("pk")[:1]).update(
        reregistration_due=as_of + timedelta(days=60))
    permit_issue(kind="sugar_pi", holder=company, number="04.PI-05.26.0990", content=sugar_content, signer=dirjen)

    first_changed = {}
    for name in JOBS:
        before = snapshot()
        first = job_run(name=name, as_of=as_of)
        after_first = snapshot()
        second = job_run(name=name, as_of=as_of)
        after_second = snapshot()
        first_changed[name] = changed(before, after_first)
        assert changed(after_first, after_second) == [], (name, first, second)
        assert second.get("changed", 0) == 0, (name, second)
    # the proof is not vacuous: every job with work in this world did it on the first run
    assert {name for name, tables in first_changed.items() if tables} == set(JOBS) - IDLE, first_changed
    assert "inatrade.OutgoingEmail" in first_changed["email_outbox_deliver"]
    assert "permits.InswOutboxEvent" in first_changed["insw_outbox_deliver"]
    assert "inatrade.AuditEntry" in first_changed["monthly_report_freeze"]

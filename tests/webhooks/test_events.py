"""USE-04: which business events reach a company's webhook endpoint, from the services and
jobs that cause them (no feature service imports webhooks: application and permit events are
relayed from the audit log, notices come through inatrade.events)."""

import json
from datetime import date

import pytest
from django.core.management import call_command

from sugar_import import services
from tests.conftest import token_client
from tests.sugar_import.conftest import (  # noqa: F401 - fixtures
    agency, api_p, clock, dirjen, draft, gkm, industry, make_quota, mark_signed, quota, recommendation, sugar_reference,
)
from webhooks.services import webhooks_deliver

pytestmark = pytest.mark.django_db


def received(receiver):
    return [json.loads(r["body"]) for r in receiver.requests]


def test_application_events_reach_the_company_in_order__USE_04(owner, counter_officer, dirjen, api_p, quota,
                                                                recommendation, receiver, outsider):
    token_client(owner).post("/api/v1/webhooks/endpoints/", {"url": receiver.url}, format="json")
    application = services.sugar_application_submit(application=draft(owner, recommendation), actor=owner)
    services.sugar_application_return(application=application, actor=counter_officer, reason="Rekomendasi tidak terbaca")
    services.sugar_application_submit(application=application, actor=owner)
    services.sugar_application_reject(application=application, actor=dirjen, reason="Volume melebihi kebutuhan")
    from inatrade.events import emit

    # Another company's events never reach this endpoint.
    emit(event="report.due", company_id=outsider.company_id, key="other", payload={"period": "2026-01"})

    webhooks_deliver()

    events = received(receiver)
    assert [e["type"] for e in events] == [
        "application.submitted", "application.returned", "application.submitted", "application.rejected"]
    assert {e["data"]["reference"] for e in events} == {application.reference}
    assert events[1]["data"]["reason"] == "Rekomendasi tidak terbaca"
    assert len({e["id"] for e in events}) == 4


def test_a_monthly_report_due_is_announced_once__USE_04(owner, api_p, industry, gkm, recommendation, dirjen, clock, receiver):
    token_client(owner).post("/api/v1/webhooks/endpoints/", {"url": receiver.url, "events": ["report.due"]}, format="json")
    clock.set(date(2026, 1, 5))
    make_quota(industry, gkm, year=2026)
    application = services.sugar_application_submit(application=draft(owner, recommendation), actor=owner)
    sp = mark_signed(services.sugar_application_approve(application=application, actor=dirjen))
    for day in (10, 11):  # the reminder job runs daily; the company hears once
        call_command("run_job", "monthly_report_reminders", "--as-of", date(2026, 2, day).isoformat())
    webhooks_deliver()
    events = received(receiver)
    assert [e["type"] for e in events] == ["report.due"]  # subscribed to report.due only
    assert events[0]["data"] == {"permit_number": sp.number, "period": "2026-01", "deadline": events[0]["data"]["deadline"]}

"""Issue 19, metrics and logs: a Prometheus endpoint behind METRICS_TOKEN with request,
outbox, signing, overdue and job figures read from the database; one JSON log line per
request with a request id that follows into Celery tasks."""

import json
import logging
from datetime import timedelta

import pytest
from django.utils import timezone

from inatrade.jobs import job_run
from inatrade.models import OutgoingEmail

pytestmark = pytest.mark.django_db

TOKEN = "s3cret-metrics-token"


def scrape(client, token=TOKEN):
    return client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {token}")


def sample(text: str, name: str, **labels) -> float:
    want = ",".join(f'{k}="{v}"' for k, v in labels.items())
    for line in text.splitlines():
        if line.startswith(f"{name}{{{want}}} ") or (not labels and line.startswith(f"{name} ")):
            return float(line.rsplit(" ", 1)[1])
    raise AssertionError(f"{name}{{{want}}} not in metrics")


def test_metrics_are_off_without_a_token_and_refuse_a_wrong_one__issue_19(client, settings):
    settings.METRICS_TOKEN = ""
    assert scrape(client).status_code == 404
    settings.METRICS_TOKEN = TOKEN
    assert client.get("/metrics").status_code == 401
    assert scrape(client, "wrong").status_code == 401
    assert scrape(client).status_code == 200


def test_metrics_expose_requests_outboxes_signing_overdue_and_job_success__issue_19(
        client, settings, monkeypatch):
    settings.METRICS_TOKEN = TOKEN
    OutgoingEmail.objects.create(template="t", to=["a@example.id"], subject="s", body="b")
    OutgoingEmail.objects.filter().update(created_at=timezone.now() - timedelta(minutes=5))
    monkeypatch.setattr("inatrade.jobs.import_string", lambda dotted: lambda *, as_of: {"changed": 0})
    job_run(name="email_outbox_deliver", slot="2026-12-06T05:00Z")
    client.get("/healthz")

    text = scrape(client).content.decode()
    assert sample(text, "inatrade_http_requests_total", method="GET", route="healthz", status="200") >= 1
    assert "inatrade_http_request_duration_seconds_bucket" in text
    assert sample(text, "inatrade_outbox_depth", outbox="email") == 1
    assert sample(text, "inatrade_outbox_oldest_age_seconds", outbox="email") >= 290
    assert sample(text, "inatrade_outbox_depth", outbox="insw") == 0
    assert sample(text, "inatrade_signing_backlog", kind="awaiting") == 0
    assert sample(text, "inatrade_job_last_success_timestamp_seconds", job="email_outbox_deliver") > 1.7e9
    assert sample(text, "inatrade_job_last_success_timestamp_seconds", job="sla_sweep") == 0
    assert "inatrade_overdue_case_steps" in text


def test_a_feature_app_registers_its_own_outbox__issue_19(client, settings):
    from inatrade import metrics

    settings.METRICS_TOKEN = TOKEN
    metrics.register_outbox("webhooks_test", lambda: OutgoingEmail.objects.none())
    try:
        assert sample(scrape(client).content.decode(), "inatrade_outbox_depth", outbox="webhooks_test") == 0
    finally:
        metrics._OUTBOXES.pop("webhooks_test")


def test_one_json_line_per_request_with_the_request_id_given_or_made__issue_19(client, caplog):
    from inatrade.jsonlog import JsonFormatter

    caplog.set_level(logging.INFO, logger="inatrade.request")
    response = client.get("/healthz", HTTP_X_REQUEST_ID="abc-123")
    assert response["X-Request-ID"] == "abc-123"
    records = [r for r in caplog.records if r.name == "inatrade.request"]
    assert len(records) == 1
    line = json.loads(JsonFormatter().format(records[0]))
    assert line["request_id"] == "abc-123" and line["status"] == 200 and line["route"] == "healthz"
    assert line["method"] == "GET" and "duration_ms" in line

    made = client.get("/healthz", HTTP_X_REQUEST_ID="not a valid id\n")["X-Request-ID"]
    assert len(made) == 32 and made != "abc-123"


def test_the_request_id_follows_into_celery_tasks__issue_19(client, settings, monkeypatch):
    """The id is copied into the task message headers and restored while the task runs."""
    from celery import shared_task

    from inatrade import requestid

    seen = []

    @shared_task(name="tests.record_request_id")
    def record_request_id():
        seen.append(requestid.get())

    settings.CELERY_TASK_ALWAYS_EAGER = False
    headers = {}
    from celery import signals

    token = requestid.set("req-42")
    try:
        signals.before_task_publish.send(sender="tests.record_request_id", headers=headers, body=None)
    finally:
        requestid.reset(token)
    assert headers == {"request_id": "req-42"}
    # what a worker does with such a message: the header becomes a request attribute
    record_request_id.apply(headers=headers)
    assert seen == ["req-42"] and requestid.get() == ""

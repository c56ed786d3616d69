"""REL-01, REL-02, REL-03 / PI-05 through the real stack: concurrent HTTP requests to gunicorn
(4 workers × 4 threads) on PostgreSQL, with a Celery worker signing the permits, and, in the
last test, the sanction job and a registration approval running at the same time.

Each test asserts the HTTP statuses, the rows, every permit signed by the worker, and that
PostgreSQL detected no deadlock in the test database (``pg_stat_database.deadlocks``, read
after the stack stopped so every backend has reported) and the servers logged none."""

import datetime as dt
import threading
import time
from collections import Counter

import pytest
from django.db import connection

from inatrade.models import AuditEntry, OutgoingEmail
from permits.models import InswOutboxEvent, Permit, PermitStatus
from sugar_import.models import ApplicationStatus, QuotaAllocation, SugarApplication, SugarPermit
from tests.stack.conftest import submitted_applications, token
from tests.stack.harness import deadlocks, post_all

pytestmark = [
    pytest.mark.stack,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the real stack shares the test database: PostgreSQL only"),
]


def approve_path(application) -> str:
    return f"/api/v1/sugar/applications/{application.pk}/approve"


def wait_until_signed(count: int, seconds: float = 300) -> None:
    deadline = time.monotonic() + seconds
    while Permit.objects.filter(status__in=[PermitStatus.VALID, PermitStatus.FROZEN, PermitStatus.REVOKED],
                                current_version__isnull=False).count() < count:
        assert time.monotonic() < deadline, list(Permit.objects.values_list("number", "status"))
        time.sleep(0.5)


def assert_no_deadlock(stack, before: int) -> None:
    stack.stop()  # every backend reports its statistics when it ends
    with connection.cursor() as cursor:
        assert deadlocks(cursor, connection.settings_dict["NAME"]) == before, "PostgreSQL detected a deadlock"
    logs = stack.server_logs()
    assert "deadlock detected" not in logs and "Internal Server Error" not in logs, logs[-5000:]


def assert_json_errors(responses) -> None:
    for response in responses:
        if response.status_code != 200:
            assert response.headers["Content-Type"].startswith("application/json"), response.text[:500]
            assert set(response.json()["error"]) == {"code", "message", "fields"}


def deadlock_count() -> int:
    with connection.cursor() as cursor:
        return deadlocks(cursor, connection.settings_dict["NAME"])


def test_twenty_concurrent_approvals_of_one_application_give_one_permit_one_email_one_insw_event__REL_01(
        stack, dirjen, dirjen_certificate, agency):
    _quota, (application,) = submitted_applications(agency, count=1, companies=1)
    key, before = token(dirjen), deadlock_count()

    responses = post_all(stack.base, [(approve_path(application), key, {})] * 20, clients=20)

    statuses = Counter(r.status_code for r in responses)
    assert statuses == {200: 1, 409: 19}, [(r.status_code, r.text[:300]) for r in responses]
    assert_json_errors(responses)
    assert {r.json()["error"]["code"] for r in responses if r.status_code == 409} == {"invalid_transition"}
    wait_until_signed(1)
    assert SugarApplication.objects.get(pk=application.pk).status == ApplicationStatus.APPROVED
    assert Permit.objects.count() == SugarPermit.objects.count() == 1
    assert OutgoingEmail.objects.filter(template="sugar_permit_issued").count() == 1
    assert OutgoingEmail.objects.filter(template="permit_signed").count() == 1
    assert InswOutboxEvent.objects.count() == 1
    assert AuditEntry.objects.filter(action="sugar_application.approve").count() == 1
    assert_no_deadlock(stack, before)


def test_twenty_concurrent_approvals_of_100_t_on_a_1000_t_quota_issue_exactly_ten__REL_03_PI_05(
        stack, dirjen, dirjen_certificate, agency):
    quota, applications = submitted_applications(agency, count=20, companies=4)
    key, before = token(dirjen), deadlock_count()

    responses = post_all(stack.base, [(approve_path(a), key, {}) for a in applications], clients=20)

    statuses = Counter(r.status_code for r in responses)
    assert statuses == {200: 10, 400: 10}, [(r.status_code, r.text[:300]) for r in responses]
    assert_json_errors(responses)
    assert {r.json()["error"]["code"] for r in responses if r.status_code == 400} == {"quota_exceeded"}
    quota.refresh_from_db()
    assert quota.drawn_tonnes == quota.tonnes == 1000
    assert SugarPermit.objects.count() == 10
    wait_until_signed(10)
    assert_no_deadlock(stack, before)


def test_fifty_concurrent_issuances_get_fifty_distinct_gap_free_numbers__REL_02(stack, dirjen, dirjen_certificate, agency):
    _quota, applications = submitted_applications(agency, count=50, companies=5, quota_tonnes="100000")
    key, before = token(dirjen), deadlock_count()

    responses = post_all(stack.base, [(approve_path(a), key, {}) for a in applications], clients=50)

    assert Counter(r.status_code for r in responses) == {200: 50}, [(r.status_code, r.text[:300]) for r in responses]
    numbers = sorted(r.json()["number"] for r in responses)
    year = dt.date.today().year % 100
    assert numbers == [f"04.PI-05.{year:02d}.{n:04d}" for n in range(1, 51)]
    assert sorted(Permit.objects.values_list("number", flat=True)) == numbers
    wait_until_signed(50)
    assert_no_deadlock(stack, before)


def test_the_quota_race_holds_while_the_worker_signs_the_sanction_job_runs_and_a_registration_is_approved__REL_01_REL_03(
        stack, dirjen, dirjen_certificate, agency, director, counter_officer):
    from accounts import services as accounts
    from tests.accounts.conftest import VALID_FIELDS, pdf_file

    # permits already issued and being signed by the worker, and a validated registration
    _quota, applications = submitted_applications(agency, count=26, companies=4, quota_tonnes="1600")
    key = token(dirjen)
    first = post_all(stack.base, [(approve_path(a), key, {}) for a in applications[:6]], clients=6)
    assert Counter(r.status_code for r in first) == {200: 6}, [r.text[:300] for r in first]
    registration = accounts.registration_submit(
        data=dict(VALID_FIELDS, jenis_usaha=["importir"]),
        files={kind: pdf_file(f"{kind}.pdf") for kind in ("business_licence", "tdp", "npwp_card", "power_of_attorney")})
    accounts.registration_validate(registration=registration, actor=counter_officer, result="valid", notes="Sesuai asli")
    before = deadlock_count()

    # the sanction job, as of a day when this month's reports are overdue, runs in a loop meanwhile
    as_of = (dt.date.today().replace(day=1) + dt.timedelta(days=62)).replace(day=20).isoformat()
    job_runs: list = []
    stop = threading.Event()

    def sanctions():
        while not stop.is_set():
            job_runs.append(stack.run_job("monthly_report_freeze", as_of))

    runner = threading.Thread(target=sanctions)
    runner.start()
    try:
        burst = [(approve_path(a), key, {}) for a in applications[6:]]
        burst.insert(10, (f"/api/v1/registrations/{registration.pk}/approve", token(director), {}))
        responses = post_all(stack.base, burst, clients=21)
    finally:
        stop.set()
        runner.join()

    registration_answer = responses.pop(10)
    assert registration_answer.status_code == 200, registration_answer.text[:500]
    statuses = Counter(r.status_code for r in responses)
    assert statuses == {200: 10, 400: 10}, [(r.status_code, r.text[:300]) for r in responses]
    assert_json_errors(responses)
    assert all(run.returncode == 0 for run in job_runs), [run.stderr[-2000:] for run in job_runs]
    assert QuotaAllocation.objects.get().drawn_tonnes == 1600
    assert SugarPermit.objects.count() == 16
    wait_until_signed(16)
    stack.run_job("monthly_report_freeze", as_of)
    assert InswOutboxEvent.objects.filter(event="issued").count() == 16
    assert_no_deadlock(stack, before)

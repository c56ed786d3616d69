"""REL-01 for API-U/API-P on PostgreSQL: twenty officers' threads approve one application in the
same instant; exactly one transition, one API (one number), one signed-document permit, one
e-mail. SQLite serializes writers with a database lock, so this runs on PostgreSQL only."""

import threading

import pytest
from django.db import connection, connections

from api_registry import services
from api_registry.models import Api, ApiApplication, ApiNumberCounter, ApplicationStatus
from inatrade.audit import AuditEntry
from inatrade.errors import DomainError
from inatrade.models import OutgoingEmail
from permits.models import Permit
from tests.api_registry.conftest import submitted_application

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="concurrency tests need PostgreSQL row locks (SQLite serializes all writers)"),
]


def race(target, count):
    barrier = threading.Barrier(count)
    results = []

    def worker():
        try:
            barrier.wait()
            results.append(("ok", target()))
        except DomainError as exc:
            results.append(("refused", exc.code))
        except Exception as exc:  # noqa: BLE001
            results.append(("error", repr(exc)))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_twenty_concurrent_approvals_of_one_api_application_make_one_api_one_permit_one_email__API_05_REL_01(
        owner, regency_officer, province_officer):
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()  # an earlier transactional test may have flushed the table
    application = submitted_application(owner)
    services.api_application_inspect(application=application, actor=regency_officer, result="sesuai")
    services.api_application_forward(application=application, actor=regency_officer)
    emails_before = OutgoingEmail.objects.filter(template="api_issued").count()
    permits_before = Permit.objects.count()

    results = race(lambda: services.api_application_approve(
        application=ApiApplication.objects.get(pk=application.pk), actor=province_officer).number, 20)

    outcomes = [r[0] for r in results]
    assert outcomes.count("ok") == 1 and "error" not in outcomes, results
    assert ApiApplication.objects.get(pk=application.pk).status == ApplicationStatus.APPROVED
    assert Api.objects.filter(company=owner.company).count() == 1
    assert ApiNumberCounter.objects.get(region_code="3171").last_value == 1  # no number burnt by the losers
    assert Permit.objects.count() == permits_before + 1
    assert OutgoingEmail.objects.filter(template="api_issued").count() == emails_before + 1
    assert AuditEntry.objects.filter(action="api_application.approve", object_id=str(application.pk)).count() == 1

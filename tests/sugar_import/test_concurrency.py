"""REL-01 and REL-03 on PostgreSQL: threads racing on the approval of one application and on
one rakor quota. SQLite serializes writers with a database lock, so these run on PostgreSQL only."""

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from inatrade.errors import DomainError
from inatrade.models import OutgoingEmail
from permits.models import Permit
from sugar_import import services
from sugar_import.models import ApplicationStatus, QuotaAllocation, SugarApplication, SugarPermit
from tests.sugar_import.conftest import draft, line, make_quota, make_recommendation, record_api_p

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="concurrency tests need PostgreSQL row locks (SQLite serializes all writers)"),
]


def race(target, args_list):
    barrier = threading.Barrier(len(args_list))
    results = []

    def worker(args):
        try:
            barrier.wait()
            results.append(("ok", target(*args)))
        except DomainError as exc:
            results.append(("refused", exc.code))
        except Exception as exc:  # noqa: BLE001
            results.append(("error", repr(exc)))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(a,)) for a in args_list]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_twenty_concurrent_approvals_make_one_transition_one_permit_one_email__REL_01(
        owner, api_p, quota, recommendation, dirjen):
    application = services.sugar_application_submit(application=draft(owner, recommendation), actor=owner)
    emails_before = OutgoingEmail.objects.filter(template="sugar_permit_issued").count()

    def approve():
        return services.sugar_application_approve(application=SugarApplication.objects.get(pk=application.pk), actor=dirjen)

    results = race(approve, [()] * 20)
    assert [r[0] for r in results].count("ok") == 1, results
    assert all(r == ("refused", "invalid_transition") for r in results if r[0] != "ok"), results
    assert SugarApplication.objects.get(pk=application.pk).status == ApplicationStatus.APPROVED
    assert Permit.objects.count() == 1 and SugarPermit.objects.count() == 1
    assert OutgoingEmail.objects.filter(template="sugar_permit_issued").count() == emails_before + 1


def test_twenty_concurrent_approvals_never_overdraw_one_quota__REL_03(agency, industry, gkm, dirjen):
    from tests.factories import CompanyFactory, ImporterFactory

    quota = make_quota(industry, gkm, tonnes="7000")  # room for 7 of the 20 applications of 1,000 t
    applications = []
    for index in range(20):
        user = ImporterFactory(company=CompanyFactory())
        record_api_p(user)
        rec = make_recommendation(agency, user.company, number=f"REK-{index}")
        applications.append(services.sugar_application_submit(application=draft(user, rec, lines=[line("1000")]), actor=user))

    def approve(pk):
        return services.sugar_application_approve(application=SugarApplication.objects.get(pk=pk), actor=dirjen)

    results = race(approve, [(a.pk,) for a in applications])
    outcomes = [r[0] for r in results]
    assert outcomes.count("ok") == 7 and outcomes.count("refused") == 13, results
    quota.refresh_from_db()
    assert quota.drawn_tonnes == Decimal("7000") <= quota.tonnes
    assert SugarPermit.objects.count() == 7
    assert len(set(SugarPermit.objects.values_list("number", flat=True))) == 7


def test_fifty_concurrent_approvals_get_fifty_distinct_permit_numbers_none_skipped__REL_02(agency, industry, gkm, dirjen):
    from django.utils import timezone

    from tests.factories import CompanyFactory, ImporterFactory

    make_quota(industry, gkm, tonnes="100000")
    applications = []
    for index in range(50):
        user = ImporterFactory(company=CompanyFactory())
        record_api_p(user)
        rec = make_recommendation(agency, user.company, number=f"REK-N{index}")
        applications.append(services.sugar_application_submit(application=draft(user, rec, lines=[line("100")]), actor=user))

    def approve(pk):
        return services.sugar_application_approve(application=SugarApplication.objects.get(pk=pk), actor=dirjen).number

    results = race(approve, [(a.pk,) for a in applications])
    assert [r[0] for r in results].count("ok") == 50, [r for r in results if r[0] != "ok"]
    year = timezone.localdate().year % 100
    assert sorted(r[1] for r in results) == [f"04.PI-05.{year:02d}.{n:04d}" for n in range(1, 51)]
    assert sorted(SugarPermit.objects.values_list("number", flat=True)) == sorted(r[1] for r in results)
    assert Permit.objects.count() == 50

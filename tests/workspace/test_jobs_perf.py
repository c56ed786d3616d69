"""PERF-03: the periodic jobs make the same number of queries whatever the number of rows
they change (set-based updates, batched notifications)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from accounts.models import AccessStatus, Role, User
from accounts.services.access import inactivity_revocation
from inatrade.models import OutgoingEmail
from sugar_import.models import SugarPermit, SugarPermitStatus
from sugar_import.services import monthly_report_freeze
from tests.factories import CompanyFactory, UserFactory
from tests.workspace import bulk
from workspace.models import CaseStep
from workspace.services import sla_sweep

WIB = ZoneInfo("Asia/Jakarta")
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _audit_chain(db):
    """The audit chain's head row exists once the system has recorded anything; creating it
    on the first run costs three queries that have nothing to do with the rows."""
    from inatrade.models import AuditChainHead

    AuditChainHead.objects.get_or_create(id=1)


def _count(job, **kwargs):
    with CaptureQueriesContext(connection) as ctx:
        result = job(**kwargs)
    return len(ctx.captured_queries), result


def test_it_revokes_idle_importers_in_constant_queries__PERF_03_HA_12():
    company = CompanyFactory()
    idle = datetime(2026, 1, 5, 9, tzinfo=WIB)
    bulk.idle_importers(company=company, n=5, last_used_at=idle, prefix="A")
    small, first = _count(inactivity_revocation, as_of=date(2026, 9, 1))
    bulk.idle_importers(company=company, n=80, last_used_at=idle, prefix="B")
    large, second = _count(inactivity_revocation, as_of=date(2026, 9, 1))
    assert (first["revoked"], second["revoked"]) == (5, 80)
    assert small == large
    assert User.objects.filter(role=Role.IMPORTER, access_status=AccessStatus.REVOKED).count() == 85
    assert OutgoingEmail.objects.filter(template="access_revoked_inactive").count() == 85  # one per person


def test_it_sweeps_overdue_steps_in_constant_queries__PERF_03_SLA_03():
    UserFactory(username="direktur", role=Role.DIRECTOR, email="direktur@kemendag.go.id")
    started = datetime(2026, 3, 2, 9, tzinfo=WIB)
    bulk.overdue_steps(n=5, started_at=started, prefix=1)
    small, first = _count(sla_sweep, as_of=date(2026, 3, 5))
    bulk.overdue_steps(n=80, started_at=started, prefix=1000)
    large, second = _count(sla_sweep, as_of=date(2026, 3, 5))
    assert (first["overdue"], second["overdue"]) == (5, 80)
    assert small == large
    assert CaseStep.objects.filter(overdue_notified_at__isnull=False).count() == 85


def test_it_freezes_permits_without_reports_in_constant_queries__PERF_03_PI_12():
    from tests.sugar_import.conftest import reseed_reference_data
    from sugar_import.models import Purpose, SugarType

    reseed_reference_data()
    industry, gkm = Purpose.objects.get(code="industry"), SugarType.objects.get(code="GKM")
    company = CompanyFactory()
    owner = UserFactory(username="imp1", role=Role.IMPORTER, company=company, email="imp@example.co.id")
    kwargs = dict(company=company, user=owner, purpose=industry, sugar_type=gkm, valid_until=date(2026, 12, 31))
    counts = []
    for n in (5, 80):  # two separate worlds (a second run would also look at the first run's frozen PIs)
        with transaction.atomic():
            bulk.sugar_permits(prefix=f"N{n}", issued=[(date(2026, 6, 1), "10")] * n, **kwargs)
            with CaptureQueriesContext(connection) as ctx:
                result = monthly_report_freeze(as_of=date(2026, 7, 16))
            # SQLite splits a bulk INSERT by its 999-parameter limit; PostgreSQL sends one.
            queries = len([q for q in ctx.captured_queries
                           if connection.vendor == "postgresql" or not q["sql"].startswith("INSERT")])
            assert result["frozen"] == n
            assert SugarPermit.objects.filter(status=SugarPermitStatus.FROZEN).count() == n
            counts.append(queries)
            transaction.set_rollback(True)
    assert counts[0] == counts[1]


def test_it_notifies_many_companies_in_constant_queries__PERF_03_PI_12_AUD_03():
    """One notice per company, all queued in one INSERT: more companies, not more queries."""
    from tests.sugar_import.conftest import reseed_reference_data
    from sugar_import.models import Purpose, SugarType

    reseed_reference_data()
    industry, gkm = Purpose.objects.get(code="industry"), SugarType.objects.get(code="GKM")
    counts = []
    for n in (2, 12):
        with transaction.atomic():
            for c in range(n):
                company = CompanyFactory()
                owner = UserFactory(username=f"imp{n}-{c}", role=Role.IMPORTER, company=company, email=f"imp{n}{c}@example.co.id")
                bulk.sugar_permits(company=company, user=owner, purpose=industry, sugar_type=gkm, valid_until=date(2026, 12, 31),
                                   prefix=f"M{n}-{c}", issued=[(date(2026, 6, 1), "10")] * 3)
            with CaptureQueriesContext(connection) as ctx:
                result = monthly_report_freeze(as_of=date(2026, 7, 16))
            assert result["frozen"] == 3 * n
            assert OutgoingEmail.objects.filter(template="sugar_permit_frozen").count() == n
            counts.append(len(ctx.captured_queries))
            transaction.set_rollback(True)
    assert counts[0] == counts[1]


def test_the_sweep_makes_a_fixed_number_of_queries_and_tells_each_officer_once__PERF_03_SLA_03():
    """Issue 22: the marked steps are read back as rows (not model instances) and who hears of
    a step is worked out once per (role, assignee, issuer, regency); the queries stay these."""
    UserFactory(username="direktur", role=Role.DIRECTOR, email="direktur@kemendag.go.id")
    started = datetime(2026, 3, 2, 9, tzinfo=WIB)
    bulk.overdue_steps(n=40, started_at=started, prefix=1)
    queries, result = _count(sla_sweep, as_of=date(2026, 3, 5))
    assert result["overdue"] == 40
    assert queries == 12, queries
    emails = OutgoingEmail.objects.filter(template="sla_overdue")
    assert emails.count() == result["emails"] - OutgoingEmail.objects.filter(template="sla_escalation").count()
    assert len({str(e.to) for e in emails}) == emails.count() > 0  # one e-mail per person per run

"""SLA-03 on PostgreSQL: officers clicking "Tangani" on one case at the same moment. Exactly
one gets it; every other is told who has it (409 already_claimed); one audit row.
SQLite serializes writers with a database lock, so this runs on PostgreSQL only."""

import threading

import pytest
from django.db import connection, connections

from accounts.models import Role
from inatrade.errors import DomainError
from inatrade.models import AuditEntry
from tests.factories import CompanyFactory, UserFactory
from tests.workspace.conftest import step_row
from workspace.models import CaseStep
from workspace.services import case_step_claim

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="concurrency tests need PostgreSQL row locks (SQLite serializes all writers)"),
]


def test_ten_officers_claiming_one_case_at_once_one_wins__SLA_03():
    officers = [UserFactory(role=Role.DIRECTOR_GENERAL, first_name=f"Petugas{i}", last_name="Dirjen") for i in range(10)]
    [step] = CaseStep.objects.bulk_create([step_row(reference="PGL-RACE", company=CompanyFactory(), due_in_days=-2)])
    barrier = threading.Barrier(len(officers))
    results = []

    def claim(officer):
        try:
            barrier.wait()
            case_step_claim(step=CaseStep.objects.get(pk=step.pk), actor=officer)
            results.append(("ok", officer.pk))
        except DomainError as exc:
            results.append((exc.code, exc.message))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=claim, args=(o,)) for o in officers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    winners = [r for r in results if r[0] == "ok"]
    assert len(winners) == 1, results
    step.refresh_from_db()
    assert step.assignee_id == winners[0][1]
    winner_name = step.assignee.get_full_name()
    assert all(r == ("already_claimed", f"Perkara ini sedang ditangani oleh {winner_name}.") for r in results if r[0] != "ok"), results
    assert AuditEntry.objects.filter(action="case.claim", object_id=str(step.pk)).count() == 1

"""REL-03's second half: a deadlock or a serialization failure that still happens is retried
inside the service, as a whole transaction, a bounded number of times, the same way for every
transition (``inatrade.db.retry_on_db_conflict``); the caller never sees it. Only the attempt
that commits leaves rows, audit entries and on-commit work behind."""

import threading

import pytest
from django.db import OperationalError, connection, connections, transaction

from accounts.models import Company
from inatrade.audit import audit_record, verify_audit_chain
from inatrade.db import is_db_conflict, retry_on_db_conflict
from inatrade.models import AuditEntry
from tests.factories import CompanyFactory

pytestmark = pytest.mark.django_db(transaction=True)


class FakeDeadlock(Exception):
    pgcode = "40P01"


def deadlock() -> OperationalError:
    error = OperationalError("deadlock detected")
    error.__cause__ = FakeDeadlock()
    return error


def test_a_conflict_reruns_the_whole_transaction_and_keeps_only_the_committed_attempt__REL_03():
    company = CompanyFactory()
    attempts, committed = [], []

    @retry_on_db_conflict
    def rename(name):
        attempts.append(name)
        Company.objects.filter(pk=company.pk).update(name=f"{name} {len(attempts)}")
        audit_record(obj=company, action="rename", to_state=str(len(attempts)))
        transaction.on_commit(lambda: committed.append(len(attempts)))
        if len(attempts) < 3:
            raise deadlock()
        return len(attempts)

    assert rename("PT Ulang") == 3
    assert attempts == ["PT Ulang"] * 3 and committed == [3]
    assert Company.objects.get(pk=company.pk).name == "PT Ulang 3"
    assert list(AuditEntry.objects.filter(action="rename").values_list("to_state", flat=True)) == ["3"]
    assert verify_audit_chain().ok


def test_retries_are_bounded_and_other_errors_are_not_retried__REL_03():
    calls = []

    @retry_on_db_conflict(attempts=3)
    def always_conflicts():
        calls.append(1)
        raise deadlock()

    with pytest.raises(OperationalError):
        always_conflicts()
    assert len(calls) == 3

    @retry_on_db_conflict
    def broken():
        calls.append(2)
        raise OperationalError("no such table")

    with pytest.raises(OperationalError):
        broken()
    assert calls.count(2) == 1 and not is_db_conflict(OperationalError("no such table"))


def test_inside_an_enclosing_transaction_the_outer_one_owns_the_retry__REL_03():
    calls = []

    @retry_on_db_conflict
    def inner():
        calls.append(1)
        raise deadlock()

    @retry_on_db_conflict(attempts=2)
    def outer():
        inner()

    with pytest.raises(OperationalError):
        outer()
    assert len(calls) == 2  # the inner call did not retry by itself within the outer transaction


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a real deadlock needs PostgreSQL row locks")
def test_a_real_deadlock_between_two_transitions_is_retried_and_both_complete__REL_03():
    a, b = CompanyFactory(name="PT A"), CompanyFactory(name="PT B")
    barrier = threading.Barrier(2)
    attempts: dict[str, int] = {}
    results, errors = [], []

    @retry_on_db_conflict
    def touch(first, second, label):
        attempts[label] = attempts.get(label, 0) + 1
        Company.objects.select_for_update().get(pk=first.pk)
        if attempts[label] == 1:
            barrier.wait(timeout=30)  # both hold their first row: the opposite orders meet
        Company.objects.select_for_update().get(pk=second.pk)
        Company.objects.filter(pk=first.pk).update(phone=label)
        audit_record(obj=first, action="touch", to_state=label)
        return label

    def run(*args):
        try:
            results.append(touch(*args))
        except Exception as exc:  # noqa: BLE001
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(a, b, "ab")), threading.Thread(target=run, args=(b, a, "ba"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and sorted(results) == ["ab", "ba"]
    assert sorted(attempts.values()) == [1, 2]  # PostgreSQL aborted one; it ran again and completed
    assert AuditEntry.objects.filter(action="touch").count() == 2 and verify_audit_chain().ok

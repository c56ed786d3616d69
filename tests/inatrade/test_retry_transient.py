"""REL-03: one retry helper for work that owns its transaction (``inatrade.db.retry_transient``):
a transient database error (conflict, lost connection, server restart) is retried a bounded
number of times; any other error, or one inside a caller's transaction, goes up at once."""

import pytest
from django.db import IntegrityError, OperationalError, transaction

from inatrade import db
from inatrade.db import is_transient_db_error, retry_transient


class _Code(Exception):
    def __init__(self, pgcode):
        super().__init__(pgcode)
        self.pgcode = pgcode


def _operational(pgcode=None):
    error = OperationalError("boom")
    if pgcode:
        error.__cause__ = _Code(pgcode)
    return error


@pytest.fixture(autouse=True)
def _no_sleep(monkeypatch):
    monkeypatch.setattr(db.time, "sleep", lambda s: None)


@pytest.mark.parametrize("pgcode", [None, "40P01", "40001", "08006", "53300", "57P01", "55P03"])
def test_transient_errors_are_recognised__REL_03(pgcode):
    assert is_transient_db_error(_operational(pgcode))


def test_other_errors_are_not_transient__REL_03():
    assert not is_transient_db_error(_operational("23505"))
    assert not is_transient_db_error(IntegrityError("duplicate"))
    assert not is_transient_db_error(ValueError("x"))


@pytest.mark.django_db(transaction=True)
def test_a_transient_error_is_retried_until_it_succeeds__REL_03():
    calls = []

    def work():
        calls.append(1)
        if len(calls) < 3:
            raise _operational("08006")
        return "done"

    assert retry_transient(work, what="test work", attempts=3) == "done"
    assert len(calls) == 3


@pytest.mark.django_db(transaction=True)
def test_retries_are_bounded_and_other_errors_go_up_at_once__REL_03():
    calls = []

    def always_lost():
        calls.append(1)
        raise _operational()

    with pytest.raises(OperationalError):
        retry_transient(always_lost, what="test work", attempts=2)
    assert len(calls) == 2

    calls.clear()

    def broken():
        calls.append(1)
        raise ValueError("not a database problem")

    with pytest.raises(ValueError):
        retry_transient(broken, what="test work")
    assert len(calls) == 1


@pytest.mark.django_db(transaction=True)
def test_inside_a_callers_transaction_nothing_is_retried__REL_03():
    calls = []

    def work():
        calls.append(1)
        raise _operational("40P01")

    with pytest.raises(OperationalError), transaction.atomic():
        retry_transient(work, what="test work")
    assert len(calls) == 1

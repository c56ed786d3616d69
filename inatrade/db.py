"""Transactions of the services: one way to lock, one way to retry (docs/decisions/0010).

``@retry_on_db_conflict`` makes a service function its own transaction and re-runs the whole
of it when PostgreSQL aborts it with a deadlock (40P01) or a serialization failure (40001),
a bounded number of times with a short random back-off. A transaction that fails is rolled
back entirely, so the ``transaction.on_commit`` hooks of a failed attempt are discarded by
Django and only those of the attempt that commits run. Called inside a transaction that
someone else opened (a service calling another service, an ``Idempotency-Key`` action), it
adds nothing: the outermost transaction is the one that retries, as a whole.

The audit rows of the transaction are appended to the chain at its end, just before the
commit (``inatrade.audit.deferred_chain``), so the chain head, which every audited write
shares, is the last lock taken and is held only for that moment.

A transition locks the rows it changes with
``select_for_update(of=("self",), no_key=True)``: ``FOR NO KEY UPDATE OF`` the queried table only. Related rows joined with ``select_related`` are read, not locked,
and the lock does not block the ``FOR KEY SHARE`` that PostgreSQL takes on a row when
another transaction inserts a row referring to it (a permit of that company, an audit row).
"""

from __future__ import annotations

import logging
import random
import time
from functools import wraps

from django.db import DatabaseError, connection, transaction

logger = logging.getLogger(__name__)

ATTEMPTS = 5
BACKOFF_SECONDS = 0.02
CONFLICT_SQLSTATES = {"40001", "40P01"}  # serialization_failure, deadlock_detected


def is_db_conflict(exc: BaseException) -> bool:
    """A deadlock or a serialization failure: the database asks the transaction to be retried."""
    cause = exc
    while cause is not None:
        if getattr(cause, "pgcode", None) in CONFLICT_SQLSTATES or getattr(cause, "sqlstate", None) in CONFLICT_SQLSTATES:
            return True
        cause = cause.__cause__ or cause.__context__
        if cause is exc:
            break
    return False


def retry_on_db_conflict(func=None, *, attempts: int = ATTEMPTS):
    """Run ``func`` as one transaction, retried as a whole on a deadlock/serialization failure."""

    def decorate(function):
        @wraps(function)
        def wrapper(*args, **kwargs):
            if connection.in_atomic_block:
                return function(*args, **kwargs)  # the enclosing transaction retries, as a whole
            return run_in_transaction(function, *args, attempts=attempts, **kwargs)

        wrapper.retries_db_conflicts = True
        return wrapper

    return decorate(func) if func is not None else decorate


def run_in_transaction(function, *args, attempts: int = ATTEMPTS, **kwargs):
    """``function(*args, **kwargs)`` in its own transaction, retried on a conflict. Inside a
    transaction someone else opened it is one savepoint, run once: the outer one retries."""
    from inatrade.audit import deferred_chain

    if connection.in_atomic_block:
        with transaction.atomic():
            return function(*args, **kwargs)

    for attempt in range(1, attempts + 1):
        try:
            with transaction.atomic(), deferred_chain():
                return function(*args, **kwargs)
        except DatabaseError as exc:
            if attempt == attempts or not is_db_conflict(exc):
                raise
            logger.warning("%s: database conflict, attempt %d of %d retried: %s",
                           getattr(function, "__qualname__", function), attempt, attempts, str(exc).splitlines()[0])
            time.sleep(random.uniform(0, BACKOFF_SECONDS * 2 ** attempt))  # noqa: S311 - jitter, not security
    raise AssertionError("unreachable")


# Transient database errors (SQLSTATE classes): 40 transaction rollback (deadlock 40P01,
# serialization failure 40001), 08 connection exception, 53 insufficient resources, 57 operator
# intervention (the server shutting down), and 55P03 lock not available. An OperationalError or
# InterfaceError without a code is a lost connection (or SQLite's "database is locked").
TRANSIENT_SQLSTATE_CLASSES = ("40", "08", "53", "57")
TRANSIENT_ATTEMPTS = 3
TRANSIENT_BACKOFF_SECONDS = 0.05  # before the 2nd try, doubled for each further one


def is_transient_db_error(exc: BaseException) -> bool:
    """A database error worth an immediate retry of the whole transaction (see above)."""
    from django.db import InterfaceError, OperationalError

    if not isinstance(exc, (OperationalError, InterfaceError)):
        return is_db_conflict(exc) if isinstance(exc, DatabaseError) else False
    code = getattr(exc.__cause__, "pgcode", None) or getattr(exc, "pgcode", None)
    return code is None or code[:2] in TRANSIENT_SQLSTATE_CLASSES or code == "55P03"


def reset_broken_connection() -> None:
    """After a lost connection (outside any caller's transaction) close it, so that the next
    query reconnects instead of failing again."""
    if connection.connection is not None and not connection.in_atomic_block and not connection.is_usable():
        connection.close()


def retry_transient(fn, *, what: str, attempts: int | None = None):
    """Run ``fn()`` (which opens its own transaction); on a transient database error (a conflict,
    a lost connection, the server restarting) reset a broken connection and retry at once with
    a short exponential back-off, at most ``attempts`` times in all, then re-raise.

    Only when ``fn`` owns the transaction: inside a caller's atomic block the whole outer
    transaction is lost and retrying the inner part cannot help, so the error goes up.
    ``what`` names the work in the log line."""
    attempts = attempts or TRANSIENT_ATTEMPTS
    for attempt in range(1, attempts + 1):
        try:
            return fn()
        except Exception as exc:
            if attempt >= attempts or connection.in_atomic_block or not is_transient_db_error(exc):
                raise
            logger.warning("Transient database error during %s (try %d of %d), retrying: %s",
                           what, attempt, attempts, exc)
            reset_broken_connection()
            time.sleep(TRANSIENT_BACKOFF_SECONDS * (2 ** (attempt - 1)) * (1 + random.random()))  # noqa: S311
    raise AssertionError("unreachable")

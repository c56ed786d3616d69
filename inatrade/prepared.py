"""Server-side prepared statements for a hot read on PostgreSQL (PERF-04, issue 22).

A hand-written statement with several joins (e.g. ``sugar_import.selectors.PermitRows``) costs
PostgreSQL more to plan (about 0.3-1.3 ms) than to run (about 0.1 ms) on a page of 25 rows;
under load that planning is CPU taken from the web workers on the same cores. Prepared once per
database connection, each later call is an ``EXECUTE``: parsed and analysed once, and planned
by PostgreSQL's default ``plan_cache_mode = auto`` (custom plans for the first five calls,
then the cached generic plan only where it is not costlier). ``force_generic_plan`` bought
more under wrk (PERF-04 0.90 instead of 0.72) but its one plan for every importer read an
importer with 100,000 PIs 2.4 times slower than one with 100 (PERF-02 fails at 1.5), so it
is not used.

- The ``PREPARE`` goes through the driver's own
  cursor, so Django's query log and ``assertNumQueries`` see one query per call, as before.
- Prepared statements live as long as the connection and are not undone by a rollback; a new
  connection (``CONN_MAX_AGE``, a reconnect) prepares again. A name is the caller's label and a
  hash of the SQL text, so a changed statement gets a new name.
- Other backends (SQLite in development) run the SQL as it is.
- Do not use it behind a pooler in transaction mode (PgBouncer ``pool_mode=transaction``): the
  deployment connects straight to PostgreSQL (deploy/).
"""

from __future__ import annotations

import hashlib
import re

from django.db import connections

_PLACEHOLDER = re.compile(r"%s")


def _numbered(sql: str) -> str:
    counter = iter(range(1, 10_000))
    return _PLACEHOLDER.sub(lambda _: f"${next(counter)}", sql)


def execute(sql: str, params: list, *, label: str, using: str = "default") -> list[tuple]:
    """Rows of ``sql`` (``%s`` placeholders) with ``params``: a prepared statement on PostgreSQL,
    named ``<label>_<hash of the SQL>`` (the label says what it reads, e.g. in query logs)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    connection.ensure_connection()
    raw = connection.connection
    state = getattr(connection, "_inatrade_prepared", None)
    if state is None or state[0] is not raw:
        state = (raw, set())
        connection._inatrade_prepared = state
    name = f"{label}_{hashlib.sha1(sql.encode()).hexdigest()[:16]}"
    if name not in state[1]:
        with raw.cursor() as cursor:  # the driver's cursor: not a query of the request's count
            cursor.execute(f"PREPARE {name} AS {_numbered(sql)}")
        state[1].add(name)
    with connection.cursor() as cursor:
        cursor.execute(f"EXECUTE {name}({', '.join(['%s'] * len(params))})" if params else f"EXECUTE {name}", params)
        return cursor.fetchall()

"""Set-based SQL for the periodic jobs (PERF-03), the same on PostgreSQL and SQLite.

A job that changes 100,000 rows must not build 100,000 model instances, nor send 100,000
literals in an ``IN (...)`` list: many values travel as *one* JSON parameter that the
database unpacks itself (``json_array_elements`` on PostgreSQL, ``json_each`` on SQLite).
The statements then read like the hand-written SQL a DBA would run: ``UPDATE ... RETURNING``
and ``INSERT ... SELECT``. Everything runs on Django's connection and cursor, so it takes
part in the caller's transaction and is counted by ``CaptureQueriesContext``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from django.db import connection


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def json_param(values) -> str:
    """Many values as one SQL parameter (a JSON text)."""
    return json.dumps(values, separators=(",", ":"), ensure_ascii=False, default=str)


def ids_select() -> str:
    """``SELECT`` of the integers in one JSON-array parameter, for ``id IN (...)``."""
    if is_postgresql():
        return "SELECT value::bigint FROM json_array_elements_text(%s::json)"
    return "SELECT value FROM json_each(%s)"


_PG_TYPES = {"int": "bigint", "text": "text", "json": "jsonb"}


def rows_select(columns: Sequence[tuple[str, str]]) -> str:
    """A ``SELECT`` of the rows of one parameter, a JSON array of arrays, with the named
    columns; each column is ``(name, kind)`` with kind ``int``, ``text`` or ``json``."""
    if is_postgresql():
        items = ", ".join(
            f"(e->{i})::jsonb AS {name}" if kind == "json" else f"(e->>{i})::{_PG_TYPES[kind]} AS {name}"
            for i, (name, kind) in enumerate(columns)
        )
        return f"SELECT {items} FROM json_array_elements(%s::json) AS e"
    items = ", ".join(
        (f"json(json_extract(value, '$[{i}]')) AS {name}" if kind == "json" else f"json_extract(value, '$[{i}]') AS {name}")
        for i, (name, kind) in enumerate(columns)
    )
    return f"SELECT {items} FROM json_each(%s)"


def rows_from(columns: Sequence[tuple[str, str]], alias: str = "r") -> str:
    """``rows_select`` as a ``FROM`` item. (Joined to many rows, a few wide rows belong in a
    ``WITH ... AS MATERIALIZED`` instead: the planner would otherwise extract their values
    once per joined row.)"""
    return f"({rows_select(columns)}) AS {alias}"


def new_uuid() -> str:
    """SQL for a random (version 4) UUID in the form Django stores a ``UUIDField``."""
    if is_postgresql():
        return "gen_random_uuid()"
    # SQLite keeps a UUIDField as 32 hex digits; 4 marks the version, 8..b the variant.
    return ("lower(hex(randomblob(6)) || '4' || substr(hex(randomblob(2)), 2) || "
            "substr('89ab', 1 + (abs(random()) %% 4), 1) || substr(hex(randomblob(2)), 2) || hex(randomblob(6)))")


def json_value(sql: str) -> str:
    """``sql`` (a JSON text) as a value of a JSON column."""
    return f"({sql})::jsonb" if is_postgresql() else f"json({sql})"


def db_value(model, field_name: str, value):
    """``value`` as the database adapter expects it for ``model.field_name``."""
    return model._meta.get_field(field_name).get_db_prep_save(value, connection)


def from_db(model, field_name: str, value):
    """A value read by raw SQL, converted as the ORM would (SQLite returns dates as text)."""
    field = model._meta.get_field(field_name)
    expression = field.get_col(model._meta.db_table)
    for converter in connection.ops.get_db_converters(expression) + field.get_db_converters(connection):
        value = converter(value, expression, connection)
    return value


def execute(sql: str, params: Iterable = ()) -> list[tuple]:
    """Run one statement; the rows it returns (``RETURNING``), or []."""
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return cursor.fetchall() if cursor.description else []


def queryset_sql(queryset) -> tuple[str, tuple]:
    """The ``SELECT`` of a queryset's primary keys, to embed as ``id IN (...)``."""
    return queryset.order_by().values("pk").query.sql_with_params()

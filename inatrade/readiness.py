"""Readiness of one node (issue 19): can it serve real work right now?

``/healthz`` is liveness only (the process answers; no I/O). ``/readyz`` and
``python manage.py check_ready`` run these checks: the database answers and has no pending
migration, Redis answers (when configured), the broker accepts a connection, the cache works,
and the object store can write, read back and delete a tiny probe. A load balancer sends
traffic only to a node whose /readyz answers 200.
"""

from __future__ import annotations

import uuid

from django.conf import settings


def _database():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _migrations():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        names = ", ".join(f"{m.app_label}.{m.name}" for m, _ in plan[:5])
        raise RuntimeError(f"{len(plan)} pending migration(s): {names}")


def _redis():
    from inatrade.joblock import redis_client

    if not redis_client().ping():
        raise RuntimeError("no PONG")


def _cache():
    from django.core.cache import cache

    key = f"readyz:{uuid.uuid4().hex}"
    cache.set(key, "1", 10)
    if cache.get(key) != "1":
        raise RuntimeError("cache did not return what was stored")
    cache.delete(key)


def _broker():
    from inatrade.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)


def _storage():
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    payload = uuid.uuid4().hex.encode()
    name = default_storage.save(f"readyz/{uuid.uuid4().hex}.txt", ContentFile(payload))
    try:
        with default_storage.open(name, "rb") as handle:
            if handle.read() != payload:
                raise RuntimeError("storage returned other bytes than it stored")
    finally:
        default_storage.delete(name)


def _checks():
    checks = [("database", _database), ("migrations", _migrations)]
    if settings.REDIS_URL:
        checks.append(("redis", _redis))
    checks += [("cache", _cache), ("broker", _broker), ("storage", _storage)]
    return checks


def run_checks() -> dict:
    """{"status": "ok"|"not_ready", "failing": [...], "checks": {name: {"ok", "detail"}}}."""
    results = {}
    for name, check in _checks():
        try:
            check()
            results[name] = {"ok": True, "detail": "ok"}
        except Exception as exc:  # noqa: BLE001 - readiness reports every failure as text
            results[name] = {"ok": False, "detail": f"{type(exc).__name__}: {exc}"[:300]}
    failing = [name for name, result in results.items() if not result["ok"]]
    return {
        "status": "ok" if not failing else "not_ready",
        "failing": failing,
        "checks": results,
        "environment": settings.ENVIRONMENT,
        "storage_backend": settings.STORAGES["default"]["BACKEND"].rsplit(".", 1)[-1],
    }

"""Exactly one run of a periodic job at a time, across every node (issue 19).

Two locks, both taken in ``inatrade.jobs.job_run`` (the single point every job goes through):

- **The run lock** keeps two runs of the same job from overlapping, whichever nodes they are on.
  With Redis configured it is ``SET key token NX PX ttl`` (released by compare-and-delete, so a
  run never frees a lock another run took after its own expired). A node that dies mid-run
  leaves the key behind only until it expires (``Job.lock_seconds``); the next scheduled run
  after that takes it. Without Redis on PostgreSQL it is a session advisory lock
  (``pg_try_advisory_lock``), released by the server when the dead node's connection closes.
  On SQLite (the embedded default: one machine, one beat) it is a no-op.
- **The schedule slot**: beat (``inatrade.beat.SlotScheduler``) names each tick it sends, e.g.
  ``2026-12-06T05:12Z``. ``JobRun`` has one row per (job, slot), unique: a second beat started by
  mistake sends the same slot, its insert fails and the run is skipped. This holds on every
  database, with or without Redis.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import uuid

from django.conf import settings
from django.db import connection

logger = logging.getLogger(__name__)

_RELEASE = """
if redis.call("get", KEYS[1]) == ARGV[1] then
    return redis.call("del", KEYS[1])
end
return 0
"""

_redis_client = None


def redis_client():
    """A Redis client on REDIS_URL with short timeouts, or None when Redis is not configured."""
    global _redis_client
    if not settings.REDIS_URL:
        return None
    if _redis_client is None:
        import redis

        _redis_client = redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=5, health_check_interval=30
        )
    return _redis_client


def _advisory_key(name: str) -> int:
    return int.from_bytes(hashlib.sha256(f"inatrade-job:{name}".encode()).digest()[:8], "big", signed=True)


@contextlib.contextmanager
def run_lock(name: str, *, ttl_seconds: int):
    """Yield True when this process holds the run lock of ``name``, False when another does."""
    client = redis_client()
    if client is not None:
        key = f"inatrade:joblock:{name}"
        token = uuid.uuid4().hex
        acquired = bool(client.set(key, token, nx=True, px=int(ttl_seconds * 1000)))
        try:
            yield acquired
        finally:
            if acquired:
                try:
                    client.eval(_RELEASE, 1, key, token)
                except Exception:  # noqa: BLE001 - the lock then expires by itself
                    logger.warning("job lock %s not released; it expires in %ss", name, ttl_seconds)
        return
    if connection.vendor == "postgresql":
        key = _advisory_key(name)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            acquired = bool(cursor.fetchone()[0])
        try:
            yield acquired
        finally:
            if acquired:
                try:
                    with connection.cursor() as cursor:
                        cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
                except Exception:  # noqa: BLE001 - a lost connection released it already
                    logger.warning("advisory job lock %s not released explicitly", name)
        return
    yield True  # SQLite: the embedded default runs one beat on one machine

"""The tamperer of SEC-06: someone with the database's superuser rights but without the audit
key (AUDIT_HMAC_KEY), who switches the append-only trigger off to rewrite the table."""

import hashlib
from contextlib import contextmanager

from django.db import connection

TRIGGER = "inatrade_auditentry_append_only"


@contextmanager
def superuser_cursor():
    with connection.cursor() as cursor:
        postgres = connection.vendor == "postgresql"
        if postgres:
            cursor.execute("SELECT 1 FROM pg_trigger WHERE tgname = %s", [TRIGGER])
            postgres = cursor.fetchone() is not None
        if postgres:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending FK checks: ALTER TABLE may run
            cursor.execute(f"ALTER TABLE inatrade_auditentry DISABLE TRIGGER {TRIGGER}")
        try:
            yield cursor
        finally:
            if postgres:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute(f"ALTER TABLE inatrade_auditentry ENABLE TRIGGER {TRIGGER}")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def unkeyed_hash(entry) -> str:
    """The best the tamperer can compute without the key: the chain's text, hashed unkeyed."""
    from inatrade.audit import _canonical

    return hashlib.sha256(_canonical(entry)).hexdigest()

"""SEC-06: tampering with the audit log directly in the database is detected, beyond the
plain edit and deletion proved in tests/inatrade/test_audit.py: an edit whose row hash is
recomputed by the tamperer, the last rows cut off, a forged row appended."""

import pytest
from django.db import connection, transaction

from inatrade.audit import audit_record, compute_hash, verify_audit_chain
from inatrade.models import AuditEntry
from tests.audit_attacker import superuser_cursor

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(owner):
    for action in ("submitted", "approved", "revoked"):
        with transaction.atomic():
            audit_record(obj=owner, action=action, actor=owner, reason=action)
    assert verify_audit_chain().ok


def _rewrite(seq, **changes):
    """Edit a row with raw SQL and recompute its own hash, as a careful tamperer would."""
    entry = AuditEntry.objects.get(seq=seq)
    for field, value in changes.items():
        setattr(entry, field, value)
    with superuser_cursor() as cursor:
        sets = ", ".join(f"{field} = %s" for field in changes)
        cursor.execute(f"UPDATE inatrade_auditentry SET {sets}, entry_hash = %s WHERE seq = %s",
                       [*changes.values(), compute_hash(entry), seq])


def test_an_edit_with_a_recomputed_row_hash_is_detected_by_the_next_row__SEC_06(chain):
    _rewrite(2, reason="diubah diam-diam")
    assert verify_audit_chain().first_broken_seq == 3


def test_an_edit_of_the_last_row_with_a_recomputed_hash_is_detected__SEC_06(chain):
    _rewrite(3, reason="diubah diam-diam")
    report = verify_audit_chain()
    assert not report.ok and report.first_broken_seq == 3, report


def test_cutting_off_the_last_rows_is_detected__SEC_06(chain):
    with superuser_cursor() as cursor:
        cursor.execute("DELETE FROM inatrade_auditentry WHERE seq = 3")
    report = verify_audit_chain()
    assert not report.ok and "expects 3 rows" in report.problem


def test_a_forged_row_appended_in_the_database_is_detected__SEC_06(chain):
    """A copy of the last row, appended as #4 and pointing at #3, but not written by the app."""
    columns = [f.column for f in AuditEntry._meta.concrete_fields if f.column not in ("id", "seq", "prev_hash", "entry_hash")]
    listed = ", ".join(columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO inatrade_auditentry (seq, prev_hash, entry_hash, {listed})"
            f" SELECT 4, entry_hash, entry_hash, {listed} FROM inatrade_auditentry WHERE seq = 3"
        )
    report = verify_audit_chain()
    assert not report.ok and report.first_broken_seq == 4, report

"""SEC-06: the three rewrites of the audit log that went undetected with an unkeyed chain and no
guard in the database, each made by a tamperer with the database's superuser rights (the
append-only trigger switched off) but without AUDIT_HMAC_KEY, and each now detected: the head
rolled back (by the anchors kept outside the database), the chain recomputed after an edit and
a row deleted with the rest renumbered (by the keyed hash)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from inatrade.audit import audit_anchor, audit_record, read_anchors, verify_audit_chain
from inatrade.models import AuditChainHead, AuditEntry, OutgoingEmail
from tests.audit_attacker import superuser_cursor, unkeyed_hash

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def chain(owner):
    for action in ("submitted", "approved", "frozen", "reactivated", "revoked"):
        with transaction.atomic():
            audit_record(obj=owner, action=action, actor=owner, reason=action)
    assert verify_audit_chain().ok


def _rechain_from(seq: int, cursor) -> None:
    """Recompute prev_hash/entry_hash of every row from ``seq`` on and the head, unkeyed."""
    previous = AuditEntry.objects.get(seq=seq - 1).entry_hash if seq > 1 else "0" * 64
    for entry in AuditEntry.objects.filter(seq__gte=seq).order_by("seq"):
        entry.prev_hash = previous
        previous = unkeyed_hash(entry)
        cursor.execute("UPDATE inatrade_auditentry SET prev_hash = %s, entry_hash = %s WHERE id = %s",
                       [entry.prev_hash, previous, entry.pk])
    last = AuditEntry.objects.order_by("seq").last()
    AuditChainHead.objects.filter(id=1).update(last_seq=last.seq, last_hash=previous)


def test_rolling_back_the_head_is_detected_by_the_anchor_kept_outside__SEC_06(chain):
    audit_anchor(as_of=timezone.localdate())  # the day's head, written out (#5)
    # the tamperer cuts off rows 4 and 5 and rolls the head back to row 3: a consistent chain
    with superuser_cursor() as cursor:
        cursor.execute("DELETE FROM inatrade_auditentry WHERE seq > 3")
    row3 = AuditEntry.objects.get(seq=3)
    AuditChainHead.objects.filter(id=1).update(last_seq=3, last_hash=row3.entry_hash)

    report = verify_audit_chain()
    assert not report.ok and "names row #5" in report.problem, report
    with pytest.raises(CommandError, match="BROKEN"):
        call_command("verify_audit_chain")


def test_recomputing_the_chain_after_an_edit_without_the_key_is_detected__SEC_06(chain):
    with superuser_cursor() as cursor:
        cursor.execute("UPDATE inatrade_auditentry SET reason = %s WHERE seq = 2", ["diubah diam-diam"])
        _rechain_from(2, cursor)

    report = verify_audit_chain()
    assert not report.ok and report.first_broken_seq == 2 and "changed" in report.problem, report


def test_deleting_a_row_and_renumbering_the_rest_is_detected__SEC_06(chain):
    with superuser_cursor() as cursor:
        cursor.execute("DELETE FROM inatrade_auditentry WHERE seq = 2")
        for seq in (3, 4, 5):  # in ascending order, so that seq stays unique at each step
            cursor.execute("UPDATE inatrade_auditentry SET seq = %s WHERE seq = %s", [seq - 1, seq])
        _rechain_from(2, cursor)

    assert AuditEntry.objects.count() == 4 and AuditChainHead.objects.get().last_seq == 4
    report = verify_audit_chain()
    assert not report.ok and report.first_broken_seq == 2, report


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the append-only trigger is PostgreSQL's")
def test_the_database_refuses_update_and_delete_of_audit_rows__SEC_06(chain):
    for statement in ("UPDATE inatrade_auditentry SET reason = 'x' WHERE seq = 1",
                      "DELETE FROM inatrade_auditentry WHERE seq = 5"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    assert AuditEntry.objects.count() == 5 and verify_audit_chain().ok


def test_the_anchor_is_written_to_the_file_and_mailed_once_a_day_and_verifies__SEC_06(chain, settings, capsys):
    today = timezone.localdate()
    assert audit_anchor(as_of=today) == {"changed": 1, "seq": 5}
    assert audit_anchor(as_of=today) == {"changed": 0, "seq": 5}
    (anchor,) = read_anchors()
    assert anchor.seq == 5 and anchor.hash == AuditEntry.objects.get(seq=5).entry_hash
    mail = OutgoingEmail.objects.get(template="audit_anchor")
    assert mail.to == settings.ADMIN_NOTIFICATION_EMAILS and anchor.hash in mail.body
    call_command("verify_audit_chain")
    assert "5 rows verified, 1 anchors matched" in capsys.readouterr().out
    # the mailed line, given on the command line, is checked the same way (here: a forged one)
    forged = json.loads(anchor.as_json()) | {"seq": 6}
    with pytest.raises(CommandError, match="not signed with the audit key"):
        call_command("verify_audit_chain", "--anchor", json.dumps(forged))


def test_production_requires_an_audit_key_of_its_own__SEC_06():
    env = {**os.environ, "INATRADE_ENV": "production", "SECRET_KEY": "s" * 50, "ALLOWED_HOSTS": "example.go.id",
           "DJANGO_SETTINGS_MODULE": "inatrade.settings"}
    env.pop("AUDIT_HMAC_KEY", None)
    code = "import django; django.setup()"
    missing = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert missing.returncode != 0 and "AUDIT_HMAC_KEY" in missing.stderr
    same = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**env, "AUDIT_HMAC_KEY": "s" * 50},
                          capture_output=True, text=True)
    assert same.returncode != 0 and "must differ from SECRET_KEY" in same.stderr

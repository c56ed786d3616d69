"""AUD-01 / SEC-06: the append-only, hash-chained audit log."""

import pytest
from django.contrib.admin.sites import site
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import transaction

from inatrade.audit import audit_record, verify_audit_chain
from inatrade.models import AuditEntry
from tests.audit_attacker import superuser_cursor

pytestmark = pytest.mark.django_db


def _three_rows(owner):
    with transaction.atomic():
        audit_record(obj=owner, action="submitted", actor=owner, from_state="draft", to_state="submitted")
    with transaction.atomic():
        audit_record(obj=owner, action="approved", actor=owner, from_state="submitted", to_state="approved", reason="lengkap")
    with transaction.atomic():
        audit_record(obj=owner, action="revoked", from_state="approved", to_state="revoked", reason="untrue_data")


def test_it_chains_each_row_to_the_previous__AUD_01(owner):
    _three_rows(owner)
    rows = list(AuditEntry.objects.order_by("seq"))
    assert [r.seq for r in rows] == [1, 2, 3]
    assert rows[1].prev_hash == rows[0].entry_hash
    assert rows[2].prev_hash == rows[1].entry_hash
    assert rows[0].actor_role == "importer" and rows[2].actor_label == "system"
    report = verify_audit_chain()
    assert report.ok and report.checked == 3


def test_it_detects_a_row_edited_directly_in_the_database__AUD_01_SEC_06(owner):
    _three_rows(owner)
    with superuser_cursor() as cursor:
        cursor.execute("UPDATE inatrade_auditentry SET reason = %s WHERE seq = 2", ["diubah diam-diam"])
    report = verify_audit_chain()
    assert report.first_broken_seq == 2
    with pytest.raises(CommandError, match="BROKEN at row #2"):
        call_command("verify_audit_chain")


def test_it_detects_a_row_deleted_directly_in_the_database__AUD_01_SEC_06(owner):
    _three_rows(owner)
    with superuser_cursor() as cursor:
        cursor.execute("DELETE FROM inatrade_auditentry WHERE seq = 2")
    assert verify_audit_chain().first_broken_seq == 2


def test_the_command_reports_an_intact_chain__AUD_01(owner, capsys):
    _three_rows(owner)
    call_command("verify_audit_chain")
    assert "3 rows verified" in capsys.readouterr().out


def test_the_application_cannot_update_or_delete_rows__AUD_01(owner):
    _three_rows(owner)
    entry = AuditEntry.objects.first()
    entry.reason = "x"
    with pytest.raises(PermissionDenied):
        entry.save()
    with pytest.raises(PermissionDenied):
        entry.delete()
    with pytest.raises(PermissionDenied):
        AuditEntry.objects.filter(seq=1).update(reason="x")
    with pytest.raises(PermissionDenied):
        AuditEntry.objects.all().delete()
    assert verify_audit_chain().ok


@pytest.mark.django_db(transaction=True)
def test_a_row_is_written_only_inside_the_transaction_of_the_change__AUD_01(owner):
    with pytest.raises(RuntimeError):
        audit_record(obj=owner, action="outside")
    with pytest.raises(ZeroDivisionError):
        with transaction.atomic():
            audit_record(obj=owner, action="rolled_back")
            1 / 0
    assert not AuditEntry.objects.exists()
    assert verify_audit_chain().ok


def test_the_admin_reads_but_cannot_edit_or_delete__AUD_01(client, administrator, owner):
    _three_rows(owner)
    model_admin = site._registry[AuditEntry]
    client.force_login(administrator)
    entry = AuditEntry.objects.first()
    rows = AuditEntry.objects.count()
    assert client.get("/admin/inatrade/auditentry/").status_code == 200
    page = client.get(f"/admin/inatrade/auditentry/{entry.pk}/change/")
    assert page.status_code == 200
    assert b'name="reason"' not in page.content  # shown read-only, no input
    assert client.post(f"/admin/inatrade/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert not model_admin.has_add_permission(None)
    assert AuditEntry.objects.count() == rows

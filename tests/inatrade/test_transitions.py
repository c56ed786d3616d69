"""The one transition mechanism (issue 18): a declared table, one refusal, the audit row
``<object>.<verb>`` written with the move, and the same table for one row and for a set."""

import pytest
from django.db import transaction

from accounts.models import AccessStatus, User
from inatrade.audit_labels import action_label
from inatrade.errors import InvalidTransition
from inatrade.models import AuditEntry
from inatrade.transitions import Machine
from tests.factories import ImporterFactory

MACHINE = Machine(
    name="test_user_access",
    model=User,
    field="access_status",
    moves={
        "block": ({AccessStatus.ACTIVE}, AccessStatus.BLOCKED),
        "revoke": ({AccessStatus.ACTIVE, AccessStatus.BLOCKED}, AccessStatus.REVOKED),
    },
    labels={"block": "Diblokir (uji)"},
)


@pytest.mark.django_db(transaction=True)
def test_apply_moves_the_locked_row_and_writes_its_audit_row():
    user = ImporterFactory()
    with transaction.atomic():
        locked = MACHINE.lock(user.pk)
        assert MACHINE.apply(locked, "block", reason="uji") == (AccessStatus.ACTIVE, AccessStatus.BLOCKED)
    user.refresh_from_db()
    assert user.access_status == AccessStatus.BLOCKED
    entry = AuditEntry.objects.get(object_id=str(user.pk), action="test_user_access.block")
    assert (entry.from_state, entry.to_state, entry.reason) == ("active", "blocked", "uji")
    assert action_label("test_user_access.block") == "Diblokir (uji)"
    assert MACHINE.verbs_from(AccessStatus.BLOCKED) == ["revoke"]


@pytest.mark.django_db(transaction=True)
def test_a_refused_move_is_one_409_shape_and_changes_nothing():
    user = ImporterFactory(access_status=AccessStatus.REVOKED)
    with pytest.raises(InvalidTransition) as refused, transaction.atomic():
        MACHINE.apply(MACHINE.lock(user.pk), "block")
    assert (refused.value.status, refused.value.code) == (409, "invalid_transition")
    assert "dicabut" in refused.value.message
    user.refresh_from_db()
    assert user.access_status == AccessStatus.REVOKED
    assert not AuditEntry.objects.filter(action="test_user_access.block").exists()


@pytest.mark.django_db(transaction=True)
def test_apply_bulk_moves_only_rows_in_a_source_state_and_audits_each():
    active, blocked, revoked = (ImporterFactory(access_status=s) for s in ("active", "blocked", "revoked"))
    changed = MACHINE.apply_bulk([active.pk, blocked.pk, revoked.pk], "revoke", reason="massal",
                                 label_column="username", company_column="company_id")
    assert [(row["id"], row["from_state"], row["to_state"]) for row in changed] == [
        (active.pk, "active", "revoked"), (blocked.pk, "blocked", "revoked")]
    assert set(User.objects.filter(pk__in=[active.pk, blocked.pk, revoked.pk]).values_list("access_status", flat=True)) == {"revoked"}
    rows = AuditEntry.objects.filter(action="test_user_access.revoke").order_by("object_id")
    assert [(r.object_id, r.object_label, r.company_id) for r in rows] == [
        (str(active.pk), active.username, active.company_id), (str(blocked.pk), blocked.username, blocked.company_id)]
    # A second run finds nothing left to move: a job and a button racing change a row once.
    assert MACHINE.apply_bulk([active.pk, blocked.pk], "revoke") == []

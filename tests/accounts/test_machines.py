"""Issue 18: the two state fields of accounts move only through their declared machines
(``REGISTRATION`` for Registration.status, ``USER_ACCESS`` for User.access_status); a refused
move is 409 ``invalid_transition``; audit rows are named ``<object>.<verb>`` and both the new
names and the names of older rows have words on the timelines (AUD-02)."""

from datetime import date, datetime

import pytest
from django.utils import timezone, translation

from accounts import services
from accounts.audit_actions import ACTION_LABELS, OLD_NAMES
from accounts.models import REGISTRATION, USER_ACCESS, AccessStatus, RegistrationStatus, Role
from inatrade.audit_labels import action_label, role_label
from inatrade.errors import InvalidTransition
from inatrade.models import AuditEntry
from inatrade.transitions import MACHINES
from tests.factories import ImporterFactory

pytestmark = pytest.mark.django_db


def test_the_machines_are_declared_and_registered__HA_07_HA_12():
    assert MACHINES["registration"] is REGISTRATION and MACHINES["user"] is USER_ACCESS
    assert REGISTRATION.verbs_from(RegistrationStatus.SUBMITTED) == ["assign_field_verifier", "validate", "reject"]
    assert REGISTRATION.verbs_from(RegistrationStatus.APPROVED) == []
    assert USER_ACCESS.verbs_from(AccessStatus.ACTIVE) == ["block_access", "revoke_access", "revoke_access_inactive"]
    assert USER_ACCESS.verbs_from(AccessStatus.BLOCKED) == ["revoke_access"]
    assert USER_ACCESS.verbs_from(AccessStatus.REVOKED) == []  # HA-14: a revoked business registers anew


def test_every_action_has_words_under_its_new_and_its_old_name__AUD_02():
    new_names = [*ACTION_LABELS, *(REGISTRATION.action(v) for v in REGISTRATION.labels),
                 *(USER_ACCESS.action(v) for v in USER_ACCESS.labels)]
    for name in new_names:
        assert "." in name and action_label(name) != name, name
    for new, old in OLD_NAMES.items():
        assert new in new_names, new
        assert action_label(old) != old, old  # history rows keep their words


def test_roles_have_words_without_core_importing_accounts__AUD_02():
    with translation.override("id"):
        assert role_label(Role.DIRECTOR) == str(Role.DIRECTOR.label) != Role.DIRECTOR.value  # registered by accounts
        assert role_label("") == "sistem"


def test_a_blocked_user_cannot_be_blocked_again_but_can_be_revoked__HA_10_HA_12(owner, director):
    services.user_report_lost_credentials(user=owner)
    with pytest.raises(InvalidTransition) as refused:
        services.user_report_lost_credentials(user=owner)
    assert refused.value.code == "invalid_transition" and refused.value.status == 409
    services.user_revoke(user=owner, actor=director, reason_code="misuse")
    owner.refresh_from_db()
    assert owner.access_status == AccessStatus.REVOKED
    actions = list(AuditEntry.objects.filter(object_id=str(owner.pk), object_type="accounts.user")
                   .order_by("seq").values_list("action", "from_state", "to_state"))
    assert ("user.block_access", "active", "blocked") in actions
    assert ("user.revoke_access", "blocked", "revoked") in actions


def test_the_inactivity_job_moves_users_through_the_machine_one_audit_row_each__HA_12_HA_13():
    idle = timezone.make_aware(datetime(2026, 1, 5, 10))
    users = [ImporterFactory(last_used_at=idle) for _ in range(3)]
    ImporterFactory(last_used_at=idle, access_status=AccessStatus.BLOCKED)  # not a source of the move
    assert services.inactivity_revocation(as_of=date(2026, 9, 15))["revoked"] == 3
    rows = AuditEntry.objects.filter(action="user.revoke_access_inactive")
    assert sorted(int(pk) for pk in rows.values_list("object_id", flat=True)) == sorted(u.pk for u in users)
    assert set(rows.values_list("from_state", "to_state")) == {("active", "revoked")}


def test_registration_audit_rows_are_named_object_dot_verb__HA_06(validated, director):
    services.registration_approve(registration=validated, actor=director)
    actions = list(AuditEntry.objects.filter(object_type="accounts.registration", object_id=str(validated.pk))
                   .order_by("seq").values_list("action", flat=True))
    assert actions == ["registration.submit", "registration.validate", "registration.approve"]
    assert AuditEntry.objects.filter(action="user.grant_access", to_state="active").count() == 1


def test_a_refused_registration_move_is_invalid_transition__HA_07(submitted, director):
    with pytest.raises(InvalidTransition) as refused:
        services.registration_approve(registration=submitted, actor=director)
    assert refused.value.code == "invalid_transition"
    submitted.refresh_from_db()
    assert submitted.status == RegistrationStatus.SUBMITTED

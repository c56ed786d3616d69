"""Status transitions of a permit (sanctions): freeze, reactivate, revoke, supersede.

The allowed moves are ``permits.models.permit_machine``; one permit moves here
(``machine.lock`` + ``machine.apply``), a set of them in ``permits.services.bulk``
(``machine.apply_bulk``), with the same audit action ``permit.<verb>`` and INSW event.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inatrade.errors import RuleViolation
from permits.models import InswEvent, Permit, PermitStatus, permit_machine
from permits.services.insw import outbox_add

# The INSW event each move sends (when the permit has a signed version).
TRANSITION_EVENTS = {
    "freeze": InswEvent.FROZEN,
    "reactivate": InswEvent.REACTIVATED,
    "revoke": InswEvent.REVOKED,
    "supersede": InswEvent.REVOKED,
}


def require_reason(reason) -> str:
    reason = str(reason or "")  # may be a lazy translation
    if not reason.strip():
        raise RuleViolation(_("Alasan wajib diisi."), code="reason_required", fields={"reason": ["required"]})
    return reason


def _transition(*, permit: Permit, verb: str, actor, reason: str) -> Permit:
    reason = require_reason(reason)
    with transaction.atomic():
        permit = permit_machine.lock(permit.pk)
        target = None
        if verb == "reactivate" and not permit.current_version_id:
            target = PermitStatus.AWAITING_SIGNATURE  # frozen before its first signature
        permit.status_reason, permit.status_changed_at = reason, timezone.now()
        permit_machine.apply(permit, verb, actor=actor, reason=reason, company=permit.holder, target=target,
                             update_fields=["status_reason", "status_changed_at"])
        if permit.current_version_id:
            outbox_add(permit, TRANSITION_EVENTS[verb], permit.current_version)
    return permit


def permit_freeze(*, permit: Permit, actor, reason: str) -> Permit:
    return _transition(permit=permit, verb="freeze", actor=actor, reason=reason)


def permit_reactivate(*, permit: Permit, actor, reason: str) -> Permit:
    return _transition(permit=permit, verb="reactivate", actor=actor, reason=reason)


def permit_revoke(*, permit: Permit, actor, reason: str) -> Permit:
    return _transition(permit=permit, verb="revoke", actor=actor, reason=reason)


def permit_supersede(*, permit: Permit, actor, reason: str) -> Permit:
    """The permit is replaced by another permit (e.g. an API re-issued under a new number)."""
    return _transition(permit=permit, verb="supersede", actor=actor, reason=reason)

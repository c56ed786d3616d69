"""HA-07/HA-08 (P123 Pasal 5): the director's decision on a validated registration."""

from __future__ import annotations

import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import (
    REGISTRATION,
    USER_ACCESS,
    AccessStatus,
    ActingCapacity,
    Company,
    Registration,
    Role,
    User,
)
from accounts.services.company import company_update_details
from accounts.services.registration.password import email_set_password
from accounts.services.registration.submission import linkable_company, status_url
from reference.selectors import regency_for_code
from inatrade import casesteps
from inatrade.audit import audit_record
from inatrade.db import retry_on_db_conflict
from inatrade.errors import DomainError, RuleViolation
from inatrade.notifications import email_queue


def _new_user_id() -> str:
    """HA-08: six upper-case hex characters, unique (the caller retries on a race)."""
    for _attempt in range(50):
        candidate = secrets.token_hex(3).upper()
        if not User.objects.filter(username__iexact=candidate).exists():
            return candidate
    raise RuntimeError("no free user id after 50 attempts")


def _check_director(actor: User, capacity: str) -> str:
    if actor.role != Role.DIRECTOR:
        raise DomainError(_("Hanya Direktur yang dapat memutuskan Hak Akses."), code="permission_denied", status=403)
    capacity = capacity or ActingCapacity.DIRECTOR_FEI
    if capacity not in ActingCapacity.values:
        raise RuleViolation(_("Kapasitas tidak dikenal."), fields={"capacity": [_("Pilih kapasitas yang sah (Pasal 5).")]})
    return capacity


@retry_on_db_conflict
def registration_approve(*, registration: Registration, actor: User, capacity: str = "", reason: str = "") -> User:
    """HA-07/HA-08: the director (or a Pasal 5(2) delegate, recorded as ``capacity``) grants
    the access right: the company and the user are created, and the user receives the user id
    and a link to set the password (valid 24 hours)."""
    capacity = _check_director(actor, capacity)
    with transaction.atomic():
        locked = REGISTRATION.lock(registration.pk)
        REGISTRATION.target("approve", locked.status, obj=locked)  # refused before anything is created
        # SEC-01 / HA-14: checked again here, as the submission was (a company may have been
        # approved or re-activated meanwhile): only a revoked company is linked, never one
        # with a holder, and its details change through their own audited change.
        company = linkable_company(npwp=locked.npwp, nib=locked.nib)
        # API-03/API-05: the Kab/Kota of domicile and its province, so that the company's API
        # application is routed to its Dinas without an administrator filling codes in.
        # Registrations made before the Kab/Kota was asked leave the codes as they are.
        regency = regency_for_code(code=locked.regency_code)
        address = [locked.address, locked.city] + ([regency.province.name] if regency else [])
        company_fields = dict(
            name=locked.company_name, jenis_trader=locked.jenis_trader, nib=locked.nib, npwp=locked.npwp,
            address=", ".join(address), email=locked.company_email, phone=locked.company_phone,
        )
        if regency is not None:
            company_fields.update(province_code=regency.province_id, regency_code=regency.code)
        if company is None:
            company = Company.objects.create(**company_fields)
        else:  # HA-14: the same business, its history kept; the change is audited field by field
            company_update_details(
                company=company, actor=actor, changes=company_fields,
                reason=f"HA-14: registrasi ulang {locked.reference}",
            )
        first, _sep, last = locked.applicant_name.partition(" ")
        for attempt in range(5):
            try:
                with transaction.atomic():
                    user = User(
                        username=_new_user_id(), email=locked.applicant_email, first_name=first[:150], last_name=last[:150],
                        role=Role.IMPORTER, company=company, position=locked.applicant_position,
                        access_status=AccessStatus.ACTIVE, access_granted_at=timezone.now(),
                        preferred_language=locked.language,
                    )
                    user.set_unusable_password()
                    user.password_changed_at = None
                    user.save()
                break
            except IntegrityError:
                if attempt == 4:
                    raise
        locked.company = company
        locked.user = user
        locked.decided_at = timezone.now()
        locked.decided_by = actor
        locked.acting_capacity = capacity
        locked.decision_reason = reason
        label = str(ActingCapacity(capacity).label)
        REGISTRATION.apply(
            locked, "approve", actor=actor, reason=reason, company=company, capacity=label, data={"user_id": user.username},
            update_fields=["company", "user", "decided_at", "decided_by", "acting_capacity", "decision_reason"],
        )
        casesteps.step_finish(case=locked, outcome=casesteps.APPROVED, at=locked.decided_at)
        # The user is created active (not a move of the USER_ACCESS table): the grant is audited.
        audit_record(obj=user, action=USER_ACCESS.action("grant_access"), actor=actor, to_state=AccessStatus.ACTIVE,
                     company=company, capacity=label)
        email_set_password(user=user, template="registration_approved", reference=locked.reference)
    registration.refresh_from_db()
    return user


@retry_on_db_conflict
def registration_reject(*, registration: Registration, actor: User, reason: str, capacity: str = "") -> Registration:
    """HA-07/HA-08: the director refuses the access right; the applicant is e-mailed the reasons."""
    capacity = _check_director(actor, capacity)
    if not (reason or "").strip():
        raise RuleViolation(_("Alasan penolakan wajib diisi."), fields={"reason": [_("Alasan penolakan wajib diisi.")]})
    with transaction.atomic():
        locked = REGISTRATION.lock(registration.pk)
        locked.decided_at = timezone.now()
        locked.decided_by = actor
        locked.acting_capacity = capacity
        locked.decision_reason = reason
        REGISTRATION.apply(
            locked, "reject", actor=actor, reason=reason, capacity=str(ActingCapacity(capacity).label),
            update_fields=["decided_at", "decided_by", "acting_capacity", "decision_reason"],
        )
        casesteps.step_finish(case=locked, outcome=casesteps.REJECTED, at=locked.decided_at)
        email_queue(
            template="registration_rejected",
            to=sorted({locked.applicant_email, locked.company_email}),
            context={"name": locked.applicant_name, "reference": locked.reference, "company": locked.company_name,
                     "reason": reason, "status_url": status_url(locked)},
            language=locked.language,
        )
    registration.refresh_from_db()
    return registration

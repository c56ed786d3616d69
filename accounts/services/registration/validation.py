"""HA-06 (P123 Pasal 6): the field verification the director may order, and the UPTP I
officer's validation against the originals with a BAP."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import (
    REGISTRATION,
    Bap,
    BapResult,
    FieldVerification,
    FieldVerificationResult,
    Registration,
    RegistrationStatus,
    Role,
    User,
)
from accounts.services.registration.steps import (
    FIELD_VERIFICATION_STEP,
    INVALID_DECISION_STEP,
    SLA_STEP,
    VALIDATION_STEP,
)
from inatrade import casesteps
from inatrade.db import retry_on_db_conflict
from inatrade.errors import DomainError, InvalidTransition, RuleViolation
from inatrade.notifications import email_queue
from inatrade.queue import queue_task


@retry_on_db_conflict
def registration_assign_field_verifier(
    *, registration: Registration, actor: User, verifier: User, instructions: str = ""
) -> FieldVerification:
    """HA-06 (P123 Pasal 6(3)): the director orders a field verification; validation waits."""
    if actor.role != Role.DIRECTOR:
        raise DomainError(_("Hanya Direktur yang dapat menugaskan verifikasi lapangan."), code="permission_denied", status=403)
    if verifier.role != Role.FIELD_VERIFIER or not verifier.has_active_access:
        raise RuleViolation(
            _("Pilih verifikator lapangan yang aktif."), fields={"verifier": [_("Bukan verifikator lapangan yang aktif.")]}
        )
    with transaction.atomic():
        locked = REGISTRATION.lock(registration.pk)
        locked.field_verifier = verifier
        REGISTRATION.apply(locked, "assign_field_verifier", actor=actor, reason=instructions,
                           data={"verifier": verifier.username}, update_fields=["field_verifier"])
        verification = FieldVerification.objects.create(
            registration=locked, verifier=verifier, assigned_by=actor, instructions=instructions
        )
        casesteps.step_start(case=locked, step=FIELD_VERIFICATION_STEP, assignee=verifier)
        if verifier.email:
            email_queue(
                template="field_verification_assigned",
                to=verifier.email,
                context={"name": verifier.get_full_name() or verifier.username, "reference": locked.reference,
                         "company": locked.company_name, "address": f"{locked.address}, {locked.city}",
                         "instructions": instructions},
                language=verifier.preferred_language,
            )
    registration.refresh_from_db()
    return verification


@retry_on_db_conflict
def registration_record_field_verification(
    *, registration: Registration, actor: User, result: str, notes: str = ""
) -> FieldVerification:
    """HA-06: the assigned verifier records the result; the registration returns to UPTP I."""
    if result not in FieldVerificationResult.values:
        raise RuleViolation(_("Hasil verifikasi tidak dikenal."), fields={"result": [_("Pilih hasil verifikasi.")]})
    with transaction.atomic():
        locked = REGISTRATION.lock(registration.pk)
        REGISTRATION.target("record_field_verification", locked.status, obj=locked)
        verification = (
            FieldVerification.objects.select_for_update(of=("self",), no_key=True).filter(registration=locked, recorded_at__isnull=True).first()
        )
        if verification is None or verification.verifier_id != actor.pk:
            raise DomainError(_("Anda bukan verifikator yang ditugaskan."), code="permission_denied", status=403)
        verification.result = result
        verification.notes = notes
        verification.recorded_at = timezone.now()
        verification.save(update_fields=["result", "notes", "recorded_at"])
        REGISTRATION.apply(locked, "record_field_verification", actor=actor, reason=notes, data={"result": result})
        casesteps.step_start(case=locked, step=VALIDATION_STEP)
    registration.refresh_from_db()
    return verification


@retry_on_db_conflict
def registration_validate(*, registration: Registration, actor: User, result: str, notes: str = "") -> Bap:
    """HA-06 (P123 Pasal 6(2)): the UPTP I officer validates against the originals and signs
    the BAP. A valid BAP means the documents are received complete and correct: the 2
    working-day clock of Pasal 6(4) starts (SLA-04, step ``hak_akses_grant``)."""
    if actor.role != Role.COUNTER_OFFICER:
        raise DomainError(_("Hanya petugas UPTP I yang dapat memvalidasi registrasi."), code="permission_denied", status=403)
    if result not in BapResult.values:
        raise RuleViolation(_("Hasil validasi harus valid atau invalid."), fields={"result": [_("Pilih hasil validasi.")]})
    if result == BapResult.INVALID and not notes.strip():
        raise RuleViolation(
            _("Tuliskan alasan jika dokumen tidak valid."), fields={"notes": [_("Catatan wajib diisi jika tidak valid.")]}
        )
    with transaction.atomic():
        locked = REGISTRATION.lock(registration.pk)
        if locked.status == RegistrationStatus.FIELD_VERIFICATION:
            raise InvalidTransition(
                _("Validasi menunggu hasil verifikasi lapangan (Pasal 6 ayat (3))."), code="awaiting_field_verification"
            )
        REGISTRATION.target("validate", locked.status, obj=locked)
        now = timezone.now()
        bap = Bap.objects.create(
            registration=locked, number=f"BAP-{locked.reference}", result=result, notes=notes, officer=actor, validated_at=now
        )
        # The BAP PDF is rendered by a worker after commit, outside this lock (PERF-01).
        queue_task("accounts.render_bap_pdf", bap.pk)
        update = []
        if result == BapResult.VALID:
            locked.documents_complete_at = now
            locked.due_date = casesteps.step_start(case=locked, step=SLA_STEP, started_at=now)
            update += ["documents_complete_at", "due_date"]
        else:
            casesteps.step_start(case=locked, step=INVALID_DECISION_STEP, started_at=now)
        # ``validated``, or ``invalid`` when the BAP says so (the one move with two targets).
        REGISTRATION.apply(
            locked, "validate", actor=actor, reason=notes, update_fields=update,
            target=RegistrationStatus.VALIDATED if result == BapResult.VALID else RegistrationStatus.INVALID,
            data={"bap": bap.number, "result": result, "due_date": locked.due_date},
        )
    registration.refresh_from_db()
    return bap

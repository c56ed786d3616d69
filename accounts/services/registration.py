"""Hak Akses registration: submission (HA-01…HA-05), field verification and validation with a
BAP (HA-06), the director's decision (HA-07) and the new user's set-password link (HA-08).

One function per transition of ``Registration.status`` (allowed moves: REGISTRATION_TRANSITIONS
in accounts/models.py). Each locks the row (``select_for_update``) so that two officers
clicking at once produce one transition, audits inside the transaction, and queues e-mails
that leave only after commit.
"""

from __future__ import annotations

import logging
import secrets

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import documents, rules, tasks
from accounts.models import (
    REGISTRATION_TRANSITIONS,
    AccessStatus,
    ActingCapacity,
    Bap,
    BapResult,
    Company,
    DocumentKind,
    FieldVerification,
    FieldVerificationResult,
    OPEN_REGISTRATION_STATUSES,
    Registration,
    RegistrationDocument,
    RegistrationStatus,
    Role,
    User,
)
from accounts.services.company import company_update_details
from accounts.tokens import set_password_token
from reference.selectors import regency_for_code
from inatrade.audit import audit_record
from inatrade.db import retry_on_db_conflict
from inatrade.errors import DomainError, InvalidTransition, RuleViolation
from inatrade.files import UploadRefused, display_name, store_private, validate_pdf_upload
from inatrade.notifications import email_queue
from inatrade.queue import enqueue_on_commit
from workspace.models import Outcome
from workspace.services import case_step_finish, case_step_start

logger = logging.getLogger(__name__)

REGISTRATION_FIELDS = (
    "purpose", "jenis_trader", "company_name", "nib", "npwp", "jenis_usaha", "tdp_number", "address", "regency_code", "city",
    "company_email", "company_phone", "applicant_name", "applicant_position", "identity_kind", "identity_number",
    "applicant_email", "applicant_phone",
)

SLA_STEP = "hak_akses_grant"
VALIDATION_STEP = "hak_akses_validation"
FIELD_VERIFICATION_STEP = "hak_akses_field_verification"
INVALID_DECISION_STEP = "hak_akses_decision"


class UploadsRefused(DomainError):
    """HA-03: one or more uploads refused; ``status`` is 413/415/400 as the first refusal."""

    code = "upload_refused"
    status = 400


def status_url(registration: Registration) -> str:
    return settings.SITE_URL + reverse("registration_status", args=[registration.access_key])


def document_url(registration: Registration) -> str:
    return settings.SITE_URL + reverse("registration_status_document", args=[registration.access_key])


def _required_documents(data: dict) -> set[str]:
    required = {DocumentKind.POWER_OF_ATTORNEY}
    if data.get("jenis_trader") in rules.LICENCE_REQUIRED:
        required |= {DocumentKind.BUSINESS_LICENCE, DocumentKind.TDP}
    if not data.get("no_npwp"):
        required.add(DocumentKind.NPWP_CARD)
    return {str(kind) for kind in required}


def registration_check_uploads(*, data: dict, files: dict) -> dict[str, bytes]:
    """HA-03: every upload is a real PDF within its limit; returns the bytes by kind.

    Raises ``UploadsRefused`` naming each refused or missing file; nothing is stored."""
    labels = dict(DocumentKind.choices)
    errors: dict[str, list[str]] = {}
    first_status = None
    contents: dict[str, bytes] = {}
    required = _required_documents(data)
    for kind in DocumentKind.values:
        upload = files.get(kind)
        if upload is None:
            if kind in required:
                errors[kind] = [_("%(label)s wajib diunggah (PDF).") % {"label": labels[kind]}]
                first_status = first_status or 400
            continue
        max_bytes = settings.POWER_OF_ATTORNEY_MAX_BYTES if kind == DocumentKind.POWER_OF_ATTORNEY else None
        try:
            contents[kind] = validate_pdf_upload(upload, max_bytes=max_bytes, label=str(labels[kind]))
        except UploadRefused as exc:
            errors[kind] = list(exc.messages)
            if first_status in (None, 400) and exc.status != 400:
                first_status = exc.status
            first_status = first_status or exc.status
    if errors:
        raise UploadsRefused(
            _("Berkas yang diunggah ditolak; tidak ada data yang disimpan."),
            fields=errors,
            status=first_status or 400,
            code={413: "file_too_large", 415: "unsupported_media_type"}.get(first_status or 400, "upload_refused"),
        )
    return contents


class CompanyHasAccess(DomainError):
    """SEC-01 / HA-14: the NPWP or NIB belongs to a company whose access right is not revoked;
    a registration can neither take it over nor open a second company under it."""

    code = "company_has_access"
    status = 409
    default_message = _(
        "NPWP/NIB ini sudah terdaftar atas pelaku usaha yang memiliki Hak Akses. Mintalah pemegang Hak Akses "
        "perusahaan Anda, atau jika user id dan kata sandinya hilang, laporkan kredensial yang hilang kepada "
        "Tim Pengelola INATRADE. Registrasi baru hanya dapat diajukan setelah Hak Akses dicabut (Pasal 16)."
    )


def _linkable_company(*, npwp: str, nib: str) -> Company | None:
    """HA-14 (P123 Pasal 16): the revoked company a registration under ``npwp``/``nib`` is
    linked to (None: a new business). Raises ``CompanyHasAccess`` when any company under that
    NPWP or NIB still has a holder: a registration never takes over a company with access."""
    from accounts.selectors import companies_with_identity, company_access_is_revoked

    linked = None
    for company in companies_with_identity(npwp=npwp, nib=nib):
        if not company_access_is_revoked(company):
            field = "npwp" if npwp and company.npwp == npwp else "nib"
            raise CompanyHasAccess(fields={field: [str(CompanyHasAccess.default_message)]})
        if linked is None or (npwp and company.npwp == npwp and linked.npwp != npwp):
            linked = company  # the newest, preferring the one with the same NPWP
    return linked


def _previous_records(data: dict) -> tuple[Company | None, Registration | None]:
    """HA-14 (P123 Pasal 16): a business registering again is linked to its old record, only
    when that company's access right was revoked (``_linkable_company``)."""
    company = _linkable_company(npwp=data.get("npwp") or "", nib=data.get("nib") or "")
    keys = {"npwp": data["npwp"]} if data.get("npwp") else ({"nib": data["nib"]} if data.get("nib") else {})
    previous = (
        Registration.objects.filter(**keys).exclude(status__in=OPEN_REGISTRATION_STATUSES).order_by("-submitted_at").first()
        if keys else None
    )
    return company, previous


@retry_on_db_conflict
def registration_submit(*, data: dict, files: dict, language: str = "id") -> Registration:
    """Submit a Hak Akses registration (HA-01…HA-05).

    Checks every field rule (HA-02) and the terms (HA-04), then every upload (HA-03), before
    anything is written; stores the files and, after commit, queues the rendering of the
    Dokumen Registrasi INATRADE (P123 Lampiran II). ``registration_document_render`` stores it
    and e-mails the applicant the reference, the status link and the document.

    The Kab/Kota of domicile (``regency_code``, a Kemendagri code of api_registry's reference
    table) is required; its name is kept as ``city`` (API-03, API-05)."""
    data = rules.normalise(data)
    regency = regency_for_code(code=data["regency_code"])
    errors = rules.registration_field_errors(data, regency=regency)
    if errors:
        raise RuleViolation(_("Periksa kembali isian registrasi."), code="invalid", fields=errors)
    data["city"] = regency.name
    contents = registration_check_uploads(data=data, files=files)
    _linkable_company(npwp=data.get("npwp") or "", nib=data.get("nib") or "")  # SEC-01: no takeover (HA-14)
    if Registration.objects.filter(
        status__in=OPEN_REGISTRATION_STATUSES, **({"npwp": data["npwp"]} if data["npwp"] else {"company_name": data["company_name"], "applicant_email": data["applicant_email"]})
    ).exists():
        raise DomainError(
            _("Registrasi untuk NPWP ini sedang diproses; tunggu keputusannya."),
            code="registration_pending",
            fields={"npwp": [_("Registrasi untuk NPWP ini sedang diproses.")]},
        )

    stored: list[str] = []
    try:
        with transaction.atomic():
            # Once committed the files belong to the registration: a failure after commit
            # (e.g. of an eager task) must not delete them.
            transaction.on_commit(stored.clear)
            previous_company, previous_registration = _previous_records(data)
            registration = Registration(
                access_key=secrets.token_urlsafe(32),
                language=language if language in dict(settings.LANGUAGES) else "id",
                terms_accepted_at=timezone.now(),
                previous_company=previous_company,
                previous_registration=previous_registration,
                **{field: data.get(field, "") for field in REGISTRATION_FIELDS},
            )
            registration.full_clean(exclude=["reference", "access_key"])
            registration.save()
            registration.reference = f"REG-{timezone.localtime(registration.submitted_at):%Y}-{registration.pk:06d}"
            for kind, content in contents.items():
                path, digest = store_private(content, folder="registrations")
                stored.append(path)
                RegistrationDocument.objects.create(
                    registration=registration,
                    kind=kind,
                    path=path,
                    sha256=digest,
                    filename=display_name(getattr(files[kind], "name", ""), fallback=f"{kind}.pdf"),
                    size=len(content),
                )
            registration.save(update_fields=["reference"])
            case_step_start(case=registration, step=VALIDATION_STEP, started_at=registration.submitted_at)
            audit_record(
                obj=registration,
                action="registration_submitted",
                to_state=registration.status,
                data={"reference": registration.reference, "previous_registration": previous_registration.pk if previous_registration else None},
            )
            # HA-05: Lampiran II is rendered by a worker after commit, never in the request
            # (PERF-01); that task stores it and queues the registration_received e-mail.
            enqueue_on_commit(tasks.render_registration_document, registration.pk)
    except BaseException:
        for path in stored:  # nothing of a failed submission stays behind (HA-03)
            try:
                default_storage.delete(path)
            except Exception:  # noqa: BLE001
                logger.warning("Could not delete %s after a failed registration", path)
        raise
    return registration


def _email_registration_received(registration: Registration) -> None:
    """HA-05: the reference, the status link and Lampiran II attached. Queued once, by the
    render run that stored the document."""
    email_queue(
        template="registration_received",
        to=sorted({registration.applicant_email, registration.company_email}),
        context={
            "name": registration.applicant_name,
            "reference": registration.reference,
            "company": registration.company_name,
            "status_url": status_url(registration),
            "document_url": document_url(registration),
        },
        language=registration.language,
        attachments=[
            {
                "path": registration.document_path,
                "filename": f"Dokumen-Registrasi-INATRADE-{registration.reference}.pdf",
                "mimetype": "application/pdf",
            }
        ],
    )


def _store_rendered(pdf: bytes, *, folder: str, lock_and_check, save) -> bool:
    """Store ``pdf`` in a short transaction that re-checks under the row lock.

    ``lock_and_check()`` locks the row and returns it, or None when another run stored the
    PDF meanwhile (the render is then discarded). ``save(row, path, digest)`` records it.
    Returns True when this run stored the PDF."""
    path = None
    try:
        with transaction.atomic():
            row = lock_and_check()
            if row is None:
                return False
            path, digest = store_private(pdf, folder=folder)
            save(row, path, digest)
        return True
    except BaseException:
        if path:  # the row does not point at it: remove the orphan
            try:
                default_storage.delete(path)
            except Exception:  # noqa: BLE001
                logger.warning("Could not delete %s after a failed render", path)
        raise


def registration_document_render(*, registration_id: int) -> bool:
    """HA-05: render and store the Dokumen Registrasi INATRADE (P123 Lampiran II), then queue
    the ``registration_received`` e-mail with it attached.

    Runs in a worker (task ``accounts.render_registration_document``), never in the request.
    Idempotent: when the document is already stored nothing happens; WeasyPrint runs outside
    any transaction and, if two runs race, the one that stores first wins and the other's
    render is discarded, so the file is stored and the e-mail sent exactly once.
    Returns True when this run stored the document."""
    registration = Registration.objects.filter(pk=registration_id).first()
    if registration is None or registration.document_path:
        return False
    pdf = documents.registration_document_pdf(registration)

    def lock_and_check():
        locked = Registration.objects.select_for_update(of=("self",), no_key=True).get(pk=registration_id)
        return None if locked.document_path else locked

    def save(locked, path, digest):
        locked.document_path, locked.document_sha256 = path, digest
        locked.save(update_fields=["document_path", "document_sha256"])
        _email_registration_received(locked)

    return _store_rendered(pdf, folder="registrations", lock_and_check=lock_and_check, save=save)


def bap_pdf_render(*, bap_id: int) -> bool:
    """HA-06: render and store the BAP PDF (task ``accounts.render_bap_pdf``), idempotent like
    ``registration_document_render``. Returns True when this run stored the PDF."""
    bap = Bap.objects.select_related("registration", "officer").filter(pk=bap_id).first()
    if bap is None or bap.pdf_path:
        return False
    pdf = documents.bap_pdf(bap)

    def lock_and_check():
        locked = Bap.objects.select_for_update(of=("self",), no_key=True).get(pk=bap_id)
        return None if locked.pdf_path else locked

    def save(locked, path, digest):
        locked.pdf_path, locked.pdf_sha256 = path, digest
        locked.save(update_fields=["pdf_path", "pdf_sha256"])

    return _store_rendered(pdf, folder="bap", lock_and_check=lock_and_check, save=save)


def _locked(registration: Registration, action: str) -> tuple[Registration, str, str]:
    """Lock the row and check ``action`` is allowed from its current status.

    The lock serialises two officers acting on one registration at once: the second waits,
    then sees the new status and gets 409."""
    allowed_from, to_state = REGISTRATION_TRANSITIONS[action]
    locked = Registration.objects.select_for_update(of=("self",), no_key=True).get(pk=registration.pk)
    if locked.status not in allowed_from:
        raise InvalidTransition(
            _("Registrasi %(ref)s berstatus \"%(status)s\"; tindakan ini tidak dapat dilakukan.")
            % {"ref": locked.reference, "status": locked.get_status_display()}
        )
    return locked, locked.status, to_state


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
        locked, from_state, to_state = _locked(registration, "assign_field_verifier")
        locked.status = to_state
        locked.field_verifier = verifier
        locked.save(update_fields=["status", "field_verifier"])
        verification = FieldVerification.objects.create(
            registration=locked, verifier=verifier, assigned_by=actor, instructions=instructions
        )
        case_step_start(case=locked, step=FIELD_VERIFICATION_STEP, assignee=verifier)
        audit_record(
            obj=locked, action="field_verification_assigned", actor=actor, from_state=from_state, to_state=to_state,
            reason=instructions, data={"verifier": verifier.username},
        )
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
        locked, from_state, to_state = _locked(registration, "record_field_verification")
        verification = (
            FieldVerification.objects.select_for_update(of=("self",), no_key=True).filter(registration=locked, recorded_at__isnull=True).first()
        )
        if verification is None or verification.verifier_id != actor.pk:
            raise DomainError(_("Anda bukan verifikator yang ditugaskan."), code="permission_denied", status=403)
        verification.result = result
        verification.notes = notes
        verification.recorded_at = timezone.now()
        verification.save(update_fields=["result", "notes", "recorded_at"])
        locked.status = to_state
        locked.save(update_fields=["status"])
        case_step_start(case=locked, step=VALIDATION_STEP)
        audit_record(
            obj=locked, action="field_verification_recorded", actor=actor, from_state=from_state, to_state=to_state,
            reason=notes, data={"result": result},
        )
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
    action = "validate_valid" if result == BapResult.VALID else "validate_invalid"
    with transaction.atomic():
        try:
            locked, from_state, to_state = _locked(registration, action)
        except InvalidTransition:
            current = Registration.objects.get(pk=registration.pk)
            if current.status == RegistrationStatus.FIELD_VERIFICATION:
                raise InvalidTransition(
                    _("Validasi menunggu hasil verifikasi lapangan (Pasal 6 ayat (3))."), code="awaiting_field_verification"
                ) from None
            raise
        now = timezone.now()
        bap = Bap.objects.create(
            registration=locked, number=f"BAP-{locked.reference}", result=result, notes=notes, officer=actor, validated_at=now
        )
        # The BAP PDF is rendered by a worker after commit, outside this lock (PERF-01).
        enqueue_on_commit(tasks.render_bap_pdf, bap.pk)
        locked.status = to_state
        update = ["status"]
        if result == BapResult.VALID:
            locked.documents_complete_at = now
            locked.due_date = case_step_start(case=locked, step=SLA_STEP, started_at=now)
            update += ["documents_complete_at", "due_date"]
        else:
            case_step_start(case=locked, step=INVALID_DECISION_STEP, started_at=now)
        locked.save(update_fields=update)
        audit_record(
            obj=locked, action="registration_validated", actor=actor, from_state=from_state, to_state=to_state,
            reason=notes, data={"bap": bap.number, "result": result, "due_date": locked.due_date},
        )
    registration.refresh_from_db()
    return bap


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
        locked, from_state, to_state = _locked(registration, "approve")
        # SEC-01 / HA-14: checked again here, as the submission was (a company may have been
        # approved or re-activated meanwhile): only a revoked company is linked, never one
        # with a holder, and its details change through their own audited change.
        company = _linkable_company(npwp=locked.npwp, nib=locked.nib)
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
        locked.status = to_state
        locked.company = company
        locked.user = user
        locked.decided_at = timezone.now()
        locked.decided_by = actor
        locked.acting_capacity = capacity
        locked.decision_reason = reason
        locked.save(update_fields=["status", "company", "user", "decided_at", "decided_by", "acting_capacity", "decision_reason"])
        case_step_finish(case=locked, outcome=Outcome.APPROVED, at=locked.decided_at)
        label = str(ActingCapacity(capacity).label)
        audit_record(
            obj=locked, action="registration_approved", actor=actor, from_state=from_state, to_state=to_state,
            reason=reason, company=company, capacity=label, data={"user_id": user.username},
        )
        audit_record(obj=user, action="access_granted", actor=actor, to_state=AccessStatus.ACTIVE, company=company, capacity=label)
        _email_set_password(user=user, template="registration_approved", reference=locked.reference)
    registration.refresh_from_db()
    return user


@retry_on_db_conflict
def registration_reject(*, registration: Registration, actor: User, reason: str, capacity: str = "") -> Registration:
    """HA-07/HA-08: the director refuses the access right; the applicant is e-mailed the reasons."""
    capacity = _check_director(actor, capacity)
    if not (reason or "").strip():
        raise RuleViolation(_("Alasan penolakan wajib diisi."), fields={"reason": [_("Alasan penolakan wajib diisi.")]})
    with transaction.atomic():
        locked, from_state, to_state = _locked(registration, "reject")
        locked.status = to_state
        locked.decided_at = timezone.now()
        locked.decided_by = actor
        locked.acting_capacity = capacity
        locked.decision_reason = reason
        locked.save(update_fields=["status", "decided_at", "decided_by", "acting_capacity", "decision_reason"])
        case_step_finish(case=locked, outcome=Outcome.REJECTED, at=locked.decided_at)
        audit_record(
            obj=locked, action="registration_rejected", actor=actor, from_state=from_state, to_state=to_state,
            reason=reason, capacity=str(ActingCapacity(capacity).label),
        )
        email_queue(
            template="registration_rejected",
            to=sorted({locked.applicant_email, locked.company_email}),
            context={"name": locked.applicant_name, "reference": locked.reference, "company": locked.company_name,
                     "reason": reason, "status_url": status_url(locked)},
            language=locked.language,
        )
    registration.refresh_from_db()
    return registration


def _email_set_password(*, user: User, template: str, reference: str = "") -> None:
    link = settings.SITE_URL + reverse("set_password", args=[set_password_token(user)])
    email_queue(
        template=template,
        to=user.email,
        context={"name": user.get_full_name() or user.username, "username": user.username, "link": link,
                 "reference": reference, "company": user.company.name if user.company else ""},
        language=user.preferred_language,
    )


@retry_on_db_conflict
def user_set_password_link_resend(*, user: User) -> None:
    """HA-08 (INSW 6.2): "Token expired" → a new link to the same address."""
    if not user.has_active_access or user.has_usable_password():
        raise InvalidTransition(_("Kata sandi akun ini sudah dipasang atau hak aksesnya tidak aktif."))
    with transaction.atomic():
        audit_record(obj=user, action="set_password_link_resent", company=user.company)
        _email_set_password(user=user, template="set_password_resent")


@retry_on_db_conflict
def user_password_set_initial(*, user: User, new_password: str) -> None:
    """HA-08/HA-09: the user sets their own password through the e-mailed link (first use)."""
    with transaction.atomic():
        locked = User.objects.select_for_update(of=("self",), no_key=True).get(pk=user.pk)
        if locked.has_usable_password():
            raise InvalidTransition(_("Tautan ini sudah digunakan."), code="token_used")
        locked.set_password(new_password)
        locked.must_change_password = False
        locked.save(update_fields=["password", "password_changed_at", "must_change_password"])
        audit_record(obj=locked, action="password_set", actor=locked, company=locked.company)
    user.refresh_from_db()


def registration_documents_sweep(*, as_of=None, limit: int = 200) -> dict:
    """Periodic job ``registration_documents_sweep``: render what a lost task left unrendered
    (the broker was down at commit, or a worker died). Both render services are idempotent."""
    registrations = list(
        Registration.objects.filter(document_path="", reference__isnull=False).values_list("pk", flat=True)[:limit]
    )
    baps = list(Bap.objects.filter(pdf_path="").values_list("pk", flat=True)[:limit])
    rendered = sum(registration_document_render(registration_id=pk) for pk in registrations)
    rendered += sum(bap_pdf_render(bap_id=pk) for pk in baps)
    return {"pending": len(registrations) + len(baps), "rendered": rendered}

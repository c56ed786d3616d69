"""Writes of the permits app: issue, sign, amend, freeze, reactivate, revoke, download, and
the INSW outbox. Other apps call these; every interface (views, API, admin, tasks, commands)
goes through them.

Public entry points for other apps:

    permit_issue(*, kind, holder, number, content, signer, valid_from, valid_until=None,
                 title="", source=None, actor=None, issued_on=None) -> Permit
    permit_amend(*, permit, content, signer, actor, reason, valid_until=<unchanged>, issued_on=None) -> PermitVersion
    permit_freeze(*, permit, actor, reason) -> Permit
    permit_reactivate(*, permit, actor, reason) -> Permit
    permit_revoke(*, permit, actor, reason) -> Permit
    permit_supersede(*, permit, actor, reason) -> Permit
    permit_download(*, permit, user, version=None, channel="web") -> PermitVersion

Signing runs after commit in a Celery task (``permits.tasks.sign_permit_version``) and is
retried by the ``permit_signing_sweep`` job; delivery to INSW by ``insw_outbox_deliver``.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import time
from datetime import date

import requests
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inatrade.audit import audit_record
from inatrade.errors import DomainError, InvalidTransition, RuleViolation
from inatrade.files import store_private
from inatrade.queue import enqueue_on_commit
from permits import documents, pki, signing
from permits.signals import permit_signed
from permits.models import (
    PERMIT_TRANSITIONS,
    InswDeliveryAttempt,
    InswEvent,
    InswOutboxEvent,
    OutboxState,
    Permit,
    PermitDownload,
    PermitStatus,
    PermitVersion,
    SigningCertificate,
    VersionState,
)

logger = logging.getLogger(__name__)

SIGNING_LEASE = dt.timedelta(minutes=10)  # default; settings.PERMIT_SIGNING_LEASE_SECONDS wins
SIGNING_RETRY_BASE = dt.timedelta(minutes=2)
SIGNING_RETRY_MAX = dt.timedelta(hours=1)
INSW_RETRY_BASE = dt.timedelta(seconds=30)
INSW_RETRY_MAX = dt.timedelta(hours=1)
INSW_BATCH = 100


class PermitNotFound(DomainError):
    code = "not_found"
    status = 404
    default_message = _("Perizinan tidak ditemukan.")


def _signing_lease() -> dt.timedelta:
    seconds = getattr(settings, "PERMIT_SIGNING_LEASE_SECONDS", None)
    return dt.timedelta(seconds=seconds) if seconds else SIGNING_LEASE


def _backoff(base: dt.timedelta, attempts: int, cap: dt.timedelta) -> dt.timedelta:
    return min(cap, base * (2 ** max(0, attempts - 1)))


# --- certificates --------------------------------------------------------------------------
def signing_certificate_register(*, user, pkcs12_path: str = "", pkcs12_data: bytes | None = None,
                                 passphrase_env: str = "INATRADE_SIGNER_PASSPHRASE", actor=None) -> SigningCertificate:
    """Record an official's PKCS#12 and deactivate their previous ones (rotation, issue 19).

    The encrypted PKCS#12 bytes are kept in the database (``pkcs12_data``): given directly, or
    read once from ``pkcs12_path`` (absolute or relative to PKI_DIR) on the node that registers
    it. Signing workers then need only the passphrase variable, no file.
    """
    from pathlib import Path

    if pkcs12_data is None:
        path = Path(pkcs12_path)
        full = path if path.is_absolute() else pki.pki_dir() / path
        pkcs12_data = full.read_bytes()
    info = pki.describe_p12(bytes(pkcs12_data), pki.passphrase_for(passphrase_env))
    with transaction.atomic():
        SigningCertificate.objects.filter(user=user, is_active=True).update(is_active=False)
        cert = SigningCertificate.objects.create(
            user=user, pkcs12_path=str(pkcs12_path or ""), pkcs12_data=bytes(pkcs12_data), passphrase_env=passphrase_env,
            subject=info["subject"], serial=info["serial"], not_before=info["not_before"], not_after=info["not_after"],
        )
        audit_record(obj=cert, action="signing_certificate_register", actor=actor, to_state="active",
                     data={"user": user.get_username(), "serial": info["serial"]})
    return cert


def _signer_for(user):
    cert = SigningCertificate.objects.filter(user=user, is_active=True).order_by("-created_at").first()
    if cert is None:
        raise pki.SigningUnavailable(f"no active signing certificate configured for {user.get_username()}")
    if cert.pkcs12_data:
        return pki.load_signer_data(cert.pkcs12_data, cert.passphrase_env, label=cert.serial or str(cert.pk))
    return pki.load_signer(cert.pkcs12_path, cert.passphrase_env)  # legacy row: a file on this node


# --- issue and amend ------------------------------------------------------------------------
def _check_signer(signer) -> None:
    if signer is None or not getattr(signer, "is_officer", False):
        raise RuleViolation(_("Penandatangan harus pejabat."), code="invalid_signer", fields={"signer": ["officer"]})


def permit_issue(
    *,
    kind: str,
    holder,
    number: str,
    content: dict,
    signer,
    valid_from: date | None = None,
    valid_until: date | None = None,
    title: str = "",
    source=None,
    actor=None,
    issued_on: date | None = None,
) -> Permit:
    """Create a permit "approved, awaiting signature" in the caller's transaction; the signed
    PDF is produced after commit by a worker (never in the request)."""
    documents.validate_content(kind, content)
    _check_signer(signer)
    if valid_until and valid_from and valid_until < valid_from:
        raise RuleViolation(_("Masa berlaku tidak valid."), code="invalid_validity", fields={"valid_until": ["<valid_from"]})
    issued_on = issued_on or timezone.localdate()
    with transaction.atomic():
        if Permit.objects.filter(number=number).exists():
            raise InvalidTransition(_("Nomor perizinan sudah dipakai."), code="permit_number_taken")
        permit = Permit(
            kind=kind, number=number, holder=holder, title=title or content.get("title", ""),
            valid_from=valid_from or issued_on, valid_until=valid_until,
            status=PermitStatus.AWAITING_SIGNATURE, status_changed_at=timezone.now(),
        )
        if source is not None:
            permit.source = source
        permit.full_clean(exclude=["current_version", "source_type"])
        permit.save()
        version = PermitVersion.objects.create(
            permit=permit, version_no=1, content=content, issued_on=issued_on, signer=signer,
            signing_next_attempt_at=timezone.now(),
        )
        audit_record(obj=permit, action="permit_issue", actor=actor, to_state=permit.status, company=holder,
                     data={"number": number, "kind": kind, "version": 1})
        _queue_signing(version)
    return permit


_UNCHANGED = object()


def permit_amend(*, permit: Permit, content: dict, signer, actor, reason: str,
                 valid_until=_UNCHANGED, issued_on: date | None = None) -> PermitVersion:
    """A change is a new version, signed like the first; the old version stays and is marked
    superseded when the new one is signed (DOC-06, PI-09, API-08). ``valid_until`` (a date or
    None) changes the validity; left out, it stays."""
    documents.validate_content(permit.kind, content)
    _check_signer(signer)
    with transaction.atomic():
        permit = Permit.objects.select_for_update(of=("self",), no_key=True).get(pk=permit.pk)
        if permit.status != PermitStatus.VALID:
            raise InvalidTransition(_("Hanya perizinan yang berlaku yang dapat diubah."), code="permit_not_valid")
        if permit.versions.filter(state=VersionState.AWAITING_SIGNATURE).exists():
            raise InvalidTransition(_("Perubahan sebelumnya masih menunggu tanda tangan."), code="amendment_pending")
        last = permit.versions.order_by("-version_no").first()
        version = PermitVersion.objects.create(
            permit=permit, version_no=last.version_no + 1, content=content,
            issued_on=issued_on or timezone.localdate(), signer=signer, reason=reason,
            supersedes=permit.current_version, signing_next_attempt_at=timezone.now(),
        )
        if valid_until is not _UNCHANGED:
            permit.valid_until = valid_until
            permit.save(update_fields=["valid_until"])
        audit_record(obj=permit, action="permit_amend", actor=actor, from_state=permit.status,
                     to_state=permit.status, reason=reason, company=permit.holder,
                     data={"version": version.version_no})
        _queue_signing(version)
    return version


def _queue_signing(version: PermitVersion) -> None:
    from permits.tasks import sign_permit_version

    enqueue_on_commit(sign_permit_version, version.pk)


# --- signing (the worker) -------------------------------------------------------------------
def _claim(version_id: int) -> bool:
    """Compare-and-set a lease on the version. Race: two workers (a redelivered task, the sweep
    and a manual retry) may start on one version; only the one whose UPDATE changes a row signs."""
    now = timezone.now()
    return bool(
        PermitVersion.objects.filter(pk=version_id, state=VersionState.AWAITING_SIGNATURE)
        .filter(Q(signing_claimed_until__isnull=True) | Q(signing_claimed_until__lt=now))
        .update(signing_claimed_until=now + _signing_lease(), signing_attempts=F("signing_attempts") + 1)
    )


def render_version_pdf(version: PermitVersion) -> bytes:
    """The unsigned PDF of a version (also used by the benchmark's floor)."""
    return documents.html_to_pdf(render_version_html(version), number=version.permit.number)


def render_version_html(version: PermitVersion) -> str:
    permit = version.permit
    signer = version.signer
    return documents.render_html(
        permit=permit, version=version, content=version.content,
        signer_name=signer.get_full_name() or signer.get_username(),
        signer_position=signer.position or signer.get_role_display(),
    )


def permit_sign_version(*, version_id: int) -> bool:
    """Render, sign and store one version; True when this call completed it.

    Exactly once (REL-06): the lease guards the slow part; the final write re-checks the
    state under a row lock, so a second finisher throws its PDF away.

    Every failure of the path (rendering, signing, storing, or the final transaction and its
    commit) is recorded on the version in its own short transaction after the failed one has
    rolled back: the error is visible, the lease is released, the next attempt is scheduled
    and the PDF stored by this attempt is deleted. A transient database error of the final
    transaction (deadlock, serialization failure, lost connection) is first retried here at
    once, a bounded number of times with a short back-off (docs/decisions/0012).
    """
    if not _claim(version_id):
        return False
    path = None
    try:
        version = PermitVersion.objects.select_related("permit", "permit__holder", "signer").get(pk=version_id)
        signer_obj = _signer_for(version.signer)
        pdf = render_version_pdf(version)
        signed = signing.sign_pdf(
            pdf, signer=signer_obj,
            name=version.signer.get_full_name() or version.signer.get_username(),
            reason=f"{documents.KINDS[version.permit.kind].label} {version.permit.number}",
            location=settings.PERMIT_PLACE,
        )
        cert_subject = signer_obj.signing_cert.subject.native.get("common_name", "")
        path, digest = store_private(signed, folder=f"permits/{version.permit.holder_id}")
        done = _retry_transient_db_errors(
            lambda: _store_signed(version, path=path, digest=digest, size=len(signed), cert_subject=cert_subject),
            what=f"signing of version {version_id}",
        )
    except Exception as exc:  # noqa: BLE001 - any failure leaves it awaiting signature, visibly
        _reset_broken_connection()
        _discard_unreferenced(path)
        _record_signing_failure(version_id, exc)
        return False
    if not done:
        _discard_unreferenced(path)  # another worker finished first: our copy is not the document
    return done


# Transient database errors (SQLSTATE classes): 40 transaction rollback (deadlock 40P01,
# serialization failure 40001), 08 connection exception, 53 insufficient resources, 57P0x the
# server shutting down, 55P03 lock not available. An OperationalError without a code is a lost
# connection (or SQLite's "database is locked"): also worth an immediate retry.
_TRANSIENT_SQLSTATE_CLASSES = ("40", "08", "53", "57")
SIGNING_DB_ATTEMPTS = 3  # tries of the final transaction before the failure is recorded
SIGNING_DB_BACKOFF = 0.05  # seconds before the 2nd try, doubled for each further one


def _is_transient_db_error(exc: BaseException) -> bool:
    from django.db import InterfaceError, OperationalError

    if not isinstance(exc, (OperationalError, InterfaceError)):
        return False
    code = getattr(exc.__cause__, "pgcode", None) or getattr(exc, "pgcode", None)
    return code is None or code[:2] in _TRANSIENT_SQLSTATE_CLASSES or code == "55P03"


def _retry_transient_db_errors(fn, *, what: str, attempts: int | None = None):
    """Run ``fn`` (which opens its own transaction); on a transient database error retry it at
    once with a short exponential back-off, at most ``attempts`` times in all, then re-raise.

    Only when ``fn`` owns the transaction: inside a caller's atomic block the whole outer
    transaction is lost and retrying the inner part cannot help, so the error goes up.
    Local to the signing path on purpose (a shared retry helper may replace it later)."""
    from django.db import connection

    attempts = attempts or SIGNING_DB_ATTEMPTS
    for attempt in range(1, attempts + 1):
        try:
            return fn()
        except Exception as exc:
            if attempt >= attempts or connection.in_atomic_block or not _is_transient_db_error(exc):
                raise
            logger.warning("Transient database error during %s (try %d of %d), retrying: %s",
                           what, attempt, attempts, exc)
            _reset_broken_connection()
            time.sleep(SIGNING_DB_BACKOFF * (2 ** (attempt - 1)) * (1 + random.random()))
    raise AssertionError("unreachable")


def _reset_broken_connection() -> None:
    """After a lost connection (outside any caller's transaction) close it so that the next
    query reconnects instead of failing again."""
    from django.db import connection

    if connection.connection is not None and not connection.in_atomic_block and not connection.is_usable():
        connection.close()


def _discard_unreferenced(path: str | None) -> None:
    """Delete a PDF stored by a failed or lost attempt, unless a version refers to it (a commit
    that failed with a lost connection may have succeeded after all). Best effort: when the
    database cannot say, the file stays (an orphan is better than a signed permit without
    its PDF)."""
    if not path:
        return
    try:
        if PermitVersion.objects.filter(pdf_path=path).exists():
            return
        default_storage.delete(path)
    except Exception:  # noqa: BLE001
        logger.warning("Could not clean up the unsigned-attempt PDF %s", path, exc_info=True)


def _store_signed(version: PermitVersion, *, path: str, digest: str, size: int, cert_subject: str) -> bool:
    """The final transaction of a signing: True when this attempt's PDF is the version's."""
    with transaction.atomic():
        locked = PermitVersion.objects.select_for_update(of=("self",), no_key=True).get(pk=version.pk)
        if locked.state != VersionState.AWAITING_SIGNATURE:
            # Already signed: by another worker, or by this attempt whose COMMIT reported a
            # lost connection but went through.
            return locked.pdf_path == path
        permit = Permit.objects.select_for_update(of=("self",), no_key=True).get(pk=locked.permit_id)
        now = timezone.now()
        locked.state = VersionState.SIGNED
        locked.pdf_path, locked.sha256, locked.size = path, digest, size
        locked.signed_at = now
        locked.signer_name = version.signer.get_full_name() or version.signer.get_username()
        locked.signer_position = version.signer.position
        locked.certificate_subject = cert_subject
        locked.signing_error, locked.signing_claimed_until, locked.signing_next_attempt_at = "", None, None
        locked.save(update_fields=[
            "state", "pdf_path", "sha256", "size", "signed_at", "signer_name", "signer_position",
            "certificate_subject", "signing_error", "signing_claimed_until", "signing_next_attempt_at",
        ])
        previous = permit.current_version
        if previous is not None and previous.pk != locked.pk:
            PermitVersion.objects.filter(pk=previous.pk).update(state=VersionState.SUPERSEDED, superseded_at=now)
        from_state = permit.status
        permit.current_version = locked
        update = ["current_version"]
        if permit.status == PermitStatus.AWAITING_SIGNATURE:
            permit.status, permit.status_changed_at = PermitStatus.VALID, now
            update += ["status", "status_changed_at"]
        permit.save(update_fields=update)
        event = InswEvent.AMENDED if previous is not None else InswEvent.ISSUED
        _outbox_add(permit, event, locked)
        if previous is None and permit.status in (PermitStatus.FROZEN, PermitStatus.REVOKED):
            # Sanctioned while awaiting its first signature: INSW hears of it now.
            _outbox_add(permit, InswEvent.FROZEN if permit.status == PermitStatus.FROZEN else InswEvent.REVOKED, locked)
        audit_record(obj=permit, action="permit_sign", actor=version.signer, from_state=from_state,
                     to_state=permit.status, company=permit.holder,
                     data={"version": locked.version_no, "sha256": digest, "signer": cert_subject})
        _email_holder_signed(permit, locked, event)
        permit_signed.send(sender=Permit, permit=permit, version=locked, event=event)
    return True


def _email_holder_signed(permit: Permit, version: PermitVersion, event: str) -> None:
    """AUD-03: the holder receives the signed permit, the PDF attached, in the transaction that
    stores it (so exactly once, however often the signing task runs)."""
    from inatrade.notifications import email_queue

    holder = permit.holder
    users = list(holder.users.filter(is_active=True).exclude(email="").values_list("email", "preferred_language"))
    recipients = sorted({holder.email, *(email for email, _lang in users)} - {""})
    if not recipients:
        return
    email_queue(
        template="permit_signed",
        to=recipients,
        language=users[0][1] if users else "id",
        context={
            "company": holder.name, "kind": str(documents.KINDS[permit.kind].label), "number": permit.number,
            "version": version.version_no, "amended": event == InswEvent.AMENDED,
            "verify_url": documents.verification_url(permit.number),
        },
        attachments=[{"path": version.pdf_path, "filename": f"{permit.number.replace('/', '-')}.pdf", "mimetype": "application/pdf"}],
    )


def _record_signing_failure(version_id: int, exc: Exception) -> None:
    """Leave the version awaiting signature with the error (visible to officers and in the
    admin), release the lease, schedule a retry with back-off, and tell the administrators the
    first time (REL-06). Runs in its own short transaction, after the failed one rolled back;
    if even this cannot be written (the database is gone), the lease expires on its own."""
    message = f"{exc.__class__.__name__}: {exc}"[:2000]
    logger.warning("Signing of version %s failed: %s", version_id, message)
    try:
        _retry_transient_db_errors(lambda: _write_signing_failure(version_id, message),
                                   what=f"recording the signing failure of version {version_id}")
    except Exception:  # noqa: BLE001
        logger.exception("Could not record the signing failure of version %s", version_id)


def _write_signing_failure(version_id: int, message: str) -> None:
    now = timezone.now()
    with transaction.atomic():
        version = PermitVersion.objects.select_related("permit", "signer").filter(pk=version_id).first()
        if version is None:
            return
        updated = PermitVersion.objects.filter(pk=version.pk, state=VersionState.AWAITING_SIGNATURE).update(
            signing_error=message, signing_failed_at=now, signing_claimed_until=None,
            signing_next_attempt_at=now + _backoff(SIGNING_RETRY_BASE, version.signing_attempts, SIGNING_RETRY_MAX),
        )
        if updated and version.signing_attempts <= 1 and settings.ADMIN_NOTIFICATION_EMAILS:
            from inatrade.notifications import email_queue

            email_queue(
                template="permit_signing_failed", to=settings.ADMIN_NOTIFICATION_EMAILS,
                context={"number": version.permit.number, "version": version.version_no, "error": message,
                         "signer": version.signer.get_username(),
                         "admin_url": settings.SITE_URL + reverse("admin:permits_permitversion_change", args=[version.pk])},
            )


# Who may press "retry now": the officials who sign, and the administrators.
SIGNING_RETRY_ROLES = ("director", "director_general", "issuer_officer", "administrator")


def permit_signing_retry(*, version: PermitVersion, actor=None) -> None:
    """An officer's or administrator's "retry now" (after a failure, e.g. once the certificate
    is fixed): the version is due at once and handed to a worker after commit. Safe when a
    worker is still on it: the final row lock signs it once."""
    if actor is not None and getattr(actor, "role", None) not in SIGNING_RETRY_ROLES:
        raise DomainError(_("Peran Anda tidak dapat mengulang penandatanganan."), code="permission_denied", status=403)
    with transaction.atomic():
        updated = PermitVersion.objects.filter(pk=version.pk, state=VersionState.AWAITING_SIGNATURE).update(
            signing_next_attempt_at=timezone.now(), signing_claimed_until=None,
        )
        if not updated:
            raise InvalidTransition(_("Versi ini tidak menunggu tanda tangan."), code="not_awaiting_signature")
        audit_record(obj=version.permit, action="permit_signing_retry", actor=actor, company=version.permit.holder,
                     data={"version": version.version_no})
        _queue_signing(version)


def permit_signing_sweep(*, as_of: date | None = None) -> dict:
    """Job: sign every version awaiting signature whose next attempt is due (lost tasks, failures)."""
    now = timezone.now()
    due = list(
        PermitVersion.objects.filter(state=VersionState.AWAITING_SIGNATURE)
        .filter(Q(signing_next_attempt_at__isnull=True) | Q(signing_next_attempt_at__lte=now))
        .filter(Q(signing_claimed_until__isnull=True) | Q(signing_claimed_until__lt=now))
        .values_list("pk", flat=True)[:50]
    )
    signed = sum(1 for pk in due if permit_sign_version(version_id=pk))
    return {"due": len(due), "signed": signed, "changed": signed}


# --- status transitions ---------------------------------------------------------------------
def _transition(*, permit: Permit, verb: str, actor, reason: str, event: str | None) -> Permit:
    sources, target = PERMIT_TRANSITIONS[verb]
    if not reason:
        raise RuleViolation(_("Alasan wajib diisi."), code="reason_required", fields={"reason": ["required"]})
    with transaction.atomic():
        permit = Permit.objects.select_for_update(of=("self",), no_key=True).get(pk=permit.pk)
        if permit.status not in sources:
            raise InvalidTransition(
                _("Perizinan berstatus %(status)s tidak dapat di-%(verb)s.") % {"status": permit.status, "verb": verb},
                code=f"cannot_{verb}",
            )
        from_state = permit.status
        if verb == "reactivate" and not permit.current_version_id:
            target = PermitStatus.AWAITING_SIGNATURE  # frozen before its first signature
        permit.status, permit.status_reason, permit.status_changed_at = target, reason, timezone.now()
        permit.save(update_fields=["status", "status_reason", "status_changed_at"])
        if event and permit.current_version_id:
            _outbox_add(permit, event, permit.current_version)
        audit_record(obj=permit, action=f"permit_{verb}", actor=actor, from_state=from_state, to_state=target,
                     reason=reason, company=permit.holder)
    return permit


def permit_freeze(*, permit: Permit, actor, reason: str) -> Permit:
    return _transition(permit=permit, verb="freeze", actor=actor, reason=reason, event=InswEvent.FROZEN)


def permit_reactivate(*, permit: Permit, actor, reason: str) -> Permit:
    return _transition(permit=permit, verb="reactivate", actor=actor, reason=reason, event=InswEvent.REACTIVATED)


def permit_revoke(*, permit: Permit, actor, reason: str) -> Permit:
    return _transition(permit=permit, verb="revoke", actor=actor, reason=reason, event=InswEvent.REVOKED)


def permit_supersede(*, permit: Permit, actor, reason: str) -> Permit:
    """The permit is replaced by another permit (e.g. an API re-issued under a new number)."""
    return _transition(permit=permit, verb="supersede", actor=actor, reason=reason, event=InswEvent.REVOKED)


# --- downloads ------------------------------------------------------------------------------
def permit_can_download(*, permit: Permit, user) -> bool:
    """The holder's users, and the officials whose role and jurisdiction cover the permit
    (the same rule as the lists: ``selectors.permits_for_user``)."""
    from permits.selectors import permits_for_user

    if not (user and user.is_authenticated and user.has_active_access):
        return False
    return permits_for_user(user=user).filter(pk=permit.pk).exists()


def permit_download(*, permit: Permit, user, version: PermitVersion | None = None, channel: str = "web") -> PermitVersion:
    """Check access and log the download; raises PermitNotFound for anyone else (404: an
    importer never learns that another company's permit exists)."""
    if not permit_can_download(permit=permit, user=user):
        raise PermitNotFound()
    version = version or permit.current_version
    if version is None or not version.pdf_path or version.permit_id != permit.pk:
        raise PermitNotFound(_("Dokumen belum ditandatangani."))
    PermitDownload.objects.create(version=version, user=user, role=user.role, channel=channel)
    return version


# --- INSW outbox (DOC-05) -------------------------------------------------------------------
def insw_payload(permit: Permit, event: str, version: PermitVersion) -> dict:
    content = version.content or {}
    return {
        "event": event,
        "permit_number": permit.number,
        "kind": permit.kind,
        "holder_npwp": permit.holder.npwp,
        "holder_nib": permit.holder.nib,
        "valid_from": permit.valid_from.isoformat() if permit.valid_from else None,
        "valid_until": permit.valid_until.isoformat() if permit.valid_until else None,
        "status": permit.public_status,
        "version": version.version_no,
        "lines": content.get("lines") or [],
        "pdf_sha256": version.sha256,
        "pdf_url": settings.SITE_URL + reverse("permit-pdf", kwargs={"number": permit.number}),
    }


def _outbox_add(permit: Permit, event: str, version: PermitVersion) -> InswOutboxEvent:
    """Must run in the transaction of the event itself."""
    return InswOutboxEvent.objects.create(permit=permit, event=event, payload=insw_payload(permit, event, version))


def _insw_post(event: InswOutboxEvent) -> tuple[int | None, str]:
    try:
        response = requests.post(
            settings.INSW_ENDPOINT,
            json={"id": str(event.id), **event.payload},
            headers={
                "Idempotency-Key": str(event.id),
                "Authorization": f"Bearer {settings.INSW_TOKEN}",
                "User-Agent": "INATRADE/1.0",
            },
            timeout=settings.INSW_TIMEOUT_SECONDS,
        )
    except requests.Timeout:
        return None, "timeout"
    except requests.ConnectionError as exc:
        return None, f"connection error: {exc.__class__.__name__}"
    except requests.RequestException as exc:
        return None, f"{exc.__class__.__name__}: {exc}"[:500]
    if 200 <= response.status_code < 300:
        return response.status_code, ""
    return response.status_code, f"HTTP {response.status_code}: {response.text[:300]}"


def insw_outbox_deliver(*, as_of: date | None = None, now: dt.datetime | None = None) -> dict:
    """Job: POST every due pending event, oldest first, with its id as Idempotency-Key.

    Events of one permit go out in order: when one fails, the later ones of that permit wait.
    Transient failures (no connection, timeout, 5xx, 408, 429) retry with exponential back-off
    forever; other 4xx answers mark the event failed for an administrator to look at
    (and requeue). Each event is claimed by compare-and-set, so two runs never post it twice
    at the same time.
    """
    now = now or timezone.now()
    delivered = retried = failed = 0
    blocked: set[int] = set()
    due = list(
        InswOutboxEvent.objects.filter(state=OutboxState.PENDING, next_attempt_at__lte=now)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .order_by("created_at")
        .values_list("pk", "permit_id", "created_at")[:INSW_BATCH]
    )
    for pk, permit_id, created_at in due:
        if permit_id in blocked:
            continue
        earlier_open = InswOutboxEvent.objects.filter(
            permit_id=permit_id, created_at__lt=created_at
        ).exclude(state=OutboxState.DELIVERED).exists()
        if earlier_open:
            blocked.add(permit_id)
            continue
        lease = now + dt.timedelta(seconds=settings.INSW_TIMEOUT_SECONDS + 60)
        claimed = InswOutboxEvent.objects.filter(pk=pk, state=OutboxState.PENDING).filter(
            Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
        ).update(claimed_until=lease)
        if not claimed:
            continue
        event = InswOutboxEvent.objects.get(pk=pk)
        started = time.monotonic()
        status_code, error = _insw_post(event)
        duration = int((time.monotonic() - started) * 1000)
        attempts = event.attempts + 1
        with transaction.atomic():
            InswDeliveryAttempt.objects.create(event=event, status_code=status_code, error=error, duration_ms=duration)
            fields = {"attempts": attempts, "claimed_until": None, "last_status_code": status_code, "last_error": error}
            if not error:
                fields.update(state=OutboxState.DELIVERED, delivered_at=timezone.now())
                delivered += 1
            elif status_code is not None and 400 <= status_code < 500 and status_code not in (408, 425, 429):
                fields.update(state=OutboxState.FAILED)
                failed += 1
                blocked.add(permit_id)
            else:
                fields.update(next_attempt_at=timezone.now() + _backoff(INSW_RETRY_BASE, attempts, INSW_RETRY_MAX))
                retried += 1
                blocked.add(permit_id)
            InswOutboxEvent.objects.filter(pk=pk).update(**fields)
    return {"due": len(due), "delivered": delivered, "retrying": retried, "failed": failed, "changed": delivered + failed}


def insw_outbox_requeue(*, event: InswOutboxEvent, actor) -> InswOutboxEvent:
    """Administrator: send a failed (or waiting) event again now."""
    with transaction.atomic():
        InswOutboxEvent.objects.filter(pk=event.pk).exclude(state=OutboxState.DELIVERED).update(
            state=OutboxState.PENDING, next_attempt_at=timezone.now(), claimed_until=None,
        )
        audit_record(object_type="permits.inswoutboxevent", object_id=str(event.pk), action="insw_requeue",
                     actor=actor, from_state=event.state, to_state=OutboxState.PENDING)
    event.refresh_from_db()
    return event

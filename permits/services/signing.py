"""Signing a permit version (the worker), its failures, retries and the sweep (REL-06).

Signing runs after commit in a Celery task (``permits.sign_permit_version``) and is retried by
the ``permit_signing_sweep`` job.
"""

from __future__ import annotations

import datetime as dt
import logging
from datetime import date

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inatrade.audit import audit_record
from inatrade.db import reset_broken_connection, retry_transient
from inatrade.errors import DomainError, InvalidTransition
from inatrade.files import store_private
from permits import documents, pki, signing
from permits.models import (
    InswEvent,
    Permit,
    PermitStatus,
    PermitVersion,
    SigningCertificate,
    VersionState,
    permit_machine,
)
from permits.services.common import SIGNING_RETRY, backoff
from permits.services.insw import outbox_add
from permits.services.issue import queue_signing
from permits.signals import permit_signed

logger = logging.getLogger(__name__)

SIGNING_LEASE = dt.timedelta(minutes=10)  # default; settings.PERMIT_SIGNING_LEASE_SECONDS wins
SIGNING_RETRY_BASE = dt.timedelta(minutes=2)
SIGNING_RETRY_MAX = dt.timedelta(hours=1)
SIGNING_DB_ATTEMPTS = 3  # tries of the final transaction before the failure is recorded
# Who may press "retry now": the officials who sign, and the administrators.
SIGNING_RETRY_ROLES = ("director", "director_general", "issuer_officer", "administrator")


def _signing_lease() -> dt.timedelta:
    seconds = getattr(settings, "PERMIT_SIGNING_LEASE_SECONDS", None)
    return dt.timedelta(seconds=seconds) if seconds else SIGNING_LEASE


def _signer_for(user):
    cert = SigningCertificate.objects.filter(user=user, is_active=True).order_by("-created_at").first()
    if cert is None:
        raise pki.SigningUnavailable(f"no active signing certificate configured for {user.get_username()}")
    if cert.pkcs12_data:
        return pki.load_signer_data(cert.pkcs12_data, cert.passphrase_env, label=cert.serial or str(cert.pk))
    return pki.load_signer(cert.pkcs12_path, cert.passphrase_env)  # legacy row: a file on this node


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
    once, a bounded number of times with a short back-off (``inatrade.db.retry_transient``,
    docs/decisions/0012).
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
            reason=f"{documents.kind(version.permit.kind).label} {version.permit.number}",
            location=settings.PERMIT_PLACE,
        )
        cert_subject = signer_obj.signing_cert.subject.native.get("common_name", "")
        path, digest = store_private(signed, folder=f"permits/{version.permit.holder_id}")
        done = retry_transient(
            lambda: _store_signed(version, path=path, digest=digest, size=len(signed), cert_subject=cert_subject),
            what=f"signing of version {version_id}", attempts=SIGNING_DB_ATTEMPTS,
        )
    except Exception as exc:  # noqa: BLE001 - any failure leaves it awaiting signature, visibly
        reset_broken_connection()
        _discard_unreferenced(path)
        _record_signing_failure(version_id, exc)
        return False
    if not done:
        _discard_unreferenced(path)  # another worker finished first: our copy is not the document
    return done


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
        permit = permit_machine.lock(locked.permit_id)
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
        permit.current_version = locked
        audit = {"actor": version.signer, "company": permit.holder,
                 "data": {"version": locked.version_no, "sha256": digest, "signer": cert_subject}}
        if permit.status == PermitStatus.AWAITING_SIGNATURE:
            permit.status_changed_at = now
            permit_machine.apply(permit, "sign", update_fields=["current_version", "status_changed_at"], **audit)
        else:
            # An amendment of a valid permit, or a first signature of one sanctioned meanwhile:
            # the status stays; the signature is recorded under the same action.
            permit.save(update_fields=["current_version"])
            audit_record(obj=permit, action=permit_machine.action("sign"), from_state=permit.status,
                         to_state=permit.status, **audit)
        event = InswEvent.AMENDED if previous is not None else InswEvent.ISSUED
        outbox_add(permit, event, locked)
        if previous is None and permit.status in (PermitStatus.FROZEN, PermitStatus.REVOKED):
            # Sanctioned while awaiting its first signature: INSW hears of it now.
            outbox_add(permit, InswEvent.FROZEN if permit.status == PermitStatus.FROZEN else InswEvent.REVOKED, locked)
        _email_holder_signed(permit, locked, event)
        permit_signed.send(sender=Permit, permit=permit, version=locked, event=event)
    return True


def _email_holder_signed(permit: Permit, version: PermitVersion, event: str) -> None:
    """AUD-03: the holder receives the signed permit, the PDF attached, in the transaction that
    stores it (so exactly once, however often the signing task runs)."""
    from accounts.selectors import company_recipients
    from inatrade.notifications import email_queue

    recipients = company_recipients(permit.holder)
    if not recipients.emails:
        return
    email_queue(
        template="permit_signed",
        to=recipients.emails,
        language=recipients.language,
        context={
            "company": permit.holder.name, "kind": str(documents.kind(permit.kind).label), "number": permit.number,
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
        retry_transient(lambda: _write_signing_failure(version_id, message),
                        what=f"recording the signing failure of version {version_id}", attempts=SIGNING_DB_ATTEMPTS)
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
            signing_next_attempt_at=now + backoff(SIGNING_RETRY_BASE, version.signing_attempts, SIGNING_RETRY_MAX),
        )
        if updated and version.signing_attempts <= 1 and settings.ADMIN_NOTIFICATION_EMAILS:
            from inatrade.notifications import email_queue

            email_queue(
                template="permit_signing_failed", to=settings.ADMIN_NOTIFICATION_EMAILS,
                context={"number": version.permit.number, "version": version.version_no, "error": message,
                         "signer": version.signer.get_username(),
                         "admin_url": settings.SITE_URL + reverse("admin:permits_permitversion_change", args=[version.pk])},
            )


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
        audit_record(obj=version.permit, action=SIGNING_RETRY, actor=actor, company=version.permit.holder,
                     data={"version": version.version_no})
        queue_signing(version)


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

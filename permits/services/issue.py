"""Certificates, issuing and amending permits: each writes a version awaiting signature in the
caller's transaction and queues its signing after commit (``permits.services.signing``)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inatrade.audit import audit_record
from inatrade.errors import InvalidTransition, RuleViolation
from inatrade.queue import queue_task
from permits import documents, pki
from permits.models import (
    Permit,
    PermitStatus,
    PermitVersion,
    SigningCertificate,
    VersionState,
)
from permits.services.common import AMEND, CERTIFICATE_REGISTER, ISSUE

# The Celery task that signs a version (permits/tasks.py), queued by name: the services never
# import the tasks module (issue 18).
SIGN_TASK = "permits.sign_permit_version"


def signing_certificate_register(*, user, pkcs12_path: str = "", pkcs12_data: bytes | None = None,
                                 passphrase_env: str = "INATRADE_SIGNER_PASSPHRASE", actor=None) -> SigningCertificate:
    """Record an official's PKCS#12 and deactivate their previous ones (rotation, issue 19).

    The encrypted PKCS#12 bytes are kept in the database (``pkcs12_data``): given directly, or
    read once from ``pkcs12_path`` (absolute or relative to PKI_DIR) on the node that registers
    it. Signing workers then need only the passphrase variable, no file.
    """
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
        audit_record(obj=cert, action=CERTIFICATE_REGISTER, actor=actor, to_state="active",
                     data={"user": user.get_username(), "serial": info["serial"]})
    return cert


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
        audit_record(obj=permit, action=ISSUE, actor=actor, to_state=permit.status, company=holder,
                     data={"number": number, "kind": kind, "version": 1})
        queue_signing(version)
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
        audit_record(obj=permit, action=AMEND, actor=actor, from_state=permit.status,
                     to_state=permit.status, reason=reason, company=permit.holder,
                     data={"version": version.version_no})
        queue_signing(version)
    return version


def queue_signing(version: PermitVersion) -> None:
    """Hand the version to a signing worker once the transaction commits (the sweep signs it
    when the broker is down)."""
    queue_task(SIGN_TASK, version.pk)

"""Reads of the permits app: public verification (DOC-04), lists, the outbox."""

from __future__ import annotations

import hashlib
import io
from dataclasses import asdict, dataclass

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext

from permits.models import InswOutboxEvent, Permit, PermitVersion, VersionState


def permit_public(*, number: str) -> dict | None:
    """The public fields of a permit, or None. Nothing private: no address, no lines, no NPWP."""
    permit = (
        Permit.objects.select_related("holder", "current_version")
        .filter(number=number)
        .exclude(current_version__isnull=True)
        .first()
    )
    if permit is None:
        return None
    version = permit.current_version
    return {
        "number": permit.number,
        "kind": permit.kind,
        "kind_label": permit.get_kind_display(),
        "holder_name": permit.holder.name,
        "valid_from": permit.valid_from,
        "valid_until": permit.valid_until,
        "status": permit.public_status,
        "version": version.version_no,
        "sha256": version.sha256,
        "signed_at": version.signed_at,
        "signer": version.signer_name,
    }


@dataclass
class PdfVerification:
    issued_here: bool
    permit_number: str | None
    version: int | None
    current: bool
    signature_intact: bool
    signer: str
    status: str | None = None
    sha256: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def _claimed_number(pdf: bytes) -> str | None:
    """The permit number the document says it is (its keywords metadata), for forged copies."""
    try:
        from pypdf import PdfReader

        keywords = (PdfReader(io.BytesIO(pdf), strict=False).metadata or {}).get("/Keywords") or ""
    except Exception:  # noqa: BLE001
        return None
    for part in str(keywords).split(";"):
        if part.startswith("inatrade-permit:"):
            return part.split(":", 1)[1].strip() or None
    return None


def verify_pdf(*, pdf: bytes) -> PdfVerification:
    """Is this PDF one we issued (byte for byte), is it the current version, is its signature
    intact and trusted, and who signed it."""
    from permits.signing import validate_pdf

    digest = hashlib.sha256(pdf).hexdigest()
    report = validate_pdf(pdf)
    version = (
        PermitVersion.objects.select_related("permit")
        .filter(sha256=digest)
        .exclude(state=VersionState.AWAITING_SIGNATURE)
        .first()
    )
    if version is not None:
        permit = version.permit
        return PdfVerification(
            issued_here=True, permit_number=permit.number, version=version.version_no,
            current=permit.current_version_id == version.pk, signature_intact=report.ok,
            signer=report.signer or version.signer_name, status=permit.public_status, sha256=digest,
        )
    claimed = _claimed_number(pdf)
    permit = Permit.objects.filter(number=claimed).first() if claimed else None
    return PdfVerification(
        issued_here=False, permit_number=claimed if permit else None, version=None, current=False,
        signature_intact=report.ok, signer=report.signer, status=None, sha256=digest,
    )


@dataclass(frozen=True)
class Verdict:
    """What a verification page says first, in one line a person can act on (DOC-04).

    ``level`` is ``ok``, ``warn`` or ``bad``; the page shows it by colour, icon and words.
    """

    level: str
    heading: str
    text: str


def verification_verdict(*, status: str | None, issued_here: bool = True, signature_intact: bool = True, current: bool = True) -> Verdict:
    """The verdict of a check by number (``status`` only) or by uploaded PDF (all four)."""
    if not issued_here or not signature_intact:
        return Verdict("bad", gettext("TIDAK SAH — jangan diterima"), gettext(
            "Berkas ini tidak sama dengan dokumen yang diterbitkan INATRADE atau tanda tangan elektroniknya rusak. "
            "Dokumen ini bisa jadi palsu atau telah diubah."))
    if status == "revoked":
        return Verdict("bad", gettext("DICABUT — jangan diterima"), gettext(
            "Perizinan ini sudah dicabut dan tidak berlaku lagi."))
    if status == "frozen":
        return Verdict("warn", gettext("DIBEKUKAN — jangan diterima untuk sementara"), gettext(
            "Perizinan ini asli tetapi sedang dibekukan; tidak dapat digunakan sampai diaktifkan kembali."))
    if status == "expired":
        return Verdict("warn", gettext("Kedaluwarsa — tidak berlaku lagi"), gettext(
            "Perizinan ini asli tetapi masa berlakunya sudah habis."))
    if status == "superseded" or not current:
        return Verdict("warn", gettext("Asli, tetapi sudah diganti versi baru"), gettext(
            "Dokumen ini pernah diterbitkan INATRADE, tetapi sudah diganti. Mintalah versi yang berlaku."))
    if status == "valid":
        return Verdict("ok", gettext("Asli dan berlaku"), gettext(
            "Perizinan ini diterbitkan INATRADE, tanda tangan elektroniknya utuh dan statusnya berlaku."))
    return Verdict("warn", gettext("Belum berlaku"), gettext("Perizinan ini belum ditandatangani."))


def permits_for_user(*, user) -> QuerySet[Permit]:
    """An importer's own company's permits; an official those of their role and jurisdiction
    (``permits.scopes``: a Dinas officer the APIs of its issuer, not every sugar PI)."""
    from accounts.models import Role
    from permits.scopes import permit_officer_filter

    qs = Permit.objects.select_related("holder", "current_version").order_by("-created_at")
    if not (user and user.is_authenticated):
        return qs.none()
    if user.role == Role.IMPORTER:
        return qs.filter(holder_id=user.company_id) if user.company_id else qs.none()
    # REL-06: officers see at a glance which permits failed to be signed.
    return qs.filter(permit_officer_filter(user)).annotate(signing_failed=Exists(PermitVersion.objects.filter(
        permit=OuterRef("pk"), state=VersionState.AWAITING_SIGNATURE).exclude(signing_error="")))


def outbox_list(*, state: str | None = None) -> QuerySet[InswOutboxEvent]:
    qs = InswOutboxEvent.objects.select_related("permit").order_by("-created_at")
    if state:
        qs = qs.filter(state=state)
    return qs


def permit_signing_status(*, permit: Permit) -> dict:
    """The one answer to "where is the signing of this permit" (REL-06), for the officers'
    signing page and API and for the pages that wait for a signature (polled by
    static/js/signing-status.js, which reads only the public keys ``SIGNING_PUBLIC_KEYS``).

    Always: ``number``/``permit_number``, ``awaiting_signature`` (a version still awaits its
    signature), the permit's ``status`` and ``status_label``, ``signed_version`` (the current
    signed version's number, or None). When a version awaits signature, also its ``version``
    (number and ``version_obj``), ``state``: ``queued`` (waiting for a worker), ``signing`` (a
    worker holds the lease) or ``failed`` (the last attempt failed: ``error`` says why; the next
    attempt is at ``next_attempt_at``, or sooner when an officer retries), ``attempts`` and
    ``failed_at``; otherwise these are None."""
    from django.utils import timezone

    version = permit.versions.filter(state=VersionState.AWAITING_SIGNATURE).order_by("-version_no").first()
    status = {
        "number": permit.number, "permit_number": permit.number, "awaiting_signature": version is not None,
        "status": permit.status, "status_label": permit.public_status_label,
        "signed_version": permit.current_version.version_no if permit.current_version_id else None,
        "version": None, "version_obj": None, "state": None, "attempts": None, "error": "", "failed_at": None,
        "next_attempt_at": None,
    }
    if version is None:
        return status
    if version.signing_claimed_until and version.signing_claimed_until > timezone.now():
        state = "signing"
    elif version.signing_error:
        state = "failed"
    else:
        state = "queued"
    status.update(version=version.version_no, version_obj=version, state=state, attempts=version.signing_attempts,
                  error=version.signing_error, failed_at=version.signing_failed_at,
                  next_attempt_at=version.signing_next_attempt_at)
    return status


# What anyone who may download the permit sees of its signing (no error text, no attempts).
SIGNING_PUBLIC_KEYS = ("number", "awaiting_signature", "status", "status_label", "signed_version")

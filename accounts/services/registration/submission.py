"""HA-01…HA-05: the registration's field rules, its uploads and the submission."""

from __future__ import annotations

import logging
import secrets

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import rules
from accounts.models import (
    OPEN_REGISTRATION_STATUSES,
    REGISTRATION,
    Company,
    DocumentKind,
    Registration,
    RegistrationDocument,
)
from accounts.services.registration.steps import VALIDATION_STEP
from reference.selectors import regency_for_code
from inatrade import casesteps
from inatrade.audit import audit_record
from inatrade.db import retry_on_db_conflict
from inatrade.errors import DomainError, RuleViolation
from inatrade.files import (
    UploadRefused,
    display_name,
    store_private,
    validate_pdf_upload,
)
from inatrade.queue import queue_task

logger = logging.getLogger(__name__)


REGISTRATION_FIELDS = (
    "purpose", "jenis_trader", "company_name", "nib", "npwp", "jenis_usaha", "tdp_number", "address", "regency_code", "city",
    "company_email", "company_phone", "applicant_name", "applicant_position", "identity_kind", "identity_number",
    "applicant_email", "applicant_phone",
)


class UploadsRefused(DomainError):
    """HA-03: one or more uploads refused; ``status`` is 413/415/400 as the first refusal."""

    code = "upload_refused"
    status = 400


def status_url(registration: Registration) -> str:
    return settings.SITE_URL + reverse("registration_status", args=[registration.access_key])


def document_url(registration: Registration) -> str:
    return settings.SITE_URL + reverse("registration_status_document", args=[registration.access_key])


def required_documents(data: dict) -> set[str]:
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
    required = required_documents(data)
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


def linkable_company(*, npwp: str, nib: str) -> Company | None:
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
    when that company's access right was revoked (``linkable_company``)."""
    company = linkable_company(npwp=data.get("npwp") or "", nib=data.get("nib") or "")
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

    The Kab/Kota of domicile (``regency_code``, a Kemendagri code of the reference
    app's table) is required; its name is kept as ``city`` (API-03, API-05)."""
    data = rules.normalise(data)
    regency = regency_for_code(code=data["regency_code"])
    errors = rules.registration_field_errors(data, regency=regency)
    if errors:
        raise RuleViolation(_("Periksa kembali isian registrasi."), code="invalid", fields=errors)
    data["city"] = regency.name
    contents = registration_check_uploads(data=data, files=files)
    linkable_company(npwp=data.get("npwp") or "", nib=data.get("nib") or "")  # SEC-01: no takeover (HA-14)
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
            casesteps.step_start(case=registration, step=VALIDATION_STEP, started_at=registration.submitted_at)
            audit_record(
                obj=registration,
                action=REGISTRATION.action("submit"),
                to_state=registration.status,
                data={"reference": registration.reference, "previous_registration": previous_registration.pk if previous_registration else None},
            )
            # HA-05: Lampiran II is rendered by a worker after commit, never in the request
            # (PERF-01); that task stores it and queues the registration_received e-mail.
            queue_task("accounts.render_registration_document", registration.pk)
    except BaseException:
        for path in stored:  # nothing of a failed submission stays behind (HA-03)
            try:
                default_storage.delete(path)
            except Exception:  # noqa: BLE001
                logger.warning("Could not delete %s after a failed registration", path)
        raise
    return registration

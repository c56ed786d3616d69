"""HA-01 in steps checked by the server (issue 17, finding 5): each step's rules before the
next step, and the uploads kept across steps and failed submissions as temporary files bound
to the browser session (never to another session: the paths live only in that session).

The rules are the registration's own (``accounts.rules`` and ``registration_check_uploads``),
applied to the fields of one step; the final submission still checks everything."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from accounts import rules
from accounts.models import DocumentKind
from accounts.services.registration.submission import required_documents
from reference.selectors import regency_for_code
from inatrade.files import UploadRefused, display_name, store_private, validate_pdf_upload

TEMP_FOLDER = "tmp/registration"


def registration_step_errors(*, data: dict, fields: list[str], kept: dict) -> dict[str, list[str]]:
    """The HA-02/HA-03/HA-04 errors of the fields of one step: every rule of
    ``rules.registration_field_errors`` that concerns them, and the required documents among
    them that are neither uploaded now nor ``kept`` from an earlier request."""
    data = rules.normalise(data)
    regency = regency_for_code(code=data.get("regency_code", "")) if data.get("regency_code") else None
    errors = {field: messages for field, messages in rules.registration_field_errors(data, regency=regency).items()
              if field in fields}
    labels = dict(DocumentKind.choices)
    for kind in required_documents(data):
        if kind in fields and kind not in kept and kind not in errors:
            errors[kind] = [_required_message(labels[kind])]
    return errors


def _required_message(label) -> str:
    from django.utils.translation import gettext as _

    return _("%(label)s wajib diunggah (PDF).") % {"label": label}


def registration_upload_keep(*, kind: str, upload) -> dict:
    """Check one upload (HA-03: a real PDF within its limit) and keep it as a temporary file;
    returns what the session remembers of it. Raises ``UploadRefused``."""
    labels = dict(DocumentKind.choices)
    max_bytes = settings.POWER_OF_ATTORNEY_MAX_BYTES if kind == DocumentKind.POWER_OF_ATTORNEY else None
    content = validate_pdf_upload(upload, max_bytes=max_bytes, label=str(labels[kind]))
    path, _digest = store_private(content, folder=TEMP_FOLDER)
    return {"path": path, "name": display_name(getattr(upload, "name", ""), fallback=f"{kind}.pdf"), "size": len(content)}


def registration_kept_files(kept: dict) -> dict:
    """The kept uploads as files for ``registration_submit`` (those still on disk)."""
    files = {}
    for kind, info in kept.items():
        path = info.get("path", "")
        if path.startswith(f"{TEMP_FOLDER}/") and default_storage.exists(path):
            with default_storage.open(path, "rb") as handle:
                files[kind] = ContentFile(handle.read(), name=info.get("name") or f"{kind}.pdf")
    return files


def registration_kept_discard(kept: dict) -> None:
    for info in kept.values():
        path = info.get("path", "")
        if path.startswith(f"{TEMP_FOLDER}/"):
            default_storage.delete(path)


__all__ = ["UploadRefused", "registration_step_errors", "registration_upload_keep", "registration_kept_files",
           "registration_kept_discard"]


KEEP_FOR = timedelta(days=2)  # longer than a session's draft is worth


def registration_uploads_purge(*, as_of: date) -> dict:
    """The ``registration_uploads_purge`` job: delete the temporary uploads of registrations
    abandoned more than two days before ``as_of`` (a submitted one moves its files at once).
    Safe to run twice: a file deleted is gone, a second run finds nothing."""
    try:
        _dirs, names = default_storage.listdir(TEMP_FOLDER)
    except FileNotFoundError:
        return {"deleted": 0}
    limit = datetime.combine(as_of, time.min, tzinfo=timezone.get_current_timezone()) - KEEP_FOR
    deleted = 0
    for name in names:
        path = f"{TEMP_FOLDER}/{name}"
        try:
            if default_storage.get_modified_time(path) < limit:
                default_storage.delete(path)
                deleted += 1
        except FileNotFoundError:  # another run took it
            continue
    return {"deleted": deleted}

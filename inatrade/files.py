"""Uploaded files: recognised by their content, size-limited, stored under a name we make,
served only through views that check access (HA-03, SEC-02, SEC-05)."""

from __future__ import annotations

import hashlib
import io
import os
import unicodedata
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse
from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.errors import PdfReadError

PDF_MAGIC = b"%PDF-"
# Names in a PDF that mean active or embedded content, refused in uploads.
_FORBIDDEN_PDF_KEYS = ("/JavaScript", "/JS", "/EmbeddedFiles", "/Launch", "/RichMedia", "/XFA")


class UploadRefused(ValidationError):
    """A refused upload; ``status`` is what the API answers (413 size, 415 type, 400 other)."""

    def __init__(self, message: str, *, code: str, status: int):
        super().__init__(message, code=code)
        self.status = status


def _scan_for_active_content(reader: PdfReader) -> bool:
    """True when the document carries JavaScript, embedded files or launch actions."""
    root = reader.trailer["/Root"]
    seen: set[int] = set()
    stack = [root]
    budget = 20000
    while stack and budget:
        budget -= 1
        node = stack.pop()
        try:
            node = node.get_object()
        except Exception:  # noqa: BLE001
            continue
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, dict):
            for key, value in node.items():
                if key in _FORBIDDEN_PDF_KEYS:
                    return True
                if key == "/S" and value in ("/JavaScript", "/Launch"):
                    return True
                if key not in ("/Parent", "/P"):
                    stack.append(value)
        elif isinstance(node, list):
            stack.extend(node)
    return False


def validate_pdf_upload(upload, *, max_bytes: int | None = None, label: str = "") -> bytes:
    """Check that ``upload`` is a harmless PDF within the size limit and return its bytes.

    Raises ``UploadRefused`` with a message naming the document. The client's file name is
    never trusted: the type comes from the content.
    """
    max_bytes = max_bytes or settings.UPLOAD_MAX_BYTES
    label = label or _("Berkas")
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise UploadRefused(
            _("%(label)s terlalu besar: maksimal %(max)s KB.") % {"label": label, "max": max_bytes // 1024},
            code="file_too_large",
            status=413,
        )
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise UploadRefused(
            _("%(label)s terlalu besar: maksimal %(max)s KB.") % {"label": label, "max": max_bytes // 1024},
            code="file_too_large",
            status=413,
        )
    if not data:
        raise UploadRefused(_("%(label)s kosong.") % {"label": label}, code="file_empty", status=400)
    if not data[:1024].lstrip().startswith(PDF_MAGIC):
        raise UploadRefused(
            _("%(label)s harus berupa PDF (isi berkas bukan PDF).") % {"label": label},
            code="unsupported_file_type",
            status=415,
        )
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise UploadRefused(
                _("%(label)s terkunci kata sandi; unggah PDF tanpa kata sandi.") % {"label": label},
                code="pdf_encrypted",
                status=400,
            )
        if len(reader.pages) < 1:
            raise PdfReadError("no pages")
        active = _scan_for_active_content(reader)
    except UploadRefused:
        raise
    except Exception as exc:  # noqa: BLE001 - any parser failure means "not a usable PDF"
        raise UploadRefused(
            _("%(label)s bukan PDF yang dapat dibaca.") % {"label": label}, code="pdf_unreadable", status=415
        ) from exc
    if active:
        raise UploadRefused(
            _("%(label)s memuat JavaScript atau berkas sisipan; unggah PDF biasa.") % {"label": label},
            code="pdf_active_content",
            status=415,
        )
    return data


def display_name(client_name: str, fallback: str = "dokumen.pdf") -> str:
    """A safe name to show and offer for download: no path, no control characters, short."""
    name = os.path.basename((client_name or "").replace("\\", "/"))
    name = "".join(ch for ch in unicodedata.normalize("NFC", name) if unicodedata.category(ch)[0] != "C")
    name = name.strip(" .") or fallback
    if len(name) > 120:
        stem, dot, ext = name.rpartition(".")
        name = (stem[:110] + dot + ext[:8]) if dot else name[:120]
    return name


def store_private(data: bytes, *, folder: str, suffix: str = ".pdf") -> tuple[str, str]:
    """Store ``data`` under ``folder`` with a generated name; return (path, sha256)."""
    from django.core.files.base import ContentFile

    digest = hashlib.sha256(data).hexdigest()
    path = default_storage.save(f"{folder}/{uuid.uuid4().hex}{suffix}", ContentFile(data))
    return path, digest


def serve_private(path: str, *, filename: str, inline: bool = False) -> FileResponse:
    """Stream a stored private file. Call only after the view has checked access."""
    response = FileResponse(default_storage.open(path, "rb"), as_attachment=not inline, filename=filename)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response

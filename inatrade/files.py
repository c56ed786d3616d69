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

class UploadRefused(ValidationError):
    """A refused upload; ``status`` is what the API answers (413 size, 415 type, 400 other)."""

    def __init__(self, message: str, *, code: str, status: int):
        super().__init__(message, code=code)
        self.status = status


PDF_MAGIC = b"%PDF-"
# Keys that carry active or embedded content wherever they appear (SEC-02, issue 15 item 3):
# scripts, embedded files and file specifications with an embedded stream, XFA forms,
# rich media, and additional-action triggers whose actions we could not otherwise vet.
_FORBIDDEN_PDF_KEYS = frozenset({
    "/JavaScript", "/JS", "/EmbeddedFiles", "/EF", "/RF", "/Launch", "/RichMedia", "/RichMediaContent", "/XFA",
})
# Action types (/S) that run code, open other files or programs, or send data out of the
# document. Only actions that stay inside the document (/GoTo, /Named, /Thread...) are left.
_FORBIDDEN_ACTIONS = frozenset({
    "/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/GoToR", "/GoToE", "/GoTo3DView", "/URI",
    "/Movie", "/Sound", "/Rendition", "/RichMediaExecute", "/ECMAScript",
})
# Annotation subtypes that carry files, media or 3D content.
_FORBIDDEN_ANNOTATIONS = frozenset({"/FileAttachment", "/Movie", "/Sound", "/Screen", "/RichMedia", "/3D"})


def _active_content_reason(node: dict) -> str | None:
    for key in node.keys():
        if key in _FORBIDDEN_PDF_KEYS:
            return key
    kind = node.get("/S")
    if isinstance(kind, str) and kind in _FORBIDDEN_ACTIONS:
        return kind
    subtype = node.get("/Subtype")
    if isinstance(subtype, str) and subtype in _FORBIDDEN_ANNOTATIONS:
        return subtype
    return None


def pdf_active_content(reader: PdfReader) -> str | None:
    """The first active or outward-reaching element of the document, or None (SEC-02).

    Walks every object of the document: everything reachable from the trailer and every
    object listed in the cross-reference tables and object streams, however many there are
    (the upload size limit bounds the work). Each indirect object is visited once.
    """
    from pypdf.generic import IndirectObject

    seen_refs: set[tuple[int, int]] = set()
    stack: list = [reader.trailer]
    for generation, objects in reader.xref.items():
        stack.extend(IndirectObject(idnum, generation, reader) for idnum in objects)
    stack.extend(IndirectObject(idnum, 0, reader) for idnum in getattr(reader, "xref_objStm", {}))
    while stack:
        node = stack.pop()
        if isinstance(node, IndirectObject):
            ref = (node.idnum, node.generation)
            if ref in seen_refs:
                continue
            seen_refs.add(ref)
            try:
                node = node.get_object()
            except Exception:  # noqa: BLE001 - a dangling reference is not content
                continue
        if isinstance(node, dict):
            reason = _active_content_reason(node)
            if reason:
                return reason
            for key, value in node.items():
                if key != "/Parent" and isinstance(value, (dict, list, IndirectObject)):
                    stack.append(value)
        elif isinstance(node, list):
            stack.extend(value for value in node if isinstance(value, (dict, list, IndirectObject)))
    return None


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
        active = pdf_active_content(reader)
    except UploadRefused:
        raise
    except Exception as exc:  # noqa: BLE001 - any parser failure means "not a usable PDF"
        raise UploadRefused(
            _("%(label)s bukan PDF yang dapat dibaca.") % {"label": label}, code="pdf_unreadable", status=415
        ) from exc
    if active:
        raise UploadRefused(
            _("%(label)s memuat JavaScript, berkas sisipan, tautan keluar atau aksi pengiriman data; "
              "unggah PDF biasa.") % {"label": label},
            code="pdf_active_content",
            status=415,
        )
    return data


_DISPLAY_NAME_ALLOWED = frozenset(" -_.,()[]+")


def display_name(client_name: str, fallback: str = "dokumen.pdf") -> str:
    """The client's file name as display text only (issue 15 item 1, SEC-02).

    No path, no control or markup characters, short, and always ending in ``.pdf`` (every
    stored upload is a PDF checked by its content): ``evil.html`` becomes ``evil_html.pdf``,
    so the name never suggests another type to a browser or a desktop.
    """
    name = os.path.basename((client_name or "").replace("\\", "/"))
    name = unicodedata.normalize("NFC", name)
    name = "".join(
        ch if (ch.isalnum() or ch in _DISPLAY_NAME_ALLOWED or unicodedata.category(ch) == "Pd") else "_"
        for ch in name
        if unicodedata.category(ch)[0] != "C"  # control and format characters are dropped
    )
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    if ext.lower() != "pdf":
        stem = f"{stem}_{ext}" if stem and ext else (stem or ext)
    stem = stem.replace(".", "_").strip(" ._-")[:110]
    if not stem:
        return fallback
    return f"{stem}.pdf"


def store_private(data: bytes, *, folder: str, suffix: str = ".pdf") -> tuple[str, str]:
    """Store ``data`` under ``folder`` with a generated name; return (path, sha256)."""
    from django.core.files.base import ContentFile

    digest = hashlib.sha256(data).hexdigest()
    path = default_storage.save(f"{folder}/{uuid.uuid4().hex}{suffix}", ContentFile(data))
    return path, digest


def sniffed_content_type(head: bytes) -> str:
    """The type of a stored file from its first bytes; never from a name."""
    if head.lstrip()[:5] == PDF_MAGIC:
        return "application/pdf"
    return "application/octet-stream"


def serve_private(path: str, *, filename: str, inline: bool = False) -> FileResponse:
    """Stream a stored private file. Call only after the view has checked access (SEC-05).

    The type comes from the stored bytes, never from ``filename`` (which FileResponse would
    otherwise use to guess ``text/html`` for ``evil.html``); the file is an attachment unless
    the caller asks ``inline`` for a PDF that the portal rendered itself (issue 15 item 1).
    """
    handle = default_storage.open(path, "rb")
    head = handle.read(1024)
    handle.seek(0)
    content_type = sniffed_content_type(head)
    inline = inline and content_type == "application/pdf"
    response = FileResponse(
        handle, as_attachment=not inline, filename=display_name(filename), content_type=content_type
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'" + ("" if inline else "; sandbox")
    return response

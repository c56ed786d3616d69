"""The permit letter: the Lampiran IV format of Permendag 123/2015 (DOC-01), its barcode and QR
code (DOC-03), rendered to PDF by WeasyPrint from a Django template.

A permit's ``content`` is a JSON document with the same keys for every kind (see ``Kind`` and
``validate_content``); each kind, registered by the app that issues it, names its template
under ``permits/pdf/``.
"""

from __future__ import annotations

import atexit
import base64
import datetime as dt
import hashlib
import io
import re
import threading
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from inatrade.errors import RuleViolation
from inatrade.registry import PERMIT_KINDS, PermitKind

FONTS_DIR = Path(__file__).resolve().parent / "fonts"

MONTHS_ID = [
    "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
    "November", "Desember",
]

VALIDITY_SENTENCE = (
    "Dokumen ini sah, diterbitkan oleh Kementerian Perdagangan secara elektronik melalui sistem "
    "INATRADE dan tidak membutuhkan cap dan tanda tangan basah"
)


# The permit kinds this portal issues: each issuing app registers its own
# (``inatrade.registry.permit_kind``); permits knows no kind of its own (issue 18). Keys every
# content has, whatever its kind: title (Hal), holder {name, address, nib, npwp},
# holder_documents [{label, value}], conditions [str].
COMMON_REQUIRED = ("title", "holder", "holder_documents", "conditions")
KINDS: dict[str, PermitKind] = PERMIT_KINDS


def kind(code: str) -> PermitKind:
    """The registered kind ``code``; ``RuleViolation`` when no app registered it."""
    spec = KINDS.get(code)
    if spec is None:
        raise RuleViolation(_("Jenis perizinan tidak dikenal."), code="unknown_permit_kind", fields={"kind": [code]})
    return spec


def validate_content(kind_code: str, content: dict) -> None:
    """Raise RuleViolation when ``content`` misses what the kind's document must show."""
    spec = kind(kind_code)
    missing = [key for key in (*COMMON_REQUIRED, *spec.required) if content.get(key) in (None, "", [])]
    holder = content.get("holder") or {}
    missing += [f"holder.{key}" for key in ("name", "address") if not holder.get(key)]
    for index, line in enumerate(content.get("lines") or []):
        missing += [f"lines[{index}].{key}" for key in spec.line_required if line.get(key) in (None, "")]
    if spec.validate is not None:
        missing += list(spec.validate(content))
    if missing:
        raise RuleViolation(
            _("Isi dokumen perizinan belum lengkap."), code="permit_content_incomplete",
            fields={key: ["required"] for key in missing},
        )


def tanggal(value) -> str:
    """22 November 2026."""
    if not value:
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    return f"{value.day} {MONTHS_ID[value.month - 1]} {value.year}"


def verification_url(number: str) -> str:
    return settings.SITE_URL + reverse("permit-verify-number", kwargs={"number": number})


def barcode_data_uri(number: str) -> str:
    """Code 128 of the permit number as an SVG data URI (python-barcode writes an XML prolog)."""
    from barcode import Code128
    from barcode.writer import SVGWriter

    buffer = io.BytesIO()
    Code128(number, writer=SVGWriter()).write(
        buffer, options={"module_width": 0.3, "module_height": 12.0, "quiet_zone": 4.0, "font_size": 0,
                         "text_distance": 0, "write_text": False},
    )
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def qr_data_uri(url: str) -> str:
    import segno

    return segno.make(url, error="m").svg_data_uri(scale=4, border=4)


def _font_face_css() -> str:
    faces = []
    for family, fname, weight in [
        ("DejaVu Serif", "DejaVuSerif.ttf", "normal"),
        ("DejaVu Serif", "DejaVuSerif-Bold.ttf", "bold"),
        ("DejaVu Sans", "DejaVuSans.ttf", "normal"),
        ("DejaVu Sans", "DejaVuSans-Bold.ttf", "bold"),
    ]:
        faces.append(
            f"@font-face {{ font-family: '{family}'; font-weight: {weight}; "
            f"src: url('{(FONTS_DIR / fname).as_uri()}'); }}"
        )
    return "\n".join(faces)


def render_html(*, permit, version, content: dict, signer_name: str, signer_position: str) -> str:
    spec = kind(permit.kind)
    lines = content.get("lines") or []
    context = {
        "permit": permit,
        "version": version,
        "c": content,
        "kind": spec,
        "number": permit.number,
        "place": content.get("place") or settings.PERMIT_PLACE,
        "issued_on": tanggal(version.issued_on),
        "valid_from": tanggal(permit.valid_from),
        "valid_until": tanggal(permit.valid_until),
        "application_date": tanggal((content.get("application") or {}).get("date")),
        "recommendation_date": tanggal((content.get("recommendation") or {}).get("date")),
        "assignment_date": tanggal((content.get("assignment") or {}).get("date")),
        "lines": lines,
        "signer_name": signer_name,
        "signer_position": signer_position,
        "barcode": barcode_data_uri(permit.number),
        "qr": qr_data_uri(verification_url(permit.number)),
        "verify_url": verification_url(permit.number),
        "validity_sentence": VALIDITY_SENTENCE,
        "font_faces": _font_face_css(),
    }
    return render_to_string(spec.template, context)


class BlockedUrl(ValueError):
    pass


def _allowed_roots() -> list[Path]:
    from django.conf import settings

    roots = [FONTS_DIR, *(Path(folder) for folder in getattr(settings, "STATICFILES_DIRS", [])), Path(settings.STATIC_ROOT)]
    return [root.resolve() for root in roots]


def allowed_local_file(url: str) -> Path | None:
    """The file a ``file:`` URL names when it is one of our own fonts or static files, else
    None. The scheme is compared case-insensitively and the path percent-decoded and resolved
    before the check (``FILE://``, ``%2e%2e``, symlinks: issue 15)."""
    from urllib.parse import unquote, urlsplit

    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() != "file" or parts.netloc.lower() not in ("", "localhost"):
        return None
    raw = unquote(parts.path)
    if "\x00" in raw or not raw.startswith("/"):
        return None
    path = Path(raw).resolve()
    if not path.is_file() or not any(path.is_relative_to(root) for root in _allowed_roots()):
        return None
    return path


def _url_fetcher():
    """Only our own fonts and static files, and inline ``data:`` images: importer-supplied
    text never fetches anything else."""
    from weasyprint.urls import URLFetcher

    class PermitUrlFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            scheme = url.split(":", 1)[0].strip().lower() if ":" in url else ""
            if scheme == "data":
                return super().fetch(url, headers)
            path = allowed_local_file(url)
            if path is None:
                raise BlockedUrl(f"blocked URL in permit document: {url[:60]}")
            return super().fetch(path.as_uri(), headers)  # the checked path, not the given text

    return PermitUrlFetcher(allowed_protocols={"data", "file"}, allow_redirects=False)


_fonts = threading.local()


def _font_config():
    """One WeasyPrint font configuration per thread, reused for every document (PERF-05).
    A new one per document leaked native fontconfig/Pango memory in a long-lived worker
    (resident memory grew ~0.25 MiB per permit); pango font maps are not shared across
    threads, hence per thread."""
    from weasyprint.text.fonts import FontConfiguration

    if getattr(_fonts, "config", None) is None:
        _fonts.config = FontConfiguration()
        atexit.register(_release_fonts, _fonts)
    return _fonts.config


def _release_fonts(local) -> None:
    """At exit, while the modules are still there: the font configuration's clean-up removes
    its temporary font folder (at interpreter teardown it fails and leaves it)."""
    local.__dict__.clear()


_HEAD_STYLE = re.compile(r"<style>(.*?)</style>", re.S)
_SHEETS_KEPT = 8  # parsed stylesheets kept per thread (one per document template in use)


def _split_head_style(html: str) -> tuple[str, str | None]:
    """The HTML without the ``<style>`` block of its head, and that block's text (None when
    there is none). Only a block before ``<body``: text in the body is the content's."""
    body = html.find("<body")
    match = _HEAD_STYLE.search(html, 0, body if body >= 0 else len(html))
    if match is None:
        return html, None
    return html[: match.start()] + html[match.end():], match.group(1)


def _stylesheet(text: str):
    """The parsed stylesheet of a template's ``<style>`` block, parsed once per thread with
    the thread's font configuration (its ``@font-face`` rules are loaded into it once)."""
    from weasyprint import CSS

    sheets = getattr(_fonts, "sheets", None)
    if sheets is None:
        sheets = _fonts.sheets = {}
    key = hashlib.sha256(text.encode()).digest()
    sheet = sheets.get(key)
    if sheet is None:
        if len(sheets) >= _SHEETS_KEPT:
            sheets.clear()
        sheet = sheets[key] = CSS(string=text, base_url=str(FONTS_DIR) + "/", url_fetcher=_url_fetcher(),
                                  font_config=_font_config())
    return sheet


def html_to_pdf(html: str, *, title: str = "", number: str = "") -> bytes:
    """The PDF of a permit's HTML. What is the same for every permit is prepared once per
    thread (PERF-01, issue 22): the font configuration with the fonts loaded, and the template's
    stylesheet, parsed once and passed to WeasyPrint instead of the ``<style>`` block (the
    block is the document's only style sheet and has no ``!important``, so the cascade and the
    layout are the same: tests compare the two renderings box by box)."""
    from weasyprint import HTML

    rest, style = _split_head_style(html)
    stylesheets = None
    if style is not None:
        html, stylesheets = rest, [_stylesheet(style)]
    document = HTML(string=html, url_fetcher=_url_fetcher(), base_url=str(FONTS_DIR) + "/")
    return document.write_pdf(stylesheets=stylesheets, font_config=_font_config(), uncompressed_pdf=False)


def quote_number(number: str) -> str:
    return quote(number, safe="")

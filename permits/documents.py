"""The permit letter: the Lampiran IV format of Permendag 123/2015 (DOC-01), its barcode and QR
code (DOC-03), rendered to PDF by WeasyPrint from a Django template.

A permit's ``content`` is a JSON document with the same keys for every kind (see ``KINDS``
and ``validate_content``); each kind has its own template under ``permits/pdf/``.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import threading
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from inatrade.errors import RuleViolation
from inatrade.registry import PERMIT_KINDS, PermitKind, permit_kind_choices

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
# (``inatrade.registry.permit_kind``). Keys every content has: title (Hal), holder
# {name, address, nib, npwp}, holder_documents [{label, value}], conditions [str].
_COMMON = ("title", "holder", "holder_documents", "conditions")
Kind = PermitKind
KINDS: dict[str, PermitKind] = PERMIT_KINDS


def kind_choices():
    return permit_kind_choices()


def validate_content(kind: str, content: dict) -> None:
    """Raise RuleViolation when ``content`` misses what the kind's document must show."""
    spec = KINDS.get(kind)
    if spec is None:
        raise RuleViolation(_("Jenis perizinan tidak dikenal."), code="unknown_permit_kind", fields={"kind": [kind]})
    missing = [key for key in _COMMON + spec.required if content.get(key) in (None, "", [])]
    holder = content.get("holder") or {}
    missing += [f"holder.{key}" for key in ("name", "address") if not holder.get(key)]
    for index, line in enumerate(content.get("lines") or []):
        missing += [f"lines[{index}].{key}" for key in spec.line_required if line.get(key) in (None, "")]
    if spec.validate is not None:
        missing += spec.validate(content)
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
    spec = KINDS[permit.kind]
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
    return _fonts.config


def html_to_pdf(html: str, *, title: str = "", number: str = "") -> bytes:
    from weasyprint import HTML

    document = HTML(string=html, url_fetcher=_url_fetcher(), base_url=str(FONTS_DIR) + "/")
    return document.write_pdf(font_config=_font_config(), uncompressed_pdf=False)


def quote_number(number: str) -> str:
    return quote(number, safe="")


P14_REGULATION = (
    "Peraturan Menteri Perdagangan Nomor 14 Tahun 2020 tentang Ketentuan Impor Gula"
)


def sugar_pi_content(
    *,
    holder,
    application_number: str,
    application_date,
    sugar_type: str,
    lines: list[dict],
    recommendation: dict | None = None,
    assignment: dict | None = None,
    purpose: str = "",
    conditions: list[str] | None = None,
    unit: str = "ton",
) -> dict:
    """The content of a sugar Persetujuan Impor with every field of P14 Pasal 8(1): NIB as
    API-U (a), Rekomendasi (b) and surat penugasan (c) numbers and dates, name and address (d),
    HS (e), sugar type (f), volume (g), origin (h), port of destination (i) in the lines; number,
    date (j) and validity (k) come from the permit itself.

    ``lines``: [{hs_code, description, volume_tonnes (Decimal/str), origin_country, port_of_discharge}].
    ``recommendation`` / ``assignment``: {number, date, issuer?}.
    """
    from decimal import Decimal

    def fmt(value) -> str:
        q = Decimal(str(value)).quantize(Decimal("0.001"))
        whole, _, frac = f"{q:f}".partition(".")
        return f"{int(whole):,}".replace(",", ".") + "," + (frac or "000")

    total = sum((Decimal(str(line["volume_tonnes"])) for line in lines), Decimal("0"))
    docs = [{"label": "NIB (berlaku sebagai API-U)", "value": holder.nib or "-"}]
    if getattr(holder, "npwp", ""):
        docs.append({"label": "NPWP", "value": getattr(holder, "npwp_formatted", holder.npwp)})
    if recommendation:
        docs.append({"label": f"Rekomendasi {recommendation.get('issuer', '')}".strip(),
                     "value": f"Nomor {recommendation['number']} tanggal {tanggal(recommendation['date'])}"})
    if assignment:
        docs.append({"label": "Surat Penugasan", "value": f"Nomor {assignment['number']} tanggal {tanggal(assignment['date'])}"})
    base_conditions = [
        f"Jenis gula: {sugar_type}; Pos Tarif/HS, jumlah, negara asal dan pelabuhan tujuan sebagaimana tercantum dalam Lampiran.",
        f"Jumlah keseluruhan {fmt(total)} {unit}.",
    ]
    if purpose:
        base_conditions.append(f"Gula yang diimpor hanya untuk {purpose}.")
    base_conditions += list(conditions or [
        "Wajib menyampaikan laporan realisasi impor setiap bulan paling lambat tanggal 15 bulan berikutnya "
        "melalui INATRADE, baik terealisasi maupun tidak terealisasi.",
        "Setiap pelaksanaan impor wajib terlebih dahulu dilakukan verifikasi atau penelusuran teknis oleh Surveyor.",
    ])
    return {
        "title": f"Persetujuan Impor {sugar_type}",
        "regulation": P14_REGULATION,
        "application": {"number": application_number, "date": str(application_date)},
        "recommendation": recommendation,
        "assignment": assignment,
        "holder": {"name": holder.name, "address": holder.address, "nib": holder.nib, "npwp": holder.npwp},
        "holder_documents": docs,
        "grant_subject": f"{sugar_type} sebanyak {fmt(total)} {unit}",
        "sugar_type": sugar_type,
        "conditions": base_conditions,
        "total_quantity": f"{fmt(total)} {unit}",
        "lines": [
            {
                "hs_code": line["hs_code"],
                "description": line.get("description") or sugar_type,
                "quantity": fmt(line["volume_tonnes"]),
                "unit": unit,
                "origin_country": line["origin_country"],
                "port_of_discharge": line["port_of_discharge"],
            }
            for line in lines
        ],
    }

"""PDF documents of the accounts app, rendered with WeasyPrint from escaped templates:
the Dokumen Registrasi INATRADE (HA-05, P123 Lampiran II) and the BAP (HA-06, Pasal 6(2))."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone, translation

from reference.selectors import regency_for_code


class RemoteFetchRefused(ValueError):
    pass


def _refuse_remote(url: str, *args, **kwargs):
    """Applicant-supplied text must never make the renderer fetch anything (dependencies.md)."""
    raise RemoteFetchRefused(f"refused to fetch {url[:80]}")


def render_pdf(template: str, context: dict) -> bytes:
    import weasyprint  # heavy import, only when a PDF is made

    # Documents are in Indonesian, the language of the regulation's annexes.
    with translation.override("id"):
        html = render_to_string(template, context)  # autoescaped: data cannot inject markup
    return weasyprint.HTML(string=html, url_fetcher=_refuse_remote).write_pdf()


def registration_document_pdf(registration) -> bytes:
    """HA-05: Lampiran II of P123 filled with the registration's data; the address ends with
    the Kab/Kota of domicile and its province (API-03)."""
    return render_pdf(
        "accounts/pdf/registration_document.html",
        {
            "r": registration,
            "regency": regency_for_code(code=registration.regency_code),
            "printed_on": timezone.localtime(registration.submitted_at).date(),
        },
    )


def bap_pdf(bap) -> bytes:
    """HA-06: the Berita Acara Pemeriksaan of the UPTP I validation."""
    return render_pdf(
        "accounts/pdf/bap.html",
        {"bap": bap, "r": bap.registration, "validated_on": timezone.localtime(bap.validated_at)},
    )

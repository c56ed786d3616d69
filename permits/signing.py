"""PAdES signing and validation of permit PDFs with pyHanko (DOC-02).

The visible signature block is drawn in the HTML (so its font is embedded like the rest of
the letter); the signature itself sits in an invisible field. Level: PAdES B-LTA: RFC 3161
signature timestamp, the chain and CRLs embedded in a DSS, then a document timestamp, so the
PDF verifies offline long after the certificates expire.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass

from permits import pki

SIGNATURE_FIELD = "TandaTanganElektronik"


class _OfflineOnPurpose(logging.Filter):
    """We embed our own CRLs and never fetch: pyHanko's warning about that is expected noise."""

    def filter(self, record):
        return "fetching is not allowed" not in record.getMessage()


logging.getLogger("pyhanko.sign.signers.pdf_signer").addFilter(_OfflineOnPurpose())


def sign_pdf(pdf: bytes, *, signer, name: str = "", reason: str = "", location: str = "") -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.sign.fields import SigSeedSubFilter

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    meta = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        md_algorithm="sha256",
        subfilter=SigSeedSubFilter.PADES,
        name=name or None,
        reason=reason or None,
        location=location or None,
        embed_validation_info=True,
        use_pades_lta=True,
        validation_context=pki.validation_context(for_signing=True),
    )
    out = io.BytesIO()
    signers.PdfSigner(
        meta,
        signer=signer,
        timestamper=pki.timestamper(),
        new_field_spec=fields.SigFieldSpec(sig_field_name=SIGNATURE_FIELD, box=None),
    ).sign_pdf(writer, output=out)
    return out.getvalue()


@dataclass
class SignatureReport:
    present: bool
    intact: bool = False
    valid: bool = False
    trusted: bool = False
    covers_document: bool = False
    signer: str = ""
    signed_at: str = ""
    timestamped: bool = False
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.present and self.intact and self.valid and self.trusted and self.covers_document


def validate_pdf(pdf: bytes) -> SignatureReport:
    """Validate the (first) signature against our trust roots, offline."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature

    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        signatures = reader.embedded_regular_signatures
    except Exception as exc:  # noqa: BLE001 - a damaged file is simply "not intact"
        return SignatureReport(present=False, detail=f"unreadable: {exc.__class__.__name__}")
    if not signatures:
        return SignatureReport(present=False, detail="no signature")
    sig = signatures[0]
    try:
        status = validate_pdf_signature(sig, pki.validation_context())
    except Exception as exc:  # noqa: BLE001
        return SignatureReport(present=True, detail=f"validation error: {exc.__class__.__name__}: {exc}")
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    signer_cert = status.signing_cert
    return SignatureReport(
        present=True,
        intact=bool(status.intact),
        valid=bool(status.valid),
        trusted=bool(status.trusted),
        covers_document=status.coverage in (
            SignatureCoverageLevel.ENTIRE_FILE, SignatureCoverageLevel.ENTIRE_REVISION,
        ) and (status.modification_level is None or status.modification_level.name in ("NONE", "LTA_UPDATES")),
        signer=signer_cert.subject.native.get("common_name", "") if signer_cert is not None else "",
        signed_at=str(status.signer_reported_dt or ""),
        timestamped=status.timestamp_validity is not None,
        detail=status.summary() if hasattr(status, "summary") else "",
    )

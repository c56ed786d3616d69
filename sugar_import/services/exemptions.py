"""Exemption letters (PI-16, P14 Pasal 34): the Director General's surat keterangan for a
research import, applied for through UPTP I."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Company, Role
from inatrade.audit import audit_record
from inatrade.db import retry_on_db_conflict
from inatrade.errors import RuleViolation
from inatrade.files import UploadRefused, store_private, validate_pdf_upload
from sugar_import.models import EXEMPTION_MACHINE, ExemptionLetter, ExemptionStatus
from sugar_import.services import common
from sugar_import.services.common import DECIDERS, assert_role, require_reason, tonnes


@retry_on_db_conflict
def exemption_request_record(*, actor, applicant_name: str, identity_number: str, recommendation_reference: str,
                             goods_description: str, hs_code: str, quantity_kg, self_declaration: bool,
                             recommendation_file, declaration_file, company: Company | None = None) -> ExemptionLetter:
    """P14 Pasal 34(2)–(3): a research import needs the Director General's surat keterangan,
    applied for through UPTP I with identity, recommendation and a self-declaration."""
    assert_role(actor, (Role.COUNTER_OFFICER,))
    errors = {}
    if not self_declaration or declaration_file is None:
        errors["self_declaration"] = [_("Surat pernyataan mandiri wajib dilampirkan.")]
    if recommendation_file is None or not recommendation_reference.strip():
        errors["recommendation_reference"] = [_("Surat rekomendasi/keterangan instansi wajib dilampirkan.")]
    if not identity_number.strip():
        errors["identity_number"] = [_("Identitas pemohon wajib diisi.")]
    if errors:
        raise RuleViolation(_("Permohonan surat keterangan belum lengkap."), code="exemption_incomplete", fields=errors)
    # Check both PDFs before storing either: a refused declaration must not leave the
    # recommendation behind on disk (SEC-02).
    contents = {}
    for code, upload, label in (
        ("recommendation", recommendation_file, _("Surat rekomendasi/keterangan instansi")),
        ("declaration", declaration_file, _("Surat pernyataan mandiri")),
    ):
        try:
            contents[code] = validate_pdf_upload(upload, label=str(label))
        except UploadRefused as exc:
            exc.field = f"{code}_file"
            raise
    docs = {}
    for code, data in contents.items():
        path, sha = store_private(data, folder="sugar/exemptions")
        docs[code] = {"path": path, "sha256": sha}
    with transaction.atomic():
        letter = ExemptionLetter(
            applicant_name=applicant_name, identity_number=identity_number, company=company,
            recommendation_reference=recommendation_reference, goods_description=goods_description, hs_code=hs_code,
            quantity_kg=tonnes(quantity_kg), self_declaration=True, documents=docs, entered_by=actor)
        letter.full_clean()
        letter.save()
        audit_record(obj=letter, action="exemption.submit", actor=actor, to_state=letter.status, company=company)
    return letter


@retry_on_db_conflict
def exemption_decide(*, letter: ExemptionLetter, actor, approve: bool, reason: str = "") -> ExemptionLetter:
    assert_role(actor, DECIDERS)
    if not approve:
        reason = require_reason(reason)
    with transaction.atomic():
        letter = EXEMPTION_MACHINE.lock(letter.pk)
        letter.decided_by, letter.decided_at, letter.decision_reason = actor, common.now(), reason
        if approve and letter.status == ExemptionStatus.SUBMITTED:
            letter.letter_number = f"SK-PENELITIAN-GULA/{common.today().year}/{letter.pk:05d}"
        EXEMPTION_MACHINE.apply(letter, "approve" if approve else "reject", actor=actor, reason=reason, company=letter.company,
                                update_fields=["decided_by", "decided_at", "decision_reason", "letter_number"])
    return letter

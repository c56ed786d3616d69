"""What a sugar PI application must meet (PI-02…PI-05, PI-07, PI-13), checked when a draft
is saved, on submission and on approval, and the content of the PI it becomes (PI-08)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.utils.translation import gettext as _

from accounts.models import Company
from inatrade.errors import RuleViolation
from inatrade.workdays import local_date
from sugar_import.models import (
    ApplicantRule,
    PermitCounter,
    Purpose,
    QuotaAllocation,
    Recommendation,
    RecommendationKind,
    SugarApplication,
    SugarPermit,
    SugarPermitStatus,
    SugarType,
    ValidityRule,
)
from sugar_import.services import common
from sugar_import.services.common import (
    REGULATION,
    SANCTION_BLOCK,
    fmt_tonnes,
    tonnes,
    tonnes_or_zero,
)


def check_eligibility(*, company: Company, purpose: Purpose, sugar_type: SugarType, lines: list[dict],
                       recommendation: Recommendation | None, assignment: Recommendation | None) -> None:
    """PI-02/PI-03/PI-05 checked when a draft is saved, not only on submission (issue 17): who
    may apply for the purpose (API-P, BUMN), the sugar type of the purpose, and the volume
    against what is left of the Rekomendasi/Surat penugasan and of the rakor quota. Each
    message is a sentence a person can act on."""
    from sugar_import.selectors import purpose_refusal

    errors: dict[str, list[str]] = {}
    refusal = purpose_refusal(company=company, purpose=purpose)
    if refusal:
        errors["purpose"] = [refusal]
    if not purpose.sugar_types.filter(pk=sugar_type.pk).exists():
        errors["sugar_type"] = [_("Jenis gula %(type)s tidak dapat diimpor untuk tujuan ini.") % {"type": sugar_type.code}]
    total = Decimal("0")
    for line in lines:
        total += tonnes_or_zero(line.get("volume_tonnes"))  # a malformed volume is refused by _set_lines
    for field, basis in (("recommendation", recommendation), ("assignment", assignment)):
        if basis is not None and total > basis.remaining_tonnes:
            errors.setdefault(field, []).append(
                _("Volume %(total)s ton melebihi sisa %(kind)s (%(left)s ton).")
                % {"total": total, "kind": basis.get_kind_display(), "left": basis.remaining_tonnes})
    quota = QuotaAllocation.objects.filter(year=common.today().year, purpose=purpose, sugar_type=sugar_type).first()
    if quota is not None and total > quota.remaining_tonnes:
        errors["quota"] = [_("Volume %(total)s ton melebihi sisa kuota rakor (%(left)s ton).")
                           % {"total": total, "left": quota.remaining_tonnes}]
    if errors:
        raise RuleViolation(_("Permohonan belum memenuhi ketentuan."), code="application_ineligible", fields=errors)



def company_sanctioned_until(*, company: Company, as_of: date | None = None) -> date | None:
    """PI-13 (P14 Pasal 21): one year from the latest revocation of a sanctioned PI."""
    as_of = as_of or common.today()
    last = (
        SugarPermit.objects.filter(company=company, status=SugarPermitStatus.REVOKED, revoked_on__isnull=False)
        .order_by("-revoked_on").values_list("revoked_on", flat=True).first()
    )
    if last is None:
        return None
    until = last + SANCTION_BLOCK
    return until if as_of < until else None


def required_documents(application: SugarApplication) -> list[dict]:
    """PI-02: what this purpose needs (the PEB only if the company held a PI before)."""
    prior = SugarPermit.objects.filter(company=application.company).exists()
    docs = []
    for doc in application.purpose.document_list:
        required = doc.get("required") or (doc.get("required_if_prior_permit") and prior)
        docs.append({**doc, "required": bool(required)})
    return docs


def validity(application: SugarApplication, issued_on: date) -> tuple[date, date]:
    """PI-07 (P14 Pasal 5): the Rekomendasi's validity or production period (industry, KITE);
    at most 6 months for stabilization, not beyond the Rekomendasi / Surat penugasan."""
    basis = application.recommendation or application.assignment
    if application.purpose.validity_rule == ValidityRule.SIX_MONTHS:
        until = issued_on + relativedelta(months=6) - timedelta(days=1)
        if basis is not None:
            until = min(until, basis.valid_until)
        return issued_on, until
    if basis is not None:
        return max(issued_on, basis.valid_from), basis.valid_until
    return max(issued_on, application.period_from), application.period_until


def check_application(application: SugarApplication, *, as_of: date, lock_quota: bool = False):
    """Every rule an application must meet to be accepted and approved (PI-02…PI-05, PI-13).
    Raises RuleViolation (400) with the fields; returns (quota, api) when all pass."""
    from api_registry.selectors import ApiRefused, api_assert_can_back_import

    company, purpose, sugar_type = application.company, application.purpose, application.sugar_type
    until = company_sanctioned_until(company=company, as_of=as_of)
    if until:
        raise RuleViolation(
            _("Perusahaan dikenai sanksi pencabutan PI dan tidak dapat mengajukan PI gula sampai %(date)s (Pasal 21).")
            % {"date": until.isoformat()}, code="sanctioned", fields={"company": [until.isoformat()]},
        )
    errors: dict[str, list[str]] = {}
    lines = list(application.lines.select_related("origin_country", "port_of_discharge"))
    # PI-02: purpose, sugar type and who may apply.
    if not purpose.sugar_types.filter(pk=sugar_type.pk).exists():
        errors["sugar_type"] = [_("Jenis gula %(type)s tidak untuk tujuan ini.") % {"type": sugar_type.code}]
    if purpose.applicant_rule == ApplicantRule.BUMN_ONLY and not company.is_bumn:
        errors["purpose"] = [_("Tujuan ini hanya untuk BUMN.")]
    kind = None if purpose.applicant_rule == ApplicantRule.BUMN_ONLY else "API-P"
    api = None
    try:
        # Once per distinct HS code, not per line: a 50-line application of one HS code is one check.
        for hs_code in sorted({line.hs_code for line in lines}) or [None]:
            api = api_assert_can_back_import(company=company, hs_code=hs_code, kind=kind)
    except ApiRefused as exc:
        errors.setdefault("api", []).append(exc.message)
    # PI-04: HS codes of the sugar type.
    for index, line in enumerate(lines):
        if line.hs_code not in sugar_type.hs_codes:
            errors[f"lines.{index}.hs_code"] = [
                _("Pos tarif %(hs)s bukan %(type)s (%(codes)s).") % {"hs": line.hs_code, "type": sugar_type.code, "codes": ", ".join(sugar_type.hs_codes)}
            ]
    if not lines:
        errors["lines"] = [_("Isi paling sedikit satu pos.")]
    total = sum((line.volume_tonnes for line in lines), Decimal("0"))
    # PI-02 / PI-03: the Rekomendasi and/or Surat penugasan.
    rec, assignment = application.recommendation, application.assignment
    if purpose.requires_recommendation and rec is None:
        errors["recommendation"] = [_("Tujuan ini memerlukan Rekomendasi.")]
    if purpose.requires_assignment and assignment is None:
        errors["assignment"] = [_("Tujuan ini memerlukan Surat penugasan.")]
    if purpose.recommendation_or_assignment and rec is None and assignment is None:
        errors["recommendation"] = [_("Tujuan ini memerlukan Rekomendasi dan/atau Surat penugasan.")]
    for field, basis, wanted in (("recommendation", rec, RecommendationKind.RECOMMENDATION),
                                 ("assignment", assignment, RecommendationKind.ASSIGNMENT)):
        if basis is None:
            continue
        problems = []
        if not basis.is_confirmed:
            # Issue 15, item 8: an uploaded Rekomendasi counts once it is verified.
            problems.append(_("%(kind)s %(number)s belum diverifikasi petugas (status: %(status)s).") % {
                "kind": basis.get_kind_display(), "number": basis.number, "status": basis.get_verification_status_display()})
        if basis.kind != wanted:
            problems.append(_("Dokumen ini bukan %(kind)s.") % {"kind": RecommendationKind(wanted).label})
        if basis.sugar_type_id != sugar_type.pk:
            problems.append(_("Jenis gula berbeda dengan %(kind)s.") % {"kind": basis.get_kind_display()})
        if not (basis.valid_from <= as_of <= basis.valid_until):
            problems.append(_("%(kind)s tidak berlaku pada %(date)s.") % {"kind": basis.get_kind_display(), "date": as_of.isoformat()})
        remaining = basis.remaining_tonnes
        if total > remaining:
            problems.append(_("Volume %(total)s ton melebihi sisa %(kind)s (%(left)s ton).") % {"total": total, "kind": basis.get_kind_display(), "left": remaining})
        origins = set(basis.origin_countries.values_list("code", flat=True))
        ports = set(basis.ports.values_list("code", flat=True))
        for index, line in enumerate(lines):
            if basis.hs_codes and line.hs_code not in basis.hs_codes:
                errors.setdefault(f"lines.{index}.hs_code", []).append(_("Pos tarif tidak tercantum dalam %(kind)s.") % {"kind": basis.get_kind_display()})
            if origins and line.origin_country_id not in origins:
                errors.setdefault(f"lines.{index}.origin_country", []).append(_("Negara asal tidak tercantum dalam %(kind)s.") % {"kind": basis.get_kind_display()})
            if ports and line.port_of_discharge_id not in ports:
                errors.setdefault(f"lines.{index}.port_of_discharge", []).append(_("Pelabuhan tidak tercantum dalam %(kind)s.") % {"kind": basis.get_kind_display()})
        if problems:
            errors[field] = problems
    if purpose.validity_rule == ValidityRule.RECOMMENDATION and rec is None and assignment is None:
        if not (application.period_from and application.period_until and application.period_from <= application.period_until):
            errors["period_until"] = [_("Isi periode kebutuhan produksi (Pasal 5).")]
        elif application.period_until < as_of:
            errors["period_until"] = [_("Periode kebutuhan produksi sudah lewat.")]
    # PI-02: documents of the purpose.
    present = set(application.documents.values_list("kind", flat=True))
    for doc in required_documents(application):
        if doc["required"] and doc["code"] not in present:
            errors.setdefault("documents", []).append(_("Dokumen wajib belum diunggah: %(label)s.") % {"label": doc["label"]})
    # PI-05: the rakor quota of the year.
    qs = QuotaAllocation.objects.filter(year=as_of.year, purpose=purpose, sugar_type=sugar_type)
    quota = (qs.select_for_update(of=("self",), no_key=True) if lock_quota else qs).first()
    if quota is None:
        errors["quota"] = [_("Belum ada alokasi rakor %(year)s untuk tujuan dan jenis gula ini.") % {"year": as_of.year}]
    elif total > quota.remaining_tonnes:
        errors["quota"] = [_("Volume %(total)s ton melebihi sisa kuota rakor (%(left)s ton).") % {"total": total, "left": quota.remaining_tonnes}]
    if errors:
        code = "quota_exceeded" if list(errors) == ["quota"] else "application_invalid"
        raise RuleViolation(_("Permohonan belum memenuhi ketentuan."), code=code, fields=errors)
    return quota, api, total



def next_number(year: int) -> str:
    """``04.PI-05.<yy>.<nnnn>``, the INATRADE pattern of sugar PIs, numbered from a locked
    counter row per year (style.md habit 4: never max()+1); a number already used by a permit
    entered otherwise is skipped, never reused."""
    from permits.models import Permit

    PermitCounter.objects.get_or_create(year=year)
    counter = PermitCounter.objects.select_for_update(of=("self",), no_key=True).get(year=year)
    while True:
        counter.last += 1
        number = f"04.PI-05.{year % 100:02d}.{counter.last:04d}"
        if not Permit.objects.filter(number=number).exists():
            break
    counter.save(update_fields=["last"])
    return number


def permit_content(*, application, company: Company, api, sugar_type: SugarType, lines, total: Decimal,
                    purpose: Purpose, address: str | None = None) -> dict:
    """PI-08 (P14 Pasal 8): everything the PI must state, in the Lampiran IV format (DOC-01)."""
    from permits.documents import (
        tanggal,  # dates in words on the letter (issue 17: one ISO date)
    )

    rec, assignment = application.recommendation, application.assignment
    api_label = f"NIB yang berlaku sebagai {api.kind}" if getattr(api, "source", "") == "nib" else (api.kind if api else "API")
    holder_documents = [
        {"label": api_label, "value": api.number if api else company.nib},
        {"label": "NPWP", "value": company.npwp_formatted},
    ]
    if rec:
        holder_documents.append({"label": f"Rekomendasi {rec.issuer}", "value": f"{rec.number} tanggal {tanggal(rec.date)}"})
    if assignment:
        holder_documents.append({"label": "Surat penugasan", "value": f"{assignment.number} tanggal {tanggal(assignment.date)}"})
    conditions = [
        f"Jenis gula: {sugar_type.name} ({sugar_type.code}); volume seluruhnya {fmt_tonnes(total)} ton, dengan Pos Tarif/HS, "
        "negara asal dan pelabuhan tujuan sebagaimana tercantum dalam Lampiran.",
    ]
    if purpose.industry_only:
        conditions.append(
            "Gula yang diimpor hanya dapat digunakan sebagai bahan baku atau bahan penolong untuk proses produksi dan "
            "dilarang diperdagangkan dan/atau dipindahtangankan kepada pihak lain; Gula Kristal Rafinasi hanya untuk "
            "kebutuhan industri (Pasal 12 Peraturan Menteri Perdagangan Nomor 14 Tahun 2020)."
        )
    if sugar_type.requires_surveyor:
        conditions.append("Setiap pelaksanaan impor Gula Kristal Mentah wajib terlebih dahulu dilakukan Verifikasi atau "
                          "Penelusuran Teknis oleh Surveyor (Pasal 13).")
    conditions.append(
        f"Importir wajib menyampaikan laporan pelaksanaan impor, terealisasi maupun tidak, setiap bulan paling lambat tanggal {common.report_day()} "
        "bulan berikutnya melalui INATRADE dengan melampirkan PIB (Pasal 16); laporan yang tidak disampaikan mengakibatkan "
        "pembekuan dan pencabutan Persetujuan Impor (Pasal 18–19)."
    )
    return {
        "title": "Persetujuan Impor Gula",
        "holder": {"name": company.name, "address": address or company.address, "nib": company.nib, "npwp": company.npwp_formatted},
        "api": {"kind": getattr(api, "kind", ""), "number": getattr(api, "number", company.nib)},
        "holder_documents": holder_documents,
        "application": {"number": application.reference, "date": local_date(application.submitted_at or common.now()).isoformat()},
        "regulation": REGULATION,
        "recommendation": {"issuer": rec.issuer, "number": rec.number, "date": rec.date.isoformat()} if rec else None,
        "assignment": {"issuer": assignment.issuer, "number": assignment.number, "date": assignment.date.isoformat()} if assignment else None,
        "purpose": purpose.name,
        "sugar_type": {"code": sugar_type.code, "name": sugar_type.name},
        "grant_subject": f"{sugar_type.name} sebanyak {fmt_tonnes(total)} ton",
        "volume_tonnes": str(total),
        "total_quantity": f"{fmt_tonnes(total)} ton",
        "conditions": conditions,
        "lines": [
            {
                "hs_code": line["hs_code"], "description": line["description"], "quantity": fmt_tonnes(line["volume_tonnes"]),
                "unit": "ton", "volume_tonnes": str(tonnes(line["volume_tonnes"])),
                "origin_country": line["origin_name"], "origin_country_code": line["origin_code"],
                "port_of_discharge": line["port_name"], "port_code": line["port_code"],
            }
            for line in lines
        ],
    }


def line_dicts(lines) -> list[dict]:
    return [
        {"hs_code": line.hs_code, "description": line.description, "volume_tonnes": line.volume_tonnes,
         "origin_code": line.origin_country_id, "origin_name": line.origin_country.name,
         "port_code": line.port_of_discharge_id, "port_name": line.port_of_discharge.name}
        for line in lines
    ]

"""Rekomendasi / Surat penugasan (PI-03) and the rakor quota (PI-05)."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import Company, Role
from accounts.selectors import user_assert_can_submit
from inatrade.audit import audit_record
from inatrade.db import retry_on_db_conflict
from inatrade.errors import InvalidTransition, RuleViolation
from inatrade.files import store_private, validate_pdf_upload
from sugar_import.models import (
    RECOMMENDATION_MACHINE,
    Country,
    Port,
    Purpose,
    QuotaAllocation,
    Recommendation,
    RecommendationSource,
    SugarType,
    VerificationStatus,
)
from sugar_import.services import common
from sugar_import.services.common import (
    RECOMMENDATION_VERIFIERS,
    NotFound,
    assert_role,
    notify,
    tonnes,
)


@retry_on_db_conflict
def quota_allocation_record(*, actor, year: int, purpose: Purpose, sugar_type: SugarType, tonnes,
                            rakor_reference: str = "", rakor_date: date | None = None) -> QuotaAllocation:
    """PI-05: record (or raise) a rakor allocation. It can never drop below what is drawn."""
    assert_role(actor, (Role.ADMINISTRATOR,))
    tonnes = common.tonnes(tonnes)
    with transaction.atomic():
        quota = QuotaAllocation.objects.select_for_update(of=("self",), no_key=True).filter(year=year, purpose=purpose, sugar_type=sugar_type).first()
        before = str(quota.tonnes) if quota else ""
        if quota is None:
            quota = QuotaAllocation(year=year, purpose=purpose, sugar_type=sugar_type, tonnes=tonnes)
        elif tonnes < quota.drawn_tonnes:
            raise RuleViolation(_("Volume rakor tidak boleh lebih kecil dari volume yang sudah terpakai."),
                                code="quota_below_drawn", fields={"tonnes": [str(quota.drawn_tonnes)]})
        quota.tonnes, quota.rakor_reference, quota.rakor_date = tonnes, rakor_reference, rakor_date
        quota.full_clean(validate_constraints=False)
        quota.save()
        audit_record(obj=quota, action="quota.record", actor=actor, from_state=before, to_state=str(tonnes),
                     data={"year": year, "purpose": purpose.code, "sugar_type": sugar_type.code})
    return quota


def _recommendation_errors(*, sugar_type: SugarType, hs_codes: list[str], origin_countries: list[str], ports: list[str],
                           valid_from: date, valid_until: date):
    errors: dict[str, list[str]] = {}
    bad_hs = [hs for hs in hs_codes if hs not in sugar_type.hs_codes]
    if not hs_codes or bad_hs:
        errors["hs_codes"] = [_("Pos tarif harus termasuk %(type)s: %(codes)s.") % {"type": sugar_type.code, "codes": ", ".join(sugar_type.hs_codes)}]
    countries = list(Country.objects.filter(code__in=origin_countries))
    if not origin_countries or len(countries) != len(set(origin_countries)):
        errors["origin_countries"] = [_("Kode negara ISO 3166 tidak dikenal.")]
    port_rows = list(Port.objects.filter(code__in=ports))
    if not ports or len(port_rows) != len(set(ports)):
        errors["ports"] = [_("Kode pelabuhan (UN/LOCODE) tidak dikenal.")]
    if valid_until < valid_from:
        errors["valid_until"] = [_("Tanggal akhir sebelum tanggal awal.")]
    if errors:
        raise RuleViolation(_("Data rekomendasi tidak valid."), code="invalid_recommendation", fields=errors)
    return countries, port_rows


@retry_on_db_conflict
def recommendation_record(
    *, actor, company: Company, kind: str, issuer: str, number: str, date: date, sugar_type: SugarType,
    volume_tonnes, hs_codes: list[str], origin_countries: list[str], ports: list[str], valid_from: date,
    valid_until: date, upload=None,
) -> Recommendation:
    """PI-03: a technical agency records a Rekomendasi / Surat penugasan for a company; or the
    importer records one from the signed PDF it holds (P123 Pasal 9(4))."""
    if actor.role == Role.AGENCY:
        assert_role(actor, (Role.AGENCY,))
        source = RecommendationSource.AGENCY
    else:
        user_assert_can_submit(user=actor)
        if company.pk != actor.company_id:
            raise NotFound()
        if upload is None:
            raise RuleViolation(_("Unggah PDF Rekomendasi yang ditandatangani."), code="recommendation_pdf_required",
                                fields={"file": [_("Wajib diisi.")]})
        source = RecommendationSource.UPLOAD
    countries, port_rows = _recommendation_errors(sugar_type=sugar_type, hs_codes=hs_codes, origin_countries=origin_countries,
                                                  ports=ports, valid_from=valid_from, valid_until=valid_until)
    issuer, number = " ".join(issuer.split()), number.strip()
    if source == RecommendationSource.UPLOAD and Recommendation.objects.filter(
        company=company, issuer=issuer, number=number,
        verification_status__in=(VerificationStatus.PENDING, VerificationStatus.CONFIRMED),
    ).exists():
        # Only the company's own records are looked at: an importer never learns whether
        # another company holds this number (issue 15, item 8).
        raise RuleViolation(_("Perusahaan Anda sudah mencatat nomor rekomendasi ini."), code="recommendation_exists",
                            fields={"number": [_("Sudah dicatat oleh perusahaan Anda.")]})
    pdf_path = pdf_sha = ""
    if upload is not None:
        data = validate_pdf_upload(upload, label=_("PDF Rekomendasi"))
        pdf_path, pdf_sha = store_private(data, folder=f"sugar/recommendations/{company.pk}")
    # The agency's own entry is confirmed as it is recorded; an importer's upload waits for an
    # officer or the agency to check it against the signed PDF (recommendation_confirm).
    confirmed = source == RecommendationSource.AGENCY
    with transaction.atomic():
        rec = Recommendation(
            kind=kind, source=source, issuer=issuer, number=number, date=date, company=company, sugar_type=sugar_type,
            volume_tonnes=tonnes(volume_tonnes), hs_codes=sorted(set(hs_codes)), valid_from=valid_from,
            valid_until=valid_until, pdf_path=pdf_path, pdf_sha256=pdf_sha, entered_by=actor,
            verification_status=VerificationStatus.CONFIRMED if confirmed else VerificationStatus.PENDING,
            verified_by=actor if confirmed else None, verified_at=common.now() if confirmed else None,
        )
        rec.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():
                rec.save()
        except IntegrityError as exc:
            # The agency (the issuer of these numbers) may learn that it recorded one already;
            # an importer reaches here only on a race with its own upload.
            raise RuleViolation(_("Nomor rekomendasi dari instansi ini sudah tercatat."), code="recommendation_exists",
                                fields={"number": [number]}) from exc
        rec.origin_countries.set(countries)
        rec.ports.set(port_rows)
        audit_record(obj=rec, action="sugar_recommendation.record", actor=actor, to_state=rec.verification_status,
                     company=company, data={"number": number, "volume_tonnes": str(rec.volume_tonnes), "source": source})
    return rec


def _recommendation_transition(*, recommendation: Recommendation, actor, verb: str, note: str) -> Recommendation:
    assert_role(actor, RECOMMENDATION_VERIFIERS)
    with transaction.atomic():
        locked = RECOMMENDATION_MACHINE.lock(recommendation.pk, queryset=Recommendation.objects.select_related("company"))
        locked.verified_by, locked.verified_at, locked.verification_note = actor, common.now(), note
        try:
            with transaction.atomic():
                RECOMMENDATION_MACHINE.apply(locked, verb, actor=actor, reason=note, company=locked.company,
                                             update_fields=["verified_by", "verified_at", "verification_note"])
        except IntegrityError as exc:
            raise InvalidTransition(
                _("Rekomendasi dengan instansi dan nomor ini sudah terverifikasi atas pelaku usaha lain; tolak unggahan ini."),
                code="recommendation_number_taken",
            ) from exc
        notify(locked.company, "sugar_recommendation_verified", {
            "number": locked.number, "issuer": locked.issuer, "confirmed": verb == "confirm", "reason": note,
        })
    recommendation.refresh_from_db()
    return recommendation


@retry_on_db_conflict
def recommendation_confirm(*, recommendation: Recommendation, actor, note: str = "") -> Recommendation:
    """Issue 15, item 8 (PI-03, P123 Pasal 9(4)): an officer or the technical agency has checked
    the importer's uploaded Rekomendasi against the signed PDF and its data match; from now on
    applications may draw on it."""
    return _recommendation_transition(recommendation=recommendation, actor=actor, verb="confirm", note=note)


@retry_on_db_conflict
def recommendation_reject(*, recommendation: Recommendation, actor, reason: str) -> Recommendation:
    """The uploaded Rekomendasi does not match the signed PDF (or is not genuine): refused with
    the reason, which the company is told; no application may draw on it."""
    if not (reason or "").strip():
        raise RuleViolation(_("Alasan penolakan wajib diisi."), fields={"reason": [_("Alasan penolakan wajib diisi.")]})
    return _recommendation_transition(recommendation=recommendation, actor=actor, verb="reject", note=reason.strip())

"""Writes of sugar_import: one function per transition (style.md habit 2), called by the
browser views, the API, the admin and the jobs alike.

Legal source: Permendag 14/2020 on sugar imports (P14), Permendag 123/2015 (P123).
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AccessStatus, Company, Role, User
from accounts.selectors import user_assert_can_submit
from inatrade import bulksql
from inatrade.audit import audit_record, audit_record_many
from inatrade.db import retry_on_db_conflict
from inatrade.errors import DomainError, InvalidTransition, RuleViolation
from inatrade.events import emit_many
from inatrade.files import UploadRefused, display_name, store_private, validate_pdf_upload
from inatrade.notifications import email_queue, email_queue_many
from inatrade.workdays import local_date, sla_due_date
from workspace.models import Outcome
from workspace.services import case_step_finish, case_step_start
from permits import services as permit_adapter  # issue 18: the permit writes live in permits
from sugar_import.models import (
    AMENDMENT_TRANSITIONS,
    APPLICATION_TRANSITIONS,
    PERMIT_SANCTION_TRANSITIONS,
    RECOMMENDATION_TRANSITIONS,
    AmendmentRequest,
    AmendmentStatus,
    ApplicantRule,
    ApplicationDocument,
    ApplicationLine,
    ApplicationStatus,
    Country,
    MonthlyReport,
    PermitCounter,
    Port,
    Purpose,
    QuotaAllocation,
    Recommendation,
    RecommendationKind,
    RecommendationSource,
    RevocationReason,
    Shipment,
    SugarApplication,
    SugarPermit,
    SugarPermitLine,
    SugarPermitStatus,
    SugarType,
    ValidityRule,
    VerificationStatus,
)

REGULATION = "Peraturan Menteri Perdagangan Nomor 14 Tahun 2020 tentang Ketentuan Impor Gula"
PERMIT_KIND = "sugar_pi"
DECIDERS = (Role.DIRECTOR_GENERAL,)
# Issue 15, item 8: who checks an importer's uploaded Rekomendasi against the signed PDF: the
# technical agency that issues them, UPTP I (which checks documents against originals) and the
# Director General who relies on them.
RECOMMENDATION_VERIFIERS = (Role.AGENCY, Role.COUNTER_OFFICER, Role.DIRECTOR_GENERAL)
CHECKERS = (Role.COUNTER_OFFICER, Role.DIRECTOR_GENERAL)
SANCTION_BLOCK = relativedelta(years=1)  # P14 Pasal 21
REACTIVATION_WINDOW = relativedelta(months=1)  # P14 Pasal 18(2), 19(1)c
REPORT_DAY = 15  # P14 Pasal 16(2)
REMINDER_DAY = 10  # AUD-03


class NotFound(DomainError):
    code = "not_found"
    status = 404
    default_message = "Tidak ditemukan."


def _now() -> datetime:
    """The clock of this module (tests move it)."""
    return timezone.now()


def _today() -> date:
    return local_date(_now())


def _tonnes(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.001"))


def fmt_tonnes(value) -> str:
    """1.250,500 (Indonesian grouping) for the letter."""
    text = f"{_tonnes(value):,.3f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def month_start(day: date) -> date:
    return day.replace(day=1)


def report_deadline(period: date) -> date:
    """The 15th of the month after ``period`` (P14 Pasal 16(2))."""
    return month_start(period) + relativedelta(months=1, day=REPORT_DAY)


def _check(table: dict, verb: str, current: str, what: str) -> str:
    sources, target = table[verb]
    if current not in sources:
        raise InvalidTransition(
            _("%(what)s berstatus %(status)s tidak dapat di-%(verb)s.") % {"what": what, "status": current, "verb": verb},
            code=f"cannot_{verb}",
        )
    return target


def _assert_role(user, roles, message=None) -> None:
    if not (user and user.is_authenticated and user.has_active_access and user.role in roles):
        raise DomainError(message or _("Peran Anda tidak diizinkan melakukan tindakan ini."), code="permission_denied", status=403)


def company_emails(company: Company) -> list[str]:
    users = User.objects.filter(company=company, role=Role.IMPORTER, access_status=AccessStatus.ACTIVE).exclude(email="")
    return sorted({company.email, *users.values_list("email", flat=True)} - {""})


def _company_language(company: Company) -> str:
    return (
        User.objects.filter(company=company, role=Role.IMPORTER).values_list("preferred_language", flat=True).first() or "id"
    )


def _notify(company: Company, template: str, context: dict) -> None:
    emails = company_emails(company)
    if emails:
        email_queue(template=template, to=emails, context={"company": company.name, **context},
                    language=_company_language(company))


# --------------------------------------------------------------------------- reference data
@retry_on_db_conflict
def quota_allocation_record(*, actor, year: int, purpose: Purpose, sugar_type: SugarType, tonnes,
                            rakor_reference: str = "", rakor_date: date | None = None) -> QuotaAllocation:
    """PI-05: record (or raise) a rakor allocation. It can never drop below what is drawn."""
    _assert_role(actor, (Role.ADMINISTRATOR,))
    tonnes = _tonnes(tonnes)
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
        audit_record(obj=quota, action="quota_record", actor=actor, from_state=before, to_state=str(tonnes),
                     data={"year": year, "purpose": purpose.code, "sugar_type": sugar_type.code})
    return quota


@retry_on_db_conflict
def recommendation_record(
    *, actor, company: Company, kind: str, issuer: str, number: str, date: date, sugar_type: SugarType,
    volume_tonnes, hs_codes: list[str], origin_countries: list[str], ports: list[str], valid_from: date,
    valid_until: date, upload=None,
) -> Recommendation:
    """PI-03: a technical agency records a Rekomendasi / Surat penugasan for a company; or the
    importer records one from the signed PDF it holds (P123 Pasal 9(4))."""
    if actor.role == Role.AGENCY:
        _assert_role(actor, (Role.AGENCY,))
        source = RecommendationSource.AGENCY
    else:
        user_assert_can_submit(user=actor)
        if company.pk != actor.company_id:
            raise NotFound()
        if upload is None:
            raise RuleViolation(_("Unggah PDF Rekomendasi yang ditandatangani."), code="recommendation_pdf_required",
                                fields={"file": [_("Wajib diisi.")]})
        source = RecommendationSource.UPLOAD
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
            volume_tonnes=_tonnes(volume_tonnes), hs_codes=sorted(set(hs_codes)), valid_from=valid_from,
            valid_until=valid_until, pdf_path=pdf_path, pdf_sha256=pdf_sha, entered_by=actor,
            verification_status=VerificationStatus.CONFIRMED if confirmed else VerificationStatus.PENDING,
            verified_by=actor if confirmed else None, verified_at=timezone.now() if confirmed else None,
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
        audit_record(obj=rec, action="recommendation_record", actor=actor, to_state=rec.verification_status, company=company,
                     data={"number": number, "volume_tonnes": str(rec.volume_tonnes), "source": source})
    return rec


def _recommendation_transition(*, recommendation: Recommendation, actor, verb: str, note: str) -> Recommendation:
    _assert_role(actor, RECOMMENDATION_VERIFIERS)
    with transaction.atomic():
        locked = Recommendation.objects.select_for_update(of=("self",), no_key=True).select_related("company").get(pk=recommendation.pk)
        from_state = locked.verification_status
        locked.verification_status = _check(RECOMMENDATION_TRANSITIONS, verb, from_state, _("Rekomendasi"))
        locked.verified_by, locked.verified_at, locked.verification_note = actor, timezone.now(), note
        try:
            with transaction.atomic():
                locked.save(update_fields=["verification_status", "verified_by", "verified_at", "verification_note"])
        except IntegrityError as exc:
            raise InvalidTransition(
                _("Rekomendasi dengan instansi dan nomor ini sudah terverifikasi atas pelaku usaha lain; tolak unggahan ini."),
                code="recommendation_number_taken",
            ) from exc
        audit_record(obj=locked, action=f"recommendation_{verb}ed", actor=actor, from_state=from_state,
                     to_state=locked.verification_status, reason=note, company=locked.company)
        _notify(locked.company, "sugar_recommendation_verified", {
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


# --------------------------------------------------------------------------- applications
def _reference() -> str:
    """PI-GULA-<yyyymmdd>-<random>: the application's own number (not the permit's)."""
    import secrets

    return f"PGL-{_today():%Y%m%d}-{secrets.token_hex(3).upper()}"


def check_line_count(lines) -> None:
    """At most APPLICATION_MAX_LINES tariff lines per application or amendment (issue 15): a
    real application has a handful; thousands would only load the database and the letter."""
    limit = settings.APPLICATION_MAX_LINES
    if lines and len(lines) > limit:
        raise RuleViolation(
            _("Terlalu banyak pos: paling banyak %(max)s pos per permohonan.") % {"max": limit},
            code="too_many_lines", fields={"lines": [_("Paling banyak %(max)s pos.") % {"max": limit}]},
        )


def _set_lines(application: SugarApplication, lines: list[dict]) -> None:
    check_line_count(lines)
    errors: dict[str, list[str]] = {}
    countries = {c.code: c for c in Country.objects.filter(code__in=[line.get("origin_country") for line in lines])}
    ports = {p.code: p for p in Port.objects.filter(code__in=[line.get("port_of_discharge") for line in lines], is_active=True)}
    rows = []
    for index, line in enumerate(lines):
        if line.get("origin_country") not in countries:
            errors[f"lines.{index}.origin_country"] = [_("Kode negara ISO 3166 tidak dikenal.")]
        if line.get("port_of_discharge") not in ports:
            errors[f"lines.{index}.port_of_discharge"] = [_("Pelabuhan bongkar tidak dikenal.")]
        try:
            volume = _tonnes(line.get("volume_tonnes"))
        except Exception:  # noqa: BLE001
            volume = Decimal("0")
        if volume <= 0:
            errors[f"lines.{index}.volume_tonnes"] = [_("Volume harus lebih dari 0 ton.")]
        rows.append(ApplicationLine(
            application=application, hs_code=str(line.get("hs_code", "")).strip(),
            description=str(line.get("description", "")).strip()[:300] or "Gula",
            volume_tonnes=volume, origin_country=countries.get(line.get("origin_country")),
            port_of_discharge=ports.get(line.get("port_of_discharge")),
        ))
    if not lines:
        errors["lines"] = [_("Isi paling sedikit satu pos.")]
    if errors:
        raise RuleViolation(_("Data pos tidak valid."), code="invalid_lines", fields=errors)
    application.lines.all().delete()
    ApplicationLine.objects.bulk_create(rows)


def _check_eligibility(*, company: Company, purpose: Purpose, sugar_type: SugarType, lines: list[dict],
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
        try:
            total += _tonnes(line.get("volume_tonnes"))
        except Exception:  # noqa: BLE001 - a malformed volume is refused by _set_lines
            pass
    for field, basis in (("recommendation", recommendation), ("assignment", assignment)):
        if basis is not None and total > basis.remaining_tonnes:
            errors.setdefault(field, []).append(
                _("Volume %(total)s ton melebihi sisa %(kind)s (%(left)s ton).")
                % {"total": total, "kind": basis.get_kind_display(), "left": basis.remaining_tonnes})
    quota = QuotaAllocation.objects.filter(year=_today().year, purpose=purpose, sugar_type=sugar_type).first()
    if quota is not None and total > quota.remaining_tonnes:
        errors["quota"] = [_("Volume %(total)s ton melebihi sisa kuota rakor (%(left)s ton).")
                           % {"total": total, "left": quota.remaining_tonnes}]
    if errors:
        raise RuleViolation(_("Permohonan belum memenuhi ketentuan."), code="application_ineligible", fields=errors)


@retry_on_db_conflict
def sugar_application_create(
    *, actor, purpose: Purpose, sugar_type: SugarType, lines: list[dict], recommendation: Recommendation | None = None,
    assignment: Recommendation | None = None, period_from: date | None = None, period_until: date | None = None,
    company: Company | None = None, manual_letter=None,
) -> SugarApplication:
    """A draft (P14 Pasal 3). An importer drafts for its own company; in force majeure a UPTP I
    officer enters a paper application for ``company`` with the scanned letter (PI-10, Pasal 9)."""
    manual = actor.role == Role.COUNTER_OFFICER
    if manual:
        _assert_role(actor, (Role.COUNTER_OFFICER,))
        if company is None or manual_letter is None:
            raise RuleViolation(_("Permohonan manual memerlukan perusahaan dan surat permohonan yang dipindai."),
                                code="manual_letter_required", fields={"manual_letter": [_("Wajib diisi.")]})
    else:
        user_assert_can_submit(user=actor)
        company = actor.company
    for rec in (recommendation, assignment):
        if rec is not None and rec.company_id != company.pk:
            raise NotFound(_("Rekomendasi tidak ditemukan."))
    _check_eligibility(company=company, purpose=purpose, sugar_type=sugar_type, lines=lines,
                       recommendation=recommendation, assignment=assignment)
    letter_path = ""
    if manual:
        letter_path, _sha = store_private(validate_pdf_upload(manual_letter, label=_("Surat permohonan")),
                                          folder=f"sugar/manual/{company.pk}")
    with transaction.atomic():
        application = SugarApplication.objects.create(
            reference=_reference(), company=company, created_by=actor, purpose=purpose, sugar_type=sugar_type,
            recommendation=recommendation, assignment=assignment, period_from=period_from, period_until=period_until,
            is_manual=manual, manual_letter_path=letter_path, entered_by=actor if manual else None,
        )
        _set_lines(application, lines)
        audit_record(obj=application, action="sugar_application_create", actor=actor, to_state=application.status,
                     company=company, data={"manual": manual})
    return application


def _assert_editable(application: SugarApplication, actor) -> None:
    if application.is_manual:
        _assert_role(actor, (Role.COUNTER_OFFICER,))
    else:
        user_assert_can_submit(user=actor)
        if actor.company_id != application.company_id:
            raise NotFound()
    if application.status not in (ApplicationStatus.DRAFT, ApplicationStatus.RETURNED):
        raise InvalidTransition(_("Permohonan hanya dapat diubah saat draf atau dikembalikan."), code="not_editable")


@retry_on_db_conflict
def sugar_application_update(*, application: SugarApplication, actor, lines: list[dict] | None = None,
                             recommendation=..., assignment=..., period_from=..., period_until=...) -> SugarApplication:
    """Correct a draft or a returned application."""
    _assert_editable(application, actor)
    with transaction.atomic():
        application = SugarApplication.objects.select_for_update(of=("self",), no_key=True).get(pk=application.pk)
        _assert_editable(application, actor)
        for name, value in (("recommendation", recommendation), ("assignment", assignment),
                            ("period_from", period_from), ("period_until", period_until)):
            if value is not ...:
                if name in ("recommendation", "assignment") and value is not None and value.company_id != application.company_id:
                    raise NotFound(_("Rekomendasi tidak ditemukan."))
                setattr(application, name, value)
        application.save()
        if lines is not None:
            _set_lines(application, lines)
        _check_eligibility(
            company=application.company, purpose=application.purpose, sugar_type=application.sugar_type,
            lines=[{"volume_tonnes": line.volume_tonnes} for line in application.lines.all()],
            recommendation=application.recommendation, assignment=application.assignment,
        )
        audit_record(obj=application, action="sugar_application_update", actor=actor, from_state=application.status,
                     to_state=application.status, company=application.company_id and application.company)
    return application


@retry_on_db_conflict
def sugar_application_document_add(*, application: SugarApplication, actor, kind: str, upload) -> ApplicationDocument:
    _assert_editable(application, actor)
    codes = {d["code"] for d in application.purpose.documents}
    if kind not in codes:
        raise RuleViolation(_("Jenis dokumen tidak dikenal untuk tujuan ini."), code="unknown_document",
                            fields={"kind": sorted(codes) or ["-"]})
    data = validate_pdf_upload(upload, label=kind)
    path, digest = store_private(data, folder=f"sugar/applications/{application.pk}")
    with transaction.atomic():
        document = ApplicationDocument.objects.create(
            application=application, kind=kind, filename=display_name(getattr(upload, "name", "")), path=path,
            sha256=digest, uploaded_by=actor,
        )
        audit_record(obj=application, action="sugar_document_add", actor=actor, company=application.company,
                     data={"kind": kind, "sha256": digest})
    return document


def company_sanctioned_until(*, company: Company, as_of: date | None = None) -> date | None:
    """PI-13 (P14 Pasal 21): one year from the latest revocation of a sanctioned PI."""
    as_of = as_of or _today()
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


def _validity(application: SugarApplication, issued_on: date) -> tuple[date, date]:
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


def _check_application(application: SugarApplication, *, as_of: date, lock_quota: bool = False):
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


@retry_on_db_conflict
def sugar_application_submit(*, application: SugarApplication, actor) -> SugarApplication:
    """P14 Pasal 3–4: received complete and correct, the 3-working-day clock starts (SLA-02)."""
    with transaction.atomic():
        application = SugarApplication.objects.select_for_update(of=("self",), no_key=True).get(pk=application.pk)
        _assert_editable(application, actor)
        target = _check(APPLICATION_TRANSITIONS, "submit", application.status, _("Permohonan"))
        _check_application(application, as_of=_today())
        now = _now()
        from_state = application.status
        application.status, application.submitted_at = target, now
        application.due_date = case_step_start(case=application, step="sugar_pi_decision", started_at=now)
        application.save(update_fields=["status", "submitted_at", "due_date"])
        audit_record(obj=application, action="sugar_application_submit", actor=actor, from_state=from_state,
                     to_state=target, company=application.company, data={"due_date": application.due_date})
        _notify(application.company, "sugar_application_received",
                {"reference": application.reference, "due_date": application.due_date.isoformat()})
    return application


@retry_on_db_conflict
def sugar_application_return(*, application: SugarApplication, actor, reason: str) -> SugarApplication:
    """Send back for correction: the clock stops (SLA-02)."""
    _assert_role(actor, CHECKERS)
    if not (reason or "").strip():
        raise RuleViolation(_("Alasan wajib diisi."), code="reason_required", fields={"reason": [_("Wajib diisi.")]})
    with transaction.atomic():
        application = SugarApplication.objects.select_for_update(of=("self",), no_key=True).get(pk=application.pk)
        target = _check(APPLICATION_TRANSITIONS, "return", application.status, _("Permohonan"))
        application.status, application.return_reason, application.due_date = target, reason.strip(), None
        application.save(update_fields=["status", "return_reason", "due_date"])
        case_step_finish(case=application, outcome=Outcome.RETURNED)
        audit_record(obj=application, action="sugar_application_return", actor=actor, from_state=ApplicationStatus.SUBMITTED,
                     to_state=target, reason=reason, company=application.company)
        _notify(application.company, "sugar_application_returned", {"reference": application.reference, "reason": reason})
    return application


@retry_on_db_conflict
def sugar_application_reject(*, application: SugarApplication, actor, reason: str) -> SugarApplication:
    """P14 Pasal 4(2): rejected electronically, with reasons."""
    _assert_role(actor, DECIDERS)
    if not (reason or "").strip():
        raise RuleViolation(_("Alasan wajib diisi."), code="reason_required", fields={"reason": [_("Wajib diisi.")]})
    with transaction.atomic():
        application = SugarApplication.objects.select_for_update(of=("self",), no_key=True).get(pk=application.pk)
        target = _check(APPLICATION_TRANSITIONS, "reject", application.status, _("Permohonan"))
        application.status, application.decision_reason = target, reason.strip()
        application.decided_by, application.decided_at = actor, _now()
        application.save(update_fields=["status", "decision_reason", "decided_by", "decided_at"])
        case_step_finish(case=application, outcome=Outcome.REJECTED, at=application.decided_at)
        audit_record(obj=application, action="sugar_application_reject", actor=actor, from_state=ApplicationStatus.SUBMITTED,
                     to_state=target, reason=reason, company=application.company)
        _notify(application.company, "sugar_application_rejected", {"reference": application.reference, "reason": reason})
    return application


def _next_number(year: int) -> str:
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


def _permit_content(*, application, company: Company, api, sugar_type: SugarType, lines, total: Decimal,
                    purpose: Purpose, address: str | None = None) -> dict:
    """PI-08 (P14 Pasal 8): everything the PI must state, in the Lampiran IV format (DOC-01)."""
    from permits.documents import tanggal  # dates in words on the letter (issue 17: one ISO date)

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
        "Importir wajib menyampaikan laporan pelaksanaan impor, terealisasi maupun tidak, setiap bulan paling lambat tanggal 15 "
        "bulan berikutnya melalui INATRADE dengan melampirkan PIB (Pasal 16); laporan yang tidak disampaikan mengakibatkan "
        "pembekuan dan pencabutan Persetujuan Impor (Pasal 18–19)."
    )
    return {
        "title": "Persetujuan Impor Gula",
        "holder": {"name": company.name, "address": address or company.address, "nib": company.nib, "npwp": company.npwp_formatted},
        "api": {"kind": getattr(api, "kind", ""), "number": getattr(api, "number", company.nib)},
        "holder_documents": holder_documents,
        "application": {"number": application.reference, "date": local_date(application.submitted_at or _now()).isoformat()},
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
                "unit": "ton", "volume_tonnes": str(_tonnes(line["volume_tonnes"])),
                "origin_country": line["origin_name"], "origin_country_code": line["origin_code"],
                "port_of_discharge": line["port_name"], "port_code": line["port_code"],
            }
            for line in lines
        ],
    }


def _line_dicts(lines) -> list[dict]:
    return [
        {"hs_code": line.hs_code, "description": line.description, "volume_tonnes": line.volume_tonnes,
         "origin_code": line.origin_country_id, "origin_name": line.origin_country.name,
         "port_code": line.port_of_discharge_id, "port_name": line.port_of_discharge.name}
        for line in lines
    ]


@retry_on_db_conflict
def sugar_application_approve(*, application: SugarApplication, actor) -> SugarPermit:
    """PI-06 (P14 Pasal 4(1)): the Director General approves; the PI is issued through
    permits/ (signed after commit) and the rakor quota is drawn in the same transaction.

    Races: twenty officers clicking "approve" at once (REL-01) serialize on the application
    row lock and only the first finds it ``submitted``; approvals of different applications
    drawing one quota (REL-03) serialize on the quota row lock, taken after the validation and
    the permit's content so that it is held briefly, and a CHECK constraint backs it.
    """
    _assert_role(actor, DECIDERS)
    with transaction.atomic():
        application = SugarApplication.objects.select_for_update(of=("self",), no_key=True).select_related("company", "purpose", "sugar_type").get(pk=application.pk)
        target = _check(APPLICATION_TRANSITIONS, "approve", application.status, _("Permohonan"))
        today = _today()
        # Validation and the permit's content first, holding only the application's lock...
        quota, api, total = _check_application(application, as_of=today)
        valid_from, valid_until = _validity(application, today)
        lines = list(application.lines.select_related("origin_country", "port_of_discharge"))
        content = _permit_content(application=application, company=application.company, api=api,
                                  sugar_type=application.sugar_type, lines=_line_dicts(lines), total=total,
                                  purpose=application.purpose)
        # ...then the rows every approval shares, in the global order (docs/decisions/0010):
        # quota → recommendation → permit counter, held from here to the commit only.
        quota = QuotaAllocation.objects.select_for_update(of=("self",), no_key=True).get(pk=quota.pk)
        if total > quota.remaining_tonnes:
            raise RuleViolation(_("Permohonan belum memenuhi ketentuan."), code="quota_exceeded", fields={"quota": [
                _("Volume %(total)s ton melebihi sisa kuota rakor (%(left)s ton).") % {"total": total, "left": quota.remaining_tonnes}]})
        for basis in (application.recommendation, application.assignment):
            if basis is not None:
                locked = Recommendation.objects.select_for_update(of=("self",), no_key=True).get(pk=basis.pk)
                if not locked.is_confirmed:  # rejected after the check above was read (race)
                    raise RuleViolation(_("Rekomendasi belum diverifikasi petugas."), code="recommendation_not_verified",
                                        fields={"recommendation": [locked.get_verification_status_display()]})
                if total > locked.remaining_tonnes:
                    raise RuleViolation(_("Volume melebihi sisa Rekomendasi."), code="recommendation_exceeded",
                                        fields={"recommendation": [str(locked.remaining_tonnes)]})
                Recommendation.objects.filter(pk=basis.pk).update(used_tonnes=F("used_tonnes") + total)
        QuotaAllocation.objects.filter(pk=quota.pk).update(drawn_tonnes=F("drawn_tonnes") + total)
        number = _next_number(today.year)
        permit = permit_adapter.permit_issue(
            kind=PERMIT_KIND, holder=application.company, number=number, content=content, signer=actor,
            valid_from=valid_from, valid_until=valid_until, title="Persetujuan Impor Gula", source=application,
            actor=actor, issued_on=today,
        )
        sugar_permit = SugarPermit.objects.create(
            application=application, permit=permit, number=number, company=application.company,
            purpose=application.purpose, sugar_type=application.sugar_type, volume_tonnes=total, quota=quota,
            issued_on=today, valid_from=valid_from, valid_until=valid_until,
        )
        SugarPermitLine.objects.bulk_create([
            SugarPermitLine(sugar_permit=sugar_permit, hs_code=line.hs_code, description=line.description,
                            volume_tonnes=line.volume_tonnes, origin_country=line.origin_country,
                            port_of_discharge=line.port_of_discharge)
            for line in lines
        ])
        application.status, application.decided_by, application.decided_at = target, actor, _now()
        application.save(update_fields=["status", "decided_by", "decided_at"])
        case_step_finish(case=application, outcome=Outcome.APPROVED, at=application.decided_at)
        audit_record(obj=application, action="sugar_application_approve", actor=actor, from_state=ApplicationStatus.SUBMITTED,
                     to_state=target, company=application.company,
                     data={"permit": number, "volume_tonnes": str(total), "quota": quota.pk})
        _notify(application.company, "sugar_permit_issued", {
            "reference": application.reference, "number": number, "valid_from": valid_from,
            "valid_until": valid_until, "volume": fmt_tonnes(total),
        })
    return sugar_permit


# --------------------------------------------------------------------------- monthly reports (PI-11)
def report_periods(sugar_permit: SugarPermit) -> list[date]:
    """Every month of validity (P14 Pasal 16)."""
    periods, month = [], month_start(sugar_permit.valid_from)
    while month <= sugar_permit.valid_until:
        periods.append(month)
        month += relativedelta(months=1)
    return periods


def parse_period(value: str) -> date:
    try:
        year, month = (int(part) for part in str(value).split("-"))
        return date(year, month, 1)
    except (ValueError, TypeError) as exc:
        raise RuleViolation(_("Periode harus berbentuk YYYY-MM."), code="invalid_period", fields={"period": ["YYYY-MM"]}) from exc


@retry_on_db_conflict
def monthly_report_submit(
    *, sugar_permit: SugarPermit, actor, period: date, nil_report: bool, shipments: list[dict], destination: str = "",
) -> MonthlyReport:
    """PI-11 (P14 Pasal 16): the report of one month of validity, realized or not, with the
    PIB of each shipment; volumes never beyond the PI. A late report of a frozen PI within one
    month of the freeze reactivates it at once (Pasal 18(2)); PI-15 asks where the sugar went."""
    user_assert_can_submit(user=actor)
    if actor.company_id != sugar_permit.company_id:
        raise NotFound()
    period = month_start(period)
    errors: dict[str, list[str]] = {}
    today = _today()
    if period not in report_periods(sugar_permit):
        errors["period"] = [_("Bulan ini di luar masa berlaku PI.")]
    elif period > month_start(today):
        errors["period"] = [_("Bulan ini belum berjalan.")]
    if nil_report and shipments:
        errors["shipments"] = [_("Laporan nihil tidak memuat pengapalan.")]
    if not nil_report and not shipments:
        errors["shipments"] = [_("Isi pengapalan atau pilih laporan nihil.")]
    if sugar_permit.purpose.industry_only and not nil_report and not destination.strip():
        errors["destination"] = [_("Sebutkan tujuan penggunaan gula (Pasal 12).")]
    permit_hs = set(sugar_permit.lines.values_list("hs_code", flat=True))
    stored = []
    total = Decimal("0")
    for index, item in enumerate(shipments):
        if item.get("hs_code") not in permit_hs:
            errors[f"shipments.{index}.hs_code"] = [_("Pos tarif tidak tercantum dalam PI.")]
        try:
            volume = _tonnes(item.get("volume_tonnes"))
        except Exception:  # noqa: BLE001
            volume = Decimal("0")
        if volume <= 0:
            errors[f"shipments.{index}.volume_tonnes"] = [_("Volume harus lebih dari 0 ton.")]
        if not item.get("pib_number") or not item.get("pib_date"):
            errors[f"shipments.{index}.pib_number"] = [_("Nomor dan tanggal PIB wajib diisi.")]
        if item.get("pib_file") is None:
            errors[f"shipments.{index}.pib_file"] = [_("Lampirkan PIB (PDF).")]
        total += volume
    if errors:
        raise RuleViolation(_("Laporan tidak valid."), code="invalid_report", fields=errors)
    for index, item in enumerate(shipments):
        data = validate_pdf_upload(item["pib_file"], label=f"PIB {item.get('pib_number')}")
        stored.append(store_private(data, folder=f"sugar/reports/{sugar_permit.pk}"))
    with transaction.atomic():
        locked = SugarPermit.objects.select_for_update(of=("self",), no_key=True).get(pk=sugar_permit.pk)
        if locked.status == SugarPermitStatus.REVOKED:
            raise InvalidTransition(_("PI telah dicabut."), code="permit_revoked")
        if MonthlyReport.objects.filter(sugar_permit=locked, period=period).exists():
            raise InvalidTransition(_("Laporan bulan ini sudah disampaikan."), code="report_exists")
        if locked.realized_tonnes + total > locked.volume_tonnes:
            raise RuleViolation(
                _("Jumlah realisasi %(total)s ton melebihi sisa volume PI (%(left)s ton).") % {"total": total, "left": locked.remaining_tonnes},
                code="volume_exceeded", fields={"shipments": [str(locked.remaining_tonnes)]},
            )
        now = _now()
        report = MonthlyReport.objects.create(
            sugar_permit=locked, period=period, nil_report=nil_report, destination=destination.strip(), total_tonnes=total,
            submitted_at=now, submitted_by=actor, late=local_date(now) > report_deadline(period),
        )
        Shipment.objects.bulk_create([
            Shipment(report=report, pib_number=item["pib_number"], pib_date=item["pib_date"], hs_code=item["hs_code"],
                     volume_tonnes=_tonnes(item["volume_tonnes"]), pib_path=path, pib_sha256=sha)
            for item, (path, sha) in zip(shipments, stored)
        ])
        if total:
            SugarPermit.objects.filter(pk=locked.pk).update(realized_tonnes=F("realized_tonnes") + total)
        audit_record(obj=locked, action="monthly_report_submit", actor=actor, company=locked.company,
                     data={"period": f"{period:%Y-%m}", "nil": nil_report, "tonnes": str(total), "late": report.late})
        if locked.status == SugarPermitStatus.FROZEN:
            _reactivate_reported(as_of=local_date(now), permit_ids=[locked.pk])
    return report


# --------------------------------------------------------------------------- sanctions (PI-12, PI-13)
def _due_periods(as_of: date, first: date) -> list[date]:
    """Months whose report deadline has passed by ``as_of`` (the 15th is still in time)."""
    periods, month = [], month_start(first)
    while report_deadline(month) < as_of:
        periods.append(month)
        month += relativedelta(months=1)
    return periods


def _missing_report(period: date):
    """Q: the PI's validity covers ``period`` and no report for it exists."""
    last_day = period.replace(day=calendar.monthrange(period.year, period.month)[1])
    return Q(valid_from__lte=last_day, valid_until__gte=period) & ~Q(
        Exists(MonthlyReport.objects.filter(sugar_permit=OuterRef("pk"), period=period))
    )


def _earliest(qs) -> date | None:
    return qs.order_by("valid_from").values_list("valid_from", flat=True).first()


def _batch_notify(permits: list[tuple], template: str, context: dict) -> int:
    """One e-mail per company, listing its PIs, all queued in one INSERT (batched: queries do
    not grow with the rows nor with the companies). ``permits``: (pk, company_id, number)."""
    if not permits:
        return 0
    by_company: dict[int, list[str]] = {}
    for _pk, company_id, number in permits:
        by_company.setdefault(company_id, []).append(number)
    companies, emails = {}, {}
    company_ids = RawSQL(bulksql.ids_select(), [bulksql.json_param(list(by_company))])
    for company_id, name, email in Company.objects.filter(pk__in=company_ids).values_list("pk", "name", "email"):
        companies[company_id], emails[company_id] = name, {email} - {""}
    users = User.objects.filter(company_id__in=company_ids, role=Role.IMPORTER, access_status=AccessStatus.ACTIVE)
    langs: dict[int, str] = {}
    for company_id, email, lang in users.order_by("pk").values_list("company_id", "email", "preferred_language"):
        if email:
            emails[company_id].add(email)
        langs.setdefault(company_id, lang or "id")
    messages = [
        {"template": template, "to": sorted(emails[company_id]), "language": langs.get(company_id, "id"),
         "context": {"company": companies[company_id], "numbers": sorted(numbers), **context}}
        for company_id, numbers in by_company.items() if emails[company_id]
    ]
    email_queue_many(messages)
    return len(messages)


def _sanction_update(*, candidates, verb: str, reason: str, fields: dict, actor=None, data: dict | None = None) -> list[tuple]:
    """The state change of every PI of the queryset ``candidates`` in one ``UPDATE ...
    RETURNING`` per source state (a compare-and-set on the state: a concurrent run waits for
    the row lock, finds the state changed and skips the row), then the permits' own state and
    INSW events (DOC-05) and one audit row per PI, all in the caller's transaction; the number
    of queries does not grow with the rows (PERF-03). Returns the changed PIs as (pk,
    company_id, number)."""
    sources, target = PERMIT_SANCTION_TRANSITIONS[verb]
    table = SugarPermit._meta.db_table
    assignments = ", ".join(f"{SugarPermit._meta.get_field(name).column} = %s" for name in fields)
    values = [bulksql.db_value(SugarPermit, name, value) for name, value in fields.items()]
    where, where_params = bulksql.queryset_sql(candidates)
    changed = []  # (pk, from, permit_id, company_id, number)
    for source in sorted(sources):
        rows = bulksql.execute(
            f"UPDATE {table} SET status = %s, {assignments} WHERE status = %s AND id IN ({where}) "
            "RETURNING id, permit_id, company_id, number",
            [target, *values, source, *where_params],
        )
        changed += [(pk, source, permit_id, company_id, number) for pk, permit_id, company_id, number in rows]
    if not changed:
        return []
    changed.sort()
    permit_adapter.permits_bulk_transition(permit_ids=[p for _pk, _s, p, _c, _n in changed], verb=verb, reason=reason)
    audit_record_many(
        object_type=f"{SugarPermit._meta.app_label}.{SugarPermit._meta.model_name}", action=f"sugar_permit_{verb}",
        actor=actor, to_state=target, reason=reason, data=data,
        rows=[{"object_id": pk, "object_label": number, "company_id": company_id, "from_state": source}
              for pk, source, _p, company_id, number in changed],  # str(SugarPermit) is its number
    )
    return [(pk, company_id, number) for pk, _s, _p, company_id, number in changed]


def _reactivate_reported(*, as_of: date, permit_ids: list[int] | None = None) -> list[tuple]:
    """Frozen PIs whose missing reports are all in now, the one the freeze was for filed
    within a month of the freeze (P14 Pasal 18(2))."""
    frozen = SugarPermit.objects.filter(status=SugarPermitStatus.FROZEN)
    if permit_ids is not None:
        frozen = frozen.filter(pk__in=permit_ids)
    first = _earliest(frozen)
    if first is None:
        return []
    in_time = frozen.filter(Exists(MonthlyReport.objects.filter(
        sugar_permit=OuterRef("pk"), period=OuterRef("frozen_period"), submitted_at__date__lte=OuterRef("frozen_until"),
    )))
    for period in _due_periods(as_of, first):
        in_time = in_time.exclude(_missing_report(period))
    changed = _sanction_update(candidates=in_time, verb="reactivate", reason="Laporan realisasi telah disampaikan (Pasal 18 ayat (2)).",
                               fields={"frozen_on": None, "frozen_period": None, "frozen_until": None})
    _batch_notify(changed, "sugar_permit_reactivated", {"as_of": as_of.isoformat()})
    return changed


@retry_on_db_conflict
def monthly_report_freeze(*, as_of: date) -> dict:
    """Job (PI-12, P14 Pasal 18–19): reactivate frozen PIs whose late report came in time,
    freeze every active PI whose report for a month is missing after the 15th, revoke every PI
    frozen for a month without it. Set-based (one UPDATE per state change and month), batched
    notices, INSW events through the permits outbox; safe to run twice or late (``--as-of``):
    a freeze is dated the day after the missed deadline, so a late run reaches the same state."""
    with transaction.atomic():
        reactivated = _reactivate_reported(as_of=as_of)
        frozen: list[tuple] = []
        active = SugarPermit.objects.filter(status=SugarPermitStatus.ACTIVE)
        first = _earliest(active)
        for period in (_due_periods(as_of, first) if first else []):
            frozen_on = report_deadline(period) + timedelta(days=1)
            frozen += _sanction_update(
                candidates=active.filter(_missing_report(period)), verb="freeze", reason=f"Laporan realisasi {period:%Y-%m} tidak disampaikan (Pasal 18 ayat (1)).",
                fields={"frozen_on": frozen_on, "frozen_period": period, "frozen_until": frozen_on + REACTIVATION_WINDOW},
                data={"period": f"{period:%Y-%m}"},
            )
        _batch_notify(frozen, "sugar_permit_frozen", {"as_of": as_of.isoformat()})
        expired = SugarPermit.objects.filter(status=SugarPermitStatus.FROZEN, frozen_until__lt=as_of)
        revoked: list[tuple] = []
        # One UPDATE per day the reactivation window closed (revoked the day after it).
        for until in expired.order_by("frozen_until").values_list("frozen_until", flat=True).distinct():
            revoked += _sanction_update(
                candidates=expired.filter(frozen_until=until), verb="revoke", reason=RevocationReason.NO_REPORT.label,
                fields={"revoked_on": until + timedelta(days=1), "revocation_reason": RevocationReason.NO_REPORT},
            )
        _batch_notify(revoked, "sugar_permit_revoked", {"as_of": as_of.isoformat(), "reason": str(RevocationReason.NO_REPORT.label)})
    surveyors = surveyor_designation_check(as_of=as_of)["surveyors_revoked"]
    return {"reactivated": len(reactivated), "frozen": len(frozen), "revoked": len(revoked), "surveyors_revoked": surveyors,
            "changed": len(reactivated) + len(frozen) + len(revoked) + surveyors}


@retry_on_db_conflict
def monthly_report_reminders(*, as_of: date) -> dict:
    """Job (PI-11, AUD-03): from the 10th to the 15th, remind each company once of the reports
    for the previous month still missing. Set-based; ``reminded_period`` makes it idempotent."""
    if not (REMINDER_DAY <= as_of.day <= REPORT_DAY):
        return {"reminded": 0, "changed": 0}
    period = month_start(as_of) - relativedelta(months=1)
    with transaction.atomic():
        qs = SugarPermit.objects.filter(status__in=[SugarPermitStatus.ACTIVE, SugarPermitStatus.FROZEN]).filter(
            _missing_report(period)).filter(Q(reminded_period__isnull=True) | Q(reminded_period__lt=period))
        where, params = bulksql.queryset_sql(qs)
        # A compare-and-set on reminded_period: a concurrent run waits for the rows and skips them.
        reminded = bulksql.execute(
            f"UPDATE {SugarPermit._meta.db_table} SET reminded_period = %s WHERE id IN ({where}) "
            "AND (reminded_period IS NULL OR reminded_period < %s) RETURNING id, company_id, number",
            [bulksql.db_value(SugarPermit, "reminded_period", period), *params,
             bulksql.db_value(SugarPermit, "reminded_period", period)],
        )
        _batch_notify(sorted(reminded), "sugar_report_reminder",
                      {"period": f"{period:%Y-%m}", "deadline": report_deadline(period).isoformat()})
        emit_many([{"event": "report.due", "company_id": c, "key": f"report.due:{n}:{period:%Y-%m}", "payload": {"permit_number": n, "period": f"{period:%Y-%m}", "deadline": report_deadline(period).isoformat()}} for _pk, c, n in reminded])
    return {"reminded": len(reminded), "changed": len(reminded)}


@retry_on_db_conflict
def sugar_permit_revoke(*, sugar_permit: SugarPermit, actor, reason_code: str, note: str = "") -> SugarPermit:
    """P14 Pasal 19–20: the Director General revokes for a Pasal 19 reason. The company may not
    apply again for a year (Pasal 21, PI-13)."""
    _assert_role(actor, DECIDERS)
    if reason_code not in RevocationReason.values:
        raise RuleViolation(_("Alasan pencabutan tidak dikenal."), code="invalid_reason", fields={"reason_code": RevocationReason.values})
    today = _today()
    with transaction.atomic():
        changed = _sanction_update(
            candidates=SugarPermit.objects.filter(pk=sugar_permit.pk), verb="revoke", reason=f"{RevocationReason(reason_code).label}. {note}".strip(), actor=actor,
            fields={"revoked_on": today, "revocation_reason": reason_code, "revocation_note": note},
        )
        if not changed:
            raise InvalidTransition(_("PI ini tidak dapat dicabut."), code="cannot_revoke")
        _batch_notify(changed, "sugar_permit_revoked", {"as_of": today.isoformat(), "reason": str(RevocationReason(reason_code).label)})
    sugar_permit.refresh_from_db()
    return sugar_permit


# --------------------------------------------------------------------------- amendments (PI-09)
@retry_on_db_conflict
def amendment_submit(*, sugar_permit: SugarPermit, actor, reason: str, address: str = "", sugar_type: SugarType | None = None,
                     lines: list[dict] | None = None) -> AmendmentRequest:
    """P14 Pasal 6: address, HS code, sugar type, volume, origin, port; decided in 3 working days."""
    user_assert_can_submit(user=actor)
    if actor.company_id != sugar_permit.company_id:
        raise NotFound()
    if sugar_permit.status != SugarPermitStatus.ACTIVE:
        raise InvalidTransition(_("PI yang dibekukan atau dicabut tidak dapat diubah (PI-12)."), code="permit_not_active")
    if not (address or sugar_type or lines):
        raise RuleViolation(_("Tidak ada perubahan."), code="nothing_to_change", fields={"lines": [_("Wajib diisi.")]})
    check_line_count(lines)
    if not (reason or "").strip():
        raise RuleViolation(_("Alasan wajib diisi."), code="reason_required", fields={"reason": [_("Wajib diisi.")]})
    with transaction.atomic():
        if AmendmentRequest.objects.filter(sugar_permit=sugar_permit, status=AmendmentStatus.SUBMITTED).exists():
            raise InvalidTransition(_("Masih ada perubahan yang sedang diproses."), code="amendment_pending")
        now = _now()
        amendment = AmendmentRequest.objects.create(
            sugar_permit=sugar_permit, address=address, sugar_type=sugar_type, lines=lines or [], reason=reason,
            submitted_by=actor, submitted_at=now, due_date=sla_due_date("sugar_pi_amendment", now),
        )
        case_step_start(case=amendment, step="sugar_pi_amendment", started_at=now)
        audit_record(obj=amendment, action="sugar_amendment_submit", actor=actor, to_state=amendment.status,
                     company=sugar_permit.company, data={"permit": sugar_permit.number})
    return amendment


@retry_on_db_conflict
def amendment_reject(*, amendment: AmendmentRequest, actor, reason: str) -> AmendmentRequest:
    _assert_role(actor, DECIDERS)
    if not (reason or "").strip():
        raise RuleViolation(_("Alasan wajib diisi."), code="reason_required", fields={"reason": [_("Wajib diisi.")]})
    with transaction.atomic():
        amendment = AmendmentRequest.objects.select_for_update(of=("self",), no_key=True).get(pk=amendment.pk)
        target = _check(AMENDMENT_TRANSITIONS, "reject", amendment.status, _("Perubahan"))
        amendment.status, amendment.decided_by, amendment.decided_at, amendment.decision_reason = target, actor, _now(), reason
        amendment.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
        case_step_finish(case=amendment, outcome=Outcome.REJECTED, at=amendment.decided_at)
        audit_record(obj=amendment, action="sugar_amendment_reject", actor=actor, from_state=AmendmentStatus.SUBMITTED,
                     to_state=target, reason=reason, company=amendment.sugar_permit.company)
        _notify(amendment.sugar_permit.company, "sugar_amendment_decided",
                {"number": amendment.sugar_permit.number, "approved": False, "reason": reason})
    return amendment


@retry_on_db_conflict
def amendment_approve(*, amendment: AmendmentRequest, actor) -> AmendmentRequest:
    """P14 Pasal 7: the amended PI is a new signed version (permits.permit_amend); the old one
    is marked superseded when the new one is signed. The quota moves by the difference."""
    _assert_role(actor, DECIDERS)
    with transaction.atomic():
        amendment = AmendmentRequest.objects.select_for_update(of=("self",), no_key=True).get(pk=amendment.pk)
        target = _check(AMENDMENT_TRANSITIONS, "approve", amendment.status, _("Perubahan"))
        sp = SugarPermit.objects.select_for_update(of=("self",), no_key=True).select_related("application", "company", "purpose", "sugar_type").get(pk=amendment.sugar_permit_id)
        if sp.status != SugarPermitStatus.ACTIVE:
            raise InvalidTransition(_("PI yang dibekukan atau dicabut tidak dapat diubah (PI-12)."), code="permit_not_active")
        sugar_type = amendment.sugar_type or sp.sugar_type
        if amendment.lines:
            countries = Country.objects.in_bulk([line.get("origin_country") for line in amendment.lines])
            ports = Port.objects.in_bulk([line.get("port_of_discharge") for line in amendment.lines])
            errors = {}
            for i, line in enumerate(amendment.lines):
                if line.get("hs_code") not in sugar_type.hs_codes:
                    errors[f"lines.{i}.hs_code"] = [_("Pos tarif bukan %(type)s.") % {"type": sugar_type.code}]
                if line.get("origin_country") not in countries or line.get("port_of_discharge") not in ports:
                    errors[f"lines.{i}"] = [_("Negara asal atau pelabuhan tidak dikenal.")]
            if errors:
                raise RuleViolation(_("Perubahan tidak valid."), code="invalid_lines", fields=errors)
            new_lines = [
                {"hs_code": line["hs_code"], "description": line.get("description") or "Gula",
                 "volume_tonnes": _tonnes(line["volume_tonnes"]), "origin_code": line["origin_country"],
                 "origin_name": countries[line["origin_country"]].name, "port_code": line["port_of_discharge"],
                 "port_name": ports[line["port_of_discharge"]].name}
                for line in amendment.lines
            ]
        else:
            new_lines = _line_dicts(sp.lines.select_related("origin_country", "port_of_discharge"))
        total = sum((line["volume_tonnes"] for line in new_lines), Decimal("0"))
        if total < sp.realized_tonnes:
            raise RuleViolation(_("Volume baru lebih kecil dari yang sudah direalisasikan."), code="below_realized")
        delta = total - sp.volume_tonnes
        if sp.quota_id and delta:
            quota = QuotaAllocation.objects.select_for_update(of=("self",), no_key=True).get(pk=sp.quota_id)
            if delta > quota.remaining_tonnes:
                raise RuleViolation(_("Tambahan volume melebihi sisa kuota rakor."), code="quota_exceeded",
                                    fields={"quota": [str(quota.remaining_tonnes)]})
            QuotaAllocation.objects.filter(pk=quota.pk).update(drawn_tonnes=F("drawn_tonnes") + delta)
        from api_registry.selectors import api_current_for_company

        content = _permit_content(application=sp.application, company=sp.company, api=api_current_for_company(company=sp.company),
                                  sugar_type=sugar_type, lines=new_lines, total=total, purpose=sp.purpose,
                                  address=amendment.address or None)
        version = permit_adapter.permit_amend(permit=sp.permit, content=content, signer=actor, actor=actor,
                                              reason=amendment.reason, issued_on=_today())
        sp.lines.all().delete()
        SugarPermitLine.objects.bulk_create([
            SugarPermitLine(sugar_permit=sp, hs_code=line["hs_code"], description=line["description"],
                            volume_tonnes=line["volume_tonnes"], origin_country_id=line["origin_code"],
                            port_of_discharge_id=line["port_code"])
            for line in new_lines
        ])
        SugarPermit.objects.filter(pk=sp.pk).update(volume_tonnes=total, sugar_type=sugar_type)
        amendment.status, amendment.decided_by, amendment.decided_at, amendment.version_no = target, actor, _now(), version.version_no
        amendment.save(update_fields=["status", "decided_by", "decided_at", "version_no"])
        case_step_finish(case=amendment, outcome=Outcome.APPROVED, at=amendment.decided_at)
        audit_record(obj=amendment, action="sugar_amendment_approve", actor=actor, from_state=AmendmentStatus.SUBMITTED,
                     to_state=target, company=sp.company, data={"version": version.version_no, "volume_tonnes": str(total)})
        _notify(sp.company, "sugar_amendment_decided", {"number": sp.number, "approved": True, "reason": ""})
    return amendment


# --------------------------------------------------------------------------- surveyors (PI-14)
@retry_on_db_conflict
def surveyor_designate(*, actor, name: str, decree_number: str, designated_on: date, documents: dict, users=()) -> "Surveyor":
    """P14 Pasal 13(2), 14: the Minister designates a surveyor that shows every Pasal 14(1)
    document (``documents``: {code: upload}); recorded by the administrators."""
    from sugar_import.models import SURVEYOR_DOCUMENTS, Surveyor

    _assert_role(actor, (Role.ADMINISTRATOR,))
    missing = [str(label) for code, label in SURVEYOR_DOCUMENTS.items() if documents.get(code) is None]
    if missing:
        raise RuleViolation(_("Dokumen Pasal 14 belum lengkap."), code="documents_missing", fields={"documents": missing})
    duplicate = RuleViolation(_("Surveyor dengan nama ini sudah ditetapkan."), code="surveyor_exists", fields={"name": [name]})
    if Surveyor.objects.filter(name=name).exists():
        raise duplicate
    # Every upload is checked before any is stored: one bad PDF leaves no orphan files.
    checked = {code: validate_pdf_upload(upload, label=str(SURVEYOR_DOCUMENTS[code]))
               for code, upload in documents.items() if code in SURVEYOR_DOCUMENTS}
    stored = {}
    for code, data in checked.items():
        path, sha = store_private(data, folder="sugar/surveyors")
        stored[code] = {"path": path, "sha256": sha}
    with transaction.atomic():
        try:
            with transaction.atomic():
                surveyor = Surveyor.objects.create(name=name, decree_number=decree_number, designated_on=designated_on,
                                                   documents=stored)
        except IntegrityError as exc:  # the same name designated concurrently
            raise duplicate from exc
        surveyor.users.set([u for u in users if u.role == Role.SURVEYOR])
        audit_record(obj=surveyor, action="surveyor_designate", actor=actor, to_state=surveyor.status,
                     data={"decree": decree_number})
    return surveyor


def _surveyor_of(actor):
    from sugar_import.models import Surveyor, SurveyorStatus

    _assert_role(actor, (Role.SURVEYOR,))
    surveyor = Surveyor.objects.filter(users=actor).first()
    if surveyor is None or surveyor.status != SurveyorStatus.DESIGNATED:
        raise DomainError(_("Surveyor tidak (lagi) ditetapkan (Pasal 32)."), code="surveyor_not_designated", status=403)
    return surveyor


@retry_on_db_conflict
def surveyor_report_record(*, sugar_permit: SugarPermit, actor, ls_number: str, icumsa: int, shipping_date: date,
                           volume_tonnes, truth_statement: bool) -> "SurveyorReport":
    """PI-14 (P14 Pasal 13, 15): the LS of a raw-sugar shipment before it is imported: PI
    number, sugar type, ICUMSA (checked against PI-04), shipping date, volume within what the
    PI has left. A frozen or revoked PI cannot be used (PI-12)."""
    from sugar_import.models import SurveyorReport

    surveyor = _surveyor_of(actor)
    volume = _tonnes(volume_tonnes)
    with transaction.atomic():
        sp = SugarPermit.objects.select_for_update(of=("self",), no_key=True).select_related("sugar_type").get(pk=sugar_permit.pk)
        if sp.status != SugarPermitStatus.ACTIVE:
            raise InvalidTransition(_("PI yang dibekukan atau dicabut tidak dapat digunakan untuk LS (PI-12)."), code="permit_not_active")
        errors: dict[str, list[str]] = {}
        sugar_type = sp.sugar_type
        if not sugar_type.requires_surveyor:
            errors["sugar_permit"] = [_("LS hanya untuk impor Gula Kristal Mentah (Pasal 13).")]
        if not sugar_type.icumsa_ok(icumsa):
            errors["icumsa"] = [_("ICUMSA %(value)s IU di luar batas %(type)s (%(lo)s–%(hi)s IU).") % {
                "value": icumsa, "type": sugar_type.code, "lo": sugar_type.icumsa_min or 0, "hi": sugar_type.icumsa_max or "∞"}]
        if not (sp.valid_from <= shipping_date <= sp.valid_until):
            errors["shipping_date"] = [_("Tanggal pengapalan di luar masa berlaku PI.")]
        left = sp.volume_tonnes - sp.surveyed_tonnes
        if volume <= 0 or volume > left:
            errors["volume_tonnes"] = [_("Volume melebihi sisa PI (%(left)s ton).") % {"left": left}]
        if not truth_statement:
            errors["truth_statement"] = [_("LS harus memuat pernyataan kebenaran (Pasal 15 ayat (2)).")]
        if errors:
            raise RuleViolation(_("Laporan Surveyor tidak valid."), code="invalid_ls", fields=errors)
        try:
            with transaction.atomic():
                report = SurveyorReport.objects.create(
                    sugar_permit=sp, surveyor=surveyor, ls_number=ls_number, sugar_type=sugar_type, icumsa=icumsa,
                    shipping_date=shipping_date, volume_tonnes=volume, truth_statement=True, created_by=actor)
        except IntegrityError as exc:
            raise RuleViolation(_("Nomor LS sudah dipakai."), code="ls_exists", fields={"ls_number": [ls_number]}) from exc
        SugarPermit.objects.filter(pk=sp.pk).update(surveyed_tonnes=F("surveyed_tonnes") + volume)
        audit_record(obj=sp, action="surveyor_report_record", actor=actor, company=sp.company,
                     data={"ls": ls_number, "icumsa": icumsa, "tonnes": str(volume)})
    return report


@retry_on_db_conflict
def surveyor_monthly_report_submit(*, actor, period: date, summary: str = "") -> "SurveyorMonthlyReport":
    """P14 Pasal 17: by the 15th of the next month."""
    from sugar_import.models import SurveyorMonthlyReport

    surveyor = _surveyor_of(actor)
    period = month_start(period)
    if period > month_start(_today()):
        raise RuleViolation(_("Bulan ini belum berjalan."), code="invalid_period", fields={"period": [f"{period:%Y-%m}"]})
    with transaction.atomic():
        report, created = SurveyorMonthlyReport.objects.get_or_create(
            surveyor=surveyor, period=period, defaults={"summary": summary, "submitted_at": _now(), "submitted_by": actor})
        if not created:
            raise InvalidTransition(_("Laporan bulan ini sudah disampaikan."), code="report_exists")
        audit_record(obj=surveyor, action="surveyor_monthly_report", actor=actor, data={"period": f"{period:%Y-%m}"})
    return report


@retry_on_db_conflict
def surveyor_designation_check(*, as_of: date) -> dict:
    """P14 Pasal 32(1)b: a surveyor that missed two monthly reports loses the designation.
    One query per due month (not per surveyor), one UPDATE for the change."""
    from sugar_import.models import SURVEYOR_TRANSITIONS, Surveyor, SurveyorMonthlyReport, SurveyorStatus

    designated = Surveyor.objects.filter(status=SurveyorStatus.DESIGNATED)
    first = designated.order_by("designated_on").values_list("designated_on", flat=True).first()
    if first is None:
        return {"surveyors_revoked": 0}
    missed: dict[int, int] = {}
    for period in _due_periods(as_of, first):
        # A month counts when the surveyor was designated before it began.
        ids = designated.filter(designated_on__lte=period).exclude(
            Exists(SurveyorMonthlyReport.objects.filter(surveyor=OuterRef("pk"), period=period))).values_list("pk", flat=True)
        for pk in ids:
            missed[pk] = missed.get(pk, 0) + 1
    losing = [pk for pk, count in missed.items() if count >= 2]
    if not losing:
        return {"surveyors_revoked": 0}
    sources, target = SURVEYOR_TRANSITIONS["revoke"]
    with transaction.atomic():
        changed = list(Surveyor.objects.select_for_update(of=("self",), no_key=True).filter(pk__in=losing, status__in=sources).values_list("pk", flat=True))
        reason = "Tidak menyampaikan laporan bulanan sebanyak 2 (dua) kali (Pasal 32 ayat (1) huruf b)."
        Surveyor.objects.filter(pk__in=changed).update(status=target, revoked_on=as_of, revocation_reason=reason)
        objs = {pk: str(surveyor) for pk, surveyor in Surveyor.objects.in_bulk(changed).items()}
        audit_record_many(rows=[{"object_id": pk, "object_label": objs[pk]} for pk in changed],
                          object_type=f"{Surveyor._meta.app_label}.{Surveyor._meta.model_name}", action="surveyor_revoke",
                          from_state=SurveyorStatus.DESIGNATED, to_state=target, reason=reason)
    return {"surveyors_revoked": len(changed)}


# --------------------------------------------------------------------------- exemptions (PI-16)
@retry_on_db_conflict
def exemption_request_record(*, actor, applicant_name: str, identity_number: str, recommendation_reference: str,
                             goods_description: str, hs_code: str, quantity_kg, self_declaration: bool,
                             recommendation_file, declaration_file, company: Company | None = None) -> "ExemptionLetter":
    """P14 Pasal 34(2)–(3): a research import needs the Director General's surat keterangan,
    applied for through UPTP I with identity, recommendation and a self-declaration."""
    from sugar_import.models import ExemptionLetter

    _assert_role(actor, (Role.COUNTER_OFFICER,))
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
            quantity_kg=_tonnes(quantity_kg), self_declaration=True, documents=docs, entered_by=actor)
        letter.full_clean()
        letter.save()
        audit_record(obj=letter, action="exemption_submit", actor=actor, to_state=letter.status, company=company)
    return letter


@retry_on_db_conflict
def exemption_decide(*, letter: "ExemptionLetter", actor, approve: bool, reason: str = "") -> "ExemptionLetter":
    from sugar_import.models import EXEMPTION_TRANSITIONS, ExemptionLetter

    _assert_role(actor, DECIDERS)
    if not approve and not reason.strip():
        raise RuleViolation(_("Alasan wajib diisi."), code="reason_required", fields={"reason": [_("Wajib diisi.")]})
    with transaction.atomic():
        letter = ExemptionLetter.objects.select_for_update(of=("self",), no_key=True).get(pk=letter.pk)
        verb = "approve" if approve else "reject"
        target = _check(EXEMPTION_TRANSITIONS, verb, letter.status, _("Permohonan surat keterangan"))
        letter.status, letter.decided_by, letter.decided_at, letter.decision_reason = target, actor, _now(), reason
        if approve:
            letter.letter_number = f"SK-PENELITIAN-GULA/{_today().year}/{letter.pk:05d}"
        letter.save(update_fields=["status", "decided_by", "decided_at", "decision_reason", "letter_number"])
        audit_record(obj=letter, action=f"exemption_{verb}", actor=actor, from_state="submitted", to_state=target, reason=reason,
                     company=letter.company)
    return letter

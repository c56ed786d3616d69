"""Writes of the API registry: one function per transition (style.md habits 2–5).

Each transition locks its row (``select_for_update``), checks the source state against the
transition tables of ``api_registry.models``, saves with ``update_fields``, queues its e-mails
and writes its audit row, all in one ``transaction.atomic`` (AUD-01, AUD-03). Sources are
Permendag 27/M-DAG/PER/5/2012 ("P27"), cited by Pasal.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Company, Role
from accounts.selectors import user_assert_can_submit
from api_registry.models import (
    API_TRANSITIONS,
    APPLICATION_TRANSITIONS,
    CHANGE_TRANSITIONS,
    DESIGNATION_TRANSITIONS,
    REQUIRED_DOCUMENTS,
    Api,
    ApiApplication,
    ApiChangeRequest,
    ApiKind,
    ApiNumberCounter,
    ApiSanctionReason,
    ApiSource,
    ApiStatus,
    ApiVersion,
    ApplicationDocument,
    ApplicationStatus,
    DesignationStatus,
    DocumentKind,
    HsSection,
    Issuer,
    IssuerKind,
    IssuerMembership,
    ProdusenImportir,
    QuarterlyReport,
    SanctionKind,
)
from api_registry.selectors import NoticeCopies, api_route_for, api_sanction_notice_copies, previous_quarter, quarter_end
from inatrade.audit import audit_record
from inatrade.db import retry_on_db_conflict
from inatrade.errors import DomainError, InvalidTransition, RuleViolation
from inatrade.files import display_name, store_private, validate_pdf_upload
from inatrade.notifications import email_queue
from inatrade.workdays import add_working_days, sla_due_date, today
from workspace.models import Outcome
from workspace.services import case_step_finish, case_step_start

REREGISTRATION_YEARS = 5  # P27 Pasal 15(2)
REREGISTRATION_GRACE_WORKING_DAYS = 30  # P27 Pasal 15(3)
REMINDER_DAYS = (60, 14)  # API-07: reminders before the fifth anniversary
CHANGE_REPORT_DAYS = 30  # P27 Pasal 31(1)
UNDATED_ISSUE_STEP = "api_issue"  # BKPM / a zone authority: P27 sets no deadline
# SLA-04: a rejection has its own, longer deadline than the issue of the same step.
REJECT_STEP_OF = {"api_issue_province": "api_reject_province", "api_p_issue_dg": "api_p_reject_dg"}
QUARTERLY_REPORT_GRACE_DAYS = 15  # design choice: a quarter's report is late 15 days after it ends
DIRECTOR_GENERAL_NAME = "Direktur Jenderal Perdagangan Luar Negeri"  # the issuer of a NIB-as-API's sanctions


class NotAllowed(DomainError):
    code = "permission_denied"
    status = 403


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _check(table: dict, action: str, current: str, label: str) -> None:
    allowed = table[action][0]
    if current not in allowed:
        raise InvalidTransition(
            _("%(label)s berstatus '%(state)s'; tindakan '%(action)s' tidak diizinkan.")
            % {"label": label, "state": current, "action": action}
        )


def _company_emails(company: Company) -> list[str]:
    emails = [company.email] if company.email else []
    emails += [u.email for u in company.users.filter(is_active=True).exclude(email="")]
    return sorted(set(emails))


def _lang(company: Company) -> str:
    user = company.users.filter(is_active=True).first()
    return getattr(user, "preferred_language", "id") or "id"


def _sanction_notice_queue(*, api: Api, action: str, reason: str, note: str, copies: NoticeCopies) -> None:
    """The notice of a freeze, reactivation or revocation (``action``) to the company, with its
    copies (tembusan) sent to and listed for the offices of P27 Pasal 41 (see
    ``api_sanction_notice_copies``). ``api`` comes with ``company`` and ``issuer`` loaded."""
    email_queue(
        template="api_sanction_notice",
        to=list(dict.fromkeys(_company_emails(api.company) + copies.emails)),
        context={
            "company": api.company.name, "number": api.number, "action": action,
            "action_label": SanctionKind(action).label, "reason": reason, "note": note,
            "issuer": api.issuer.name if api.issuer else DIRECTOR_GENERAL_NAME,
            "new_application_from": api.new_application_from if action == "revoke" else None,
            "copies": copies.lines,
        },
        language=_lang(api.company),
    )


# --------------------------------------------------------------------------- who may act


def _is_decider(user, issuer: Issuer | None) -> bool:
    """The issuer itself: the DG for its route and for NIB-as-API records, a province-level
    (not Kab/Kota) member for the others."""
    if issuer is None or issuer.kind == IssuerKind.DIRECTOR_GENERAL:
        return user.role == Role.DIRECTOR_GENERAL
    return (
        user.role == Role.ISSUER_OFFICER
        and IssuerMembership.objects.filter(user=user, issuer=issuer, regency__isnull=True).exists()
    )


def _assert_decider(user, issuer: Issuer | None) -> None:
    if not (user.is_authenticated and user.has_active_access and _is_decider(user, issuer)):
        raise NotAllowed(_("Hanya petugas instansi penerbit API ini yang dapat melakukan tindakan ini."))


def _assert_holder(user, api: Api) -> None:
    user_assert_can_submit(user=user)
    if user.company_id != api.company_id:
        raise NotAllowed(_("Hanya pemegang API yang dapat melakukan tindakan ini."))


# --------------------------------------------------------------------------- applications


def _assert_may_apply(company: Company, *, exclude_application: ApiApplication | None = None) -> None:
    """API-01 (Pasal 14(1)) one API of one kind per company; API-09 (Pasal 39) the waiting
    period after a revocation."""
    if Api.objects.filter(company=company).exclude(status=ApiStatus.REVOKED).exists():
        raise RuleViolation(
            _("Perusahaan sudah memiliki API; setiap importir hanya dapat memiliki 1 (satu) jenis API (Pasal 14)."),
            code="api_already_held",
        )
    open_apps = ApiApplication.objects.filter(company=company).exclude(
        status__in=[ApplicationStatus.REJECTED, ApplicationStatus.APPROVED]
    )
    if exclude_application is not None:
        open_apps = open_apps.exclude(pk=exclude_application.pk)
    if open_apps.exists():
        raise RuleViolation(
            _("Perusahaan sudah memiliki permohonan API yang sedang diproses."), code="api_application_open"
        )
    waiting = (
        Api.objects.filter(company=company, status=ApiStatus.REVOKED, new_application_from__gt=today())
        .order_by("-new_application_from")
        .first()
    )
    if waiting:
        raise RuleViolation(
            _("API perusahaan dicabut; permohonan baru dapat diajukan mulai %(day)s (Pasal 39).")
            % {"day": waiting.new_application_from.isoformat()},
            code="revocation_waiting_period",
        )


def _validate_kind(kind: str, hs_section: HsSection | None) -> None:
    """API-02, Pasal 4(2): an API-U names exactly one HS section; an API-P none."""
    if kind not in ApiKind.values:
        raise RuleViolation(_("Jenis API tidak dikenal."), code="invalid_kind", fields={"kind": [_("Pilih API-U atau API-P.")]})
    if kind == ApiKind.API_U and hs_section is None:
        raise RuleViolation(
            _("API-U harus mencantumkan tepat satu bagian (section) HS (Pasal 4)."),
            code="hs_section_required",
            fields={"hs_section": [_("Wajib untuk API-U.")]},
        )
    if kind == ApiKind.API_P and hs_section is not None:
        raise RuleViolation(
            _("API-P tidak dibatasi pada satu bagian HS."), code="hs_section_not_allowed",
            fields={"hs_section": [_("Kosongkan untuk API-P.")]},
        )


@retry_on_db_conflict
def api_application_create(
    *, actor, kind: str, hs_section: HsSection | None = None, line_of_business: str = "", directors: str = ""
) -> ApiApplication:
    """A draft application of the actor's company (Pasal 22)."""
    user_assert_can_submit(user=actor)
    _validate_kind(kind, hs_section)
    with transaction.atomic():
        company = Company.objects.select_for_update(of=("self",), no_key=True).get(pk=actor.company_id)
        _assert_may_apply(company)
        application = ApiApplication(
            company=company, kind=kind, hs_section=hs_section, line_of_business=line_of_business,
            directors=directors, created_by=actor,
        )
        application.full_clean()
        application.save()
        audit_record(obj=application, action="create", actor=actor, to_state=application.status, company=company)
    return application


@retry_on_db_conflict
def api_application_document_add(*, application: ApiApplication, actor, kind: str, upload) -> ApplicationDocument:
    """Attach one PDF of the route's documents (Pasal 22) to a draft."""
    user_assert_can_submit(user=actor)
    if actor.company_id != application.company_id:
        raise NotAllowed()
    if kind not in DocumentKind.values:
        raise RuleViolation(_("Jenis dokumen tidak dikenal."), code="invalid_document_kind", fields={"kind": [_("Tidak dikenal.")]})
    data = validate_pdf_upload(upload, label=str(DocumentKind(kind).label))
    path, digest = store_private(data, folder="api_registry/applications")
    with transaction.atomic():
        locked = ApiApplication.objects.select_for_update(of=("self",), no_key=True).get(pk=application.pk)
        if locked.status != ApplicationStatus.DRAFT:
            raise InvalidTransition(_("Dokumen hanya dapat ditambahkan pada draf."))
        return ApplicationDocument.objects.create(
            application=locked, kind=kind, path=path, sha256=digest, filename=display_name(getattr(upload, "name", ""))
        )


def required_documents_for(application: ApiApplication) -> tuple[str, ...]:
    route = api_route_for(company=application.company, kind=application.kind)
    return REQUIRED_DOCUMENTS.get((route.issuer.kind, application.kind), ())


@retry_on_db_conflict
def api_application_submit(*, application: ApiApplication, actor) -> ApiApplication:
    """Submit a draft: routed to its issuer (API-03) and its first step's clock started
    (API-04, SLA-02/03).

    Dinas route: the Kab/Kota inspects within 3 working days of receiving the copy (Pasal
    25(1)), the province may inspect instead within 7 (Pasal 25(2)). DG route: issue within 5
    or reject within 7 working days (Pasal 24). BKPM (Pasal 23) and zones (Pasal 21(2)) follow
    their own procedures: no deadline is set here.
    """
    user_assert_can_submit(user=actor)
    with transaction.atomic():
        app = ApiApplication.objects.select_for_update(of=("self",), no_key=True).get(pk=application.pk)
        if actor.company_id != app.company_id:
            raise NotAllowed()
        _check(APPLICATION_TRANSITIONS, "submit", app.status, app.reference)
        _assert_may_apply(app.company, exclude_application=app)
        _validate_kind(app.kind, app.hs_section)
        route = api_route_for(company=app.company, kind=app.kind)
        required = REQUIRED_DOCUMENTS.get((route.issuer.kind, app.kind))
        if required is None:
            raise RuleViolation(_("Jenis API ini tidak diterbitkan oleh instansi penerbit Anda."), code="kind_not_allowed_for_route")
        have = set(app.documents.values_list("kind", flat=True))
        missing = [kind for kind in required if kind not in have]
        if missing:
            raise RuleViolation(
                _("Dokumen persyaratan belum lengkap (Pasal 22)."),
                code="documents_missing",
                fields={kind: [_("Wajib diunggah.")] for kind in missing},
            )
        now = timezone.now()
        app.issuer, app.regency, app.submitted_at = route.issuer, route.regency, now
        if route.issuer.kind == IssuerKind.DINAS:
            app.status = ApplicationStatus.INSPECTION
            app.step_code = "api_inspection_regency"
            app.due_date = case_step_start(case=app, step=app.step_code, started_at=now)
            app.province_inspection_due = sla_due_date("api_inspection_province", now)
            app.reject_due_date = None
        elif route.issuer.kind == IssuerKind.DIRECTOR_GENERAL:
            app.status = ApplicationStatus.DECISION
            app.step_code = "api_p_issue_dg"
            app.due_date = case_step_start(case=app, step=app.step_code, started_at=now)
            app.reject_due_date = sla_due_date("api_p_reject_dg", now)
        else:
            app.status = ApplicationStatus.DECISION
            app.step_code, app.due_date, app.reject_due_date = "", None, None
            case_step_start(case=app, step=UNDATED_ISSUE_STEP, started_at=now)
        app.full_clean()
        app.save(update_fields=[
            "issuer", "regency", "submitted_at", "status", "step_code", "due_date", "province_inspection_due", "reject_due_date",
        ])
        email_queue(
            template="api_application_received",
            to=_company_emails(app.company),
            context={"company": app.company.name, "reference": app.reference, "kind": app.kind, "issuer": route.issuer.name},
            language=_lang(app.company),
        )
        audit_record(
            obj=app, action="submit", actor=actor, from_state=ApplicationStatus.DRAFT, to_state=app.status,
            company=app.company, data={"issuer": route.issuer.code, "due_date": app.due_date},
        )
    return app


@retry_on_db_conflict
def api_application_inspect(
    *, application: ApiApplication, actor, result: str, notes: str = "", bap_number: str = "", bap_upload=None,
) -> ApiApplication:
    """Record the field inspection's BAP (Pasal 25(3)).

    By the Kab/Kota office (a member of the province's Dinas for that Kab/Kota) within 3
    working days (Pasal 25(1)): the BAP then has to be forwarded to the province within 2
    (Pasal 25(4)). By the province itself only once the Kab/Kota deadline has passed
    (Pasal 25(2)): the application then goes straight to the decision (Pasal 26).
    """
    if result not in ("sesuai", "tidak_sesuai"):
        raise RuleViolation(_("Hasil pemeriksaan tidak dikenal."), code="invalid", fields={"result": [_("sesuai atau tidak_sesuai.")]})
    stored = ""
    if bap_upload is not None:
        stored, _digest = store_private(validate_pdf_upload(bap_upload, label="BAP"), folder="api_registry/bap")
    with transaction.atomic():
        app = ApiApplication.objects.select_for_update(of=("self",), no_key=True).get(pk=application.pk)
        _check(APPLICATION_TRANSITIONS, "inspect", app.status, app.reference)
        memberships = IssuerMembership.objects.filter(user=actor, issuer=app.issuer)
        if not (actor.is_authenticated and actor.role == Role.ISSUER_OFFICER and actor.has_active_access):
            memberships = memberships.none()
        at_regency = memberships.filter(regency=app.regency).exists()
        at_province = memberships.filter(regency__isnull=True).exists()
        now = timezone.now()
        if at_regency:
            level, app.status = "regency", ApplicationStatus.BAP_SIGNED
            app.step_code = "api_bap_forward"
            app.due_date = case_step_start(case=app, step=app.step_code, started_at=now)
        elif at_province:
            if app.due_date and timezone.localdate() <= app.due_date:
                raise InvalidTransition(
                    _("Provinsi dapat memeriksa setelah batas waktu Kabupaten/Kota (%(day)s) terlewati (Pasal 25(2)).")
                    % {"day": app.due_date.isoformat()},
                    code="regency_inspection_pending",
                )
            level, app.status = "province", ApplicationStatus.DECISION
            app.step_code = "api_issue_province"
            app.due_date = case_step_start(case=app, step=app.step_code, started_at=now)
            app.reject_due_date = sla_due_date("api_reject_province", now)
        else:
            raise NotAllowed(_("Anda bukan petugas Dinas yang memeriksa permohonan ini."))
        app.inspection_level, app.inspected_by, app.inspected_at = level, actor, now
        app.bap_result, app.bap_notes = result, notes
        app.bap_number = bap_number or f"BAP/{app.reference}/{timezone.localdate():%Y%m%d}"
        app.bap_file = stored or app.bap_file
        app.full_clean()
        app.save(update_fields=[
            "status", "step_code", "due_date", "reject_due_date", "inspection_level", "inspected_by", "inspected_at",
            "bap_result", "bap_notes", "bap_number", "bap_file",
        ])
        audit_record(
            obj=app, action="inspect", actor=actor, from_state=ApplicationStatus.INSPECTION, to_state=app.status,
            company=app.company, reason=notes, data={"level": level, "result": result, "bap_number": app.bap_number},
        )
    return app


@retry_on_db_conflict
def api_application_forward(*, application: ApiApplication, actor) -> ApiApplication:
    """The Kab/Kota forwards its signed BAP to the province (Pasal 25(4)); the province's
    clock starts: issue within 5, reject within 7 working days (Pasal 26(1), 26(3))."""
    with transaction.atomic():
        app = ApiApplication.objects.select_for_update(of=("self",), no_key=True).get(pk=application.pk)
        _check(APPLICATION_TRANSITIONS, "forward", app.status, app.reference)
        if not (
            actor.role == Role.ISSUER_OFFICER
            and IssuerMembership.objects.filter(user=actor, issuer=app.issuer, regency=app.regency).exists()
        ):
            raise NotAllowed(_("Hanya Dinas Kabupaten/Kota pembuat BAP yang menyampaikannya."))
        now = timezone.now()
        app.status, app.forwarded_at = ApplicationStatus.DECISION, now
        app.step_code = "api_issue_province"
        app.due_date = case_step_start(case=app, step=app.step_code, started_at=now)
        app.reject_due_date = sla_due_date("api_reject_province", now)
        app.save(update_fields=["status", "forwarded_at", "step_code", "due_date", "reject_due_date"])
        audit_record(obj=app, action="forward", actor=actor, from_state=ApplicationStatus.BAP_SIGNED, to_state=app.status, company=app.company)
    return app


@retry_on_db_conflict
def api_number_next(*, region_code: str, letter: str) -> str:
    """API-05 (P27 Pasal 28): two digits of the province, two of the Kab/Kota, a five-digit
    sequence per region, and the issuer's letter.

    The sequence is drawn from the region's counter row locked FOR UPDATE inside the issuing
    transaction: concurrent issuances queue on the lock (the race is two officers issuing in
    the same region at once), so numbers are distinct and, as the counter rolls back with a
    failed issuance, gap-free; a number once issued is never handed out again (REL-02).
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("api_number_next must run inside the issuing transaction")
    if len(region_code) != 4 or not region_code.isdigit():
        raise RuleViolation(_("Kode wilayah perusahaan tidak lengkap."), code="unknown_region")
    try:
        with transaction.atomic():
            ApiNumberCounter.objects.get_or_create(region_code=region_code)
    except IntegrityError:
        pass  # created concurrently; the lock below serialises us behind it
    counter = ApiNumberCounter.objects.select_for_update(of=("self",), no_key=True).get(region_code=region_code)
    counter.last_value += 1
    if counter.last_value > 99999:
        raise DomainError(_("Nomor urut API wilayah ini habis."), code="number_series_exhausted")
    counter.save(update_fields=["last_value"])
    return f"{region_code}{counter.last_value:05d}{letter}"


def _new_version(api: Api, *, company_name: str, address: str, directors: str, line_of_business: str, npwp: str) -> ApiVersion:
    return ApiVersion.objects.create(
        api=api, version=api.version, company_name=company_name, address=address, directors=directors,
        line_of_business=line_of_business, npwp=npwp, issued_at=timezone.now(),
    )


@retry_on_db_conflict
def api_application_approve(*, application: ApiApplication, actor) -> Api:
    """Issue the API (Pasal 23, 24(1), 26(1)): numbered (API-05), re-registration due in 5
    years (Pasal 15), its document signed through permits (API-06, Pasal 27)."""
    with transaction.atomic():
        app = ApiApplication.objects.select_for_update(of=("self",), no_key=True).select_related("company", "issuer", "regency").get(pk=application.pk)
        _assert_decider(actor, app.issuer)
        _check(APPLICATION_TRANSITIONS, "approve", app.status, app.reference)
        if Api.objects.filter(company=app.company).exclude(status=ApiStatus.REVOKED).exists():
            raise RuleViolation(_("Perusahaan sudah memiliki API (Pasal 14)."), code="api_already_held")
        region = app.regency.code if app.regency_id else (app.company.regency_code or "")
        number = api_number_next(region_code=region, letter=app.issuer.number_letter)
        issued_on = timezone.localdate()
        due = _add_years(issued_on, REREGISTRATION_YEARS)
        api = Api(
            number=number, kind=app.kind, source=ApiSource.ISSUED, company=app.company, hs_section=app.hs_section,
            issuer=app.issuer, application=app, status=ApiStatus.ACTIVE, issued_on=issued_on,
            reregistration_due=due, reregistration_deadline=add_working_days(due, REREGISTRATION_GRACE_WORKING_DAYS),
        )
        api.full_clean(validate_constraints=False)
        api.save()
        version = _new_version(
            api, company_name=app.company.name, address=app.company.address, directors=app.directors,
            line_of_business=app.line_of_business, npwp=app.company.npwp,
        )
        app.status, app.decided_by, app.decided_at = ApplicationStatus.APPROVED, actor, timezone.now()
        app.save(update_fields=["status", "decided_by", "decided_at"])
        case_step_finish(case=app, outcome=Outcome.APPROVED, at=app.decided_at)
        _api_document_issue(version=version, actor=actor)
        email_queue(
            template="api_issued",
            to=_company_emails(app.company),
            context={"company": app.company.name, "number": number, "kind": api.kind, "issuer": app.issuer.name, "api_id": api.pk},
            language=_lang(app.company),
        )
        audit_record(obj=app, action="approve", actor=actor, from_state=ApplicationStatus.DECISION, to_state=app.status, company=app.company, data={"number": number})
        audit_record(obj=api, action="issue", actor=actor, to_state=api.status, company=app.company, data={"number": number})
    return api


@retry_on_db_conflict
def api_application_reject(*, application: ApiApplication, actor, reason: str) -> ApiApplication:
    """Reject with reasons (Pasal 24(2), 26(3)); the Kab/Kota that made the BAP is copied."""
    if not (reason or "").strip():
        raise RuleViolation(_("Alasan penolakan wajib diisi."), code="reason_required", fields={"reason": [_("Wajib diisi.")]})
    with transaction.atomic():
        app = ApiApplication.objects.select_for_update(of=("self",), no_key=True).select_related("company", "issuer").get(pk=application.pk)
        _assert_decider(actor, app.issuer)
        _check(APPLICATION_TRANSITIONS, "reject", app.status, app.reference)
        app.status, app.decided_by, app.decided_at, app.decision_reason = ApplicationStatus.REJECTED, actor, timezone.now(), reason
        app.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
        # A rejection is judged against its own deadline (7 working days, Pasal 24(2), 26(3)).
        case_step_finish(case=app, outcome=Outcome.REJECTED, at=app.decided_at, step=REJECT_STEP_OF.get(app.step_code))
        email_queue(
            template="api_application_rejected",
            to=_company_emails(app.company),
            context={"company": app.company.name, "reference": app.reference, "kind": app.kind, "reason": reason, "issuer": app.issuer.name},
            language=_lang(app.company),
        )
        audit_record(obj=app, action="reject", actor=actor, from_state=ApplicationStatus.DECISION, to_state=app.status, company=app.company, reason=reason)
    return app


# --------------------------------------------------------------------------- the API document (API-06)


def _api_document_content(api: Api, version: ApiVersion) -> dict:
    """The content of the API document for ``permits`` (kinds ``api_u`` / ``api_p``)."""
    app = api.application
    company = api.company
    fields = []
    if api.hs_section_id:
        section = api.hs_section
        fields.append({"label": "Kelompok/jenis barang (bagian HS)",
                       "value": f"Bagian {section.roman}: {section.title} (Bab {section.chapter_from:02d}–{section.chapter_to:02d})"})
    if version.line_of_business:
        fields.append({"label": "Bidang usaha", "value": version.line_of_business})
    if version.directors:
        fields.append({"label": "Pengurus/Direksi", "value": version.directors})
    fields.append({"label": "Instansi penerbit", "value": api.issuer.name if api.issuer else ""})
    fields.append({"label": "Daftar ulang paling lambat", "value": api.reregistration_due.isoformat() if api.reregistration_due else ""})
    holder_documents = [{"label": "Izin usaha / NIB", "value": company.nib or "-"}]
    if app and app.bap_number:
        holder_documents.append({"label": "Berita Acara Pemeriksaan", "value": app.bap_number})
    kind_label = "Umum (API-U)" if api.kind == ApiKind.API_U else "Produsen (API-P)"
    return {
        "title": f"Angka Pengenal Importir {kind_label}",
        "holder": {"name": version.company_name, "address": version.address, "nib": company.nib, "npwp": version.npwp},
        "holder_documents": holder_documents,
        "fields": fields,
        "application": {
            "number": app.reference if app else api.number,
            "date": (timezone.localtime(app.submitted_at).date().isoformat() if app and app.submitted_at else api.issued_on.isoformat()),
        },
        "conditions": [
            "API berlaku untuk setiap kegiatan impor di seluruh wilayah Indonesia, bagi kantor pusat dan kantor cabang "
            "yang memiliki kegiatan usaha sejenis (Pasal 14 Permendag 27/M-DAG/PER/5/2012).",
            "API berlaku selama importir menjalankan kegiatan usahanya dan wajib didaftar ulang setiap 5 (lima) tahun (Pasal 15).",
            "Setiap perubahan data API wajib dilaporkan paling lama 30 (tiga puluh) hari sejak terjadinya perubahan (Pasal 31).",
            "Realisasi impor wajib dilaporkan setiap 3 (tiga) bulan, terealisasi atau tidak (Pasal 29).",
        ]
        + (["Barang yang diimpor dengan API-U hanya barang dalam bagian HS yang tercantum (Pasal 4)."] if api.kind == ApiKind.API_U else
           ["Barang yang diimpor dengan API-P dilarang diperdagangkan atau dipindahtangankan (Pasal 5(2))."]),
        "version": version.version,
    }


def api_permit_for(api: Api):
    """The permits-app document of an API (None before issuance or for a NIB-as-API)."""
    from permits.models import Permit

    return Permit.objects.filter(number=api.number, kind__in=("api_u", "api_p")).select_related("current_version").first()


def _api_document_issue(*, version: ApiVersion, actor) -> None:
    """API-06 (P27 Pasal 27): the API document, API-U light blue and API-P light green with the
    ministry's emblem, rendered, signed (DOC-02) and verifiable by the permits app.

    The first version is issued with ``permits.services.permit_issue`` (kind ``api_u`` or
    ``api_p``, template ``permits/pdf/api.html``); an amendment (API-08) is a new version with
    ``permit_amend``, the old version superseded but kept (DOC-06). Signing runs after commit.
    """
    from permits.services import permit_amend, permit_issue

    api = version.api
    content = _api_document_content(api, version)
    kind = "api_u" if api.kind == ApiKind.API_U else "api_p"
    if version.version == 1:
        permit = permit_issue(
            kind=kind, holder=api.company, number=api.number, content=content, signer=actor,
            valid_from=api.issued_on, title=content["title"], source=api, actor=actor, issued_on=api.issued_on,
        )
        reference = f"{permit.number} v1"
    else:
        permit = api_permit_for(api)
        if permit is None:
            raise InvalidTransition(_("Dokumen API belum diterbitkan."), code="api_document_missing")
        permit_version = permit_amend(
            permit=permit, content=content, signer=actor, actor=actor, reason=f"Perubahan data API (versi {version.version}, Pasal 31)",
        )
        reference = f"{permit.number} v{permit_version.version_no}"
    ApiVersion.objects.filter(pk=version.pk).update(permit_reference=reference)


def _api_document_status(*, api: Api, action: str, actor, reason: str) -> None:
    """Mirror a freeze, reactivation or revocation of the API on its document, so public
    verification (DOC-04) and INSW see it (API-09)."""
    from permits.models import permit_machine
    from permits.services import permit_freeze, permit_reactivate, permit_revoke

    permit = api_permit_for(api)
    if permit is None or not permit_machine.allows(action, permit.status):
        return
    {"freeze": permit_freeze, "reactivate": permit_reactivate, "revoke": permit_revoke}[action](
        permit=permit, actor=actor, reason=reason or action
    )


# --------------------------------------------------------------------------- NIB as API (API-12)


@retry_on_db_conflict
def api_record_nib(*, actor, kind: str, hs_section: HsSection | None = None) -> Api:
    """API-12: since OSS (PP 24/2018) the NIB also serves as API-U or API-P; the holder records
    it here instead of applying. One API per company still holds (API-01)."""
    user_assert_can_submit(user=actor)
    _validate_kind(kind, hs_section)
    with transaction.atomic():
        company = Company.objects.select_for_update(of=("self",), no_key=True).get(pk=actor.company_id)
        if len(company.nib) != 13 or not company.nib.isdigit():
            raise RuleViolation(_("Perusahaan tidak memiliki NIB 13 digit."), code="nib_missing")
        _assert_may_apply(company)
        issued_on = timezone.localdate()
        api = Api(
            number=company.nib, kind=kind, source=ApiSource.NIB, company=company, hs_section=hs_section,
            status=ApiStatus.ACTIVE, issued_on=issued_on,
        )
        api.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():
                api.save()
        except IntegrityError as exc:
            raise RuleViolation(_("NIB ini sudah tercatat sebagai API."), code="api_already_held") from exc
        audit_record(obj=api, action="record_nib", actor=actor, to_state=api.status, company=company, data={"nib": company.nib})
    return api


# --------------------------------------------------------------------------- freeze / reactivate / revoke (API-09)


def _reason(kind: str, code: str) -> ApiSanctionReason:
    reason = ApiSanctionReason.objects.filter(kind=kind, code=code).first()
    if reason is None:
        raise RuleViolation(
            _("Kode alasan tidak dikenal."), code="invalid_reason_code",
            fields={"reason_code": [_("Pilih salah satu kode alasan %(kind)s.") % {"kind": kind}]},
        )
    return reason


@retry_on_db_conflict
def _sanction(*, api: Api, actor, action: str, reason_kind: str, reason_code: str, note: str, system: bool = False) -> Api:
    reason = _reason(reason_kind, reason_code)
    with transaction.atomic():
        locked = Api.objects.select_for_update(of=("self",), no_key=True).select_related("company", "issuer").get(pk=api.pk)
        if not system:
            _assert_decider(actor, locked.issuer)
        _check(API_TRANSITIONS, action, locked.status, locked.number)
        before = locked.status
        day = timezone.localdate()
        locked.status = API_TRANSITIONS[action][1]
        locked.sanction_reason, locked.sanction_note = reason, note
        fields = ["status", "sanction_reason", "sanction_note"]
        if action == "freeze":
            locked.frozen_on = day
            fields.append("frozen_on")
        elif action == "reactivate":
            locked.frozen_on = None
            fields.append("frozen_on")
        else:
            locked.revoked_on = day
            locked.new_application_from = _add_years(day, reason.waiting_years)
            fields += ["revoked_on", "new_application_from"]
        locked.save(update_fields=fields)
        _api_document_status(api=locked, action=action, actor=actor, reason=f"{reason.source}: {reason.description}")
        _sanction_notice_queue(
            api=locked, action=action, reason=f"{reason.source}: {reason.description}", note=note,
            copies=api_sanction_notice_copies(apis=[locked])[locked.pk],
        )
        audit_record(
            obj=locked, action=action, actor=actor, from_state=before, to_state=locked.status, company=locked.company,
            reason=note or reason.description, data={"reason_code": reason.code, "source": reason.source},
        )
    return locked


def api_freeze(*, api: Api, actor, reason_code: str, note: str = "") -> Api:
    """Freeze (P27 Pasal 35); notice to the company with copies (tembusan) per Pasal 41."""
    return _sanction(api=api, actor=actor, action="freeze", reason_kind=SanctionKind.FREEZE, reason_code=reason_code, note=note)


def api_reactivate(*, api: Api, actor, reason_code: str, note: str = "") -> Api:
    """Reactivate a frozen API (P27 Pasal 36), with notice (Pasal 41)."""
    return _sanction(api=api, actor=actor, action="reactivate", reason_kind=SanctionKind.REACTIVATE, reason_code=reason_code, note=note)


def api_revoke(*, api: Api, actor, reason_code: str, note: str = "") -> Api:
    """Revoke (P27 Pasal 37), with notice (Pasal 41). A new application is accepted after 1
    year (grounds a–c) or 2 years (grounds d–h) (Pasal 39), per the reason's data."""
    return _sanction(api=api, actor=actor, action="revoke", reason_kind=SanctionKind.REVOKE, reason_code=reason_code, note=note)


# --------------------------------------------------------------------------- re-registration (API-07)


@retry_on_db_conflict
def api_reregister(*, api: Api, actor) -> Api:
    """The holder re-registers (P27 Pasal 15(2)–(3)): from 60 days before the fifth
    anniversary until 30 working days after it. The next one falls 5 years after the last
    anniversary, keeping the cadence from issuance.

    An API frozen only because the window closed (reason ``reregistration``) is reactivated
    by the late re-registration: the obligation behind the freeze is met (Pasal 36).
    """
    _assert_holder(actor, api)
    with transaction.atomic():
        locked = Api.objects.select_for_update(of=("self",), no_key=True).select_related("sanction_reason", "company", "issuer").get(pk=api.pk)
        frozen_for_it = (
            locked.status == ApiStatus.FROZEN and locked.sanction_reason_id and locked.sanction_reason.code == "reregistration"
        )
        if locked.source != ApiSource.ISSUED or not (locked.status == ApiStatus.ACTIVE or frozen_for_it):
            raise InvalidTransition(_("Hanya API aktif yang diterbitkan di INATRADE dapat didaftar ulang."))
        day = timezone.localdate()
        opens = locked.reregistration_due - timedelta(days=REMINDER_DAYS[0])
        if day < opens:
            raise InvalidTransition(
                _("Pendaftaran ulang dibuka mulai %(day)s.") % {"day": opens.isoformat()}, code="reregistration_not_open"
            )
        before_due, before_status = locked.reregistration_due, locked.status
        locked.last_reregistered_on = day
        locked.reregistration_due = _add_years(before_due, REREGISTRATION_YEARS)
        while locked.reregistration_due < day:  # years late: the next anniversary still ahead
            locked.reregistration_due = _add_years(locked.reregistration_due, REREGISTRATION_YEARS)
        locked.reregistration_deadline = add_working_days(locked.reregistration_due, REREGISTRATION_GRACE_WORKING_DAYS)
        locked.reminder_stage = 0
        fields = ["last_reregistered_on", "reregistration_due", "reregistration_deadline", "reminder_stage"]
        if frozen_for_it:
            locked.status, locked.frozen_on = ApiStatus.ACTIVE, None
            locked.sanction_reason = _reason(SanctionKind.REACTIVATE, "obligation_met")
            locked.sanction_note = "Pendaftaran ulang diterima (Pasal 15, 36)."
            fields += ["status", "frozen_on", "sanction_reason", "sanction_note"]
        locked.save(update_fields=fields)
        if frozen_for_it:
            _api_document_status(api=locked, action="reactivate", actor=actor, reason=locked.sanction_note)
            _sanction_notice_queue(
                api=locked, action="reactivate", note=locked.sanction_note,
                reason=f"{locked.sanction_reason.source}: {locked.sanction_reason.description}",
                copies=api_sanction_notice_copies(apis=[locked])[locked.pk],
            )
        audit_record(
            obj=locked, action="reregister", actor=actor, from_state=before_status, to_state=locked.status,
            company=locked.company, data={"previous_due": before_due, "next_due": locked.reregistration_due},
        )
    return locked


@retry_on_db_conflict
def api_reregistration_job(*, as_of: date) -> dict:
    """Periodic job ``api_reregistration`` (API-07, Pasal 15): remind 60 and 14 days before
    the fifth anniversary, freeze the APIs whose window (30 working days after it) has closed.

    Set-based and idempotent: each step selects its rows, changes them with one UPDATE whose
    WHERE repeats the condition (so a concurrent run changes nothing twice), then queues the
    notices and audit rows for exactly the rows it changed.
    """
    result = {"reminded_60": 0, "reminded_14": 0, "frozen": 0}
    base = Api.objects.filter(status=ApiStatus.ACTIVE, source=ApiSource.ISSUED)
    for stage, days, key in ((1, REMINDER_DAYS[0], "reminded_60"), (2, REMINDER_DAYS[1], "reminded_14")):
        with transaction.atomic():
            candidates = base.filter(
                reminder_stage__lt=stage, reregistration_due__lte=as_of + timedelta(days=days), reregistration_deadline__gte=as_of
            )
            if stage == 1:
                # Past the 14-day mark the 60-day reminder is skipped: only the latest is sent.
                candidates = candidates.filter(reregistration_due__gt=as_of + timedelta(days=REMINDER_DAYS[1]))
            rows = list(candidates.select_for_update(of=("self",), no_key=True, skip_locked=True).select_related("company").values_list("pk", "number", "reregistration_due", "reregistration_deadline", "company_id"))
            ids = [row[0] for row in rows]
            changed = Api.objects.filter(pk__in=ids, reminder_stage__lt=stage).update(reminder_stage=stage)
            companies = {c.pk: c for c in Company.objects.filter(pk__in=[row[4] for row in rows])}
            for pk, number, due, deadline, company_id in rows:
                company = companies[company_id]
                email_queue(
                    template="api_reregistration_reminder",
                    to=_company_emails(company),
                    context={"company": company.name, "number": number, "due": due, "deadline": deadline, "days": days},
                    language=_lang(company),
                )
            result[key] = changed
    with transaction.atomic():
        reason = _reason(SanctionKind.FREEZE, "reregistration")
        rows = list(
            base.filter(reregistration_deadline__lt=as_of).select_for_update(of=("self",), no_key=True, skip_locked=True).select_related("company", "issuer")
        )
        changed = Api.objects.filter(pk__in=[api.pk for api in rows], status=ApiStatus.ACTIVE).update(
            status=ApiStatus.FROZEN, frozen_on=as_of, sanction_reason=reason,
            sanction_note="Dibekukan otomatis: batas pendaftaran ulang terlewati (Pasal 15(3)).",
        )
        copies = api_sanction_notice_copies(apis=rows)
        for api in rows:
            _api_document_status(api=api, action="freeze", actor=None, reason=f"{reason.source}: {reason.description}")
            _sanction_notice_queue(
                api=api, action="freeze", reason=f"{reason.source}: {reason.description}", note="", copies=copies[api.pk],
            )
            audit_record(
                obj=api, action="freeze", actor=None, from_state=ApiStatus.ACTIVE, to_state=ApiStatus.FROZEN,
                company=api.company, reason=reason.description, data={"reason_code": reason.code, "job": "api_reregistration"},
            )
        result["frozen"] = changed
    return result


# --------------------------------------------------------------------------- changes (API-08)


@retry_on_db_conflict
def api_change_request_submit(
    *, api: Api, actor, changed_on: date, company_name: str = "", address: str = "", directors: str = "", line_of_business: str = "",
) -> ApiChangeRequest:
    """The holder reports a change of API data (P27 Pasal 31(1)–(3)); the issuer must issue the
    amended API within 3 working days (Pasal 31(4)). A report later than 30 days after the
    change is accepted and marked late (grounds for a freeze, Pasal 35)."""
    _assert_holder(actor, api)
    if not any(v.strip() for v in (company_name, address, directors, line_of_business)):
        raise RuleViolation(_("Sebutkan data yang berubah."), code="no_change", fields={"company_name": [_("Isi minimal satu perubahan.")]})
    with transaction.atomic():
        locked = Api.objects.select_for_update(of=("self",), no_key=True).get(pk=api.pk)
        if locked.status != ApiStatus.ACTIVE or locked.source != ApiSource.ISSUED:
            raise InvalidTransition(_("Perubahan hanya untuk API aktif yang diterbitkan di INATRADE."))
        if locked.change_requests.filter(status="submitted").exists():
            raise InvalidTransition(_("Masih ada permohonan perubahan yang sedang diproses."), code="change_open")
        now = timezone.now()
        change = ApiChangeRequest(
            api=locked, company_name=company_name, address=address, directors=directors, line_of_business=line_of_business,
            changed_on=changed_on, submitted_by=actor, due_date=sla_due_date("api_amendment", now),
            reported_late=(timezone.localdate() - changed_on).days > CHANGE_REPORT_DAYS,
        )
        change.full_clean()
        change.save()
        case_step_start(case=change, step="api_amendment", started_at=now)
        audit_record(obj=change, action="submit", actor=actor, to_state=change.status, company=locked.company, data={"api": locked.number})
    return change


@retry_on_db_conflict
def api_change_request_approve(*, change: ApiChangeRequest, actor) -> ApiVersion:
    """Issue the amended API (Pasal 31(4)): a new document version; the old one is
    superseded but kept (DOC-06). The company's own record follows the change."""
    with transaction.atomic():
        locked = ApiChangeRequest.objects.select_for_update(of=("self",), no_key=True).select_related("api", "api__issuer").get(pk=change.pk)
        api = Api.objects.select_for_update(of=("self",), no_key=True).select_related("company").get(pk=locked.api_id)
        _assert_decider(actor, api.issuer)
        _check(CHANGE_TRANSITIONS, "approve", locked.status, f"perubahan #{locked.pk}")
        current = api.versions.order_by("-version").first()
        now = timezone.now()
        if current:
            ApiVersion.objects.filter(pk=current.pk).update(superseded_at=now)
        company = api.company
        if locked.company_name:
            company.name = locked.company_name
        if locked.address:
            company.address = locked.address
        company.save(update_fields=["name", "address"])
        api.version += 1
        api.save(update_fields=["version"])
        version = _new_version(
            api, company_name=company.name, address=company.address,
            directors=locked.directors or (current.directors if current else ""),
            line_of_business=locked.line_of_business or (current.line_of_business if current else ""), npwp=company.npwp,
        )
        locked.status, locked.decided_by, locked.decided_at = CHANGE_TRANSITIONS["approve"][1], actor, now
        locked.save(update_fields=["status", "decided_by", "decided_at"])
        case_step_finish(case=locked, outcome=Outcome.APPROVED, at=now)
        _api_document_issue(version=version, actor=actor)
        email_queue(
            template="api_change_decided", to=_company_emails(company),
            context={"company": company.name, "number": api.number, "approved": True, "version": version.version, "reason": ""},
            language=_lang(company),
        )
        audit_record(obj=locked, action="approve", actor=actor, from_state="submitted", to_state=locked.status, company=company)
        audit_record(obj=api, action="amend", actor=actor, from_state=api.status, to_state=api.status, company=company, data={"version": version.version})
    return version


@retry_on_db_conflict
def api_change_request_reject(*, change: ApiChangeRequest, actor, reason: str) -> ApiChangeRequest:
    if not (reason or "").strip():
        raise RuleViolation(_("Alasan penolakan wajib diisi."), code="reason_required", fields={"reason": [_("Wajib diisi.")]})
    with transaction.atomic():
        locked = ApiChangeRequest.objects.select_for_update(of=("self",), no_key=True).select_related("api", "api__issuer", "api__company").get(pk=change.pk)
        _assert_decider(actor, locked.api.issuer)
        _check(CHANGE_TRANSITIONS, "reject", locked.status, f"perubahan #{locked.pk}")
        locked.status, locked.decided_by, locked.decided_at, locked.reason = CHANGE_TRANSITIONS["reject"][1], actor, timezone.now(), reason
        locked.save(update_fields=["status", "decided_by", "decided_at", "reason"])
        case_step_finish(case=locked, outcome=Outcome.REJECTED, at=locked.decided_at)
        email_queue(
            template="api_change_decided", to=_company_emails(locked.api.company),
            context={"company": locked.api.company.name, "number": locked.api.number, "approved": False, "version": None, "reason": reason},
            language=_lang(locked.api.company),
        )
        audit_record(obj=locked, action="reject", actor=actor, from_state="submitted", to_state=locked.status, company=locked.api.company, reason=reason)
    return locked


# --------------------------------------------------------------------------- Produsen Importir (API-10)


@retry_on_db_conflict
def produsen_importir_apply(*, api: Api, actor, purpose: str, goods: str) -> ProdusenImportir:
    """An API-P holder asks the Director General to be designated Produsen Importir (P27
    Pasal 10–11); decided within 5 working days (Pasal 11(2)). After a revocation, not before
    the waiting period ends (Pasal 38(3))."""
    _assert_holder(actor, api)
    if purpose not in ("tes_pasar", "komplementer"):
        raise RuleViolation(_("Tujuan tidak dikenal."), code="invalid", fields={"purpose": [_("tes_pasar atau komplementer.")]})
    if not goods.strip():
        raise RuleViolation(_("Sebutkan jenis dan pos tarif barang."), code="invalid", fields={"goods": [_("Wajib diisi.")]})
    with transaction.atomic():
        locked = Api.objects.select_for_update(of=("self",), no_key=True).get(pk=api.pk)
        if locked.kind != ApiKind.API_P:
            raise RuleViolation(_("Hanya pemilik API-P yang dapat ditetapkan sebagai Produsen Importir (Pasal 10)."), code="api_p_required")
        if locked.status != ApiStatus.ACTIVE:
            raise InvalidTransition(_("API tidak aktif."), code="api_not_active")
        if locked.designations.filter(status__in=[DesignationStatus.SUBMITTED, DesignationStatus.DESIGNATED]).exists():
            raise InvalidTransition(_("Sudah ada penetapan atau permohonan Produsen Importir."), code="designation_open")
        blocked = locked.designations.filter(status=DesignationStatus.REVOKED, redesignation_from__gt=timezone.localdate()).first()
        if blocked:
            raise RuleViolation(
                _("Penetapan ulang baru dapat diajukan mulai %(day)s (Pasal 38(3)).") % {"day": blocked.redesignation_from.isoformat()},
                code="redesignation_waiting_period",
            )
        now = timezone.now()
        designation = ProdusenImportir.objects.create(
            api=locked, purpose=purpose, goods=goods, submitted_by=actor, due_date=sla_due_date("produsen_importir", now)
        )
        case_step_start(case=designation, step="produsen_importir", started_at=now)
        audit_record(obj=designation, action="submit", actor=actor, to_state=designation.status, company=locked.company)
    return designation


@retry_on_db_conflict
def _designation_transition(*, designation: ProdusenImportir, actor, action: str, reason: str = "", reason_code: str = "") -> ProdusenImportir:
    if actor.role != Role.DIRECTOR_GENERAL or not actor.has_active_access:
        raise NotAllowed(_("Penetapan Produsen Importir diputuskan oleh Direktur Jenderal (Pasal 11)."))
    sanction = _reason(SanctionKind.PI_REVOKE, reason_code) if action == "revoke" else None
    if action == "reject" and not reason.strip():
        raise RuleViolation(_("Alasan penolakan wajib diisi."), code="reason_required", fields={"reason": [_("Wajib diisi.")]})
    with transaction.atomic():
        locked = ProdusenImportir.objects.select_for_update(of=("self",), no_key=True).select_related("api", "api__company").get(pk=designation.pk)
        _check(DESIGNATION_TRANSITIONS, action, locked.status, f"Produsen Importir #{locked.pk}")
        before = locked.status
        locked.status = DESIGNATION_TRANSITIONS[action][1]
        fields = ["status", "reason"]
        locked.reason = reason
        if action == "revoke":
            day = timezone.localdate()
            locked.revoke_reason, locked.revoked_on = sanction, day
            locked.redesignation_from = _add_years(day, sanction.waiting_years)
            fields += ["revoke_reason", "revoked_on", "redesignation_from"]
        else:
            locked.decided_by, locked.decided_at = actor, timezone.now()
            fields += ["decided_by", "decided_at"]
            case_step_finish(case=locked, outcome=Outcome.APPROVED if action == "approve" else Outcome.REJECTED, at=locked.decided_at)
        locked.save(update_fields=fields)
        email_queue(
            template="produsen_importir_decided", to=_company_emails(locked.api.company),
            context={"company": locked.api.company.name, "number": locked.api.number, "action": action, "reason": reason or (sanction.description if sanction else "")},
            language=_lang(locked.api.company),
        )
        audit_record(obj=locked, action=action, actor=actor, from_state=before, to_state=locked.status, company=locked.api.company, reason=reason)
    return locked


def produsen_importir_approve(*, designation: ProdusenImportir, actor) -> ProdusenImportir:
    return _designation_transition(designation=designation, actor=actor, action="approve")


def produsen_importir_reject(*, designation: ProdusenImportir, actor, reason: str) -> ProdusenImportir:
    return _designation_transition(designation=designation, actor=actor, action="reject", reason=reason)


def produsen_importir_revoke(*, designation: ProdusenImportir, actor, reason_code: str, note: str = "") -> ProdusenImportir:
    """Revoke a designation (P27 Pasal 38(1)); re-designation after the reason's waiting period
    (1 year, Pasal 38(3))."""
    return _designation_transition(designation=designation, actor=actor, action="revoke", reason=note, reason_code=reason_code)


# --------------------------------------------------------------------------- quarterly reports (API-11)


@retry_on_db_conflict
def quarterly_report_submit(
    *, api: Api, actor, year: int, quarter: int, realized: bool, shipments: int = 0, value_usd=0, notes: str = "",
) -> QuarterlyReport:
    """A quarterly realization report, realized or not (P27 Pasal 29), for a quarter that has
    ended; one per quarter."""
    _assert_holder(actor, api)
    if quarter not in (1, 2, 3, 4):
        raise RuleViolation(_("Triwulan tidak dikenal."), code="invalid", fields={"quarter": [_("1 sampai 4.")]})
    if quarter_end(year, quarter) >= timezone.localdate():
        raise RuleViolation(_("Laporan hanya untuk triwulan yang telah berakhir."), code="quarter_not_ended", fields={"quarter": [_("Triwulan belum berakhir.")]})
    if not realized and (shipments or value_usd):
        raise RuleViolation(_("Laporan nihil tidak memuat realisasi."), code="invalid", fields={"shipments": [_("Harus 0 untuk laporan nihil.")]})
    with transaction.atomic():
        locked = Api.objects.select_for_update(of=("self",), no_key=True).get(pk=api.pk)
        if locked.status == ApiStatus.REVOKED:
            raise InvalidTransition(_("API telah dicabut."))
        if QuarterlyReport.objects.filter(api=locked, year=year, quarter=quarter).exists():
            raise InvalidTransition(_("Laporan triwulan ini sudah disampaikan."), code="report_exists")
        report = QuarterlyReport.objects.create(
            api=locked, year=year, quarter=quarter, realized=realized, shipments=shipments, value_usd=value_usd,
            notes=notes, submitted_by=actor,
        )
        if locked.missed_quarter == report.period:
            locked.missed_quarter = ""
            locked.save(update_fields=["missed_quarter"])
        audit_record(obj=report, action="submit", actor=actor, to_state="filed", company=locked.company, data={"api": locked.number, "period": report.period})
    return report


@retry_on_db_conflict
def quarterly_report_check(*, as_of: date) -> dict:
    """Periodic job ``quarterly_report_check`` (API-11): once the previous quarter's report is
    15 days overdue, flag each API without it (``missed_quarter``) with one UPDATE and notify
    its holder and issuer once; a second run for the same day changes nothing."""
    year, quarter = previous_quarter(as_of)
    period = f"{year}Q{quarter}"
    if as_of <= quarter_end(year, quarter) + timedelta(days=QUARTERLY_REPORT_GRACE_DAYS):
        return {"period": period, "flagged": 0, "status": "not yet due"}
    reported = QuarterlyReport.objects.filter(api=OuterRef("pk"), year=year, quarter=quarter)
    with transaction.atomic():
        late = (
            Api.objects.filter(status__in=[ApiStatus.ACTIVE, ApiStatus.FROZEN], issued_on__lte=quarter_end(year, quarter))
            .exclude(missed_quarter=period)
            .filter(~Exists(reported))
        )
        rows = list(late.select_for_update(of=("self",), no_key=True, skip_locked=True).select_related("company", "issuer"))
        flagged = Api.objects.filter(pk__in=[api.pk for api in rows]).exclude(missed_quarter=period).update(missed_quarter=period)
        for api in rows:
            to = _company_emails(api.company)
            if api.issuer and api.issuer.email:
                to.append(api.issuer.email)
            email_queue(
                template="api_quarterly_missed", to=to,
                context={"company": api.company.name, "number": api.number, "period": period},
                language=_lang(api.company),
            )
    return {"period": period, "flagged": flagged}

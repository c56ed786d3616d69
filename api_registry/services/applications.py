"""Applications for a new API (P27 Pasal 22–26): draft, documents, submission, decision; and
the NIB recorded as API (API-12). Each move goes through ``APPLICATION_MACHINE``."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Company
from accounts.selectors import user_assert_can_submit
from api_registry.models import (
    API_MACHINE,
    APPLICATION_MACHINE,
    REQUIRED_DOCUMENTS,
    Api,
    ApiApplication,
    ApiKind,
    ApiNumberCounter,
    ApiSource,
    ApiStatus,
    ApplicationDocument,
    ApplicationStatus,
    DocumentKind,
    HsSection,
    IssuerKind,
)
from api_registry.selectors import api_route_for
from api_registry.services.common import (
    REJECT_STEP_OF,
    REREGISTRATION_GRACE_WORKING_DAYS,
    REREGISTRATION_YEARS,
    UNDATED_ISSUE_STEP,
    NotAllowed,
    _add_years,
    _api_document_issue,
    _assert_decider,
    _company_notice,
    _new_version,
    _require_reason,
)
from inatrade.audit import audit_record
from inatrade.db import retry_on_db_conflict
from inatrade.errors import DomainError, RuleViolation
from inatrade.files import display_name, store_private, validate_pdf_upload
from inatrade.workdays import add_working_days, sla_due_date, today
from workspace.models import Outcome
from workspace.services import case_step_finish, case_step_start


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
        audit_record(obj=application, action="api_application.create", actor=actor, to_state=application.status, company=company)
    return application


@retry_on_db_conflict
def api_application_document_add(*, application: ApiApplication, actor, kind: str, upload) -> ApplicationDocument:
    """Attach one PDF of the route's documents (Pasal 22) to a draft: a move a draft allows
    (the ``submit`` sources of ``APPLICATION_MACHINE``)."""
    user_assert_can_submit(user=actor)
    if actor.company_id != application.company_id:
        raise NotAllowed()
    if kind not in DocumentKind.values:
        raise RuleViolation(_("Jenis dokumen tidak dikenal."), code="invalid_document_kind", fields={"kind": [_("Tidak dikenal.")]})
    data = validate_pdf_upload(upload, label=str(DocumentKind(kind).label))
    path, digest = store_private(data, folder="api_registry/applications")
    with transaction.atomic():
        locked = APPLICATION_MACHINE.lock(application.pk)
        APPLICATION_MACHINE.target("submit", locked.status, obj=locked)
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
        app = APPLICATION_MACHINE.lock(application.pk)
        if actor.company_id != app.company_id:
            raise NotAllowed()
        APPLICATION_MACHINE.target("submit", app.status, obj=app)
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
        target = ApplicationStatus.DECISION
        if route.issuer.kind == IssuerKind.DINAS:
            target = ApplicationStatus.INSPECTION
            app.step_code = "api_inspection_regency"
            app.due_date = case_step_start(case=app, step=app.step_code, started_at=now)
            app.province_inspection_due = sla_due_date("api_inspection_province", now)
            app.reject_due_date = None
        elif route.issuer.kind == IssuerKind.DIRECTOR_GENERAL:
            app.step_code = "api_p_issue_dg"
            app.due_date = case_step_start(case=app, step=app.step_code, started_at=now)
            app.reject_due_date = sla_due_date("api_p_reject_dg", now)
        else:
            app.step_code, app.due_date, app.reject_due_date = "", None, None
            case_step_start(case=app, step=UNDATED_ISSUE_STEP, started_at=now)
        app.full_clean()
        APPLICATION_MACHINE.apply(
            app, "submit", actor=actor, company=app.company, target=target,
            data={"issuer": route.issuer.code, "due_date": app.due_date},
            update_fields=["issuer", "regency", "submitted_at", "step_code", "due_date", "province_inspection_due", "reject_due_date"],
        )
        _company_notice(
            app.company, template="api_application_received",
            context={"company": app.company.name, "reference": app.reference, "kind": app.kind, "issuer": route.issuer.name},
        )
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


@retry_on_db_conflict
def api_application_approve(*, application: ApiApplication, actor) -> Api:
    """Issue the API (Pasal 23, 24(1), 26(1)): numbered (API-05), re-registration due in 5
    years (Pasal 15), its document signed through permits (API-06, Pasal 27)."""
    with transaction.atomic():
        app = APPLICATION_MACHINE.lock(
            application.pk, queryset=ApiApplication.objects.select_related("company", "issuer", "regency"))
        _assert_decider(actor, app.issuer)
        APPLICATION_MACHINE.target("approve", app.status, obj=app)
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
        app.decided_by, app.decided_at = actor, timezone.now()
        APPLICATION_MACHINE.apply(app, "approve", actor=actor, company=app.company, data={"number": number},
                                  update_fields=["decided_by", "decided_at"])
        case_step_finish(case=app, outcome=Outcome.APPROVED, at=app.decided_at)
        _api_document_issue(version=version, actor=actor)
        _company_notice(
            app.company, template="api_issued",
            context={"company": app.company.name, "number": number, "kind": api.kind, "issuer": app.issuer.name, "api_id": api.pk},
        )
        audit_record(obj=api, action=API_MACHINE.action("issue"), actor=actor, to_state=api.status, company=app.company,
                     data={"number": number})
    return api


@retry_on_db_conflict
def api_application_reject(*, application: ApiApplication, actor, reason: str) -> ApiApplication:
    """Reject with reasons (Pasal 24(2), 26(3)); the Kab/Kota that made the BAP is copied."""
    _require_reason(reason)
    with transaction.atomic():
        app = APPLICATION_MACHINE.lock(application.pk, queryset=ApiApplication.objects.select_related("company", "issuer"))
        _assert_decider(actor, app.issuer)
        app.decided_by, app.decided_at, app.decision_reason = actor, timezone.now(), reason
        APPLICATION_MACHINE.apply(app, "reject", actor=actor, company=app.company, reason=reason,
                                  update_fields=["decided_by", "decided_at", "decision_reason"])
        # A rejection is judged against its own deadline (7 working days, Pasal 24(2), 26(3)).
        case_step_finish(case=app, outcome=Outcome.REJECTED, at=app.decided_at, step=REJECT_STEP_OF.get(app.step_code))
        _company_notice(
            app.company, template="api_application_rejected",
            context={"company": app.company.name, "reference": app.reference, "kind": app.kind, "reason": reason, "issuer": app.issuer.name},
        )
    return app


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
        api = Api(
            number=company.nib, kind=kind, source=ApiSource.NIB, company=company, hs_section=hs_section,
            status=ApiStatus.ACTIVE, issued_on=timezone.localdate(),
        )
        api.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():
                api.save()
        except IntegrityError as exc:
            raise RuleViolation(_("NIB ini sudah tercatat sebagai API."), code="api_already_held") from exc
        audit_record(obj=api, action=API_MACHINE.action("record_nib"), actor=actor, to_state=api.status, company=company,
                     data={"nib": company.nib})
    return api

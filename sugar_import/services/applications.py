"""Sugar PI applications (P14 Pasal 3–4): draft, submit, return, approve (the PI is issued
through permits/), reject; PI-10 paper applications entered in force majeure."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from accounts.models import Company, Role
from accounts.selectors import user_assert_can_submit
from inatrade.audit import audit_record
from inatrade.db import retry_on_db_conflict
from inatrade.errors import InvalidTransition, RuleViolation
from inatrade.files import display_name, store_private, validate_pdf_upload
from permits import services as permit_services
from sugar_import.models import Country, Port  # reference data of the lines
from sugar_import.models import (
    APPLICATION_MACHINE,
    ApplicationDocument,
    ApplicationLine,
    ApplicationStatus,
    Purpose,
    QuotaAllocation,
    Recommendation,
    SugarApplication,
    SugarPermit,
    SugarPermitLine,
    SugarType,
)
from sugar_import.services import common
from sugar_import.services.common import (
    CHECKERS,
    DECIDERS,
    PERMIT_KIND,
    NotFound,
    assert_role,
    check_line_count,
    fmt_tonnes,
    notify,
    refuse_with_reason,
    tonnes_or_zero,
)
from sugar_import.services.eligibility import (
    check_application,
    check_eligibility,
    line_dicts,
    next_number,
    permit_content,
    validity,
)
from workspace.models import Outcome
from workspace.services import case_step_finish, case_step_start


def _reference() -> str:
    """PI-GULA-<yyyymmdd>-<random>: the application's own number (not the permit's)."""
    import secrets

    return f"PGL-{common.today():%Y%m%d}-{secrets.token_hex(3).upper()}"



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
        volume = tonnes_or_zero(line.get("volume_tonnes"))
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
        assert_role(actor, (Role.COUNTER_OFFICER,))
        if company is None or manual_letter is None:
            raise RuleViolation(_("Permohonan manual memerlukan perusahaan dan surat permohonan yang dipindai."),
                                code="manual_letter_required", fields={"manual_letter": [_("Wajib diisi.")]})
    else:
        user_assert_can_submit(user=actor)
        company = actor.company
    for rec in (recommendation, assignment):
        if rec is not None and rec.company_id != company.pk:
            raise NotFound(_("Rekomendasi tidak ditemukan."))
    check_eligibility(company=company, purpose=purpose, sugar_type=sugar_type, lines=lines,
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
        audit_record(obj=application, action="sugar_application.create", actor=actor, to_state=application.status,
                     company=company, data={"manual": manual})
    return application


def _assert_editable(application: SugarApplication, actor) -> None:
    if application.is_manual:
        assert_role(actor, (Role.COUNTER_OFFICER,))
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
        check_eligibility(
            company=application.company, purpose=application.purpose, sugar_type=application.sugar_type,
            lines=[{"volume_tonnes": line.volume_tonnes} for line in application.lines.all()],
            recommendation=application.recommendation, assignment=application.assignment,
        )
        audit_record(obj=application, action="sugar_application.update", actor=actor, from_state=application.status,
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
        audit_record(obj=application, action="sugar_application.add_document", actor=actor, company=application.company,
                     data={"kind": kind, "sha256": digest})
    return document


@retry_on_db_conflict
def sugar_application_submit(*, application: SugarApplication, actor) -> SugarApplication:
    """P14 Pasal 3–4: received complete and correct, the 3-working-day clock starts (SLA-02)."""
    with transaction.atomic():
        application = APPLICATION_MACHINE.lock(application.pk)
        _assert_editable(application, actor)
        check_application(application, as_of=common.today())
        application.submitted_at = common.now()
        application.due_date = case_step_start(case=application, step="sugar_pi_decision", started_at=application.submitted_at)
        APPLICATION_MACHINE.apply(application, "submit", actor=actor, company=application.company,
                                  data={"due_date": application.due_date}, update_fields=["submitted_at", "due_date"])
        notify(application.company, "sugar_application_received",
               {"reference": application.reference, "due_date": application.due_date.isoformat()})
    return application


@retry_on_db_conflict
def sugar_application_return(*, application: SugarApplication, actor, reason: str) -> SugarApplication:
    """Send back for correction: the clock stops (SLA-02)."""
    return refuse_with_reason(
        machine=APPLICATION_MACHINE, pk=application.pk, verb="return", actor=actor, roles=CHECKERS, reason=reason,
        fields=lambda reason: {"return_reason": reason, "due_date": None}, outcome=Outcome.RETURNED,
        notice="sugar_application_returned", context=lambda obj, reason: {"reference": obj.reference, "reason": reason},
    )


@retry_on_db_conflict
def sugar_application_reject(*, application: SugarApplication, actor, reason: str) -> SugarApplication:
    """P14 Pasal 4(2): rejected electronically, with reasons."""
    return refuse_with_reason(
        machine=APPLICATION_MACHINE, pk=application.pk, verb="reject", actor=actor, roles=DECIDERS, reason=reason,
        fields=lambda reason: {"decision_reason": reason, "decided_by": actor, "decided_at": common.now()},
        outcome=Outcome.REJECTED, notice="sugar_application_rejected",
        context=lambda obj, reason: {"reference": obj.reference, "reason": reason},
    )


@retry_on_db_conflict
def sugar_application_approve(*, application: SugarApplication, actor) -> SugarPermit:
    """PI-06 (P14 Pasal 4(1)): the Director General approves; the PI is issued through
    permits/ (signed after commit) and the rakor quota is drawn in the same transaction.

    Races: twenty officers clicking "approve" at once (REL-01) serialize on the application
    row lock and only the first finds it ``submitted``; approvals of different applications
    drawing one quota (REL-03) serialize on the quota row lock, taken after the validation and
    the permit's content so that it is held briefly, and a CHECK constraint backs it.
    """
    assert_role(actor, DECIDERS)
    with transaction.atomic():
        application = APPLICATION_MACHINE.lock(
            application.pk, queryset=SugarApplication.objects.select_related("company", "purpose", "sugar_type"))
        APPLICATION_MACHINE.target("approve", application.status, obj=application)  # refuse before any work
        today = common.today()
        # Validation and the permit's content first, holding only the application's lock...
        quota, api, total = check_application(application, as_of=today)
        valid_from, valid_until = validity(application, today)
        lines = list(application.lines.select_related("origin_country", "port_of_discharge"))
        content = permit_content(application=application, company=application.company, api=api,
                                  sugar_type=application.sugar_type, lines=line_dicts(lines), total=total,
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
        number = next_number(today.year)
        permit = permit_services.permit_issue(
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
        application.decided_by, application.decided_at = actor, common.now()
        APPLICATION_MACHINE.apply(application, "approve", actor=actor, company=application.company,
                                  data={"permit": number, "volume_tonnes": str(total), "quota": quota.pk},
                                  update_fields=["decided_by", "decided_at"])
        case_step_finish(case=application, outcome=Outcome.APPROVED, at=application.decided_at)
        notify(application.company, "sugar_permit_issued", {
            "reference": application.reference, "number": number, "valid_from": valid_from,
            "valid_until": valid_until, "volume": fmt_tonnes(total),
        })
    return sugar_permit

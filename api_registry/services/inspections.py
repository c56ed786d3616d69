"""The field inspection of the Dinas route (P27 Pasal 25): the BAP by the Kab/Kota or, once
its deadline has passed, by the province; the Kab/Kota forwards its BAP to the province."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from api_registry.models import (
    APPLICATION_MACHINE,
    ApiApplication,
    ApplicationStatus,
    IssuerMembership,
)
from api_registry.services.common import NotAllowed
from inatrade.db import retry_on_db_conflict
from inatrade.errors import InvalidTransition, RuleViolation
from inatrade.files import store_private, validate_pdf_upload
from inatrade.workdays import sla_due_date
from workspace.services import case_step_start


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
        app = APPLICATION_MACHINE.lock(application.pk)
        APPLICATION_MACHINE.target("inspect", app.status, obj=app)
        memberships = IssuerMembership.objects.filter(user=actor, issuer=app.issuer)
        if not (actor.is_authenticated and actor.role == Role.ISSUER_OFFICER and actor.has_active_access):
            memberships = memberships.none()
        at_regency = memberships.filter(regency=app.regency).exists()
        at_province = memberships.filter(regency__isnull=True).exists()
        now = timezone.now()
        if at_regency:
            level, target = "regency", ApplicationStatus.BAP_SIGNED
            app.step_code = "api_bap_forward"
            app.due_date = case_step_start(case=app, step=app.step_code, started_at=now)
        elif at_province:
            if app.due_date and timezone.localdate() <= app.due_date:
                raise InvalidTransition(
                    _("Provinsi dapat memeriksa setelah batas waktu Kabupaten/Kota (%(day)s) terlewati (Pasal 25(2)).")
                    % {"day": app.due_date.isoformat()},
                    code="regency_inspection_pending",
                )
            level, target = "province", ApplicationStatus.DECISION
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
        APPLICATION_MACHINE.apply(
            app, "inspect", actor=actor, company=app.company, reason=notes, target=target,
            data={"level": level, "result": result, "bap_number": app.bap_number},
            update_fields=["step_code", "due_date", "reject_due_date", "inspection_level", "inspected_by", "inspected_at",
                           "bap_result", "bap_notes", "bap_number", "bap_file"],
        )
    return app


@retry_on_db_conflict
def api_application_forward(*, application: ApiApplication, actor) -> ApiApplication:
    """The Kab/Kota forwards its signed BAP to the province (Pasal 25(4)); the province's
    clock starts: issue within 5, reject within 7 working days (Pasal 26(1), 26(3))."""
    with transaction.atomic():
        app = APPLICATION_MACHINE.lock(application.pk)
        APPLICATION_MACHINE.target("forward", app.status, obj=app)
        if not (
            actor.role == Role.ISSUER_OFFICER
            and IssuerMembership.objects.filter(user=actor, issuer=app.issuer, regency=app.regency).exists()
        ):
            raise NotAllowed(_("Hanya Dinas Kabupaten/Kota pembuat BAP yang menyampaikannya."))
        now = timezone.now()
        app.forwarded_at = now
        app.step_code = "api_issue_province"
        app.due_date = case_step_start(case=app, step=app.step_code, started_at=now)
        app.reject_due_date = sla_due_date("api_reject_province", now)
        APPLICATION_MACHINE.apply(app, "forward", actor=actor, company=app.company,
                                  update_fields=["forwarded_at", "step_code", "due_date", "reject_due_date"])
    return app

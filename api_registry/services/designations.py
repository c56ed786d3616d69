"""Produsen Importir designations (P27 Pasal 10–11, 38; API-10), decided by the Director
General. Moves go through ``DESIGNATION_MACHINE``."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from api_registry.models import (
    API_MACHINE,
    DESIGNATION_MACHINE,
    Api,
    ApiKind,
    ApiStatus,
    DesignationStatus,
    ProdusenImportir,
    SanctionKind,
)
from api_registry.services.common import (
    NotAllowed,
    _add_years,
    _assert_holder,
    _company_notice,
    _reason,
    _require_reason,
)
from inatrade.audit import audit_record
from inatrade.db import retry_on_db_conflict
from inatrade.errors import InvalidTransition, RuleViolation
from inatrade.workdays import sla_due_date
from workspace.models import Outcome
from workspace.services import case_step_finish, case_step_start


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
        locked = API_MACHINE.lock(api.pk)
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
        audit_record(obj=designation, action=DESIGNATION_MACHINE.action("submit"), actor=actor, to_state=designation.status,
                     company=locked.company)
    return designation


@retry_on_db_conflict
def _designation_transition(*, designation: ProdusenImportir, actor, verb: str, reason: str = "", reason_code: str = "") -> ProdusenImportir:
    if actor.role != Role.DIRECTOR_GENERAL or not actor.has_active_access:
        raise NotAllowed(_("Penetapan Produsen Importir diputuskan oleh Direktur Jenderal (Pasal 11)."))
    sanction = _reason(SanctionKind.PI_REVOKE, reason_code) if verb == "revoke" else None
    if verb == "reject":
        _require_reason(reason)
    with transaction.atomic():
        locked = DESIGNATION_MACHINE.lock(designation.pk, queryset=ProdusenImportir.objects.select_related("api", "api__company"))
        DESIGNATION_MACHINE.target(verb, locked.status, obj=locked)
        fields = ["reason"]
        locked.reason = reason
        if verb == "revoke":
            day = timezone.localdate()
            locked.revoke_reason, locked.revoked_on = sanction, day
            locked.redesignation_from = _add_years(day, sanction.waiting_years)
            fields += ["revoke_reason", "revoked_on", "redesignation_from"]
        else:
            locked.decided_by, locked.decided_at = actor, timezone.now()
            fields += ["decided_by", "decided_at"]
            case_step_finish(case=locked, outcome=Outcome.APPROVED if verb == "approve" else Outcome.REJECTED, at=locked.decided_at)
        DESIGNATION_MACHINE.apply(locked, verb, actor=actor, company=locked.api.company, reason=reason, update_fields=fields)
        _company_notice(
            locked.api.company, template="produsen_importir_decided",
            context={"company": locked.api.company.name, "number": locked.api.number, "action": verb,
                     "reason": reason or (sanction.description if sanction else "")},
        )
    return locked


def produsen_importir_approve(*, designation: ProdusenImportir, actor) -> ProdusenImportir:
    return _designation_transition(designation=designation, actor=actor, verb="approve")


def produsen_importir_reject(*, designation: ProdusenImportir, actor, reason: str) -> ProdusenImportir:
    return _designation_transition(designation=designation, actor=actor, verb="reject", reason=reason)


def produsen_importir_revoke(*, designation: ProdusenImportir, actor, reason_code: str, note: str = "") -> ProdusenImportir:
    """Revoke a designation (P27 Pasal 38(1)); re-designation after the reason's waiting period
    (1 year, Pasal 38(3))."""
    return _designation_transition(designation=designation, actor=actor, verb="revoke", reason=note, reason_code=reason_code)

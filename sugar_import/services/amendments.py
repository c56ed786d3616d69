"""Amendments of a sugar PI (PI-09, P14 Pasal 6–7): address, HS code, sugar type, volume,
origin, port; an approved one is a new signed version of the PI."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from accounts.selectors import user_assert_can_submit
from inatrade.audit import audit_record
from inatrade.db import retry_on_db_conflict
from inatrade.errors import InvalidTransition, RuleViolation
from inatrade.workdays import sla_due_date
from permits import services as permit_services
from sugar_import.models import (
    AMENDMENT_MACHINE,
    AmendmentRequest,
    AmendmentStatus,
    Country,
    Port,
    QuotaAllocation,
    SugarPermit,
    SugarPermitLine,
    SugarPermitStatus,
    SugarType,
)
from sugar_import.services import common
from sugar_import.services.common import (
    DECIDERS,
    NotFound,
    assert_role,
    check_line_count,
    notify,
    refuse_with_reason,
    require_reason,
    tonnes,
)
from sugar_import.services.eligibility import line_dicts, permit_content
from workspace.models import Outcome
from workspace.services import case_step_finish, case_step_start


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
    require_reason(reason)
    with transaction.atomic():
        if AmendmentRequest.objects.filter(sugar_permit=sugar_permit, status=AmendmentStatus.SUBMITTED).exists():
            raise InvalidTransition(_("Masih ada perubahan yang sedang diproses."), code="amendment_pending")
        now = common.now()
        amendment = AmendmentRequest.objects.create(
            sugar_permit=sugar_permit, address=address, sugar_type=sugar_type, lines=lines or [], reason=reason,
            submitted_by=actor, submitted_at=now, due_date=sla_due_date("sugar_pi_amendment", now),
        )
        case_step_start(case=amendment, step="sugar_pi_amendment", started_at=now)
        audit_record(obj=amendment, action="sugar_amendment.submit", actor=actor, to_state=amendment.status,
                     company=sugar_permit.company, data={"permit": sugar_permit.number})
    return amendment


@retry_on_db_conflict
def amendment_reject(*, amendment: AmendmentRequest, actor, reason: str) -> AmendmentRequest:
    """P14 Pasal 7: the amendment is refused with its reason; the PI stays as it was."""
    return refuse_with_reason(
        machine=AMENDMENT_MACHINE, pk=amendment.pk, verb="reject", actor=actor, roles=DECIDERS, reason=reason,
        queryset=AmendmentRequest.objects.select_related("sugar_permit__company"), company=lambda obj: obj.sugar_permit.company,
        fields=lambda reason: {"decided_by": actor, "decided_at": common.now(), "decision_reason": reason},
        outcome=Outcome.REJECTED, notice="sugar_amendment_decided",
        context=lambda obj, reason: {"number": obj.sugar_permit.number, "approved": False, "reason": reason},
    )


@retry_on_db_conflict
def amendment_approve(*, amendment: AmendmentRequest, actor) -> AmendmentRequest:
    """P14 Pasal 7: the amended PI is a new signed version (permits.permit_amend); the old one
    is marked superseded when the new one is signed. The quota moves by the difference."""
    assert_role(actor, DECIDERS)
    with transaction.atomic():
        amendment = AMENDMENT_MACHINE.lock(amendment.pk)
        AMENDMENT_MACHINE.target("approve", amendment.status, obj=amendment)  # refuse before any work
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
                 "volume_tonnes": tonnes(line["volume_tonnes"]), "origin_code": line["origin_country"],
                 "origin_name": countries[line["origin_country"]].name, "port_code": line["port_of_discharge"],
                 "port_name": ports[line["port_of_discharge"]].name}
                for line in amendment.lines
            ]
        else:
            new_lines = line_dicts(sp.lines.select_related("origin_country", "port_of_discharge"))
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

        content = permit_content(application=sp.application, company=sp.company, api=api_current_for_company(company=sp.company),
                                  sugar_type=sugar_type, lines=new_lines, total=total, purpose=sp.purpose,
                                  address=amendment.address or None)
        version = permit_services.permit_amend(permit=sp.permit, content=content, signer=actor, actor=actor,
                                              reason=amendment.reason, issued_on=common.today())
        sp.lines.all().delete()
        SugarPermitLine.objects.bulk_create([
            SugarPermitLine(sugar_permit=sp, hs_code=line["hs_code"], description=line["description"],
                            volume_tonnes=line["volume_tonnes"], origin_country_id=line["origin_code"],
                            port_of_discharge_id=line["port_code"])
            for line in new_lines
        ])
        SugarPermit.objects.filter(pk=sp.pk).update(volume_tonnes=total, sugar_type=sugar_type)
        amendment.decided_by, amendment.decided_at, amendment.version_no = actor, common.now(), version.version_no
        AMENDMENT_MACHINE.apply(amendment, "approve", actor=actor, company=sp.company,
                                data={"version": version.version_no, "volume_tonnes": str(total)},
                                update_fields=["decided_by", "decided_at", "version_no"])
        case_step_finish(case=amendment, outcome=Outcome.APPROVED, at=amendment.decided_at)
        notify(sp.company, "sugar_amendment_decided", {"number": sp.number, "approved": True, "reason": ""})
    return amendment

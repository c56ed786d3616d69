"""Changes of API data reported by the holder (P27 Pasal 31, API-08): the issuer issues the
amended API as a new document version. Moves go through ``CHANGE_MACHINE``."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from api_registry.models import (
    API_MACHINE,
    CHANGE_MACHINE,
    Api,
    ApiChangeRequest,
    ApiSource,
    ApiStatus,
    ApiVersion,
    ChangeStatus,
)
from api_registry.services.common import (
    CHANGE_REPORT_DAYS,
    _api_document_issue,
    _assert_decider,
    _assert_holder,
    _company_notice,
    _new_version,
    _require_reason,
)
from inatrade.audit import audit_record
from inatrade.db import retry_on_db_conflict
from inatrade.errors import InvalidTransition, RuleViolation
from inatrade.workdays import sla_due_date
from workspace.models import Outcome
from workspace.services import case_step_finish, case_step_start


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
        locked = API_MACHINE.lock(api.pk)
        if locked.status != ApiStatus.ACTIVE or locked.source != ApiSource.ISSUED:
            raise InvalidTransition(_("Perubahan hanya untuk API aktif yang diterbitkan di INATRADE."))
        if locked.change_requests.filter(status=ChangeStatus.SUBMITTED).exists():
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
        audit_record(obj=change, action=CHANGE_MACHINE.action("submit"), actor=actor, to_state=change.status,
                     company=locked.company, data={"api": locked.number})
    return change


@retry_on_db_conflict
def api_change_request_approve(*, change: ApiChangeRequest, actor) -> ApiVersion:
    """Issue the amended API (Pasal 31(4)): a new document version; the old one is
    superseded but kept (DOC-06). The company's own record follows the change."""
    with transaction.atomic():
        locked = CHANGE_MACHINE.lock(change.pk, queryset=ApiChangeRequest.objects.select_related("api", "api__issuer"))
        api = API_MACHINE.lock(locked.api_id, queryset=Api.objects.select_related("company"))
        _assert_decider(actor, api.issuer)
        CHANGE_MACHINE.target("approve", locked.status, obj=locked)
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
        locked.decided_by, locked.decided_at = actor, now
        CHANGE_MACHINE.apply(locked, "approve", actor=actor, company=company, update_fields=["decided_by", "decided_at"])
        case_step_finish(case=locked, outcome=Outcome.APPROVED, at=now)
        _api_document_issue(version=version, actor=actor)
        _company_notice(
            company, template="api_change_decided",
            context={"company": company.name, "number": api.number, "approved": True, "version": version.version, "reason": ""},
        )
        audit_record(obj=api, action=API_MACHINE.action("amend"), actor=actor, from_state=api.status, to_state=api.status,
                     company=company, data={"version": version.version})
    return version


@retry_on_db_conflict
def api_change_request_reject(*, change: ApiChangeRequest, actor, reason: str) -> ApiChangeRequest:
    _require_reason(reason)
    with transaction.atomic():
        locked = CHANGE_MACHINE.lock(change.pk, queryset=ApiChangeRequest.objects.select_related("api", "api__issuer", "api__company"))
        _assert_decider(actor, locked.api.issuer)
        locked.decided_by, locked.decided_at, locked.reason = actor, timezone.now(), reason
        CHANGE_MACHINE.apply(locked, "reject", actor=actor, company=locked.api.company, reason=reason,
                             update_fields=["decided_by", "decided_at", "reason"])
        case_step_finish(case=locked, outcome=Outcome.REJECTED, at=locked.decided_at)
        _company_notice(
            locked.api.company, template="api_change_decided",
            context={"company": locked.api.company.name, "number": locked.api.number, "approved": False, "version": None, "reason": reason},
        )
    return locked

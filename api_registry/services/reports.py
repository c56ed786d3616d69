"""Quarterly import-realization reports (P27 Pasal 29, API-11) and the job that flags the
holders late with one."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from api_registry.models import API_MACHINE, Api, ApiStatus, QuarterlyReport
from api_registry.selectors import previous_quarter, quarter_end
from api_registry.services.common import (
    QUARTERLY_REPORT_GRACE_DAYS,
    _assert_holder,
    _company_notice,
)
from inatrade.audit import audit_record
from inatrade.db import retry_on_db_conflict
from inatrade.errors import InvalidTransition, RuleViolation


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
        locked = API_MACHINE.lock(api.pk)
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
        audit_record(obj=report, action="quarterly_report.submit", actor=actor, to_state="filed", company=locked.company,
                     data={"api": locked.number, "period": report.period})
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
            _company_notice(
                api.company, template="api_quarterly_missed", also_to=[api.issuer.email] if api.issuer and api.issuer.email else [],
                context={"company": api.company.name, "number": api.number, "period": period},
            )
    return {"period": period, "flagged": flagged}

"""Monthly realisation reports of a sugar PI (PI-11, P14 Pasal 16) and their reminders
(AUD-03)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _

from accounts.selectors import user_assert_can_submit
from inatrade import bulksql
from inatrade.audit import audit_record
from inatrade.db import retry_on_db_conflict
from inatrade.errors import InvalidTransition, RuleViolation
from inatrade.events import emit_many
from inatrade.files import store_private, validate_pdf_upload
from inatrade.workdays import local_date
from sugar_import.models import (
    PERMIT_SANCTION_MACHINE,
    MonthlyReport,
    Shipment,
    SugarPermit,
    SugarPermitStatus,
)
from sugar_import.services import common, sanctions
from sugar_import.services.common import (
    NotFound,
    batch_notify,
    month_start,
    reminder_day,
    report_day,
    report_deadline,
    tonnes,
    tonnes_or_zero,
)


def report_periods(sugar_permit: SugarPermit) -> list[date]:
    """Every month of validity (P14 Pasal 16)."""
    periods, month = [], month_start(sugar_permit.valid_from)
    while month <= sugar_permit.valid_until:
        periods.append(month)
        month += relativedelta(months=1)
    return periods



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
    today = common.today()
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
        volume = tonnes_or_zero(item.get("volume_tonnes"))
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
        locked = PERMIT_SANCTION_MACHINE.lock(sugar_permit.pk)
        if locked.status == SugarPermitStatus.REVOKED:
            raise InvalidTransition(_("PI telah dicabut."), code="permit_revoked")
        if MonthlyReport.objects.filter(sugar_permit=locked, period=period).exists():
            raise InvalidTransition(_("Laporan bulan ini sudah disampaikan."), code="report_exists")
        if locked.realized_tonnes + total > locked.volume_tonnes:
            raise RuleViolation(
                _("Jumlah realisasi %(total)s ton melebihi sisa volume PI (%(left)s ton).") % {"total": total, "left": locked.remaining_tonnes},
                code="volume_exceeded", fields={"shipments": [str(locked.remaining_tonnes)]},
            )
        now = common.now()
        report = MonthlyReport.objects.create(
            sugar_permit=locked, period=period, nil_report=nil_report, destination=destination.strip(), total_tonnes=total,
            submitted_at=now, submitted_by=actor, late=local_date(now) > report_deadline(period),
        )
        Shipment.objects.bulk_create([
            Shipment(report=report, pib_number=item["pib_number"], pib_date=item["pib_date"], hs_code=item["hs_code"],
                     volume_tonnes=tonnes(item["volume_tonnes"]), pib_path=path, pib_sha256=sha)
            for item, (path, sha) in zip(shipments, stored)
        ])
        if total:
            SugarPermit.objects.filter(pk=locked.pk).update(realized_tonnes=F("realized_tonnes") + total)
        audit_record(obj=locked, action="monthly_report.submit", actor=actor, company=locked.company,
                     data={"period": f"{period:%Y-%m}", "nil": nil_report, "tonnes": str(total), "late": report.late})
        if locked.status == SugarPermitStatus.FROZEN:
            sanctions.reactivate_reported(as_of=local_date(now), permit_ids=[locked.pk])
    return report


@retry_on_db_conflict
def monthly_report_reminders(*, as_of: date) -> dict:
    """Job (PI-11, AUD-03): from REMINDER_LEAD_DAYS before the report day to the report day,
    remind each company once of the reports for the previous month still missing. Set-based;
    ``reminded_period`` makes it idempotent."""
    if not (reminder_day() <= as_of.day <= report_day()):
        return {"reminded": 0, "changed": 0}
    period = month_start(as_of) - relativedelta(months=1)
    deadline = report_deadline(period).isoformat()
    with transaction.atomic():
        qs = SugarPermit.objects.filter(status__in=[SugarPermitStatus.ACTIVE, SugarPermitStatus.FROZEN]).filter(
            sanctions.missing_report(period)).filter(Q(reminded_period__isnull=True) | Q(reminded_period__lt=period))
        where, params = bulksql.queryset_sql(qs)
        # A compare-and-set on reminded_period: a concurrent run waits for the rows and skips them.
        reminded = bulksql.execute(
            f"UPDATE {SugarPermit._meta.db_table} SET reminded_period = %s WHERE id IN ({where}) "
            "AND (reminded_period IS NULL OR reminded_period < %s) RETURNING id, company_id, number",
            [bulksql.db_value(SugarPermit, "reminded_period", period), *params,
             bulksql.db_value(SugarPermit, "reminded_period", period)],
        )
        batch_notify(sorted(reminded), "sugar_report_reminder", {"period": f"{period:%Y-%m}", "deadline": deadline})
        emit_many([{"event": "report.due", "company_id": c, "key": f"report.due:{n}:{period:%Y-%m}",
                    "payload": {"permit_number": n, "period": f"{period:%Y-%m}", "deadline": deadline}}
                   for _pk, c, n in reminded])
    return {"reminded": len(reminded), "changed": len(reminded)}

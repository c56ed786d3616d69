"""Surveyors (PI-14, P14 Pasal 13–17, 32): designation, Laporan Surveyor (LS) of each raw-sugar
shipment, the surveyor's monthly report and the loss of the designation."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef
from django.utils.translation import gettext as _

from accounts.models import Role
from inatrade.audit import audit_record
from inatrade.db import retry_on_db_conflict
from inatrade.errors import DomainError, InvalidTransition, RuleViolation
from inatrade.files import store_private, validate_pdf_upload
from sugar_import.models import (
    SURVEYOR_DOCUMENTS,
    SURVEYOR_MACHINE,
    SugarPermit,
    SugarPermitStatus,
    Surveyor,
    SurveyorMonthlyReport,
    SurveyorReport,
    SurveyorStatus,
)
from sugar_import.services import common
from sugar_import.services.common import (
    SURVEYOR_MISSED_REPORTS,
    assert_role,
    due_periods,
    month_start,
    surveyor_report_deadline,
    tonnes,
)


@retry_on_db_conflict
def surveyor_designate(*, actor, name: str, decree_number: str, designated_on: date, documents: dict, users=()) -> Surveyor:
    """P14 Pasal 13(2), 14: the Minister designates a surveyor that shows every Pasal 14(1)
    document (``documents``: {code: upload}); recorded by the administrators."""
    assert_role(actor, (Role.ADMINISTRATOR,))
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
        audit_record(obj=surveyor, action="surveyor_designation.designate", actor=actor, to_state=surveyor.status,
                     data={"decree": decree_number})
    return surveyor


def _surveyor_of(actor):
    assert_role(actor, (Role.SURVEYOR,))
    surveyor = Surveyor.objects.filter(users=actor).first()
    if surveyor is None or surveyor.status != SurveyorStatus.DESIGNATED:
        raise DomainError(_("Surveyor tidak (lagi) ditetapkan (Pasal 32)."), code="surveyor_not_designated", status=403)
    return surveyor


@retry_on_db_conflict
def surveyor_report_record(*, sugar_permit: SugarPermit, actor, ls_number: str, icumsa: int, shipping_date: date,
                           volume_tonnes, truth_statement: bool) -> SurveyorReport:
    """PI-14 (P14 Pasal 13, 15): the LS of a raw-sugar shipment before it is imported: PI
    number, sugar type, ICUMSA (checked against PI-04), shipping date, volume within what the
    PI has left. A frozen or revoked PI cannot be used (PI-12)."""
    surveyor = _surveyor_of(actor)
    volume = tonnes(volume_tonnes)
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
        audit_record(obj=sp, action="surveyor_report.record", actor=actor, company=sp.company,
                     data={"ls": ls_number, "icumsa": icumsa, "tonnes": str(volume)})
    return report


@retry_on_db_conflict
def surveyor_monthly_report_submit(*, actor, period: date, summary: str = "") -> SurveyorMonthlyReport:
    """P14 Pasal 17: by SURVEYOR_REPORT_DAY of the next month."""
    surveyor = _surveyor_of(actor)
    period = month_start(period)
    if period > month_start(common.today()):
        raise RuleViolation(_("Bulan ini belum berjalan."), code="invalid_period", fields={"period": [f"{period:%Y-%m}"]})
    with transaction.atomic():
        report, created = SurveyorMonthlyReport.objects.get_or_create(
            surveyor=surveyor, period=period, defaults={"summary": summary, "submitted_at": common.now(), "submitted_by": actor})
        if not created:
            raise InvalidTransition(_("Laporan bulan ini sudah disampaikan."), code="report_exists")
        audit_record(obj=surveyor, action="surveyor_monthly_report.submit", actor=actor, data={"period": f"{period:%Y-%m}"})
    return report


@retry_on_db_conflict
def surveyor_designation_check(*, as_of: date) -> dict:
    """P14 Pasal 32(1)b: a surveyor that missed two monthly reports loses the designation.
    One query per due month (not per surveyor), one UPDATE for the change."""
    designated = Surveyor.objects.filter(status=SurveyorStatus.DESIGNATED)
    first = designated.order_by("designated_on").values_list("designated_on", flat=True).first()
    if first is None:
        return {"surveyors_revoked": 0}
    missed: dict[int, int] = {}
    for period in due_periods(as_of, first, deadline=surveyor_report_deadline):
        # A month counts when the surveyor was designated before it began.
        ids = designated.filter(designated_on__lte=period).exclude(
            Exists(SurveyorMonthlyReport.objects.filter(surveyor=OuterRef("pk"), period=period))).values_list("pk", flat=True)
        for pk in ids:
            missed[pk] = missed.get(pk, 0) + 1
    losing = [pk for pk, count in missed.items() if count >= SURVEYOR_MISSED_REPORTS]
    reason = "Tidak menyampaikan laporan bulanan sebanyak 2 (dua) kali (Pasal 32 ayat (1) huruf b)."
    changed = SURVEYOR_MACHINE.apply_bulk(losing, "revoke", reason=reason, label_column="name",
                                          set_columns={"revoked_on": as_of, "revocation_reason": reason})
    return {"surveyors_revoked": len(changed)}

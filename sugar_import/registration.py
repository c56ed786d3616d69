"""What the sugar import app tells the core (issue 18, ``inatrade.registry``): its case kinds
and SLA steps, the sugar PI letter, its periodic jobs, its dashboard series and quota panel,
its demo data. Imported from ``SugarImportConfig.ready()``."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from inatrade import registry
from inatrade.registry import CaseInfo


def _company(company) -> tuple[str, str, int | None]:
    return (company.name, company.nib, company.pk) if company is not None else ("", "", None)


def _application(case) -> CaseInfo:
    return CaseInfo(case.reference, *_company(case.company))


def _amendment(case) -> CaseInfo:
    permit = case.sugar_permit
    return CaseInfo(f"{permit.number}/P{case.pk}", *_company(permit.company))


def _sugar_pi_validate(content: dict) -> list[str]:
    # P14 Pasal 8(1) b/c: a Rekomendasi or a surat penugasan.
    return [] if content.get("recommendation") or content.get("assignment") else ["recommendation|assignment"]


def _permits_by_month(year: int) -> dict:
    from sugar_import.models import SugarPermit
    from workspace.reports.selectors import monthly_counts

    return monthly_counts(SugarPermit.objects.all(), year=year)


def sugar_volume_against_quota(year: int) -> list[dict]:
    """Per purpose and sugar type: the rakor quota of ``year`` and the volume of the PIs
    issued in ``year``. Two queries."""
    from django.db.models import Sum

    from inatrade.i18n import in_language
    from sugar_import.models import QuotaAllocation, SugarPermit

    quotas = {(q.purpose_id, q.sugar_type_id): q for q in
              QuotaAllocation.objects.filter(year=year).select_related("purpose", "sugar_type")}
    approved = {
        (g["purpose_id"], g["sugar_type_id"]): g for g in
        SugarPermit.objects.filter(issued_on__year=year).values("purpose_id", "sugar_type_id", "purpose__name", "purpose__name_en", "sugar_type__code")
        .annotate(tonnes=Sum("volume_tonnes")).order_by()
    }
    rows = []
    for key in sorted(set(quotas) | set(approved), key=lambda k: (k[0], k[1])):
        quota, done = quotas.get(key), approved.get(key)
        tonnes = done["tonnes"] if done else Decimal("0")
        rows.append({
            "purpose": quota.purpose.label if quota else in_language(done["purpose__name"], done["purpose__name_en"]),
            "sugar_type": quota.sugar_type.code if quota else done["sugar_type__code"],
            "quota": quota.tonnes if quota else None,
            "approved": tonnes,
            "percent": round(float(100 * tonnes / quota.tonnes), 1) if quota and quota.tonnes else None,
        })
    return rows


def _quota_panel(rows: list[dict]) -> dict:
    from django.utils.translation import gettext as gettext_now

    from workspace.reports import charts

    return {"rows": rows, "chart": charts.bar_chart(
        title=gettext_now("Volume PI gula terhadap kuota (ton)"), chart_id="quota-chart", stacked=False,
        categories=[f'{q["purpose"][:18]} {q["sugar_type"]}' for q in rows],
        series=[(gettext_now("Kuota"), [float(q["quota"] or 0) for q in rows]),
                (gettext_now("Disetujui"), [float(q["approved"]) for q in rows])],
    )}


def _demo(out):
    from sugar_import import demo

    return demo.seed(out)


def register() -> None:
    registry.case_kind(
        code="sugar_application", label=_("Permohonan PI gula"), model="sugar_import.SugarApplication",
        info=_application, url_name="sugar-application", steps=("sugar_pi_decision",),
    )
    registry.case_kind(
        code="sugar_amendment", label=_("Perubahan PI gula"), model="sugar_import.AmendmentRequest",
        info=_amendment, url_name="sugar-permit", page_arg=lambda c: c.sugar_permit.number, steps=("sugar_pi_amendment",),
    )
    registry.sla_step(
        code="sugar_pi_decision", name="Penerbitan atau penolakan Persetujuan Impor gula setelah permohonan lengkap",
        name_en="Sugar PI issued or rejected after a complete application", working_days=3, source="P14 Pasal 4",
        responsible_role="director_general", escalation_role="director",
    )
    registry.sla_step(
        code="sugar_pi_amendment", name="Penerbitan atau penolakan perubahan Persetujuan Impor gula",
        name_en="Sugar PI amendment issued or rejected", working_days=3, source="P14 Pasal 7",
        responsible_role="director_general", escalation_role="director",
    )
    registry.permit_kind(
        code="sugar_pi", label="Persetujuan Impor Gula", template="permits/pdf/letter_lampiran_iv.html",
        # P14 Pasal 8: NIB as API-U, Rekomendasi / surat penugasan, name and address, HS, sugar
        # type, volume, origin, port (in the lines), number, date and validity.
        required=("application", "regulation", "grant_subject", "sugar_type", "lines"),
        line_required=("hs_code", "description", "quantity", "unit", "origin_country", "port_of_discharge"),
        validate=_sugar_pi_validate,
    )
    registry.job(
        name="monthly_report_reminders", service="sugar_import.services.monthly_report_reminders",
        help="Remind sugar PI holders of the monthly realization report on the 10th (PI-11).",
        schedule={"hour": 7, "minute": 0},
    )
    registry.job(
        name="monthly_report_freeze", service="sugar_import.services.monthly_report_freeze",
        help="Freeze, reactivate or revoke sugar PIs by their monthly reports (PI-12).",
        schedule={"hour": 0, "minute": 30},
    )
    registry.dashboard_series(key="sugar", label=_("PI gula"), monthly=_permits_by_month, order=10)
    registry.dashboard_panel(key="quota", template="sugar_import/dashboard_quota.html",
                             data=sugar_volume_against_quota, context=_quota_panel, order=10)
    registry.demo(name="sugar_import", seed=_demo, order=40)

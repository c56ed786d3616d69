"""What the API registry tells the core (issue 18, ``inatrade.registry``): its case kinds and
SLA steps, the API letters, its periodic jobs, its dashboard series, its demo data. Imported
from ``ApiRegistryConfig.ready()``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from inatrade import registry
from inatrade.registry import CaseInfo

# code: (name, name_en, working days or None, legal basis, responsible role)
SLA_STEPS = {
    "api_inspection_regency": ("Pemeriksaan lapangan API oleh Kabupaten/Kota setelah menerima tembusan permohonan",
                               "API field inspection by the Kab/Kota office after receiving the copy of the application",
                               3, "P27 Pasal 25(1)"),
    "api_inspection_province": ("Pemeriksaan lapangan API oleh Provinsi bila Kabupaten/Kota belum melakukannya",
                                "API field inspection by the province when Kab/Kota has not finished", 7, "P27 Pasal 25(2)"),
    "api_bap_forward": ("Penyampaian BAP dari Kabupaten/Kota ke Provinsi setelah ditandatangani",
                        "BAP forwarded from Kab/Kota to the province after it is signed", 2, "P27 Pasal 25(4)"),
    "api_issue_province": ("Penerbitan API oleh Provinsi setelah BAP lengkap",
                           "API issued by the province after a complete BAP", 5, "P27 Pasal 26(1)"),
    "api_reject_province": ("Penolakan API oleh Provinsi, dengan alasan, setelah BAP",
                            "API rejected by the province, with reasons, after the BAP", 7, "P27 Pasal 26(3)"),
    "api_issue": ("Penerbitan API oleh BKPM / Badan Pengusahaan", "API issued by BKPM or a zone authority", None,
                  "P27 Pasal 23"),
    "api_p_issue_dg": ("Penerbitan API-P oleh Direktur Jenderal (kontraktor energi, migas, pertambangan)",
                       "API-P issued by the Director General (energy / oil & gas / mining contractors)", 5, "P27 Pasal 24(1)"),
    "api_p_reject_dg": ("Penolakan API-P oleh Direktur Jenderal, dengan alasan",
                        "API-P rejected by the Director General, with reasons", 7, "P27 Pasal 24(2)"),
    "produsen_importir": ("Penetapan Produsen Importir", "Produsen Importir designation", 5, "P27 Pasal 11(2)"),
    "api_amendment": ("Penerbitan API perubahan", "Amended API issued", 3, "P27 Pasal 31(4)"),
}
DG_STEPS = {"api_p_issue_dg", "api_p_reject_dg", "produsen_importir"}


def _company(company) -> tuple[str, str, int | None]:
    return (company.name, company.nib, company.pk) if company is not None else ("", "", None)


def _application(case) -> CaseInfo:
    regency = case.regency_id if case.step_code in ("api_inspection_regency", "api_bap_forward") else None
    return CaseInfo(case.reference, *_company(case.company), case.issuer_id, regency)


def _change(case) -> CaseInfo:
    return CaseInfo(f"API-CHG-{case.pk:06d}", *_company(case.api.company), case.api.issuer_id)


def _designation(case) -> CaseInfo:
    return CaseInfo(f"PI-API-{case.pk:06d}", *_company(case.api.company))


def _issuer_steps(user):
    """An issuer officer's steps: those of their issuer (narrowed to a Kab/Kota where the
    membership is)."""
    from django.db.models import Q

    scope = Q(pk__in=[])
    for membership in user.api_memberships.all():
        if membership.regency_id:
            scope |= Q(issuer_id=membership.issuer_id, regency_id=membership.regency_id)
        else:
            scope |= Q(issuer_id=membership.issuer_id)
    return scope


def _issuer_admits(user, step) -> bool:
    return any(
        m.issuer_id == step.issuer_id and (m.regency_id is None or m.regency_id == step.regency_id)
        for m in user.api_memberships.all()
    )


def _apis_by_month(year: int) -> dict:
    from api_registry.models import Api
    from workspace.reports.selectors import monthly_counts

    return monthly_counts(Api.objects.all(), year=year)


def _demo(out):
    from api_registry import demo

    return demo.seed(out)


def register() -> None:
    registry.case_kind(
        code="api_application", label=_("Permohonan API"), model="api_registry.ApiApplication", info=_application,
        url_name="api-application",
        steps=("api_inspection_regency", "api_inspection_province", "api_bap_forward", "api_issue_province",
               "api_reject_province", "api_issue", "api_p_issue_dg", "api_p_reject_dg"),
    )
    registry.case_kind(
        code="api_change", label=_("Perubahan API"), model="api_registry.ApiChangeRequest", info=_change,
        url_name="api-detail", page_arg=lambda c: str(c.api_id), steps=("api_amendment",),
    )
    registry.case_kind(
        code="api_designation", label=_("Penetapan Produsen Importir"), model="api_registry.ProdusenImportir",
        info=_designation, url_name="api-detail", page_arg=lambda c: str(c.api_id), steps=("produsen_importir",),
    )
    registry.officer_scope(role="issuer_officer", steps=_issuer_steps, admits=_issuer_admits, prefetch=("api_memberships",))
    for code, (name, name_en, days, source) in SLA_STEPS.items():
        registry.sla_step(
            code=code, name=name, name_en=name_en, working_days=days, source=source,
            responsible_role="director_general" if code in DG_STEPS else "issuer_officer", escalation_role="director",
        )
    for code, label in (("api_u", "Angka Pengenal Importir Umum (API-U)"), ("api_p", "Angka Pengenal Importir Produsen (API-P)")):
        registry.permit_kind(code=code, label=label, template="permits/pdf/api.html", required=("application",))
    registry.job(
        name="api_reregistration", service="api_registry.services.api_reregistration_job",
        help="Remind and freeze APIs due for 5-yearly re-registration (API-07).", schedule={"hour": 1, "minute": 30},
    )
    registry.job(
        name="quarterly_report_check", service="api_registry.services.quarterly_report_check",
        help="Flag API holders late with the quarterly realization report (API-11).", schedule={"hour": 2, "minute": 0},
    )
    registry.dashboard_series(key="api", label=_("API"), monthly=_apis_by_month, order=20)
    registry.demo(name="api_registry", seed=_demo, order=30)

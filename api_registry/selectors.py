"""Reads of the API registry, including the checks other apps call (API-02, API-09, API-12).

``api_assert_can_back_import`` is the one check a permit application (e.g. sugar PI) calls to
know whether the company's API — issued here or its NIB recorded as API — may back it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from accounts.models import AccessStatus, Company, Role
from api_registry.models import (
    SANCTION_NOTICE_COPIES,
    Api,
    ApiApplication,
    ApiChangeRequest,
    ApiKind,
    ApiStatus,
    ApplicationStatus,
    ChangeStatus,
    DesignationStatus,
    Issuer,
    IssuerKind,
    IssuerMembership,
    NoticeCopy,
    ProdusenImportir,
    QuarterlyReport,
)
from inatrade.errors import DomainError, RuleViolation
from inatrade.workdays import today
from reference.models import Regency


class ApiRefused(DomainError):
    """The company's API cannot back the permit application (API-02, API-09)."""

    code = "api_refused"
    status = 400
    default_message = _("API perusahaan tidak dapat digunakan untuk permohonan ini.")


# --------------------------------------------------------------------------- for other apps


def api_current_for_company(*, company: Company) -> Api | None:
    """The company's API that is not revoked (at most one: API-01), else its latest revoked."""
    live = Api.objects.filter(company=company).exclude(status=ApiStatus.REVOKED).select_related("hs_section").first()
    if live:
        return live
    return Api.objects.filter(company=company).select_related("hs_section").order_by("-revoked_on").first()


def api_assert_can_back_import(*, company: Company, hs_code: str | None = None, kind: str | None = None) -> Api:
    """Return the company's usable API or raise ``ApiRefused`` (status 400, a code per cause).

    - ``api_missing``: no API and no NIB recorded as API (API-12 accepts either).
    - ``api_frozen`` / ``api_revoked``: a frozen or revoked API backs nothing (API-09, P27
      Pasal 35–37).
    - ``api_kind_mismatch``: ``kind`` ("API-U"/"API-P") was required and the API is the other.
    - ``hs_outside_section``: an API-U covers only the goods of its one HS section (API-02,
      P27 Pasal 4(2)).
    """
    api = api_current_for_company(company=company)
    if api is None:
        raise ApiRefused(_("Perusahaan belum memiliki API (atau NIB yang berlaku sebagai API)."), code="api_missing")
    if api.status == ApiStatus.REVOKED:
        raise ApiRefused(_("API %(number)s telah dicabut.") % {"number": api.number}, code="api_revoked")
    if api.status == ApiStatus.FROZEN:
        raise ApiRefused(_("API %(number)s sedang dibekukan.") % {"number": api.number}, code="api_frozen")
    if kind and api.kind != kind:
        raise ApiRefused(
            _("Permohonan ini memerlukan %(kind)s; API perusahaan adalah %(has)s.") % {"kind": kind, "has": api.kind},
            code="api_kind_mismatch",
        )
    if hs_code and api.kind == ApiKind.API_U and api.hs_section and not api.hs_section.holds_hs_code(hs_code):
        raise ApiRefused(
            _("Pos tarif %(hs)s berada di luar bagian HS %(section)s yang tercantum pada API-U.")
            % {"hs": hs_code, "section": api.hs_section.roman},
            code="hs_outside_section",
            fields={"hs_code": [str(_("Di luar bagian HS API-U."))]},
        )
    return api


# --------------------------------------------------------------------------- routing (API-03)


@dataclass(frozen=True)
class Route:
    issuer: Issuer
    regency: Regency | None


def api_route_for(*, company: Company, kind: str) -> Route:
    """API-03, P27 Pasal 18–21: the issuer chosen by the company's profile.

    BKPM for investment companies licensed by BKPM (Pasal 18); the Director General for
    energy, oil-and-gas, mineral and natural-resource contractors, API-P only (Pasal 19);
    the zone's Badan Pengusahaan for companies in a free-trade zone (Pasal 21); otherwise the
    Dinas of the company's province with a copy to its Kab/Kota (Pasal 20, 22(3)–(4)).
    """
    profile = getattr(company, "api_profile", None)
    regency = Regency.objects.filter(code=company.regency_code).select_related("province").first()
    if profile is not None and profile.free_trade_zone_id:
        return Route(profile.free_trade_zone, regency)
    if profile is not None and profile.resource_contractor:
        if kind != ApiKind.API_P:
            raise RuleViolation(
                _("Kontraktor energi, migas, mineral dan sumber daya alam hanya dapat memperoleh API-P (Pasal 19)."),
                code="kind_not_allowed_for_route",
                fields={"kind": [str(_("Hanya API-P."))]},
            )
        return Route(Issuer.objects.get(kind=IssuerKind.DIRECTOR_GENERAL), regency)
    if profile is not None and profile.bkpm_investment:
        return Route(Issuer.objects.get(kind=IssuerKind.BKPM), regency)
    if regency is None:
        raise RuleViolation(
            _("Kabupaten/kota domisili perusahaan belum tercatat; hubungi administrator INATRADE untuk melengkapinya."),
            code="unknown_region",
            fields={"regency_code": [str(_("Kode Kemendagri tidak dikenal."))]},
        )
    issuer = Issuer.objects.filter(kind=IssuerKind.DINAS, province_id=regency.province_id).first()
    if issuer is None:
        raise RuleViolation(_("Dinas provinsi penerbit API tidak ditemukan."), code="unknown_issuer")
    return Route(issuer, regency)


# --------------------------------------------------------------------------- notices (API-09)


@dataclass(frozen=True)
class NoticeCopies:
    """The copies (tembusan) of one sanction notice: the addresses to send it to and, in the
    order of the regulation, the offices it names (``{"office": label, "place": name}``)."""

    emails: list[str]
    lines: list[dict]


def api_sanction_notice_copies(*, apis: list[Api]) -> dict[int, NoticeCopies]:
    """P27 Pasal 41: the copies of each API's freeze, reactivation or revocation notice, by
    the kind of its issuer (``SANCTION_NOTICE_COPIES``; an API without issuer, a NIB recorded
    as API, is the Director General's).

    The Minister, the Direktur Impor and the Director General of Customs have a configured
    address (``settings.API_TEMBUSAN_EMAILS``). The Kepala Dinas Provinsi and Kepala Dinas
    Kab/Kota "di lokasi perusahaan berdomisili" are the active officers of the Dinas issuer of
    the company's province: without a Kab/Kota (plus the issuer's own address) for the
    province, of the company's Kab/Kota for the Kab/Kota. The Kepala PDPPM Kab/Kota (the
    regional investment office) is named in the notice but has no address in the portal.

    ``apis`` come with ``company`` and ``issuer`` loaded. Three queries however many APIs
    (the re-registration job freezes many at once).
    """
    if not apis:
        return {}
    regency_codes = {api.company.regency_code for api in apis if api.company.regency_code}
    regencies = {r.code: r for r in Regency.objects.filter(code__in=regency_codes)}

    def province_of(api: Api) -> str:
        regency = regencies.get(api.company.regency_code)
        return regency.province_id if regency else api.company.province_code

    province_codes = {province_of(api) for api in apis} - {""}
    dinas = {
        issuer.province_id: issuer
        for issuer in Issuer.objects.filter(kind=IssuerKind.DINAS, province_id__in=province_codes).select_related("province")
    }
    officers: dict[tuple[str, str | None], list[str]] = {}
    memberships = (
        IssuerMembership.objects.filter(
            Q(regency__isnull=True) | Q(regency_id__in=regency_codes),
            issuer__kind=IssuerKind.DINAS, issuer__province_id__in=province_codes,
            user__role=Role.ISSUER_OFFICER, user__is_active=True, user__access_status=AccessStatus.ACTIVE,
        )
        .exclude(user__email="")
        .values_list("issuer__province_id", "regency_id", "user__email")
    )
    for province, regency, email in memberships:
        officers.setdefault((province, regency), []).append(email)

    central = settings.API_TEMBUSAN_EMAILS
    result = {}
    for api in apis:
        province = province_of(api)
        regency = regencies.get(api.company.regency_code)
        issuer = dinas.get(province)
        emails, lines = [], []
        for copy in SANCTION_NOTICE_COPIES[api.issuer.kind if api.issuer else IssuerKind.DIRECTOR_GENERAL]:
            place = ""
            if copy == NoticeCopy.PROVINCE_DINAS:
                place = issuer.province.name if issuer else province
                emails += sorted(officers.get((province, None), []))
                if issuer and issuer.email:
                    emails.append(issuer.email)
            elif copy in (NoticeCopy.REGENCY_DINAS, NoticeCopy.REGENCY_PDPPM):
                place = regency.name if regency else ""
                if copy == NoticeCopy.REGENCY_DINAS and regency:
                    emails += sorted(officers.get((province, regency.code), []))
            elif central.get(copy):
                emails.append(central[copy])
            lines.append({"office": NoticeCopy(copy).label, "place": place})
        result[api.pk] = NoticeCopies(emails=list(dict.fromkeys(emails)), lines=lines)
    return result


# --------------------------------------------------------------------------- who sees what


def user_memberships(user) -> list[IssuerMembership]:
    if not user.is_authenticated or user.role != Role.ISSUER_OFFICER:
        return []
    return list(IssuerMembership.objects.filter(user=user).select_related("issuer"))


def _officer_filter(user, *, issuer_field: str, regency_field: str | None) -> Q | None:
    """Q of the objects an officer handles; None for "everything" (DG, administrator, and
    the director, who reads the API cases escalated to them)."""
    if user.role in (Role.DIRECTOR_GENERAL, Role.ADMINISTRATOR, Role.DIRECTOR):
        return None
    q = Q(pk__in=[])
    for membership in user_memberships(user):
        if membership.regency_id and regency_field:
            q |= Q(**{issuer_field: membership.issuer_id, regency_field: membership.regency_id})
        elif not membership.regency_id:
            q |= Q(**{issuer_field: membership.issuer_id})
    return q


def api_applications_visible_to(*, user) -> QuerySet[ApiApplication]:
    """An importer sees their company's applications; an issuer officer those of their issuer
    (Kab/Kota officers those of their Kab/Kota); the DG and administrators all."""
    qs = ApiApplication.objects.select_related("company", "issuer", "hs_section", "regency", "api")
    if not user.is_authenticated:
        return qs.none()
    if user.role == Role.IMPORTER:
        return qs.filter(company_id=user.company_id) if user.company_id else qs.none()
    if user.role not in (Role.ISSUER_OFFICER, Role.DIRECTOR_GENERAL, Role.ADMINISTRATOR, Role.DIRECTOR):
        return qs.none()
    q = _officer_filter(user, issuer_field="issuer", regency_field="regency")
    qs = qs.exclude(status=ApplicationStatus.DRAFT)
    return qs if q is None else qs.filter(q)


def apis_visible_to(*, user) -> QuerySet[Api]:
    qs = Api.objects.select_related("company", "issuer", "hs_section")
    if not user.is_authenticated:
        return qs.none()
    if user.role == Role.IMPORTER:
        return qs.filter(company_id=user.company_id) if user.company_id else qs.none()
    if user.role not in (Role.ISSUER_OFFICER, Role.DIRECTOR_GENERAL, Role.ADMINISTRATOR, Role.DIRECTOR):
        return qs.none()
    q = _officer_filter(user, issuer_field="issuer", regency_field=None)
    return qs if q is None else qs.filter(q)


def api_permit_scope(user) -> Q | None:
    """``permits.scopes``: the API documents (kinds api_u, api_p) an official reads: those of
    the APIs ``apis_visible_to`` gives them (their issuer's; every one for the DG and
    administrators), none for any other role."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import CharField
    from django.db.models.functions import Cast

    if not user.is_authenticated or user.role not in (Role.ISSUER_OFFICER, Role.DIRECTOR_GENERAL, Role.ADMINISTRATOR):
        return None
    if _officer_filter(user, issuer_field="issuer", regency_field=None) is None:
        return Q()
    ids = apis_visible_to(user=user).order_by().annotate(source_key=Cast("pk", CharField())).values("source_key")
    return Q(source_type=ContentType.objects.get_for_model(Api), source_id__in=ids)


def api_work_list(*, user, as_of: date | None = None) -> list[dict]:
    """SLA-03: the officer's open applications, change requests and designations with due
    date, days left and overdue state, most urgent first (a fixed number of queries)."""
    from inatrade.workdays import working_days_left_many

    as_of = as_of or today()
    open_states = [ApplicationStatus.INSPECTION, ApplicationStatus.BAP_SIGNED, ApplicationStatus.DECISION]
    rows = []
    for app in api_applications_visible_to(user=user).filter(status__in=open_states):
        rows.append({"kind": "application", "object": app, "due_date": app.due_date, "status": app.get_status_display()})
    changes = ApiChangeRequest.objects.filter(status=ChangeStatus.SUBMITTED, api__in=apis_visible_to(user=user)).select_related("api", "api__company")
    for change in changes:
        rows.append({"kind": "change", "object": change, "due_date": change.due_date, "status": change.get_status_display()})
    if user.role in (Role.DIRECTOR_GENERAL, Role.ADMINISTRATOR):
        for designation in ProdusenImportir.objects.filter(status=DesignationStatus.SUBMITTED).select_related("api", "api__company"):
            rows.append({"kind": "designation", "object": designation, "due_date": designation.due_date, "status": designation.get_status_display()})
    # SLA-03: the one days-left answer of every list (inatrade.workdays).
    for row, left in zip(rows, working_days_left_many([row["due_date"] for row in rows], as_of=as_of)):
        row["days_left"] = left
        row["overdue"] = bool(row["due_date"] and row["due_date"] < as_of)
    rows.sort(key=lambda r: (r["due_date"] is None, r["due_date"] or date.max))
    return rows


# --------------------------------------------------------------------------- quarterly reports (API-11)


def quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def previous_quarter(day: date) -> tuple[int, int]:
    year, quarter = quarter_of(day)
    return (year - 1, 4) if quarter == 1 else (year, quarter - 1)


def quarter_end(year: int, quarter: int) -> date:
    if quarter == 4:
        return date(year, 12, 31)
    return date(year, quarter * 3 + 1, 1) - timedelta(days=1)


def quarterly_reports_late(*, issuer: Issuer | None, year: int, quarter: int) -> QuerySet[Api]:
    """API-11: APIs issued before the quarter ended, not revoked, without a report for it."""
    reported = QuarterlyReport.objects.filter(api=OuterRef("pk"), year=year, quarter=quarter)
    qs = Api.objects.filter(issued_on__lte=quarter_end(year, quarter)).exclude(status=ApiStatus.REVOKED)
    if issuer is not None:
        qs = qs.filter(issuer=issuer)
    return qs.filter(~Exists(reported)).select_related("company")


def issuer_quarterly_recap(*, issuer: Issuer, year: int, quarter: int) -> dict:
    """P27 Pasal 29(5) and 30: one issuer's quarterly recap of APIs issued and realizations."""
    start_month = (quarter - 1) * 3 + 1
    start, end = date(year, start_month, 1), quarter_end(year, quarter)
    issued = Api.objects.filter(issuer=issuer, issued_on__range=(start, end)).values("kind").annotate(n=Count("pk"))
    reports = QuarterlyReport.objects.filter(api__issuer=issuer, year=year, quarter=quarter)
    totals = reports.aggregate(
        filed=Count("pk"),
        realized=Count("pk", filter=Q(realized=True)),
        shipments=Sum("shipments"),
        value_usd=Sum("value_usd"),
    )
    return {
        "issuer": issuer.name,
        "period": f"{year}Q{quarter}",
        "issued": {row["kind"]: row["n"] for row in issued},
        "reports_filed": totals["filed"],
        "reports_realized": totals["realized"],
        "reports_not_realized": totals["filed"] - totals["realized"],
        "shipments": totals["shipments"] or 0,
        "value_usd": str(totals["value_usd"] or 0),
        "late": quarterly_reports_late(issuer=issuer, year=year, quarter=quarter).count(),
    }

"""Reads of sugar_import. An importer sees only its own company's objects; anyone else's is
"not found" (api.md: 404 not found *or not yours*)."""

from __future__ import annotations

from datetime import date

from django.db import connection
from django.db.models import BooleanField, Case, Count, DecimalField, F, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from inatrade import prepared
from inatrade.audit import timeline_for
from inatrade.audit_labels import action_label
from inatrade.text import is_digits
from inatrade.workdays import today, working_days_left
from sugar_import.models import (
    OPEN_STATUSES,
    AmendmentRequest,
    ApplicationLine,
    ApplicationStatus,
    MonthlyReport,
    QuotaAllocation,
    Recommendation,
    SugarApplication,
    SugarPermit,
)

# Who reads what besides the importer of the company (issue 15, item 6: officer scope). The
# sugar PI is applied for, checked and decided at the central Ministry (P14 Pasal 2-4: the
# Director General; UPTP I checks and enters force-majeure applications, PI-10); the director
# and the administrators oversee it. Field verifiers (Hak Akses) and the API issuers' officers
# (Dinas, BKPM, Badan Pengusahaan: P27) have no part in it and read none of it.
SUGAR_OFFICER_ROLES = frozenset({Role.COUNTER_OFFICER, Role.DIRECTOR, Role.DIRECTOR_GENERAL, Role.ADMINISTRATOR})
APPLICATION_READERS = SUGAR_OFFICER_ROLES
PERMIT_READERS = SUGAR_OFFICER_ROLES | {Role.SURVEYOR}


def _is(user, roles) -> bool:
    return bool(user and user.is_authenticated and user.role in roles)


def application_list(*, user, status: str | None = None, as_of: date | None = None) -> QuerySet[SugarApplication]:
    """The importer's applications, or the officers' work list most urgent first with
    ``overdue`` computed in the database (SLA-03/04; constant number of queries, PERF-02)."""
    as_of = as_of or today()
    qs = SugarApplication.objects.select_related("company", "purpose", "sugar_type").annotate(
        # A sub-select per row shown, not a GROUP BY of every application before the page is
        # cut (PERF-02: that grew with the list).
        total_tonnes_db=Coalesce(
            Subquery(ApplicationLine.objects.filter(application=OuterRef("pk")).order_by().values("application")
                     .annotate(total=Sum("volume_tonnes")).values("total")[:1]),
            Value(0), output_field=DecimalField(max_digits=14, decimal_places=3),
        ),
        overdue=Case(When(status__in=OPEN_STATUSES, due_date__lt=as_of, then=Value(True)), default=Value(False),
                     output_field=BooleanField()),
    )
    if _is(user, APPLICATION_READERS):
        qs = qs.exclude(status=ApplicationStatus.DRAFT, is_manual=False)
        order = [F("due_date").asc(nulls_last=True), "-submitted_at"]
    elif user.role == Role.IMPORTER and user.company_id:
        qs = qs.filter(company_id=user.company_id)
        order = ["-created_at"]
    else:
        return qs.none()
    if status:
        qs = qs.filter(status=status)
    return qs.order_by(*order)


def application_get(*, user, pk) -> SugarApplication:
    qs = SugarApplication.objects.select_related("company", "purpose", "sugar_type", "recommendation", "assignment")
    application = qs.filter(pk=pk).first() if is_digits(pk) else None
    if application is None:
        raise Http404
    if _is(user, APPLICATION_READERS):
        if application.status == ApplicationStatus.DRAFT and not application.is_manual:
            raise Http404
        return application
    if user.role == Role.IMPORTER and user.company_id == application.company_id:
        return application
    raise Http404




def application_timeline(application: SugarApplication) -> dict:
    """AUD-02: each step, who acted (by role), when; the deadline of the current step."""
    steps = [
        {"action": e.action, "label": action_label(e.action), "from_state": e.from_state, "to_state": e.to_state, "actor_role": e.actor_role,
         "at": e.created_at, "reason": e.reason}
        for e in timeline_for(application)
    ]
    due = application.due_date if application.status in OPEN_STATUSES else None
    return {"steps": steps, "due_date": due, "working_days_left": working_days_left(due) if due else None}


def _permit_scope(user) -> dict | None:
    """Whose PIs ``user`` reads, as a filter on ``SugarPermit``: ``{}`` every company's
    (officers, surveyors), ``{"company_id": …}`` its own (an importer), ``None`` none. The one
    statement of the rule for ``permit_list`` and ``PermitRows``."""
    if _is(user, PERMIT_READERS):
        return {}
    if user.role == Role.IMPORTER and user.company_id:
        return {"company_id": user.company_id}
    return None


def sugar_permit_scope(user):
    """``permits.scopes``: the sugar PI documents an official reads (every one for the sugar
    officers, none for any other official)."""
    return Q() if _is(user, SUGAR_OFFICER_ROLES) else None


def permit_list(*, user, status: str | None = None) -> QuerySet[SugarPermit]:
    qs = SugarPermit.objects.select_related("company", "purpose", "sugar_type", "permit").order_by("-issued_on", "-pk")
    scope = _permit_scope(user)
    if scope is None:
        return qs.none()
    qs = qs.filter(**scope)
    if status:
        qs = qs.filter(status=status)
    return qs


class PermitRows:
    """The PIs of ``permit_list`` as plain rows of only the columns the API list shows, read a
    page at a time by ``inatrade.api.pagination.OnePassPagination``: ``page(limit, offset)``
    returns the rows and, from the same SQL statement, how many PIs there are in all (PERF-04).

    Under load the list reached half the rate of ``/api/v1/me``, and the profile put the
    difference in the ORM, not in PostgreSQL: building and compiling the ``values()`` query and
    the paginator's separate ``COUNT`` (with the same four joins) cost about 1.2 ms of CPU a
    request, plus a second round trip and plan. One hand-written statement, whose total is an
    uncorrelated sub-select over the permit table alone (run once, answered from the
    ``sugar_permit_by_company`` index for an importer), costs a fraction of that. The filter
    and the order are ``permit_list``'s (``_permit_scope``); tests compare the two for every
    reader, status and page. Nothing is cached: a status change shows at once."""

    COLUMNS = ("number", "status", "volume_tonnes", "realized_tonnes", "issued_on", "valid_from", "valid_until",
               "frozen_on", "revoked_on", "revocation_reason", "company_name", "purpose_code", "sugar_type_code",
               "permit_status", "permit_valid_until")
    SQL = """
        SELECT sp.number, sp.status, sp.volume_tonnes, sp.realized_tonnes, sp.issued_on, sp.valid_from,
               sp.valid_until, sp.frozen_on, sp.revoked_on, sp.revocation_reason,
               company.name, purpose.code, sugar_type.code, permit.status, permit.valid_until,
               (SELECT COUNT(*) FROM (SELECT 1 FROM sugar_import_sugarpermit counted WHERE {counted} LIMIT %s) c) AS total
          FROM sugar_import_sugarpermit sp
          JOIN accounts_company company ON company.id = sp.company_id
          JOIN sugar_import_purpose purpose ON purpose.id = sp.purpose_id
          JOIN sugar_import_sugartype sugar_type ON sugar_type.id = sp.sugar_type_id
          JOIN permits_permit permit ON permit.id = sp.permit_id
         WHERE {listed}
         ORDER BY sp.issued_on DESC, sp.id DESC
         LIMIT %s OFFSET %s"""

    def __init__(self, *, user, status: str | None = None):
        self.user, self.status = user, status
        self.scope = _permit_scope(user)

    def page(self, limit: int, offset: int, count_limit: int) -> tuple[list[dict], int | None]:
        """Rows ``offset`` to ``offset + limit`` and the total, counted up to ``count_limit`` rows
        at most (PERF-02: the paginator's cap + 1); the total is ``None`` when no row comes back
        (past the end: ``count_up_to()`` tells)."""
        if self.scope is None:
            return [], 0
        filters = {**self.scope, **({"status": self.status} if self.status else {})}

        def where(table):
            return " AND ".join(["1 = 1", *(f"{table}.{column} = %s" for column in filters)])

        params = list(filters.values())
        # A prepared statement on PostgreSQL: planning the joins cost more than running them (issue 22).
        fetched = prepared.execute(self.SQL.format(counted=where("counted"), listed=where("sp")),
                                   [*params, count_limit, *params, limit, offset], label="sugar_import_sugarpermit_page")
        columns = self.COLUMNS
        rows = [dict(zip(columns, values)) for values in fetched]
        if connection.vendor != "postgresql":
            # Numbers and dates as the ORM gives them on every backend (SQLite returns floats and
            # text; PostgreSQL's driver already gives Decimal and date: no per-value call there).
            tonnes, day = SugarPermit._meta.get_field("volume_tonnes").to_python, SugarPermit._meta.get_field("issued_on").to_python
            for row in rows:
                row["volume_tonnes"], row["realized_tonnes"] = tonnes(row["volume_tonnes"]), tonnes(row["realized_tonnes"])
                for key in ("issued_on", "valid_from", "valid_until", "frozen_on", "revoked_on", "permit_valid_until"):
                    row[key] = day(row[key])
        return rows, (fetched[0][-1] if fetched else None)

    def count_up_to(self, limit: int) -> int:
        return permit_list(user=self.user, status=self.status).order_by()[:limit].count()

    def __getitem__(self, bounds: slice) -> list[dict]:
        return self.page(bounds.stop - bounds.start, bounds.start, 1)[0] if bounds.stop > bounds.start else []


def permit_get(*, user, number: str) -> SugarPermit:
    sp = permit_list(user=user).filter(number=number).first()
    if sp is None:
        raise Http404
    return sp


def report_list(*, sugar_permit: SugarPermit) -> QuerySet[MonthlyReport]:
    return sugar_permit.reports.prefetch_related("shipments").order_by("period")


def recommendation_list(*, user, verification_status: str | None = None) -> QuerySet[Recommendation]:
    """PI-03: agencies and the sugar officers see every Rekomendasi and how much of it is used;
    an importer sees its own. ``verification_status`` filters (issue 15, item 8)."""
    qs = Recommendation.objects.select_related("company", "sugar_type", "verified_by").prefetch_related("origin_countries", "ports")
    if verification_status:
        qs = qs.filter(verification_status=verification_status)
    if _is(user, SUGAR_OFFICER_ROLES | {Role.AGENCY}):
        return qs
    if user.role == Role.IMPORTER and user.company_id:
        return qs.filter(company_id=user.company_id)
    return qs.none()


def recommendation_verification_queue(*, user) -> QuerySet[Recommendation]:
    """Issue 15, item 8: the uploads awaiting verification, oldest first (the verifiers' list)."""
    from sugar_import.models import VerificationStatus

    return recommendation_list(user=user, verification_status=VerificationStatus.PENDING).order_by("created_at", "pk")


def recommendation_get(*, user, pk) -> Recommendation:
    rec = recommendation_list(user=user).filter(pk=pk).first() if is_digits(pk) else None
    if rec is None:
        raise Http404
    return rec


def quota_list() -> QuerySet[QuotaAllocation]:
    return QuotaAllocation.objects.select_related("purpose", "sugar_type")


def quota_overview(*, year: int | None = None) -> QuerySet[QuotaAllocation]:
    """PI-05: each rakor allocation with what the issued PIs drew (``drawn_tonnes``, moved
    under the row lock by approvals and amendments), what is left (``remaining_tonnes``, from the
    same row) and how many PIs drew it. One query whatever the number of allocations or permits
    (PERF-02)."""
    qs = quota_list().annotate(
        permit_count=Count("permits"),
    ).order_by("-year", "purpose__sort", "sugar_type__code")
    if year:
        qs = qs.filter(year=year)
    return qs


def amendment_list(*, user) -> QuerySet[AmendmentRequest]:
    qs = AmendmentRequest.objects.select_related("sugar_permit", "sugar_permit__company", "sugar_type")
    if _is(user, APPLICATION_READERS):
        return qs.order_by("due_date")
    if user.role == Role.IMPORTER and user.company_id:
        return qs.filter(sugar_permit__company_id=user.company_id)
    return qs.none()


def amendment_get(*, user, pk) -> AmendmentRequest:
    amendment = amendment_list(user=user).filter(pk=pk).first() if is_digits(pk) else None
    if amendment is None:
        raise Http404
    return amendment


def outstanding_periods(sugar_permit: SugarPermit, as_of: date | None = None) -> list[date]:
    """Months of validity already begun and not yet reported (for the report form)."""
    from sugar_import.services import month_start, report_periods

    as_of = as_of or today()
    done = set(sugar_permit.reports.values_list("period", flat=True))
    return [p for p in report_periods(sugar_permit) if p <= month_start(as_of) and p not in done]


def company_filter(user) -> Q:
    return Q(company_id=user.company_id)


# --------------------------------------------------------------------------- surveyors (PI-14)
def surveyor_of(*, user):
    """The designation the surveyor account works for (None if it has none)."""
    from sugar_import.models import Surveyor

    if not _is(user, {Role.SURVEYOR}):
        return None
    return Surveyor.objects.filter(users=user).first()


def surveyor_list() -> QuerySet:
    """Officers' list of designated surveyors with their accounts and how many LS they filed."""
    from sugar_import.models import Surveyor

    return Surveyor.objects.prefetch_related("users").annotate(report_count=Count("reports", distinct=True)).order_by("name")


def surveyor_get(*, pk):
    surveyor = surveyor_list().filter(pk=pk).first() if is_digits(pk) else None
    if surveyor is None:
        raise Http404
    return surveyor


def surveyor_report_list(*, user, sugar_permit: SugarPermit | None = None) -> QuerySet:
    """LS records: a surveyor sees those of its own designation; officers every one; the
    importer those of its own permits."""
    from sugar_import.models import SurveyorReport

    qs = SurveyorReport.objects.select_related("sugar_permit", "sugar_permit__company", "sugar_type", "surveyor")
    if sugar_permit is not None:
        qs = qs.filter(sugar_permit=sugar_permit)
    if _is(user, SUGAR_OFFICER_ROLES):
        return qs
    if _is(user, {Role.SURVEYOR}):
        return qs.filter(surveyor__users=user)
    if user.role == Role.IMPORTER and user.company_id:
        return qs.filter(sugar_permit__company_id=user.company_id)
    return qs.none()


def surveyor_monthly_report_list(*, user) -> QuerySet:
    from sugar_import.models import SurveyorMonthlyReport

    qs = SurveyorMonthlyReport.objects.select_related("surveyor").order_by("-period")
    if _is(user, SUGAR_OFFICER_ROLES):
        return qs
    if _is(user, {Role.SURVEYOR}):
        return qs.filter(surveyor__users=user)
    return qs.none()


def surveyor_permit_list(*, user) -> QuerySet[SugarPermit]:
    """PIs a surveyor may still verify: active, of a sugar type that needs an LS (Pasal 13)."""
    from sugar_import.models import SugarPermitStatus

    return permit_list(user=user).filter(status=SugarPermitStatus.ACTIVE, sugar_type__requires_surveyor=True)


# --------------------------------------------------------------------------- exemptions (PI-16)
def exemption_list(*, user) -> QuerySet:
    """Officers see every request; an importer the requests recorded for its company."""
    from sugar_import.models import ExemptionLetter

    qs = ExemptionLetter.objects.select_related("company").order_by("-created_at", "-pk")
    if _is(user, SUGAR_OFFICER_ROLES):
        return qs
    if user.role == Role.IMPORTER and user.company_id:
        return qs.filter(company_id=user.company_id)
    return qs.none()


def exemption_get(*, user, pk):
    letter = exemption_list(user=user).filter(pk=pk).first() if is_digits(pk) else None
    if letter is None:
        raise Http404
    return letter


# --------------------------------------------------------------------------- eligibility (PI-02)
def purpose_refusal(*, company, purpose, api=None) -> str | None:
    """Why ``company`` may not apply for ``purpose`` (P14 Pasal 3, 5–8: who may apply), as a
    sentence; None when it may. ``api`` is the company's current API when already read."""
    from api_registry.selectors import api_current_for_company
    from sugar_import.models import ApplicantRule

    if purpose.applicant_rule == ApplicantRule.BUMN_ONLY:
        return None if company.is_bumn else str(_("Tujuan ini hanya untuk BUMN."))
    api = api if api is not None else api_current_for_company(company=company)
    if api is None:
        return str(_("Tujuan ini memerlukan API-P; perusahaan belum memiliki API."))
    if api.kind != "API-P":
        return str(_("Tujuan ini memerlukan API-P; API perusahaan Anda adalah %(kind)s.") % {"kind": api.kind})
    return None


def purposes_for_company(*, company) -> tuple[list, list[tuple]]:
    """The purposes ``company`` may apply for, and the others with the reason (one API read,
    one purpose query)."""
    from api_registry.selectors import api_current_for_company
    from sugar_import.models import Purpose

    api = api_current_for_company(company=company) if company else None
    open_, closed = [], []
    for purpose in Purpose.objects.all():
        reason = purpose_refusal(company=company, purpose=purpose, api=api) if company else None
        if reason:
            closed.append((purpose, reason))
        else:
            open_.append(purpose)
    return open_, closed


def quotas_left(*, year: int) -> QuerySet[QuotaAllocation]:
    """PI-05: this year's rakor allocations with what is left, for the application form."""
    return quota_list().filter(year=year).order_by("purpose__sort", "sugar_type__code")

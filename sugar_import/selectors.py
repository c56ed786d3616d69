"""Reads of sugar_import. An importer sees only its own company's objects; anyone else's is
"not found" (api.md: 404 not found *or not yours*)."""

from __future__ import annotations

from datetime import date

from django.db.models import BooleanField, Case, DecimalField, F, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from accounts.models import OFFICER_ROLES, Role
from inatrade.audit import timeline_for
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

# Who reads what besides the importer of the company.
APPLICATION_READERS = OFFICER_ROLES
PERMIT_READERS = OFFICER_ROLES | {Role.SURVEYOR}


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
    application = qs.filter(pk=pk).first() if str(pk).isdigit() else None
    if application is None:
        raise Http404
    if _is(user, APPLICATION_READERS):
        if application.status == ApplicationStatus.DRAFT and not application.is_manual:
            raise Http404
        return application
    if user.role == Role.IMPORTER and user.company_id == application.company_id:
        return application
    raise Http404


ACTION_LABELS = {
    "sugar_application_create": _("Draf dibuat"),
    "sugar_application_update": _("Permohonan diperbaiki"),
    "sugar_document_add": _("Dokumen diunggah"),
    "sugar_application_submit": _("Diajukan, diterima lengkap"),
    "sugar_application_return": _("Dikembalikan untuk perbaikan"),
    "sugar_application_approve": _("Disetujui, PI diterbitkan"),
    "sugar_application_reject": _("Ditolak"),
}


def application_timeline(application: SugarApplication) -> dict:
    """AUD-02: each step, who acted (by role), when; the deadline of the current step."""
    steps = [
        {"action": e.action, "label": ACTION_LABELS.get(e.action, e.action), "from_state": e.from_state, "to_state": e.to_state, "actor_role": e.actor_role,
         "at": e.created_at, "reason": e.reason}
        for e in timeline_for(application)
    ]
    due = application.due_date if application.status in OPEN_STATUSES else None
    return {"steps": steps, "due_date": due, "working_days_left": working_days_left(due) if due else None}


def permit_list(*, user, status: str | None = None) -> QuerySet[SugarPermit]:
    qs = SugarPermit.objects.select_related("company", "purpose", "sugar_type", "permit").order_by("-issued_on", "-pk")
    if _is(user, PERMIT_READERS):
        pass
    elif user.role == Role.IMPORTER and user.company_id:
        qs = qs.filter(company_id=user.company_id)
    else:
        return qs.none()
    if status:
        qs = qs.filter(status=status)
    return qs


def permit_get(*, user, number: str) -> SugarPermit:
    sp = permit_list(user=user).filter(number=number).first()
    if sp is None:
        raise Http404
    return sp


def report_list(*, sugar_permit: SugarPermit) -> QuerySet[MonthlyReport]:
    return sugar_permit.reports.prefetch_related("shipments").order_by("period")


def recommendation_list(*, user) -> QuerySet[Recommendation]:
    """PI-03: agencies and officers see every Rekomendasi and how much of it is used;
    an importer sees its own."""
    qs = Recommendation.objects.select_related("company", "sugar_type").prefetch_related("origin_countries", "ports")
    if _is(user, OFFICER_ROLES | {Role.AGENCY}):
        return qs
    if user.role == Role.IMPORTER and user.company_id:
        return qs.filter(company_id=user.company_id)
    return qs.none()


def recommendation_get(*, user, pk) -> Recommendation:
    rec = recommendation_list(user=user).filter(pk=pk).first() if str(pk).isdigit() else None
    if rec is None:
        raise Http404
    return rec


def quota_list() -> QuerySet[QuotaAllocation]:
    return QuotaAllocation.objects.select_related("purpose", "sugar_type")


def amendment_list(*, user) -> QuerySet[AmendmentRequest]:
    qs = AmendmentRequest.objects.select_related("sugar_permit", "sugar_permit__company", "sugar_type")
    if _is(user, APPLICATION_READERS):
        return qs.order_by("due_date")
    if user.role == Role.IMPORTER and user.company_id:
        return qs.filter(sugar_permit__company_id=user.company_id)
    return qs.none()


def amendment_get(*, user, pk) -> AmendmentRequest:
    amendment = amendment_list(user=user).filter(pk=pk).first() if str(pk).isdigit() else None
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

"""The officers' work list (SLA-03): one page for every kind of case. Thin: the selector
reads, the services claim and release, a refusal comes back as a message on the list."""

from __future__ import annotations

from django.contrib import messages
from inatrade.pagination import CappedPaginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import OFFICER_ROLES
from accounts.permissions import role_required
from inatrade.errors import DomainError
from inatrade.workdays import today
from workspace import selectors, services
from workspace.cases import step_url
from workspace.filters import WorkListFilter
from workspace.models import CaseStep

PAGE_SIZE = 25


@role_required(*OFFICER_ROLES)
def work_list(request):
    """Every open step the officer may act on, most urgent first, with due date, working
    days left and the overdue badge (SLA-03)."""
    as_of = today()
    filterset = WorkListFilter(request.GET or None, user=request.user, as_of=as_of)
    try:
        steps = selectors.work_list(user=request.user, filters=request.GET, as_of=as_of)
    except selectors.InvalidFilters as exc:
        messages.error(request, exc.message)
        steps = CaseStep.objects.none()
    page = CappedPaginator(steps, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = selectors.annotate_days_left(list(page), as_of=as_of)
    for row in rows:
        row.url = step_url(row)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "workspace/work_list.html", {
        "page": page, "rows": rows, "form": filterset.form, "query": query.urlencode(),
        "company_filter": request.GET.get("company", ""), "as_of": as_of,
    })


def _back(request):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect("work-list")


@role_required(*OFFICER_ROLES)
@require_POST
def work_claim(request, pk: int):
    """"Tangani": take the case so no colleague works it at the same time."""
    step = get_object_or_404(selectors.steps_visible_to(user=request.user), pk=pk)
    try:
        services.case_step_claim(step=step, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Perkara %(reference)s sekarang Anda tangani.") % {"reference": step.reference})
    return _back(request)


@role_required(*OFFICER_ROLES)
@require_POST
def work_release(request, pk: int):
    step = get_object_or_404(selectors.steps_visible_to(user=request.user), pk=pk)
    try:
        services.case_step_release(step=step, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Perkara %(reference)s dikembalikan ke daftar kerja.") % {"reference": step.reference})
    return _back(request)

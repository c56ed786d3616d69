"""Pages of an issued sugar PI: reports (PI-11), amendments (PI-09), revocation (PI-12, PI-13)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Role
from accounts.permissions import role_required
from inatrade.errors import DomainError
from inatrade.files import UploadRefused
from inatrade.workdays import working_days_left
from permits.models import VersionState
from permits.services import permit_can_download
from sugar_import import selectors, services
from sugar_import.forms import (
    AmendmentForm,
    ReasonForm,
    ReportForm,
    RevokeForm,
    SurveyorReportForm,
)
from sugar_import.models import SugarPermitStatus
from sugar_import.views.common import PERMIT_ROLES, refused


def permit_context(request, sp, **forms):
    hs_codes = list(sp.lines.values_list("hs_code", flat=True))
    periods = selectors.outstanding_periods(sp)
    context = {
        "sp": sp,
        "lines": sp.lines.select_related("origin_country", "port_of_discharge"),
        "reports": selectors.report_list(sugar_permit=sp),
        "amendments": sp.amendments.all(),
        "versions": sp.permit.versions.order_by("version_no"),
        "is_holder": request.user.role == Role.IMPORTER,
        "is_decider": request.user.role in services.DECIDERS,
        "report_form": forms.get("report_form") or ReportForm(periods=periods, hs_codes=hs_codes),
        "amendment_form": forms.get("amendment_form") or AmendmentForm(),
        "revoke_form": RevokeForm(),
        "reason_form": ReasonForm(),
        "periods": periods,
        "is_surveyor": request.user.role == Role.SURVEYOR,
        "surveyor_reports": selectors.surveyor_report_list(user=request.user, sugar_permit=sp),
        "ls_form": forms.get("ls_form") or SurveyorReportForm(initial={"shipping_date": sp.valid_from}),
        # A link only for those the download admits (a surveyor reads the PI on this page).
        "pdf_url": reverse("permit-pdf", kwargs={"number": sp.number})
        if sp.permit.current_version_id and permit_can_download(permit=sp.permit, user=request.user) else None,
        "signing_status_url": reverse("permit-signing-status", kwargs={"number": sp.number})
        if permit_can_download(permit=sp.permit, user=request.user) else None,
        "awaiting_signature": any(v.state == VersionState.AWAITING_SIGNATURE for v in sp.permit.versions.all()),
        "frozen_days_left": working_days_left(sp.frozen_until) if sp.status == SugarPermitStatus.FROZEN and sp.frozen_until else None,
        **services.rule_days(),
    }
    return context


@role_required(*PERMIT_ROLES)
def permit_detail(request, number: str):
    sp = selectors.permit_get(user=request.user, number=number)
    return render(request, "sugar_import/permit_detail.html", permit_context(request, sp))


@require_POST
@role_required(Role.IMPORTER)
def permit_report(request, number: str):
    sp = selectors.permit_get(user=request.user, number=number)
    form = ReportForm(request.POST, request.FILES, periods=selectors.outstanding_periods(sp),
                      hs_codes=list(sp.lines.values_list("hs_code", flat=True)))
    if form.is_valid():
        try:
            services.monthly_report_submit(
                sugar_permit=sp, actor=request.user, period=services.parse_period(form.cleaned_data["period"]),
                nil_report=form.cleaned_data["nil_report"], shipments=form.shipments(),
                destination=form.cleaned_data["destination"],
            )
        except DomainError as exc:
            refused(request, exc)
        except UploadRefused as exc:
            messages.error(request, exc.messages[0])
        else:
            period = form.cleaned_data["period"]
            if form.cleaned_data["nil_report"]:
                messages.success(request, _("Laporan realisasi nihil %(period)s disampaikan.") % {"period": period})
            else:
                messages.success(request, _("Laporan realisasi %(period)s disampaikan.") % {"period": period})
            was_frozen = sp.status == SugarPermitStatus.FROZEN
            sp.refresh_from_db(fields=["status"])
            if was_frozen and sp.status == SugarPermitStatus.ACTIVE:
                # Issue 17: a (nil) report silently unfroze the PI; say so (P14 Pasal 18(2)).
                messages.success(request, _("Laporan yang tertunggak telah lengkap: PI %(number)s diaktifkan kembali (Pasal 18 ayat 2).") % {"number": sp.number})
            return redirect("sugar-permit", number=number)
    else:
        messages.error(request, _("Periksa isian laporan."))
    return render(request, "sugar_import/permit_detail.html", permit_context(request, sp, report_form=form), status=400)


@require_POST
@role_required(Role.IMPORTER)
def permit_amend(request, number: str):
    sp = selectors.permit_get(user=request.user, number=number)
    form = AmendmentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        lines = None
        if data["hs_code"] or data["volume"]:
            current = list(sp.lines.all())
            base = current[0] if current else None
            lines = [{
                "hs_code": data["hs_code"] or base.hs_code, "description": base.description if base else "Gula",
                "volume_tonnes": str(data["volume"] or sp.volume_tonnes),
                "origin_country": (data["origin"].code if data["origin"] else base.origin_country_id),
                "port_of_discharge": (data["port"].code if data["port"] else base.port_of_discharge_id),
            }]
        try:
            services.amendment_submit(sugar_permit=sp, actor=request.user, reason=data["reason"], address=data["address"], lines=lines)
        except DomainError as exc:
            refused(request, exc)
        else:
            messages.success(request, _("Permohonan perubahan diajukan."))
    else:
        messages.error(request, _("Periksa isian perubahan."))
    return redirect("sugar-permit", number=number)


@require_http_methods(["GET", "POST"])
@role_required(*services.DECIDERS)
def permit_revoke(request, number: str):
    """PI-12: revoking is destructive, so it has its own confirmation page, apart from the
    routine actions of the permit page (issue 17)."""
    sp = selectors.permit_get(user=request.user, number=number)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.sugar_permit_revoke(sugar_permit=sp, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            refused(request, exc)
            return redirect("sugar-permit", number=number)
        messages.success(request, _("PI dicabut."))
        return redirect("sugar-permit", number=number)
    return render(request, "sugar_import/permit_revoke.html", {"sp": sp, "revoke_form": form},
                  status=400 if form.errors else 200)


@require_POST
@role_required(*services.DECIDERS)
def amendment_decide(request, pk: int, decision: str):
    amendment = selectors.amendment_get(user=request.user, pk=pk)
    try:
        if decision == "approve":
            services.amendment_approve(amendment=amendment, actor=request.user)
            messages.success(request, _("Perubahan disetujui; versi baru sedang ditandatangani secara elektronik."))
        else:
            form = ReasonForm(request.POST)
            services.amendment_reject(amendment=amendment, actor=request.user,
                                      reason=form.cleaned_data["reason"] if form.is_valid() else "")
            messages.success(request, _("Perubahan ditolak."))
    except DomainError as exc:
        refused(request, exc)
    return redirect("sugar-permit", number=amendment.sugar_permit.number)

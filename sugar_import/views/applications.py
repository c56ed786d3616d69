"""Pages of sugar PI applications: the beranda, the form, the detail and its decisions (PI-01…PI-10)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Company, Role
from accounts.permissions import role_required
from inatrade.audit import timeline_for
from inatrade.errors import DomainError
from inatrade.files import UploadRefused
from inatrade.pagination import CappedPaginator
from inatrade.workdays import today
from sugar_import import selectors, services
from sugar_import.forms import (
    ApplicationForm,
    DocumentForm,
    ReasonForm,
)
from sugar_import.models import ApplicationStatus, Purpose
from sugar_import.selectors import SUGAR_OFFICER_ROLES
from sugar_import.views.common import (
    APPLICATION_ROLES,
    HOME_ROLES,
    refused,
    refused_on_form,
)
from workspace.selectors import current_step_for


@role_required(*HOME_ROLES)
def home(request):
    """Importer: its applications and PIs. Officers: the work list, most urgent first (SLA-03)."""
    user = request.user
    status = request.GET.get("status") or None
    if status not in ApplicationStatus.values:
        status = None
    context = {"status_filter": status, "statuses": ApplicationStatus.choices}
    if user.role == Role.AGENCY:
        return redirect("sugar-recommendations")
    if user.role != Role.SURVEYOR:
        applications = selectors.application_list(user=user, status=status)
        context["applications"] = CappedPaginator(applications, 25).get_page(request.GET.get("page"))
    context["permits"] = selectors.permit_list(user=user)[:50]
    if user.role in SUGAR_OFFICER_ROLES:
        context["amendments"] = selectors.amendment_list(user=user).filter(status="submitted")[:50]
    return render(request, "sugar_import/home.html", context)


@role_required(Role.IMPORTER, Role.COUNTER_OFFICER)
def application_new(request):
    """The importer's application; for a UPTP I officer, a paper application entered in force
    majeure with the scanned letter (PI-10, P14 Pasal 9)."""
    manual = request.user.role == Role.COUNTER_OFFICER
    open_purposes, closed_purposes = (None, []) if manual else selectors.purposes_for_company(company=request.user.company)
    form = ApplicationForm(request.POST or None, request.FILES or None, company=request.user.company, manual=manual,
                           purposes=open_purposes)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        company = None
        if manual:
            company = Company.objects.filter(nib=data["company_nib"]).first()
        if manual and company is None:
            form.add_error("company_nib", _("Perusahaan dengan NIB ini tidak ditemukan."))
        else:
            try:
                application = services.sugar_application_create(
                    actor=request.user, purpose=data["purpose"], sugar_type=data["sugar_type"],
                    recommendation=data["recommendation"], assignment=data["assignment"], period_from=data["period_from"],
                    period_until=data["period_until"], lines=form.lines(), company=company,
                    manual_letter=data.get("manual_letter"),
                )
            except DomainError as exc:
                refused_on_form(request, form, exc, aliases=LINE_ALIASES)
            except UploadRefused as exc:
                form.add_error("manual_letter", exc.messages[0])
            else:
                if services.required_documents(application):
                    text = _("Draf permohonan %(ref)s disimpan. Unggah dokumen persyaratan di bawah, lalu ajukan.")
                else:
                    text = _("Draf permohonan %(ref)s disimpan. Periksa datanya, lalu ajukan.")
                messages.success(request, text % {"ref": application.reference})
                return redirect("sugar-application", pk=application.pk)
    return _form_page(request, form, manual=manual, closed_purposes=closed_purposes)


# Service field names of the lines ("lines.0.hs_code") onto the form's cells ("hs_code_0").
LINE_ALIASES = {
    f"lines.{i}.{service}": f"{field}_{i}"
    for i in range(5)
    for service, field in (("hs_code", "hs_code"), ("volume_tonnes", "volume"), ("origin_country", "origin"),
                           ("port_of_discharge", "port"), ("description", "description"))
}


def _form_page(request, form, *, manual=False, closed_purposes=(), application=None):
    purposes = Purpose.objects.prefetch_related("sugar_types")
    status = 400 if form.errors else 200
    return render(request, "sugar_import/application_form.html", {
        "form": form, "purposes": purposes, "manual": manual, "application": application,
        "closed_purposes": closed_purposes, "quotas": selectors.quotas_left(year=today().year),
    }, status=status)


@role_required(Role.IMPORTER, Role.COUNTER_OFFICER)
def application_edit(request, pk: int):
    """Correct a draft or an application returned for correction (SLA-02: the clock starts
    afresh on resubmission)."""
    application = selectors.application_get(user=request.user, pk=pk)
    lines = list(application.lines.all())
    initial = {"purpose": application.purpose.code, "sugar_type": application.sugar_type.code,
               "recommendation": application.recommendation_id, "assignment": application.assignment_id,
               "period_from": application.period_from, "period_until": application.period_until}
    for i, line in enumerate(lines[:5]):
        initial.update({f"hs_code_{i}": line.hs_code, f"description_{i}": line.description, f"volume_{i}": line.volume_tonnes,
                        f"origin_{i}": line.origin_country_id, f"port_{i}": line.port_of_discharge_id})
    form = ApplicationForm(request.POST or None, initial=initial, company=application.company)
    for name in ("purpose", "sugar_type"):
        form.fields[name].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.sugar_application_update(
                application=application, actor=request.user, lines=form.lines(), recommendation=data["recommendation"],
                assignment=data["assignment"], period_from=data["period_from"], period_until=data["period_until"])
        except DomainError as exc:
            refused_on_form(request, form, exc, aliases=LINE_ALIASES)
        else:
            messages.success(request, _("Perbaikan disimpan. Ajukan kembali permohonan."))
            return redirect("sugar-application", pk=pk)
    return _form_page(request, form, application=application)


@role_required(*APPLICATION_ROLES)
def application_detail(request, pk: int):
    application = selectors.application_get(user=request.user, pk=pk)
    timeline = selectors.application_timeline(application)
    user = request.user
    can_edit = (user.role == Role.IMPORTER and application.status in (ApplicationStatus.DRAFT, ApplicationStatus.RETURNED)
                and not application.is_manual) or (application.is_manual and user.role == Role.COUNTER_OFFICER
                                                   and application.status in (ApplicationStatus.DRAFT, ApplicationStatus.RETURNED))
    context = {
        "application": application,
        "lines": application.lines.select_related("origin_country", "port_of_discharge"),
        "documents": application.documents.all(),
        "required_documents": services.required_documents(application),
        "timeline": timeline,
        "audit_entries": timeline_for(application),
        "current_step": current_step_for(application),
        "can_edit": can_edit,
        "can_return": user.role in services.CHECKERS and application.status == ApplicationStatus.SUBMITTED,
        "can_decide": user.role in services.DECIDERS and application.status == ApplicationStatus.SUBMITTED,
        "document_form": DocumentForm(purpose=application.purpose),
        "reason_form": ReasonForm(),
        "sugar_permit": getattr(application, "sugar_permit", None) if application.status == ApplicationStatus.APPROVED else None,
    }
    return render(request, "sugar_import/application_detail.html", context)


def _act(request, pk, action):
    application = selectors.application_get(user=request.user, pk=pk)
    try:
        result = action(application)
    except DomainError as exc:
        refused(request, exc)
    except UploadRefused as exc:
        messages.error(request, exc.messages[0])
    else:
        return result
    return redirect("sugar-application", pk=pk)


@require_POST
@role_required(Role.IMPORTER, Role.COUNTER_OFFICER)
def application_submit(request, pk: int):
    def action(application):
        services.sugar_application_submit(application=application, actor=request.user)
        messages.success(request, _("Permohonan diajukan."))
        return redirect("sugar-application", pk=pk)
    return _act(request, pk, action)


@require_POST
@role_required(Role.IMPORTER, Role.COUNTER_OFFICER)
def application_document(request, pk: int):
    def action(application):
        form = DocumentForm(request.POST, request.FILES, purpose=application.purpose)
        if not form.is_valid():
            # Say why (e.g. "the file is empty"), not only that something is wrong (SEC-02).
            reasons = [str(error) for errors in form.errors.values() for error in errors]
            messages.error(request, " ".join([_("Pilih jenis dokumen dan berkas PDF."), *reasons]))
        else:
            services.sugar_application_document_add(application=application, actor=request.user,
                                                    kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"])
            messages.success(request, _("Dokumen diunggah."))
        return redirect("sugar-application", pk=pk)
    return _act(request, pk, action)


@require_POST
@role_required(*services.CHECKERS)
def application_return(request, pk: int):
    def action(application):
        form = ReasonForm(request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        services.sugar_application_return(application=application, actor=request.user, reason=reason)
        messages.success(request, _("Permohonan dikembalikan untuk perbaikan."))
        return redirect("sugar-application", pk=pk)
    return _act(request, pk, action)


@require_POST
@role_required(*services.DECIDERS)
def application_approve(request, pk: int):
    def action(application):
        sp = services.sugar_application_approve(application=application, actor=request.user)
        # The signature is added by a worker after commit: say what is true now (issue 17).
        messages.success(request, _("Persetujuan Impor %(number)s disetujui; dokumennya sedang ditandatangani secara elektronik.") % {"number": sp.number})
        return redirect("sugar-permit", number=sp.number)
    return _act(request, pk, action)


@require_POST
@role_required(*services.DECIDERS)
def application_reject(request, pk: int):
    def action(application):
        form = ReasonForm(request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        services.sugar_application_reject(application=application, actor=request.user, reason=reason)
        messages.success(request, _("Permohonan ditolak."))
        return redirect("sugar-application", pk=pk)
    return _act(request, pk, action)

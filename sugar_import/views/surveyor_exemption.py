"""Pages of surveyors (PI-14) and exemption letters (PI-16)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Company, Role
from accounts.permissions import role_required
from inatrade.audit import timeline_for
from inatrade.errors import DomainError
from inatrade.files import UploadRefused
from inatrade.pagination import CappedPaginator
from sugar_import import selectors, services
from sugar_import.forms import (
    ExemptionRequestForm,
    ReasonForm,
    SurveyorDesignateForm,
    SurveyorMonthlyReportForm,
    SurveyorReportForm,
)
from sugar_import.selectors import SUGAR_OFFICER_ROLES
from sugar_import.views.common import refused, refused_on_form
from sugar_import.views.permits import permit_context


# --------------------------------------------------------------------------- surveyors (PI-14)
def _surveyor_home_context(request, **forms):
    user = request.user
    return {
        "surveyor": selectors.surveyor_of(user=user),
        "reports": selectors.surveyor_report_list(user=user)[:100],
        "monthly_reports": selectors.surveyor_monthly_report_list(user=user)[:36],
        "permits": selectors.surveyor_permit_list(user=user)[:100],
        "monthly_form": forms.get("monthly_form") or SurveyorMonthlyReportForm(),
        **services.rule_days(),
    }


@role_required(Role.SURVEYOR)
def surveyor_home(request):
    """The surveyor's page: PIs it may verify, its own LS records and monthly reports (PI-14)."""
    return render(request, "sugar_import/surveyor_home.html", _surveyor_home_context(request))


@require_POST
@role_required(Role.SURVEYOR)
def surveyor_monthly_report(request):
    """P14 Pasal 17: the surveyor's monthly report, through ``services.surveyor_monthly_report_submit``."""
    form = SurveyorMonthlyReportForm(request.POST)
    if form.is_valid():
        try:
            services.surveyor_monthly_report_submit(actor=request.user, period=services.parse_period(form.cleaned_data["period"]),
                                                    summary=form.cleaned_data["summary"])
        except DomainError as exc:
            refused_on_form(request, form, exc)
        else:
            messages.success(request, _("Laporan bulanan surveyor %(period)s disampaikan.") % {"period": form.cleaned_data["period"]})
            return redirect("sugar-surveyor-home")
    return render(request, "sugar_import/surveyor_home.html", _surveyor_home_context(request, monthly_form=form), status=400)


@require_POST
@role_required(Role.SURVEYOR)
def permit_surveyor_report(request, number: str):
    """Laporan Surveyor of one shipment, on the PI's page (PI-14, P14 Pasal 13, 15)."""
    sp = selectors.permit_get(user=request.user, number=number)
    form = SurveyorReportForm(request.POST)
    if form.is_valid():
        try:
            report = services.surveyor_report_record(sugar_permit=sp, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            refused_on_form(request, form, exc, aliases={"sugar_permit": None})
        else:
            messages.success(request, _("Laporan Surveyor %(ls)s dicatat.") % {"ls": report.ls_number})
            return redirect("sugar-permit", number=number)
    sp.refresh_from_db()
    return render(request, "sugar_import/permit_detail.html", permit_context(request, sp, ls_form=form), status=400)


def _surveyors_context(request, form=None):
    from sugar_import.models import SURVEYOR_DOCUMENTS

    items = list(selectors.surveyor_list())
    for s in items:
        s.document_rows = [(code, label, s.documents.get(code)) for code, label in SURVEYOR_DOCUMENTS.items()]
    if form is None and request.user.role == Role.ADMINISTRATOR:
        form = SurveyorDesignateForm()
    return {"items": items, "form": form}


@role_required(*SUGAR_OFFICER_ROLES)
def surveyors(request):
    """P14 Pasal 13–14, 32: designated surveyors, their status and Pasal 14 documents; the
    administrators designate one here (the admin lists them read-only)."""
    return render(request, "sugar_import/surveyors.html", _surveyors_context(request))


@role_required(*SUGAR_OFFICER_ROLES)
def surveyor_document(request, pk: int, code: str):
    """One Pasal 14(1) document of a designated surveyor, for officers."""
    from inatrade.files import serve_private

    doc = selectors.surveyor_get(pk=pk).documents.get(code)
    if not doc:
        raise Http404
    return serve_private(doc["path"], filename=f"surveyor-{pk}-{code}.pdf")


@require_POST
@role_required(Role.ADMINISTRATOR)
def surveyor_designate(request):
    from sugar_import.models import SURVEYOR_DOCUMENTS

    form = SurveyorDesignateForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            surveyor = services.surveyor_designate(actor=request.user, name=data["name"], decree_number=data["decree_number"],
                                                   designated_on=data["designated_on"], documents=form.documents(),
                                                   users=list(data["users"]))
        except DomainError as exc:
            messages.error(request, exc.message)
            missing = {str(m) for m in (exc.fields or {}).get("documents", [])}
            for code, label in SURVEYOR_DOCUMENTS.items():
                if str(label) in missing:
                    form.add_error(f"doc_{code}", _("Wajib diunggah (Pasal 14 ayat (1))."))
            for field, msgs in (exc.fields or {}).items():
                if field != "documents":
                    form.add_error(field if field in form.fields else None, [str(m) for m in msgs])
        except UploadRefused as exc:
            messages.error(request, exc.messages[0])
            form.add_error(None, exc.messages[0])
        else:
            messages.success(request, _("Surveyor %(name)s ditetapkan.") % {"name": surveyor.name})
            return redirect("sugar-surveyors")
    return render(request, "sugar_import/surveyors.html", _surveyors_context(request, form), status=400)


# --------------------------------------------------------------------------- exemptions (PI-16)
EXEMPTION_READERS = (Role.IMPORTER, *SUGAR_OFFICER_ROLES)


def _exemptions_context(request, form=None):
    items = CappedPaginator(selectors.exemption_list(user=request.user), 25).get_page(request.GET.get("page"))
    if form is None and request.user.role == Role.COUNTER_OFFICER:
        form = ExemptionRequestForm()
    return {"items": items, "form": form}


@role_required(*EXEMPTION_READERS)
def exemptions(request):
    """Surat keterangan for research imports (PI-16, P14 Pasal 34): the officers' list and the
    counter officer's entry form; an importer sees the requests recorded for its company."""
    return render(request, "sugar_import/exemptions.html", _exemptions_context(request))


@require_POST
@role_required(Role.COUNTER_OFFICER)
def exemption_new(request):
    form = ExemptionRequestForm(request.POST, request.FILES)
    if form.is_valid():
        data = dict(form.cleaned_data)
        nib = data.pop("company_nib")
        company = Company.objects.filter(nib=nib).first() if nib else None
        if nib and company is None:
            form.add_error("company_nib", _("Perusahaan dengan NIB ini tidak ditemukan."))
        else:
            try:
                letter = services.exemption_request_record(actor=request.user, company=company, **data)
            except DomainError as exc:
                refused_on_form(request, form, exc)
            except UploadRefused as exc:
                messages.error(request, exc.messages[0])
                form.add_error(None, exc.messages[0])
            else:
                messages.success(request, _("Permohonan surat keterangan dicatat; menunggu keputusan Direktur Jenderal."))
                return redirect("sugar-exemption", pk=letter.pk)
    return render(request, "sugar_import/exemptions.html", _exemptions_context(request, form), status=400)


@role_required(*EXEMPTION_READERS)
def exemption_detail(request, pk: int):
    letter = selectors.exemption_get(user=request.user, pk=pk)
    return render(request, "sugar_import/exemption_detail.html", {
        "letter": letter,
        "can_decide": request.user.role in services.DECIDERS and letter.status == "submitted",
        "reason_form": ReasonForm(),
        "audit_entries": timeline_for(letter),
    })


@role_required(*EXEMPTION_READERS)
def exemption_document(request, pk: int, code: str):
    """The recommendation or self-declaration of a request (same access as the request)."""
    from inatrade.files import serve_private

    doc = selectors.exemption_get(user=request.user, pk=pk).documents.get(code)
    if not doc:
        raise Http404
    return serve_private(doc["path"], filename=f"exemption-{pk}-{code}.pdf")


@require_POST
@role_required(*services.DECIDERS)
def exemption_decide(request, pk: int, decision: str):
    """The Director General approves, or rejects with a reason (``services.exemption_decide``)."""
    letter = selectors.exemption_get(user=request.user, pk=pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        letter = services.exemption_decide(letter=letter, actor=request.user, approve=decision == "approve", reason=reason)
    except DomainError as exc:
        refused(request, exc)
    else:
        if decision == "approve":
            messages.success(request, _("Surat keterangan %(number)s diterbitkan.") % {"number": letter.letter_number})
        else:
            messages.success(request, _("Permohonan surat keterangan ditolak."))
    return redirect("sugar-exemption", pk=pk)

"""HTML pages of the API registry: the importer's API and applications, the issuers' work list,
inspection and decisions. Every action calls the same service as the REST API."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from inatrade.pagination import CappedPaginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Role
from accounts.permissions import role_required
from api_registry import selectors, services
from api_registry.models import (
    REQUIRED_DOCUMENTS,
    ApiApplication,
    ApiChangeRequest,
    ApiKind,
    ApiSanctionReason,
    ApplicationStatus,
    DocumentKind,
    HsSection,
    IssuerKind,
    SanctionKind,
)
from inatrade.audit import timeline_for
from workspace.selectors import current_step_for
from inatrade.errors import DomainError
from inatrade.files import UploadRefused, validate_pdf_upload

IMPORTER = (Role.IMPORTER,)
OFFICERS = (Role.ISSUER_OFFICER, Role.DIRECTOR_GENERAL)
EVERYONE = (Role.IMPORTER, Role.ISSUER_OFFICER, Role.DIRECTOR_GENERAL, Role.ADMINISTRATOR)
# The director reads API cases escalated to them (SLA-03: the escalation role of every API
# step); their work list links to these pages. They act on none of them.
READERS = EVERYONE + (Role.DIRECTOR,)


def _fail(request, exc: Exception) -> None:
    message = exc.message if isinstance(exc, DomainError) else "; ".join(getattr(exc, "messages", [str(exc)]))
    messages.error(request, message)
    for field, errors in (getattr(exc, "fields", None) or {}).items():
        messages.error(request, f"{field}: {' '.join(str(e) for e in errors)}")


# --------------------------------------------------------------------------- importer


class ApplyForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Jenis API"), choices=ApiKind.choices, widget=forms.RadioSelect)
    hs_section = forms.ModelChoiceField(
        label=gettext_lazy("Bagian (section) HS untuk API-U"), queryset=HsSection.objects.all(), required=False,
        help_text=gettext_lazy("API-U mencantumkan tepat satu bagian HS (Pasal 4). Kosongkan untuk API-P."),
    )
    line_of_business = forms.CharField(label=gettext_lazy("Bidang usaha"), max_length=300)
    directors = forms.CharField(label=gettext_lazy("Pengurus/direksi"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, documents=(), **kwargs):
        super().__init__(*args, **kwargs)
        for kind in documents:
            self.fields[f"doc_{kind}"] = forms.FileField(
                label=DocumentKind(kind).label, required=False, widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"})
            )

    def clean(self):
        """Refuse a hostile PDF next to its field before anything is created or stored
        (SEC-02); the service checks each file again when it stores it."""
        data = super().clean()
        for name, field in self.fields.items():
            if name.startswith("doc_") and data.get(name):
                try:
                    validate_pdf_upload(data[name], label=str(field.label))
                except UploadRefused as exc:
                    self.add_error(name, exc.messages[0])
        return data


@role_required(*IMPORTER)
def my_api(request):
    """The importer's API (status, section, re-registration, document) and applications."""
    company = request.user.company
    api = selectors.api_current_for_company(company=company)
    permit = services.api_permit_for(api) if api else None
    # PERF-02: one page of applications, whatever the company's history.
    applications = CappedPaginator(
        ApiApplication.objects.filter(company=company).select_related("issuer", "hs_section").order_by("-created_at", "-pk"), 25
    ).get_page(request.GET.get("page"))
    return render(request, "api_registry/my_api.html", {
        "api": api, "permit": permit, "applications": applications,
        "changes": api.change_requests.all() if api else [],
        "reports": api.quarterly_reports.all()[:8] if api else [],
        "designations": api.designations.all() if api else [],
        "today": timezone.localdate(),
    })


@role_required(*IMPORTER)
@require_http_methods(["GET", "POST"])
def apply(request):
    """Apply for API-U or API-P with the documents of the company's route (Pasal 22)."""
    company = request.user.company
    try:
        route = selectors.api_route_for(company=company, kind=ApiKind.API_P)
        issuer_kind = route.issuer.kind
    except DomainError:
        route, issuer_kind = None, IssuerKind.DINAS
    documents = sorted({kind for (ik, _k), kinds in REQUIRED_DOCUMENTS.items() if ik == issuer_kind for kind in kinds})
    form = ApplyForm(request.POST or None, request.FILES or None, documents=documents)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application = services.api_application_create(
                actor=request.user, kind=data["kind"], hs_section=data["hs_section"],
                line_of_business=data["line_of_business"], directors=data["directors"],
            )
        except DomainError as exc:
            _fail(request, exc)
        else:
            try:
                required = services.required_documents_for(application)
                for kind in documents:
                    if kind in required:
                        services.api_application_document_add(
                            application=application, actor=request.user, kind=kind, upload=data[f"doc_{kind}"]
                        )
                services.api_application_submit(application=application, actor=request.user)
                messages.success(request, _("Permohonan %(ref)s diterima dan diteruskan kepada %(issuer)s.") % {
                    "ref": application.reference, "issuer": ApiApplication.objects.get(pk=application.pk).issuer.name})
            except (DomainError, UploadRefused) as exc:
                _fail(request, exc)
                messages.info(request, _("Draf permohonan tersimpan; lengkapi lalu ajukan kembali."))
            return redirect("api-application", pk=application.pk)
    return render(request, "api_registry/apply.html", {"form": form, "route": route})


@role_required(*IMPORTER)
@require_POST
def application_submit(request, pk):
    application = get_object_or_404(selectors.api_applications_visible_to(user=request.user), pk=pk)
    try:
        services.api_application_submit(application=application, actor=request.user)
        messages.success(request, _("Permohonan diajukan."))
    except DomainError as exc:
        _fail(request, exc)
    return redirect("api-application", pk=pk)


class ChangeForm(forms.Form):
    changed_on = forms.DateField(label=gettext_lazy("Tanggal perubahan"), widget=forms.DateInput(attrs={"type": "date"}))
    company_name = forms.CharField(label=gettext_lazy("Nama perusahaan baru"), required=False, max_length=200)
    address = forms.CharField(label=gettext_lazy("Alamat baru"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    directors = forms.CharField(label=gettext_lazy("Pengurus/direksi baru"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    line_of_business = forms.CharField(label=gettext_lazy("Bidang usaha baru"), required=False, max_length=300)


class ReportForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Tahun"), min_value=2012, max_value=2100)
    quarter = forms.TypedChoiceField(label=gettext_lazy("Triwulan"), choices=[(1, "I"), (2, "II"), (3, "III"), (4, "IV")], coerce=int)
    realized = forms.BooleanField(label=gettext_lazy("Terealisasi"), required=False)
    shipments = forms.IntegerField(label=gettext_lazy("Jumlah PIB"), min_value=0, initial=0)
    value_usd = forms.DecimalField(label=gettext_lazy("Nilai (USD)"), min_value=0, max_digits=16, decimal_places=2, initial=0)


class DesignationForm(forms.Form):
    purpose = forms.ChoiceField(label=gettext_lazy("Tujuan"), choices=[("tes_pasar", gettext_lazy("tes pasar")), ("komplementer", gettext_lazy("barang komplementer"))])
    goods = forms.CharField(label=gettext_lazy("Jenis dan Pos Tarif/HS barang"), widget=forms.Textarea(attrs={"rows": 2}))


class NibForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("NIB berlaku sebagai"), choices=ApiKind.choices)
    hs_section = forms.ModelChoiceField(label=gettext_lazy("Bagian HS (API-U)"), queryset=HsSection.objects.all(), required=False)


@role_required(*IMPORTER)
@require_http_methods(["GET", "POST"])
def holder_action(request, action):
    """The holder's forms: change request (API-08), quarterly report (API-11), Produsen
    Importir (API-10), re-registration (API-07), NIB as API (API-12)."""
    forms_by_action = {"change": ChangeForm, "report": ReportForm, "designation": DesignationForm, "nib": NibForm, "reregister": None}
    if action not in forms_by_action:
        raise Http404
    api = selectors.api_current_for_company(company=request.user.company)
    if action != "nib" and api is None:
        raise Http404
    form_class = forms_by_action[action]
    form = form_class(request.POST or None) if form_class else None
    if request.method == "POST" and (form is None or form.is_valid()):
        data = form.cleaned_data if form else {}
        try:
            if action == "change":
                services.api_change_request_submit(api=api, actor=request.user, **data)
            elif action == "report":
                services.quarterly_report_submit(api=api, actor=request.user, **data)
            elif action == "designation":
                services.produsen_importir_apply(api=api, actor=request.user, **data)
            elif action == "nib":
                services.api_record_nib(actor=request.user, kind=data["kind"], hs_section=data["hs_section"])
            else:
                services.api_reregister(api=api, actor=request.user)
            messages.success(request, _("Tersimpan."))
            return redirect("api-my")
        except DomainError as exc:
            _fail(request, exc)
    return render(request, "api_registry/holder_action.html", {"form": form, "action": action, "api": api})


# --------------------------------------------------------------------------- both


class InspectionForm(forms.Form):
    result = forms.ChoiceField(label=gettext_lazy("Hasil pemeriksaan lapangan"), choices=[("sesuai", gettext_lazy("sesuai")), ("tidak_sesuai", gettext_lazy("tidak sesuai"))])
    bap_number = forms.CharField(label=gettext_lazy("Nomor BAP"), required=False, max_length=60)
    notes = forms.CharField(label=gettext_lazy("Catatan BAP"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    bap_file = forms.FileField(label=gettext_lazy("BAP ditandatangani (PDF)"), required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Alasan penolakan"), widget=forms.Textarea(attrs={"rows": 3}))


@role_required(*READERS)
def application_detail(request, pk):
    """Status, the current step's deadline and the timeline (AUD-02); the officer's forms."""
    application = get_object_or_404(selectors.api_applications_visible_to(user=request.user), pk=pk)
    return render(request, "api_registry/application_detail.html", {
        "application": application,
        "timeline": timeline_for(application),
        "current_step": current_step_for(application),
        "documents": application.documents.all(),
        "inspection_form": InspectionForm(),
        "reason_form": ReasonForm(),
        "is_officer": request.user.role in OFFICERS,
        "api": getattr(application, "api", None) if application.status == ApplicationStatus.APPROVED else None,
    })


@role_required(*OFFICERS)
@require_POST
def application_action(request, pk, action):
    """Inspection BAP (Pasal 25), forwarding, issue or reject (Pasal 24, 26)."""
    application = get_object_or_404(selectors.api_applications_visible_to(user=request.user), pk=pk)
    try:
        if action == "inspection":
            form = InspectionForm(request.POST, request.FILES)
            if not form.is_valid():
                # Say why (e.g. "the file is empty"), not only that something is wrong (SEC-02).
                reasons = [f"{form.fields[name].label}: {error}" if name in form.fields else str(error)
                           for name, errors in form.errors.items() for error in errors]
                messages.error(request, " ".join([_("Periksa isian BAP."), *reasons]))
                return redirect("api-application", pk=pk)
            services.api_application_inspect(
                application=application, actor=request.user, result=form.cleaned_data["result"],
                notes=form.cleaned_data["notes"], bap_number=form.cleaned_data["bap_number"], bap_upload=form.cleaned_data["bap_file"],
            )
            messages.success(request, _("BAP tersimpan."))
        elif action == "forward":
            services.api_application_forward(application=application, actor=request.user)
            messages.success(request, _("BAP disampaikan ke Dinas Provinsi."))
        elif action == "approve":
            api = services.api_application_approve(application=application, actor=request.user)
            messages.success(request, _("API %(number)s diterbitkan.") % {"number": api.number})
        elif action == "reject":
            form = ReasonForm(request.POST)
            services.api_application_reject(application=application, actor=request.user, reason=form.data.get("reason", ""))
            messages.success(request, _("Permohonan ditolak."))
        else:
            raise Http404
    except (DomainError, UploadRefused) as exc:
        _fail(request, exc)
    return redirect("api-application", pk=pk)


# --------------------------------------------------------------------------- officers


@role_required(*OFFICERS, Role.ADMINISTRATOR)
def work_list(request):
    """SLA-03: the issuer's open steps with due date, days left and overdue, most urgent first."""
    return render(request, "api_registry/work_list.html", {"rows": selectors.api_work_list(user=request.user)})


class SanctionForm(forms.Form):
    action = forms.ChoiceField(choices=[("freeze", "freeze"), ("reactivate", "reactivate"), ("revoke", "revoke")], widget=forms.HiddenInput)
    reason_code = forms.CharField(max_length=30)
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


@role_required(*READERS)
def api_detail(request, pk):
    api = get_object_or_404(selectors.apis_visible_to(user=request.user), pk=pk)
    reasons = ApiSanctionReason.objects.filter(kind__in=[SanctionKind.FREEZE, SanctionKind.REACTIVATE, SanctionKind.REVOKE])
    return render(request, "api_registry/api_detail.html", {
        "api": api, "permit": services.api_permit_for(api), "versions": api.versions.all(),
        "changes": api.change_requests.all(), "timeline": timeline_for(api), "reasons": reasons,
        "designations": api.designations.all(), "is_officer": request.user.role in OFFICERS,
    })


@role_required(*OFFICERS)
@require_POST
def api_action(request, pk):
    """Freeze, reactivate, revoke (API-09) and decide change requests (API-08)."""
    api = get_object_or_404(selectors.apis_visible_to(user=request.user), pk=pk)
    action = request.POST.get("action", "")
    try:
        if action in ("freeze", "reactivate", "revoke"):
            service = {"freeze": services.api_freeze, "reactivate": services.api_reactivate, "revoke": services.api_revoke}[action]
            service(api=api, actor=request.user, reason_code=request.POST.get("reason_code", ""), note=request.POST.get("note", ""))
        elif action in ("change_approve", "change_reject"):
            change = get_object_or_404(ApiChangeRequest, pk=request.POST.get("change"), api=api)
            if action == "change_approve":
                services.api_change_request_approve(change=change, actor=request.user)
            else:
                services.api_change_request_reject(change=change, actor=request.user, reason=request.POST.get("reason", ""))
        elif action in ("designation_approve", "designation_reject"):
            designation = get_object_or_404(api.designations, pk=request.POST.get("designation"))
            if action == "designation_approve":
                services.produsen_importir_approve(designation=designation, actor=request.user)
            else:
                services.produsen_importir_reject(designation=designation, actor=request.user, reason=request.POST.get("reason", ""))
        else:
            raise Http404
        messages.success(request, _("Tersimpan."))
    except DomainError as exc:
        _fail(request, exc)
    return redirect("api-detail", pk=pk)


@role_required(*OFFICERS)
def recap(request):
    """API-11 (P27 Pasal 29(5), 30): the issuer's quarterly recap and who is late."""
    from api_registry.models import Issuer

    if request.user.role == Role.DIRECTOR_GENERAL:
        issuers = Issuer.objects.all()
    else:
        issuers = Issuer.objects.filter(memberships__user=request.user).distinct()
    issuer = issuers.filter(code=request.GET.get("issuer", "")).first() or issuers.first()
    year, quarter = selectors.previous_quarter(timezone.localdate())
    try:
        year = int(request.GET.get("year", year))
        quarter = int(request.GET.get("quarter", quarter))
        if quarter not in (1, 2, 3, 4) or not 2012 <= year <= 2100:
            raise ValueError
    except ValueError:
        raise Http404 from None
    context = {"issuers": issuers, "issuer": issuer, "year": year, "quarter": quarter}
    if issuer is not None:
        context["recap"] = selectors.issuer_quarterly_recap(issuer=issuer, year=year, quarter=quarter)
        context["late"] = selectors.quarterly_reports_late(issuer=issuer, year=year, quarter=quarter)[:500]
    return render(request, "api_registry/recap.html", context)


@role_required(*READERS)
def application_document(request, pk, document_id):
    """One uploaded document, only to the applicant's company and the issuer's officers (SEC-05)."""
    from inatrade.files import serve_private

    application = get_object_or_404(selectors.api_applications_visible_to(user=request.user), pk=pk)
    document = get_object_or_404(application.documents, pk=document_id)
    return serve_private(document.path, filename=document.filename or "dokumen.pdf")

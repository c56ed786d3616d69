"""HTML pages of sugar imports. Thin: forms check the input shape, services the rules, and a
refused action comes back as a message on the same page."""

from __future__ import annotations

from django.contrib import messages
from inatrade.pagination import CappedPaginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Company, Role
from sugar_import.selectors import SUGAR_OFFICER_ROLES
from accounts.permissions import role_required
from inatrade.audit import timeline_for
from inatrade.errors import DomainError
from inatrade.files import UploadRefused
from inatrade.workdays import today, working_days_left
from permits.models import VersionState
from permits.services import permit_can_download
from sugar_import import selectors, services
from sugar_import.forms import (
    AmendmentForm,
    ApplicationForm,
    DocumentForm,
    ExemptionRequestForm,
    ImporterRecommendationForm,
    QuotaForm,
    ReasonForm,
    RecommendationForm,
    ReportForm,
    RevokeForm,
    SurveyorDesignateForm,
    SurveyorMonthlyReportForm,
    SurveyorReportForm,
)
from sugar_import.models import ApplicationStatus, Purpose, SugarPermitStatus
from workspace.selectors import current_step_for

APPLICATION_ROLES = (Role.IMPORTER, *SUGAR_OFFICER_ROLES)
PERMIT_ROLES = (Role.IMPORTER, Role.SURVEYOR, *SUGAR_OFFICER_ROLES)
HOME_ROLES = (Role.IMPORTER, Role.SURVEYOR, Role.AGENCY, *SUGAR_OFFICER_ROLES)


def _sentences(exc: DomainError) -> list[str]:
    """The reasons of a refusal as sentences a person reads: never the field keys of the API
    (``api:``, ``recommendation:``), nor bare values such as a number of tonnes (issue 17)."""
    found = []
    for msgs in (exc.fields or {}).values():
        for message in msgs if isinstance(msgs, (list, tuple)) else [msgs]:
            text = str(message).strip()
            if " " in text and text not in found:  # a sentence, not a value or a code
                found.append(text if text.endswith((".", "!", "?")) else f"{text}.")
    return found


def _refused(request, exc: DomainError) -> None:
    messages.error(request, " ".join([exc.message, *_sentences(exc)]))


def _refused_on_form(request, form, exc: DomainError, aliases: dict | None = None) -> None:
    """A refusal of the service: its message on top, each field's reason next to the field
    (``aliases`` maps a service field name onto a form field); what has no field goes on top
    of the form."""
    messages.error(request, exc.message)
    for field, msgs in (exc.fields or {}).items():
        name = (aliases or {}).get(field, field)
        form.add_error(name if name in form.fields else None, [str(m) for m in msgs])


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
                _refused_on_form(request, form, exc, aliases=LINE_ALIASES)
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
            _refused_on_form(request, form, exc, aliases=LINE_ALIASES)
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
        _refused(request, exc)
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


def _permit_context(request, sp, **forms):
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
    }
    return context


@role_required(*PERMIT_ROLES)
def permit_detail(request, number: str):
    sp = selectors.permit_get(user=request.user, number=number)
    return render(request, "sugar_import/permit_detail.html", _permit_context(request, sp))


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
            _refused(request, exc)
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
    return render(request, "sugar_import/permit_detail.html", _permit_context(request, sp, report_form=form), status=400)


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
            _refused(request, exc)
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
            _refused(request, exc)
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
        _refused(request, exc)
    return redirect("sugar-permit", number=amendment.sugar_permit.number)


@role_required(Role.AGENCY, *SUGAR_OFFICER_ROLES, Role.IMPORTER)
def recommendations(request):
    """PI-03: agencies record Rekomendasi / Surat penugasan and see how much of each is used;
    an importer records one from the signed PDF it holds."""
    user = request.user
    form = None
    if user.role == Role.AGENCY:
        form = RecommendationForm(request.POST or None)
    elif user.role == Role.IMPORTER:
        form = ImporterRecommendationForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            company = user.company if user.role == Role.IMPORTER else Company.objects.filter(nib=data["company_nib"]).first()
            if company is None:
                form.add_error("company_nib", _("Perusahaan dengan NIB ini tidak ditemukan."))
            else:
                try:
                    services.recommendation_record(
                        actor=user, company=company, kind=data["kind"], issuer=data["issuer"], number=data["number"],
                        date=data["date"], sugar_type=data["sugar_type"], volume_tonnes=data["volume_tonnes"],
                        hs_codes=[h.strip() for h in data["hs_codes"].split(",") if h.strip()],
                        origin_countries=[c.code for c in data["origin_countries"]], ports=[p.code for p in data["ports"]],
                        valid_from=data["valid_from"], valid_until=data["valid_until"], upload=data.get("file"),
                    )
                except DomainError as exc:
                    _refused(request, exc)
                except UploadRefused as exc:
                    form.add_error("file", exc.messages[0])
                else:
                    messages.success(request, _("Rekomendasi dicatat.") if user.role == Role.AGENCY else _(
                        "Rekomendasi dicatat dan menunggu verifikasi petugas terhadap PDF bertanda tangan; "
                        "permohonan dapat memakainya setelah terverifikasi."))
                    return redirect("sugar-recommendations")
    items = CappedPaginator(selectors.recommendation_list(user=user).order_by("-date", "-pk"), 25).get_page(request.GET.get("page"))
    return render(request, "sugar_import/recommendations.html", {
        "form": form, "items": items, "can_verify": user.role in services.RECOMMENDATION_VERIFIERS,
    })


RECOMMENDATION_READERS = (Role.AGENCY, Role.IMPORTER, *SUGAR_OFFICER_ROLES)


@role_required(*services.RECOMMENDATION_VERIFIERS)
def recommendations_pending(request):
    """Issue 15, item 8: the importers' uploaded Rekomendasi awaiting verification, oldest
    first; each opens on the page where the verifier reads the signed PDF and decides."""
    items = CappedPaginator(selectors.recommendation_verification_queue(user=request.user), 25).get_page(request.GET.get("page"))
    return render(request, "sugar_import/recommendations_pending.html", {"items": items})


@role_required(*RECOMMENDATION_READERS)
def recommendation_detail(request, pk: int):
    """One Rekomendasi: its data, the signed PDF the importer uploaded, its verification and
    history; the verifiers confirm or reject it here."""
    rec = selectors.recommendation_get(user=request.user, pk=pk)
    return render(request, "sugar_import/recommendation_detail.html", {
        "rec": rec,
        "can_verify": request.user.role in services.RECOMMENDATION_VERIFIERS and rec.verification_status == "pending",
        "reason_form": ReasonForm(),
        "audit_entries": timeline_for(rec),
    })


@role_required(*RECOMMENDATION_READERS)
def recommendation_pdf(request, pk: int):
    """The signed PDF an importer uploaded (same access as the Rekomendasi)."""
    from inatrade.files import serve_private

    rec = selectors.recommendation_get(user=request.user, pk=pk)
    if not rec.pdf_path:
        raise Http404
    return serve_private(rec.pdf_path, filename=f"rekomendasi-{rec.pk}.pdf")


@require_POST
@role_required(*services.RECOMMENDATION_VERIFIERS)
def recommendation_verify(request, pk: int, decision: str):
    """Confirm the upload against the signed PDF, or reject it with a reason."""
    rec = selectors.recommendation_get(user=request.user, pk=pk)
    try:
        if decision == "confirm":
            services.recommendation_confirm(recommendation=rec, actor=request.user)
            messages.success(request, _("Rekomendasi %(number)s terverifikasi.") % {"number": rec.number})
        else:
            form = ReasonForm(request.POST)
            reason = form.cleaned_data["reason"] if form.is_valid() else ""
            services.recommendation_reject(recommendation=rec, actor=request.user, reason=reason)
            messages.success(request, _("Rekomendasi %(number)s ditolak.") % {"number": rec.number})
    except DomainError as exc:
        _refused(request, exc)
    return redirect("sugar-recommendation", pk=pk)


# --------------------------------------------------------------------------- surveyors (PI-14)
def _surveyor_home_context(request, **forms):
    user = request.user
    return {
        "surveyor": selectors.surveyor_of(user=user),
        "reports": selectors.surveyor_report_list(user=user)[:100],
        "monthly_reports": selectors.surveyor_monthly_report_list(user=user)[:36],
        "permits": selectors.surveyor_permit_list(user=user)[:100],
        "monthly_form": forms.get("monthly_form") or SurveyorMonthlyReportForm(),
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
            _refused_on_form(request, form, exc)
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
            _refused_on_form(request, form, exc, aliases={"sugar_permit": None})
        else:
            messages.success(request, _("Laporan Surveyor %(ls)s dicatat.") % {"ls": report.ls_number})
            return redirect("sugar-permit", number=number)
    sp.refresh_from_db()
    return render(request, "sugar_import/permit_detail.html", _permit_context(request, sp, ls_form=form), status=400)


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
                _refused_on_form(request, form, exc)
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
        _refused(request, exc)
    else:
        if decision == "approve":
            messages.success(request, _("Surat keterangan %(number)s diterbitkan.") % {"number": letter.letter_number})
        else:
            messages.success(request, _("Permohonan surat keterangan ditolak."))
    return redirect("sugar-exemption", pk=pk)


# --------------------------------------------------------------------------- quotas (PI-05)
QUOTA_READERS = (Role.AGENCY, *SUGAR_OFFICER_ROLES)


def _quotas_context(request, form=None):
    year = request.GET.get("year")
    year = int(year) if year and year.isdigit() else None
    if form is None and request.user.role == Role.ADMINISTRATOR:
        form = QuotaForm()
    return {"items": selectors.quota_overview(year=year), "year": year, "form": form}


@role_required(*QUOTA_READERS)
def quotas(request):
    """PI-05: rakor allocations per year, purpose and sugar type: allocated, drawn by issued
    PIs, remaining. Administrators record or raise an allocation here."""
    return render(request, "sugar_import/quotas.html", _quotas_context(request))


@require_POST
@role_required(Role.ADMINISTRATOR)
def quota_record(request):
    form = QuotaForm(request.POST)
    if form.is_valid():
        try:
            quota = services.quota_allocation_record(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            _refused_on_form(request, form, exc)
        else:
            messages.success(request, _("Alokasi rakor %(quota)s dicatat.") % {"quota": quota})
            return redirect("sugar-quotas")
    return render(request, "sugar_import/quotas.html", _quotas_context(request, form), status=400)

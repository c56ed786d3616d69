"""The officers' registration pages (HA-06, HA-07): the list, the detail and its actions."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_http_methods

from accounts import selectors, services
from accounts.forms import (
    AssignVerifierForm,
    DecisionForm,
    FieldResultForm,
    ValidateForm,
)
from accounts.models import Registration, RegistrationStatus, Role
from accounts.permissions import role_required
from accounts.views.common import REGISTRATION_OFFICERS, REGISTRATION_READERS
from accounts.views.registration import _deadline, _document_pending
from reference.selectors import regency_for_code
from inatrade.audit import timeline_for
from inatrade.casesteps import current_step as current_step_for
from inatrade.errors import DomainError, RuleViolation
from inatrade.files import serve_private
from inatrade.workdays import working_days_left_many


@role_required(*REGISTRATION_OFFICERS)
def registration_list(request):
    """HA-06/SLA-03: the UPTP I work list with due dates, most urgent first."""
    status_filter = request.GET.get("status") or ""
    if status_filter not in RegistrationStatus.values:
        status_filter = ""
    from inatrade.pagination import CappedPaginator

    page = CappedPaginator(selectors.registration_work_list(status=status_filter or None), 50).get_page(request.GET.get("page"))
    # SLA-03: days left, from the one selector every list uses (one calendar, no query per row).
    rows = list(page)
    for row, left in zip(rows, working_days_left_many([r.due_date if r.is_open else None for r in rows])):
        row.days_left = left
        row.days_overdue = -left if left is not None and left < 0 else None
    return render(
        request,
        "accounts/registration_list.html",
        {"page": page, "status_filter": status_filter, "statuses": RegistrationStatus.choices},
    )


def _detail_context(request, registration, **forms_):
    context = {
        "r": registration,
        "regency": regency_for_code(code=registration.regency_code),
        "documents": registration.documents.all(),
        "bap": getattr(registration, "bap", None),
        "verifications": registration.field_verifications.select_related("verifier", "assigned_by"),
        "timeline": timeline_for(registration),
        "current_step": current_step_for(registration),
        "history": Registration.objects.filter(npwp=registration.npwp).exclude(pk=registration.pk) if registration.npwp else [],
        "validate_form": ValidateForm(),
        "assign_form": AssignVerifierForm(),
        "field_form": FieldResultForm(),
        "decision_form": DecisionForm(),
        **_deadline(registration),
    }
    context.update(forms_)
    return context


@role_required(*REGISTRATION_READERS)
def registration_detail(request, pk):
    registration = get_object_or_404(Registration, pk=pk)
    return render(request, "accounts/registration_detail.html", _detail_context(request, registration))


def _act(request, registration, form_name, form, action):
    if form.is_valid():
        try:
            action(form.cleaned_data)
        except DomainError as exc:
            for field, errors in exc.fields.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
            if not exc.fields:
                form.add_error(None, exc.message)
        else:
            return redirect("registration_detail", pk=registration.pk)
    registration.refresh_from_db()
    return render(
        request, "accounts/registration_detail.html", _detail_context(request, registration, **{form_name: form}), status=400
    )


def _action_view(name: str, role: str, service: str, form_name: str, form_class, done: str):
    """The POST of one officer's action on a registration: the form, then ``services.<service>``,
    then back to the detail page (the form with its errors, 400, when refused)."""

    def view(request, pk):
        registration = get_object_or_404(Registration, pk=pk)

        def act(data):
            getattr(services, service)(registration=registration, actor=request.user, **data)
            messages.success(request, _(done))

        return _act(request, registration, form_name, form_class(request.POST), act)

    view.__name__ = view.__qualname__ = name
    return role_required(role)(require_http_methods(["POST"])(view))


registration_validate = _action_view(
    "registration_validate", Role.COUNTER_OFFICER, "registration_validate", "validate_form", ValidateForm,
    gettext_noop("BAP tersimpan."))
registration_assign_verifier = _action_view(
    "registration_assign_verifier", Role.DIRECTOR, "registration_assign_field_verifier", "assign_form", AssignVerifierForm,
    gettext_noop("Verifikator lapangan ditugaskan."))
registration_field_result = _action_view(
    "registration_field_result", Role.FIELD_VERIFIER, "registration_record_field_verification", "field_form", FieldResultForm,
    gettext_noop("Hasil verifikasi lapangan tersimpan."))


@role_required(Role.DIRECTOR)
@require_http_methods(["POST"])
def registration_decide(request, pk):
    registration = get_object_or_404(Registration, pk=pk)
    decision = request.POST.get("decision")

    def act(data):
        if decision == "approve":
            user = services.registration_approve(registration=registration, actor=request.user, **data)
            messages.success(request, _("Hak Akses disetujui; user id %(u)s dikirim ke pemohon.") % {"u": user.username})
        elif decision == "reject":
            services.registration_reject(registration=registration, actor=request.user, **data)
            messages.success(request, _("Registrasi ditolak; alasan dikirim ke pemohon."))
        else:
            raise RuleViolation(_("Pilih setujui atau tolak."))

    return _act(request, registration, "decision_form", DecisionForm(request.POST), act)


@role_required(*REGISTRATION_READERS)
def registration_file(request, pk, kind):
    """Uploaded documents, the registration document and the BAP, for officers (SEC-05)."""
    registration = get_object_or_404(Registration, pk=pk)
    if kind == "document":
        path, name = registration.document_path, f"Dokumen-Registrasi-INATRADE-{registration.reference}.pdf"
    elif kind == "bap":
        bap = getattr(registration, "bap", None)
        if bap is None:
            raise Http404
        path, name = bap.pdf_path, f"{bap.number}.pdf"
    else:
        document = registration.documents.filter(kind=kind).first()
        if document is None:
            raise Http404
        path, name = document.path, document.filename
    if not path:
        if kind in ("document", "bap"):  # rendered by a worker after commit (PERF-01)
            return _document_pending(request, registration)
        raise Http404
    return serve_private(path, filename=name)



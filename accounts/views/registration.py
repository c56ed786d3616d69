"""The public registration (HA-01…HA-05): the wizard, the done page, the status page and its
document."""

from django import forms
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from accounts import selectors, services
from accounts.forms import (
    STEPS,
    RegistrationForm,
)
from accounts.views.common import _public
from accounts.views.session import too_many_requests
from reference.selectors import regency_for_code
from inatrade.audit import timeline_for
from inatrade.casesteps import current_step as current_step_for
from inatrade.errors import DomainError
from inatrade.files import UploadRefused, serve_private
from inatrade.throttling import registration_throttled
from inatrade.workdays import working_days_left

DRAFT_KEY = "registration_draft"  # {"data": {field: [values]}, "step": n}
UPLOADS_KEY = "registration_uploads"  # {kind: {"path", "name", "size"}}: temporary files


def _draft_initial(draft: dict) -> dict:
    """The unbound form's initial values from the session draft (lists as posted)."""
    initial = {}
    for name, values in (draft.get("data") or {}).items():
        field = RegistrationForm.base_fields.get(name)
        if field is None or name in RegistrationForm.FILE_FIELDS:
            continue
        initial[name] = values if isinstance(field, forms.MultipleChoiceField) else (values[0] if values else "")
    return initial


def _step_of(field: str) -> int:
    for index, (_title, names) in enumerate(STEPS):
        if field in names:
            return index
    return 0


@_public
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def register(request):
    """HA-01…HA-04: the registration in four steps, each checked by the server before the
    next ("Berikutnya"), with the errors listed and linked to their fields; the draft and the
    uploaded files are kept in the session, so a reload, a step back or a refused submission
    loses nothing (issue 17). Works without script; a POST of the whole form at once (no
    ``action``) is a submission, as before."""
    if request.method == "POST" and registration_throttled(
        request, email=request.POST.get("applicant_email", ""), npwp=request.POST.get("npwp", "")
    ):
        return too_many_requests(request)
    last = len(STEPS) - 1
    draft = request.session.get(DRAFT_KEY) or {}
    kept = dict(request.session.get(UPLOADS_KEY) or {})
    if request.method == "GET":
        form = RegistrationForm(initial=_draft_initial(draft))
        step = min(max(int(draft.get("step", 0)), 0), last)
        return _register_page(request, form, step, kept)

    form = RegistrationForm(request.POST, request.FILES)
    action = request.POST.get("action") or ("goto" if request.POST.get("goto") else "submit")
    step = _int_or(request.POST.get("step"), 0, last)
    upload_errors = {}
    for kind in RegistrationForm.FILE_FIELDS:
        if kind in request.FILES:
            try:
                new = services.registration_upload_keep(kind=kind, upload=request.FILES[kind])
            except UploadRefused as exc:
                upload_errors[kind] = list(exc.messages)
            else:
                services.registration_kept_discard({kind: kept[kind]} if kind in kept else {})
                kept[kind] = new
    request.session[UPLOADS_KEY] = kept
    request.session[DRAFT_KEY] = {
        "data": {k: v for k, v in request.POST.lists() if k not in ("csrfmiddlewaretoken", "action", "goto", "step")},
        "step": step,
    }
    form.is_valid()  # the shape of each field; the rules are the services'

    def show(at, errors=None):
        for field, messages_ in (errors or {}).items():
            for message in messages_:
                form.add_error(field if field in form.fields else None, message)
        request.session[DRAFT_KEY]["step"] = at
        request.session.modified = True
        return _register_page(request, form, at, kept, status=400 if form.errors else 200)

    if action in ("prev", "goto"):
        target = step - 1 if action == "prev" else _int_or(request.POST.get("goto"), 0, last)
        if target <= step:  # going back checks nothing
            request.session[DRAFT_KEY]["step"] = target
            return redirect("register")
    if action == "next" and step < last:
        errors = {**services.registration_step_errors(data=form.cleaned_data, fields=STEPS[step][1], kept=kept),
                  **{k: v for k, v in upload_errors.items() if k in STEPS[step][1]}}  # the refusal over "missing"
        if errors or form.errors:
            return show(step, errors)
        request.session[DRAFT_KEY]["step"] = step + 1
        return redirect("register")
    # Submission: every step's errors, shown on the first step that has one.
    errors = {}
    for _title, names in STEPS:
        errors.update(services.registration_step_errors(data=form.cleaned_data, fields=names, kept=kept))
    errors.update(upload_errors)  # "not a PDF" says more than "missing"
    if errors or form.errors:
        first = min([_step_of(f) for f in list(errors) + list(form.errors)] or [last])
        return show(first, errors)
    try:
        registration = services.registration_submit(
            data=form.service_data(), files=services.registration_kept_files(kept), language=get_language() or "id")
    except DomainError as exc:
        fields = dict(exc.fields or {})
        if not fields:
            form.add_error(None, exc.message)
        return show(min([_step_of(f) for f in fields] or [last]), fields)
    services.registration_kept_discard(kept)
    for key in (DRAFT_KEY, UPLOADS_KEY):
        request.session.pop(key, None)
    return redirect("registration_done", key=registration.access_key)


def _deadline(registration) -> dict:
    """Working days left of an open registration, or how many it is overdue (never a negative
    count on a page: the lists and the timeline say "lewat N hari kerja" the same way)."""
    left = working_days_left(registration.due_date) if registration.due_date and registration.is_open else None
    return {"days_left": left, "days_overdue": -left if left is not None and left < 0 else 0}


def _int_or(value, default: int, last: int) -> int:
    try:
        return min(max(int(value), 0), last)
    except (TypeError, ValueError):
        return default


def _register_page(request, form, step: int, kept: dict, status: int = 200):
    from accounts.forms import regency_options

    summary = []
    if step == len(STEPS) - 1:
        values = form.cleaned_data if form.is_bound and hasattr(form, "cleaned_data") else {}
        summary = _registration_summary(form, values or form.initial, kept)
    return render(request, "accounts/register.html", {
        "form": form, "current_step": step, "kept": kept, "summary": summary,
        "regency_options": regency_options(), "error_steps": {_step_of(f) for f in form.errors} if form.is_bound else set(),
    }, status=status)


def _registration_summary(form, values: dict, kept: dict) -> list[dict]:
    """The confirmation step: every answer by step, each step with its "Ubah" button."""
    out = []
    for index, (title, names) in enumerate(STEPS[:-1]):
        rows = []
        for name in names:
            field = form.fields[name]
            if name in RegistrationForm.FILE_FIELDS:
                value = kept[name]["name"] if name in kept else ""
            else:
                raw = values.get(name)
                if isinstance(field, forms.BooleanField):
                    if not raw:
                        continue
                    value = _("Ya")
                elif hasattr(field, "choices") and not isinstance(field.widget, forms.TextInput):
                    labels = dict(field.choices)
                    raw_list = raw if isinstance(raw, (list, tuple)) else [raw]
                    value = ", ".join(str(labels.get(v, v)) for v in raw_list if v)
                elif name == "regency_code" and raw:
                    regency = regency_for_code(code=str(raw))
                    value = f"{regency.name} ({regency.code})" if regency else str(raw)
                else:
                    value = raw or ""
            rows.append({"label": field.label, "value": value})
        out.append({"index": index, "title": title, "rows": rows})
    return out


@_public
def registration_done(request, key):
    """HA-05: the confirmation page, with the reference and the document to print."""
    registration = selectors.registration_for_key(key=key)
    if registration is None:
        raise Http404
    return render(request, "accounts/registration_done.html",
                  {"r": registration, "next": selectors.registration_what_next(registration)})


@_public
def registration_status(request, key):
    """The applicant's status page (secret link): where it is, what is next, the deadline, the
    timeline (AUD-02)."""
    registration = selectors.registration_for_key(key=key)
    if registration is None:
        raise Http404
    return render(
        request,
        "accounts/registration_status.html",
        {
            "r": registration,
            "next_step": selectors.registration_next_step(registration),
            "timeline": timeline_for(registration),
            "current_step": current_step_for(registration),
            **_deadline(registration),
        },
    )


@_public
def registration_status_document(request, key):
    registration = selectors.registration_for_key(key=key)
    if registration is None:
        raise Http404
    if not registration.document_path:  # rendered by a worker after commit (PERF-01)
        return _document_pending(request, registration)
    return serve_private(registration.document_path, filename=f"Dokumen-Registrasi-INATRADE-{registration.reference}.pdf")


def _document_pending(request, registration):
    """A PDF still being rendered by the worker: say so (202), never render in the request."""
    return render(
        request,
        "accounts/document_pending.html",
        {"r": registration, "message": _("Dokumen sedang disiapkan, silakan muat ulang halaman ini sebentar lagi.")},
        status=202,
    )



from django import forms
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from accounts import services
from accounts.forms import PasswordErrorsBesideThePassword
from accounts.models import Role
from inatrade.api.errors import error_body
from inatrade.throttling import login_throttled, registration_throttled


class LoginView(auth_views.LoginView):
    """The login form, throttled per client address as well as locked per user id (HA-11)."""

    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        if login_throttled(request):
            return too_many_requests(request)
        return super().post(request, *args, **kwargs)


def too_many_requests(request, message=None):
    message = message or _("Terlalu banyak permintaan dari alamat Anda. Coba lagi beberapa saat lagi.")
    if request.path.startswith("/api/"):
        return JsonResponse(error_body("throttled", message), status=429)
    return render(request, "throttled.html", {"message": message}, status=429)


def lockout_response(request, original_response=None, credentials=None):
    """HA-11: the answer to a locked-out login, in the API's error shape under /api/."""
    message = _("Terlalu banyak percobaan masuk yang gagal. Akun dikunci selama 15 menit.")
    if request.path.startswith("/api/"):
        return JsonResponse(error_body("account_locked", message), status=429)
    return render(request, "registration/locked_out.html", {"message": message}, status=429)


@login_required
def dashboard(request):
    """Beranda: what needs this user, by role (inatrade/home.py collects each app's part)."""
    from inatrade.home import home_sections

    sections = home_sections(user=request.user)
    return render(request, "accounts/dashboard.html", {
        "role": request.user.role, "Role": Role, "sections": sections,
        "tiles": [s for s in sections if s.count is not None],
    })


class _PasswordChangeForm(PasswordErrorsBesideThePassword, PasswordChangeForm):
    new_password1 = forms.CharField(
        label=gettext_lazy("Kata sandi baru"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request):
    """HA-09: change the password; a forced change lands here and nowhere else."""
    form = _PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.user_password_change(user=request.user, new_password=form.cleaned_data["new_password1"])
        update_session_auth_hash(request, request.user)
        messages.success(request, _("Kata sandi berhasil diganti."))
        return redirect("dashboard")
    return render(request, "registration/password_change.html", {"form": form})


# ---------------------------------------------------------------------------------------------
# Hak Akses: registration (importer side), work list and decisions (officers), passwords
# ---------------------------------------------------------------------------------------------

from django.contrib.auth import logout  # noqa: E402
from django.http import Http404  # noqa: E402
from django.shortcuts import get_object_or_404  # noqa: E402
from django.utils.translation import get_language  # noqa: E402
from django.views.decorators.debug import sensitive_post_parameters  # noqa: E402

from accounts import selectors  # noqa: E402
from accounts.forms import (  # noqa: E402
    STEPS,
    AssignVerifierForm,
    DecisionForm,
    FieldResultForm,
    InitialPasswordForm,
    LostCredentialsForm,
    PasswordResetRequestForm,
    PasswordResetSetForm,
    RegistrationForm,
    RevokeForm,
    ValidateForm,
)
from accounts.models import AccessStatus, Registration, RegistrationStatus, User  # noqa: E402
from accounts.permissions import role_required  # noqa: E402
from accounts.tokens import TokenExpired, TokenInvalid, set_password_token_user  # noqa: E402
from reference.selectors import regency_for_code  # noqa: E402
from inatrade.audit import timeline_for  # noqa: E402
from workspace.selectors import current_step_for  # noqa: E402
from inatrade.errors import DomainError, RuleViolation  # noqa: E402
from inatrade.files import UploadRefused, serve_private  # noqa: E402
from inatrade.workdays import WorkingCalendar, today, working_days_left, working_days_left_many  # noqa: E402

REGISTRATION_OFFICERS = (Role.COUNTER_OFFICER, Role.FIELD_VERIFIER, Role.DIRECTOR, Role.ADMINISTRATOR)
# The director general reads a registration (and its files) once its step is escalated to them
# (SLA-03): their work list links there. They decide nothing on it.
REGISTRATION_READERS = REGISTRATION_OFFICERS + (Role.DIRECTOR_GENERAL,)


def _public(view):
    """Pages open to anyone (declared, for the URL-walking access test)."""
    view.allowed_roles = None
    return view


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


@role_required(Role.COUNTER_OFFICER)
@require_http_methods(["POST"])
def registration_validate(request, pk):
    registration = get_object_or_404(Registration, pk=pk)

    def act(data):
        services.registration_validate(registration=registration, actor=request.user, **data)
        messages.success(request, _("BAP tersimpan."))

    return _act(request, registration, "validate_form", ValidateForm(request.POST), act)


@role_required(Role.DIRECTOR)
@require_http_methods(["POST"])
def registration_assign_verifier(request, pk):
    registration = get_object_or_404(Registration, pk=pk)

    def act(data):
        services.registration_assign_field_verifier(registration=registration, actor=request.user, **data)
        messages.success(request, _("Verifikator lapangan ditugaskan."))

    return _act(request, registration, "assign_form", AssignVerifierForm(request.POST), act)


@role_required(Role.FIELD_VERIFIER)
@require_http_methods(["POST"])
def registration_field_result(request, pk):
    registration = get_object_or_404(Registration, pk=pk)

    def act(data):
        services.registration_record_field_verification(registration=registration, actor=request.user, **data)
        messages.success(request, _("Hasil verifikasi lapangan tersimpan."))

    return _act(request, registration, "field_form", FieldResultForm(request.POST), act)


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


@_public
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def set_password(request, token):
    """HA-08 (INSW 6.1/6.2): set the first password through the e-mailed link (24 h)."""
    try:
        user = set_password_token_user(token)
    except TokenExpired:
        return render(request, "accounts/token_expired.html", {"token": token}, status=410)
    except TokenInvalid:
        return render(request, "accounts/token_invalid.html", status=404)
    if user.has_usable_password() or not user.has_active_access:
        return render(request, "accounts/token_invalid.html", status=404)
    form = InitialPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.user_password_set_initial(user=user, new_password=form.cleaned_data["new_password1"])
        messages.success(request, _("Kata sandi terpasang. Silakan masuk dengan user id %(u)s.") % {"u": user.username})
        return redirect(f"{reverse('login')}?username={user.username}")
    return render(request, "accounts/set_password.html", {"form": form, "user_id": user.username})


@_public
@require_http_methods(["POST"])
def set_password_resend(request):
    """HA-08 (INSW 6.2): the "Token expired" page's button: a new link to the same address."""
    token = request.POST.get("token", "")
    try:
        user = set_password_token_user(token)
    except TokenExpired as exc:
        user = exc.user
    except TokenInvalid:
        return render(request, "accounts/token_invalid.html", status=404)
    try:
        services.user_set_password_link_resend(user=user)
    except DomainError:
        return render(request, "accounts/token_invalid.html", status=404)
    return render(request, "accounts/token_resent.html", {"email": user.email})


def _too_often(request, scope: str, limit: int = 5, seconds: int = 3600) -> bool:
    """A fixed-window count of POSTs per client address and scope (the recovery forms would
    otherwise send e-mails or block accounts on demand)."""
    from django.core.cache import cache

    key = f"throttle:{scope}:{request.META.get('REMOTE_ADDR', '')}"
    cache.add(key, 0, seconds)
    try:
        hits = cache.incr(key)
    except ValueError:
        cache.set(key, 1, seconds)
        hits = 1
    return hits > limit


def _throttled_page(request, template, context):
    context = {**context, "throttled": True}
    return render(request, template, context, status=429)


@_public
@require_http_methods(["GET", "POST"])
def lost_credentials(request):
    """HA-10 (INSW manual 6.2): report the user id / password lost or stolen; the account is
    blocked at once. Logged in: one button. Logged out: the user id and the registered e-mail,
    with the same answer whether or not they match (no user enumeration)."""
    if request.user.is_authenticated:
        if request.method == "POST":
            services.user_report_lost_credentials(user=request.user)
            logout(request)
            return render(request, "accounts/lost_credentials_done.html")
        return render(request, "accounts/lost_credentials.html")
    form = LostCredentialsForm(request.POST or None)
    if request.method == "POST":
        if _too_often(request, "lost-credentials"):
            return _throttled_page(request, "accounts/lost_credentials.html", {"form": form})
        if form.is_valid():
            services.user_report_lost_credentials_anonymous(**form.cleaned_data)
            return render(request, "accounts/lost_credentials_done.html", {"anonymous": True})
    return render(request, "accounts/lost_credentials.html", {"form": form}, status=400 if form.errors else 200)


class PasswordResetView(auth_views.PasswordResetView):
    """Django's view with the outbox form, throttled per client address."""

    form_class = PasswordResetRequestForm
    template_name = "registration/password_reset_form.html"

    def post(self, request, *args, **kwargs):
        if _too_often(request, "password-reset"):
            return _throttled_page(request, self.template_name, {"form": self.get_form()})
        return super().post(request, *args, **kwargs)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Only an account whose access is active may reset (a blocked or revoked one may not)."""

    form_class = PasswordResetSetForm
    template_name = "registration/password_reset_confirm.html"

    def render_to_response(self, context, **kwargs):
        if not context.get("validlink"):  # used, expired or forged: as the set-password link (HA-08)
            kwargs["status"] = 404
        return super().render_to_response(context, **kwargs)

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        if user is not None and user.access_status != AccessStatus.ACTIVE:
            return None
        return user


@role_required(Role.ADMINISTRATOR, Role.DIRECTOR)
def access_holders(request):
    """Importers' access rights, with the revocation action (HA-12)."""
    from inatrade.pagination import CappedPaginator

    status_filter = request.GET.get("status") or ""
    qs = User.objects.filter(role=Role.IMPORTER).select_related("company").order_by("company__name", "username")
    if status_filter in AccessStatus.values:
        qs = qs.filter(access_status=status_filter)
    query = (request.GET.get("q") or "").strip()
    if query:
        from django.db.models import Q

        qs = qs.filter(Q(username__icontains=query) | Q(company__name__icontains=query) | Q(company__npwp__icontains=query))
    page = CappedPaginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/access_holders.html", {"page": page, "status_filter": status_filter, "q": query, "statuses": AccessStatus.choices})


@role_required(Role.ADMINISTRATOR, Role.DIRECTOR)
@require_http_methods(["GET", "POST"])
def user_revoke(request, pk):
    """HA-12: revoke an access right with a reason code."""
    target = get_object_or_404(User, pk=pk, role=Role.IMPORTER)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_revoke(user=target, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Hak Akses %(u)s dicabut.") % {"u": target.username})
            return redirect("access_holders")
    return render(request, "accounts/user_revoke.html", {"target": target, "form": form, "revocations": target.revocations.all()})


password_reset = _public(PasswordResetView.as_view())
password_reset_done = _public(auth_views.PasswordResetDoneView.as_view(template_name="registration/password_reset_done.html"))
password_reset_confirm = _public(PasswordResetConfirmView.as_view())
password_reset_complete = _public(auth_views.PasswordResetCompleteView.as_view(template_name="registration/password_reset_complete.html"))

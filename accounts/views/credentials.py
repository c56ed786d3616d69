"""Passwords and access rights: the set-password link (HA-08), lost credentials and the
password reset (HA-10), the access holders and their revocation (HA-12)."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from accounts import services
from accounts.forms import (
    InitialPasswordForm,
    LostCredentialsForm,
    PasswordResetRequestForm,
    PasswordResetSetForm,
    RevokeForm,
)
from accounts.models import AccessStatus, Role, User
from accounts.permissions import role_required
from accounts.tokens import TokenExpired, TokenInvalid, set_password_token_user
from accounts.views.common import _public
from inatrade.errors import DomainError


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

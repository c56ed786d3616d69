"""Signing in, the lockout answer (HA-11), the dashboard and the password change (HA-09)."""

from django import forms
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from accounts import services
from accounts.forms import PasswordErrorsBesideThePassword
from accounts.models import Role
from inatrade.api.errors import error_body
from inatrade.throttling import login_throttled


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

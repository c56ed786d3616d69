from django import forms
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import services
from accounts.models import Role
from inatrade.api.errors import error_body


def lockout_response(request, original_response=None, credentials=None):
    """HA-11: the answer to a locked-out login, in the API's error shape under /api/."""
    message = _("Terlalu banyak percobaan masuk yang gagal. Akun dikunci selama 15 menit.")
    if request.path.startswith("/api/"):
        return JsonResponse(error_body("account_locked", message), status=429)
    return render(request, "registration/locked_out.html", {"message": message}, status=429)


@login_required
def dashboard(request):
    """The landing page after login, by role."""
    return render(request, "accounts/dashboard.html", {"role": request.user.role, "Role": Role})


class _PasswordChangeForm(PasswordChangeForm):
    new_password1 = forms.CharField(
        label=_("Kata sandi baru"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
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

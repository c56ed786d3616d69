"""HA-09 and HA-10/HA-12 for browser sessions.

A user whose password must be changed (first use, a reset by an administrator, or older
than PASSWORD_MAX_AGE_DAYS) reaches nothing but the password page and logout. A session of a
user who was blocked or revoked meanwhile is ended at the next request.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

_ALWAYS_ALLOWED_PREFIXES = ("/static/", "/i18n/", "/healthz", "/readyz", "/metrics", "/verify/", "/api/")


def password_change_required(user) -> bool:
    if user.must_change_password:
        return True
    if user.password_changed_at is None:
        return False
    return timezone.now() - user.password_changed_at > timedelta(days=settings.PASSWORD_MAX_AGE_DAYS)


class AccessGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith(_ALWAYS_ALLOWED_PREFIXES):
            if not user.has_active_access:
                logout(request)
                return redirect(reverse("login"))
            allowed = {reverse("password_change"), reverse("logout")}
            if request.path not in allowed and password_change_required(user):
                return redirect(reverse("password_change"))
        return self.get_response(request)

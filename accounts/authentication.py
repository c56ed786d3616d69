"""API authentication: hashed tokens, and browser sessions with CSRF.

A token of a blocked or revoked user answers 401 (HA-10, HA-12). Every authenticated call
counts as "use" for the inactivity rule (HA-13); the timestamp is written at most once every
few minutes per user so a busy API client does not turn reads into writes.
"""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from accounts.middleware import password_change_required
from accounts.models import ApiToken, User

USE_RECORD_INTERVAL = timedelta(minutes=5)


def record_use(user: User) -> None:
    now = timezone.now()
    if user.last_used_at is None or now - user.last_used_at > USE_RECORD_INTERVAL:
        User.objects.filter(pk=user.pk).update(last_used_at=now)
        user.last_used_at = now


class HashedTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Header token tidak valid."))
        try:
            key = header[1].decode()
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed(_("Header token tidak valid.")) from exc
        token = ApiToken.objects.select_related("user", "user__company").filter(key_hash=ApiToken.hash_key(key)).first()
        if token is None or token.predates_password():
            raise exceptions.AuthenticationFailed(_("Token tidak valid."))
        if token.is_expired():
            raise exceptions.AuthenticationFailed(_("Token kedaluwarsa; minta token baru."))
        user = token.user
        if not user.has_active_access:
            raise exceptions.AuthenticationFailed(_("Hak akses pengguna ini tidak aktif."))
        refuse_until_password_changed(request, user)
        record_use(user)
        return user, token

    def authenticate_header(self, request):
        return self.keyword


class SessionAuthentication(authentication.SessionAuthentication):
    """DRF's session authentication (CSRF enforced), refusing inactive access rights."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None and not result[0].has_active_access:
            raise exceptions.AuthenticationFailed(_("Hak akses pengguna ini tidak aktif."))
        if result is not None:
            refuse_until_password_changed(request, result[0])
        return result


def refuse_until_password_changed(request, user) -> None:
    """HA-09 on the API: a user who must change the password (first use, an administrator's
    reset, or a password older than PASSWORD_MAX_AGE_DAYS) is refused everywhere under /api/
    with an existing token or session, except revoking the token (issue 15 item 5)."""
    if request.method == "DELETE" and request.path.rstrip("/").endswith("/auth/token"):
        return
    if password_change_required(user):
        raise exceptions.PermissionDenied(
            _("Kata sandi harus diganti melalui portal sebelum memakai API."), code="password_change_required"
        )

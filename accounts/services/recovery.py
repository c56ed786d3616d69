"""Lost credentials (HA-10, INSW manual 6.2): a password reset by e-mail and a report of lost
credentials that works without logging in. Both answer the same whether or not an account
matches, so that nobody learns which user ids or addresses exist."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.audit_actions import REQUEST_PASSWORD_RESET
from accounts.models import AccessStatus, User
from inatrade.audit import audit_record
from inatrade.notifications import email_queue


def user_password_reset_request(*, email: str) -> int:
    """Queue a reset link (Django's token: one use, void once the password changes or after
    ``PASSWORD_RESET_TIMEOUT``) to each active account with this e-mail address; returns how
    many were sent, which the caller never shows."""
    users = [
        user for user in User.objects.filter(email__iexact=email.strip(), is_active=True, access_status=AccessStatus.ACTIVE)
        if user.has_usable_password()  # no password yet: the set-password link applies (HA-08)
    ]
    hours = settings.PASSWORD_RESET_TIMEOUT // 3600
    with transaction.atomic():
        for user in users:
            path = reverse("password_reset_confirm", kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user),
            })
            email_queue(
                template="password_reset", to=user.email, language=user.preferred_language,
                context={"name": user.get_full_name() or user.username, "username": user.username,
                         "url": f"{settings.SITE_URL.rstrip('/')}{path}", "hours": hours},
            )
            audit_record(obj=user, action=REQUEST_PASSWORD_RESET, actor=user, company=user.company)
    return len(users)


def user_report_lost_credentials_anonymous(*, username: str, email: str) -> bool:
    """HA-10 without logging in: the account whose user id and e-mail both match is blocked
    at once and the administrators are told; True when one was."""
    from accounts.services.access import user_report_lost_credentials

    user = User.objects.filter(username__iexact=username.strip(), email__iexact=email.strip(),
                               access_status=AccessStatus.ACTIVE).select_related("company").first()
    if user is None:
        return False
    user_report_lost_credentials(user=user)
    return True

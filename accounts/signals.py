"""Logins, failures and lockouts go to the audit log (HA-11); a login counts as use (HA-13)."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone

from accounts import audit_actions
from accounts.models import User
from inatrade.audit import audit_record
from inatrade.throttling import client_address, login_failure_record


def _client(request) -> dict:
    if request is None:
        return {}
    return {"ip": client_address(request), "agent": request.META.get("HTTP_USER_AGENT", "")[:200]}


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(last_used_at=timezone.now())
        audit_record(obj=user, action=audit_actions.LOGIN, actor=user, company=user.company, data=_client(request))


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    username = (credentials or {}).get("username", "")[:64]
    login_failure_record(request)  # per client address, whichever user id was tried
    user = User.objects.filter(username=username).first()
    with transaction.atomic():
        if user:
            audit_record(obj=user, action=audit_actions.LOGIN_FAILED, company=user.company, data=_client(request))
        else:
            audit_record(object_type="accounts.login", object_id=username, action=audit_actions.LOGIN_FAILED, data=_client(request))


@receiver(user_locked_out)
def on_locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    user = User.objects.filter(username=username or "").first()
    with transaction.atomic():
        if user:
            audit_record(obj=user, action=audit_actions.LOGIN_LOCKED, company=user.company, data=_client(request))
        else:
            audit_record(object_type="accounts.login", object_id=(username or "")[:64], action=audit_actions.LOGIN_LOCKED, data=_client(request))

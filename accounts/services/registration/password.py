"""HA-08/HA-09: the new user's set-password link and their first password."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts import audit_actions
from accounts.models import User
from accounts.tokens import set_password_token
from inatrade.audit import audit_record
from inatrade.db import retry_on_db_conflict
from inatrade.errors import InvalidTransition
from inatrade.notifications import email_queue


def email_set_password(*, user: User, template: str, reference: str = "") -> None:
    link = settings.SITE_URL + reverse("set_password", args=[set_password_token(user)])
    email_queue(
        template=template,
        to=user.email,
        context={"name": user.get_full_name() or user.username, "username": user.username, "link": link,
                 "reference": reference, "company": user.company.name if user.company else ""},
        language=user.preferred_language,
    )


@retry_on_db_conflict
def user_set_password_link_resend(*, user: User) -> None:
    """HA-08 (INSW 6.2): "Token expired" → a new link to the same address."""
    if not user.has_active_access or user.has_usable_password():
        raise InvalidTransition(_("Kata sandi akun ini sudah dipasang atau hak aksesnya tidak aktif."))
    with transaction.atomic():
        audit_record(obj=user, action=audit_actions.RESEND_SET_PASSWORD_LINK, company=user.company)
        email_set_password(user=user, template="set_password_resent")


@retry_on_db_conflict
def user_password_set_initial(*, user: User, new_password: str) -> None:
    """HA-08/HA-09: the user sets their own password through the e-mailed link (first use)."""
    with transaction.atomic():
        locked = User.objects.select_for_update(of=("self",), no_key=True).get(pk=user.pk)
        if locked.has_usable_password():
            raise InvalidTransition(_("Tautan ini sudah digunakan."), code="token_used")
        locked.set_password(new_password)
        locked.must_change_password = False
        locked.save(update_fields=["password", "password_changed_at", "must_change_password"])
        audit_record(obj=locked, action=audit_actions.SET_PASSWORD, actor=locked, company=locked.company)
    user.refresh_from_db()

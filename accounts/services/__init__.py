"""Account services. Every state change is one function, audited in its transaction."""

from django.contrib.auth import authenticate
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import audit_actions
from accounts.middleware import password_change_required
from accounts.models import ApiToken, User
from inatrade.audit import audit_record
from inatrade.db import retry_on_db_conflict
from inatrade.errors import DomainError
from inatrade.notifications import email_queue


class BadCredentials(DomainError):
    code = "authentication_failed"
    status = 401
    default_message = _("ID pengguna atau kata sandi salah, atau hak akses tidak aktif.")


class PasswordChangeRequired(DomainError):
    code = "password_change_required"
    status = 403
    default_message = _("Kata sandi harus diganti melalui portal sebelum memakai API.")


@retry_on_db_conflict
def api_token_create(*, request, username: str, password: str) -> tuple[ApiToken, str]:
    """POST /api/v1/auth/token: a new key for valid credentials (login throttling applies)."""
    user = authenticate(request=request, username=username, password=password)
    if user is None:
        raise BadCredentials()
    if password_change_required(user):
        raise PasswordChangeRequired()
    with transaction.atomic():
        ApiToken.objects.filter(user=user, created_at__lt=timezone.now() - ApiToken.lifetime()).delete()
        token, key = ApiToken.issue(user)
        audit_record(obj=user, action=audit_actions.API_TOKEN_CREATE, actor=user, company=user.company)
    return token, key


@retry_on_db_conflict
def api_token_revoke(*, token: ApiToken) -> None:
    user = token.user
    with transaction.atomic():
        token.delete()
        audit_record(obj=user, action=audit_actions.API_TOKEN_REVOKE, actor=user, company=user.company)


@retry_on_db_conflict
def user_password_change(*, user: User, new_password: str) -> None:
    """The user sets a new password (validated by the form); clears a forced change (HA-09)."""
    with transaction.atomic():
        user.set_password(new_password)
        user.must_change_password = False
        user.save(update_fields=["password", "password_changed_at", "must_change_password"])
        ApiToken.revoke_all([user.pk])  # a leaked token dies with the old password
        audit_record(obj=user, action=audit_actions.CHANGE_PASSWORD, actor=user, company=user.company)
        if user.email:
            email_queue(
                template="password_changed",
                to=user.email,
                context={"username": user.username, "name": user.get_full_name() or user.username},
                language=user.preferred_language,
            )


def user_password_reset(*, user: User, actor: User) -> None:
    """An administrator set a new password for ``user`` (the admin's password form): the
    user must choose their own at the next login (HA-09), and their API tokens are revoked."""
    with transaction.atomic():
        forced = user.pk != actor.pk
        User.objects.filter(pk=user.pk).update(must_change_password=forced)
        revoked = ApiToken.revoke_all([user.pk])
        audit_record(obj=user, action=audit_actions.RESET_PASSWORD, actor=actor, company=user.company,
                     data={"must_change_password": forced, "tokens_revoked": revoked})
    user.must_change_password = forced


from accounts.services.access import (  # noqa: E402,F401
    inactivity_revocation,
    user_report_lost_credentials,
    user_revoke,
)
from accounts.services.registration import (  # noqa: E402,F401
    UploadsRefused,
    bap_pdf_render,
    registration_approve,
    registration_assign_field_verifier,
    registration_check_uploads,
    registration_document_render,
    registration_record_field_verification,
    registration_reject,
    registration_submit,
    registration_validate,
    user_password_set_initial,
    user_set_password_link_resend,
)
from accounts.services.recovery import (  # noqa: E402,F401
    user_password_reset_request,
    user_report_lost_credentials_anonymous,
)
from accounts.services.wizard import (  # noqa: E402,F401
    registration_kept_discard,
    registration_kept_files,
    registration_step_errors,
    registration_upload_keep,
)

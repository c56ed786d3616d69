"""The audit actions of accounts, named ``<object>.<verb>`` (issue 18), and their words for the
timelines (AUD-02). The transitions' actions (``registration.*``, ``user.*_access``) are named
and labelled by their machines in accounts/models.py; the others are here, registered by
``AccountsConfig.ready``. Rows written before the rename keep their old names
(``registration_submitted``, ``login`` ...), which ``inatrade.audit_labels`` still knows."""

from django.utils.translation import gettext_lazy as _

LOGIN = "user.login"
LOGIN_FAILED = "user.login_failed"
LOGIN_LOCKED = "user.login_locked"
SET_PASSWORD = "user.set_password"
CHANGE_PASSWORD = "user.change_password"
RESET_PASSWORD = "user.reset_password"
REQUEST_PASSWORD_RESET = "user.request_password_reset"
RESEND_SET_PASSWORD_LINK = "user.resend_set_password_link"
API_TOKEN_CREATE = "api_token.create"
API_TOKEN_REVOKE = "api_token.revoke"
COMPANY_UPDATE_DETAILS = "company.update_details"

ACTION_LABELS = {
    LOGIN: _("Masuk ke portal"),
    LOGIN_FAILED: _("Gagal masuk"),
    LOGIN_LOCKED: _("Akun dikunci sementara"),
    SET_PASSWORD: _("Kata sandi dibuat"),
    CHANGE_PASSWORD: _("Kata sandi diubah"),
    RESET_PASSWORD: _("Kata sandi diatur ulang oleh Tim Pengelola"),
    REQUEST_PASSWORD_RESET: _("Tautan atur ulang kata sandi diminta"),
    RESEND_SET_PASSWORD_LINK: _("Tautan pembuatan kata sandi dikirim ulang"),
    API_TOKEN_CREATE: _("Token API dibuat"),
    API_TOKEN_REVOKE: _("Token API dicabut"),
    COMPANY_UPDATE_DETAILS: _("Data perusahaan diubah"),
}

# The name each action carried before the rename: rows keep it, and ``inatrade.audit_labels``
# keeps its words. Nothing in accounts filters rows by these names; a page that does must
# accept both.
OLD_NAMES = {
    "registration.submit": "registration_submitted",
    "registration.assign_field_verifier": "field_verification_assigned",
    "registration.record_field_verification": "field_verification_recorded",
    "registration.validate": "registration_validated",
    "registration.approve": "registration_approved",
    "registration.reject": "registration_rejected",
    "user.grant_access": "access_granted",
    "user.block_access": "credentials_reported_lost",
    "user.revoke_access": "access_revoked",
    "user.revoke_access_inactive": "access_revoked_inactive",
    LOGIN: "login",
    LOGIN_FAILED: "login_failed",
    LOGIN_LOCKED: "login_locked",
    SET_PASSWORD: "password_set",
    CHANGE_PASSWORD: "password_changed",
    RESET_PASSWORD: "password_reset",
    REQUEST_PASSWORD_RESET: "password_reset_requested",
    RESEND_SET_PASSWORD_LINK: "set_password_link_resent",
    API_TOKEN_CREATE: "api_token_created",
    API_TOKEN_REVOKE: "api_token_revoked",
    COMPANY_UPDATE_DETAILS: "company_details_updated",
}


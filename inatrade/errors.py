"""Domain errors raised by services; every interface turns them into its own answer
(a message on a page, the one error shape of the API)."""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A business rule refused an action. ``code`` is machine-readable, ``status`` the HTTP
    status the API answers with (409 by default: the object's state does not allow it)."""

    code = "conflict"
    status = 409
    default_message = _("Tindakan ini tidak diizinkan pada status saat ini.")

    def __init__(self, message=None, *, code: str | None = None, fields: dict | None = None, status: int | None = None):
        self.message = str(message or self.default_message)
        if code:
            self.code = code
        if status:
            self.status = status
        self.fields = fields or {}
        super().__init__(self.message)


class InvalidTransition(DomainError):
    code = "invalid_transition"
    status = 409


class RuleViolation(DomainError):
    """Input that is well-formed but breaks a business rule (400, with the fields)."""

    code = "rule_violation"
    status = 400

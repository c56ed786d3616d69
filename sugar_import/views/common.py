"""What the sugar pages share: the roles that read them and how a refusal is shown."""

from __future__ import annotations

from django.contrib import messages

from accounts.models import Role
from inatrade.errors import DomainError
from sugar_import.selectors import SUGAR_OFFICER_ROLES

APPLICATION_ROLES = (Role.IMPORTER, *SUGAR_OFFICER_ROLES)
PERMIT_ROLES = (Role.IMPORTER, Role.SURVEYOR, *SUGAR_OFFICER_ROLES)
HOME_ROLES = (Role.IMPORTER, Role.SURVEYOR, Role.AGENCY, *SUGAR_OFFICER_ROLES)


def _sentences(exc: DomainError) -> list[str]:
    """The reasons of a refusal as sentences a person reads: never the field keys of the API
    (``api:``, ``recommendation:``), nor bare values such as a number of tonnes (issue 17)."""
    found = []
    for msgs in (exc.fields or {}).values():
        for message in msgs if isinstance(msgs, (list, tuple)) else [msgs]:
            text = str(message).strip()
            if " " in text and text not in found:  # a sentence, not a value or a code
                found.append(text if text.endswith((".", "!", "?")) else f"{text}.")
    return found


def refused(request, exc: DomainError) -> None:
    messages.error(request, " ".join([exc.message, *_sentences(exc)]))


def refused_on_form(request, form, exc: DomainError, aliases: dict | None = None) -> None:
    """A refusal of the service: its message on top, each field's reason next to the field
    (``aliases`` maps a service field name onto a form field); what has no field goes on top
    of the form."""
    messages.error(request, exc.message)
    for field, msgs in (exc.fields or {}).items():
        name = (aliases or {}).get(field, field)
        form.add_error(name if name in form.fields else None, [str(m) for m in msgs])



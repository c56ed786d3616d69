"""What the account pages share: who reads registrations, and the mark of public pages."""


from accounts.models import Role

REGISTRATION_OFFICERS = (Role.COUNTER_OFFICER, Role.FIELD_VERIFIER, Role.DIRECTOR, Role.ADMINISTRATOR)
# The director general reads a registration (and its files) once its step is escalated to them
# (SLA-03): their work list links there. They decide nothing on it.
REGISTRATION_READERS = REGISTRATION_OFFICERS + (Role.DIRECTOR_GENERAL,)


def _public(view):
    """Pages open to anyone (declared, for the URL-walking access test)."""
    view.allowed_roles = None
    return view


"""The models of accounts, by sub-domain (issue 18: no module over ~500 lines), re-exported so
that ``from accounts.models import User`` stays the one way to reach them.

- ``users``: roles, companies, users and their access right (``USER_ACCESS``), API tokens,
  revocations;
- ``registration``: the Hak Akses registration (``REGISTRATION``), its documents, BAP and
  field verification.
"""

from accounts.models.registration import (  # noqa: F401
    OPEN_REGISTRATION_STATUSES,
    REGISTRATION,
    ActingCapacity,
    Bap,
    BapResult,
    DocumentKind,
    FieldVerification,
    FieldVerificationResult,
    IdentityKind,
    JenisUsaha,
    Registration,
    RegistrationDocument,
    RegistrationPurpose,
    RegistrationStatus,
)
from accounts.models.users import (  # noqa: F401
    OFFICER_ROLES,
    USER_ACCESS,
    AccessStatus,
    ApiToken,
    Company,
    JenisTrader,
    Revocation,
    RevocationReason,
    Role,
    User,
)

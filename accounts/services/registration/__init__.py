"""Hak Akses registration: submission (HA-01…HA-05), field verification and validation with a
BAP (HA-06), the director's decision (HA-07) and the new user's set-password link (HA-08).

One function per transition of ``Registration.status`` (the machine ``REGISTRATION`` in
accounts/models.py). Each locks the row (``REGISTRATION.lock``) so that two officers clicking
at once produce one transition, moves it and audits it inside the transaction
(``REGISTRATION.apply``: a refused move is 409 ``invalid_transition``), and queues e-mails
that leave only after commit.

- ``submission``: the form's rules, the uploads and the submission;
- ``documents``: Lampiran II and the BAP PDF, rendered by workers;
- ``validation``: field verification and the UPTP I validation;
- ``decision``: the director's approval or refusal;
- ``password``: the new user's set-password link.
"""

from accounts.services.registration.decision import (  # noqa: F401
    registration_approve,
    registration_reject,
)
from accounts.services.registration.documents import (  # noqa: F401
    bap_pdf_render,
    registration_document_render,
    registration_documents_sweep,
)
from accounts.services.registration.password import (  # noqa: F401
    user_password_set_initial,
    user_set_password_link_resend,
)
from accounts.services.registration.steps import (  # noqa: F401
    FIELD_VERIFICATION_STEP,
    INVALID_DECISION_STEP,
    SLA_STEP,
    VALIDATION_STEP,
)
from accounts.services.registration.submission import (  # noqa: F401
    REGISTRATION_FIELDS,
    CompanyHasAccess,
    UploadsRefused,
    document_url,
    registration_check_uploads,
    registration_submit,
    status_url,
)
from accounts.services.registration.validation import (  # noqa: F401
    registration_assign_field_verifier,
    registration_record_field_verification,
    registration_validate,
)

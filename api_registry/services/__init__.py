"""Writes of the API registry: one function per transition (style.md habits 2–5).

Each transition locks its row (``machine.lock``), checks and moves it with the model's
``Machine`` (``api_registry.models``: a refused move is 409 ``invalid_transition``), saves
with ``update_fields``, queues its e-mails and writes its audit row ``<object>.<verb>``, all in
one ``transaction.atomic`` (AUD-01, AUD-03). Scheduled jobs move their sets with
``machine.apply_bulk`` through the same service path. Sources are Permendag
27/M-DAG/PER/5/2012 ("P27"), cited by Pasal.

A package by sub-domain (issue 18); the public names are re-exported here so callers keep
``from api_registry import services``.
"""

from api_registry.services.applications import (  # noqa: F401
    _assert_may_apply,
    _validate_kind,
    api_application_approve,
    api_application_create,
    api_application_document_add,
    api_application_reject,
    api_application_submit,
    api_number_next,
    api_record_nib,
    required_documents_for,
)
from api_registry.services.changes import (  # noqa: F401
    api_change_request_approve,
    api_change_request_reject,
    api_change_request_submit,
)
from api_registry.services.common import (  # noqa: F401
    CHANGE_REPORT_DAYS,
    DIRECTOR_GENERAL_NAME,
    QUARTERLY_REPORT_GRACE_DAYS,
    REJECT_STEP_OF,
    REMINDER_DAYS,
    REREGISTRATION_GRACE_WORKING_DAYS,
    REREGISTRATION_YEARS,
    UNDATED_ISSUE_STEP,
    NotAllowed,
    _add_years,
    _api_document_content,
    _api_document_issue,
    _api_document_status,
    api_permit_for,
)
from api_registry.services.designations import (  # noqa: F401
    produsen_importir_apply,
    produsen_importir_approve,
    produsen_importir_reject,
    produsen_importir_revoke,
)
from api_registry.services.inspections import (  # noqa: F401
    api_application_forward,
    api_application_inspect,
)
from api_registry.services.reports import (  # noqa: F401
    quarterly_report_check,
    quarterly_report_submit,
)
from api_registry.services.reregistration import api_reregister, api_reregistration_job  # noqa: F401
from api_registry.services.sanctions import (  # noqa: F401
    api_freeze,
    api_reactivate,
    api_revoke,
    api_sanction_bulk,
)

"""Writes of sugar_import: one function per transition (style.md habit 2), called by the
browser views, the API, the admin and the jobs alike. Each stateful model's moves go through
its ``inatrade.transitions.Machine`` (declared in ``sugar_import.models``).

The functions live by sub-domain; they are re-exported here so that callers keep writing
``from sugar_import import services; services.sugar_application_submit(...)``. The module
clock is ``sugar_import.services.common._now`` (tests and the demo move it there).

Legal source: Permendag 14/2020 on sugar imports (P14), Permendag 123/2015 (P123).
"""

from sugar_import.services.amendments import (  # noqa: F401
    amendment_approve,
    amendment_reject,
    amendment_submit,
)
from sugar_import.services.applications import (  # noqa: F401
    sugar_application_approve,
    sugar_application_create,
    sugar_application_document_add,
    sugar_application_reject,
    sugar_application_return,
    sugar_application_submit,
    sugar_application_update,
)
from sugar_import.services.common import (  # noqa: F401
    CHECKERS,
    DECIDERS,
    PERMIT_KIND,
    REACTIVATION_WINDOW,
    RECOMMENDATION_VERIFIERS,
    REGULATION,
    REMINDER_LEAD_DAYS,
    SANCTION_BLOCK,
    SURVEYOR_REPORT_DAY,
    NotFound,
    check_line_count,
    fmt_tonnes,
    month_start,
    parse_period,
    reminder_day,
    report_day,
    report_deadline,
    rule_days,
    surveyor_report_deadline,
)
from sugar_import.services.eligibility import (  # noqa: F401
    company_sanctioned_until,
    required_documents,
)
from sugar_import.services.exemptions import exemption_decide, exemption_request_record  # noqa: F401
from sugar_import.services.recommendations import (  # noqa: F401
    quota_allocation_record,
    recommendation_confirm,
    recommendation_record,
    recommendation_reject,
)
from sugar_import.services.reports import (  # noqa: F401
    monthly_report_reminders,
    monthly_report_submit,
    report_periods,
)
from sugar_import.services.sanctions import (  # noqa: F401
    monthly_report_freeze,
    sugar_permit_revoke,
    sugar_permits_freeze,
    sugar_permits_reactivate,
    sugar_permits_revoke,
)
from sugar_import.services.surveyors import (  # noqa: F401
    surveyor_designate,
    surveyor_designation_check,
    surveyor_monthly_report_submit,
    surveyor_report_record,
)

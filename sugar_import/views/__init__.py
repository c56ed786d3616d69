"""Browser pages of sugar import approvals (Permendag 14/2020), by sub-domain: a view reads
through selectors, writes through services; a refused action comes back as a message on the
same page. Re-exported here for urls.py."""

from sugar_import.views.applications import (  # noqa: F401
    LINE_ALIASES,
    application_approve,
    application_detail,
    application_document,
    application_edit,
    application_new,
    application_reject,
    application_return,
    application_submit,
    home,
)
from sugar_import.views.common import (  # noqa: F401
    APPLICATION_ROLES,
    HOME_ROLES,
    PERMIT_ROLES,
)
from sugar_import.views.permits import (  # noqa: F401
    amendment_decide,
    permit_amend,
    permit_detail,
    permit_report,
    permit_revoke,
)
from sugar_import.views.recommendation_quota import (  # noqa: F401
    QUOTA_READERS,
    RECOMMENDATION_READERS,
    quota_record,
    quotas,
    recommendation_detail,
    recommendation_pdf,
    recommendation_verify,
    recommendations,
    recommendations_pending,
)
from sugar_import.views.surveyor_exemption import (  # noqa: F401
    EXEMPTION_READERS,
    exemption_decide,
    exemption_detail,
    exemption_document,
    exemption_new,
    exemptions,
    permit_surveyor_report,
    surveyor_designate,
    surveyor_document,
    surveyor_home,
    surveyor_monthly_report,
    surveyors,
)

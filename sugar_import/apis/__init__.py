"""REST API of sugar import approvals (api.md, "Sugar import approvals"), by sub-domain. Thin:
input shape in serializers, every rule in services. Re-exported here for api_urls.py."""

from sugar_import.apis.applications import (  # noqa: F401
    SugarApplicationApproveApi,
    SugarApplicationDetailApi,
    SugarApplicationDocumentApi,
    SugarApplicationListCreateApi,
    SugarApplicationRejectApi,
    SugarApplicationReturnApi,
    SugarApplicationSubmitApi,
    SugarReasonInput,
)
from sugar_import.apis.common import (  # noqa: F401
    ALL_ROLES,
    CanApply,
    CanRead,
    CanRecord,
    IsAdministrator,
    IsChecker,
    IsDirectorGeneral,
    IsImporter,
    ReadsApplications,
    ReadsPermits,
)
from sugar_import.apis.permits import (  # noqa: F401
    SugarAmendmentApproveApi,
    SugarAmendmentCreateApi,
    SugarAmendmentOutput,
    SugarAmendmentRejectApi,
    SugarPermitDetailApi,
    SugarPermitListApi,
    SugarPermitPdfApi,
    SugarPermitRevokeApi,
    SugarReportApi,
)
from sugar_import.apis.recommendations import (  # noqa: F401
    SugarQuotaListCreateApi,
    SugarRecommendationDetailApi,
    SugarRecommendationListCreateApi,
    SugarRecommendationPdfApi,
    SugarRecommendationVerifyApi,
)
from sugar_import.apis.serializers import (  # noqa: F401
    SugarApplicationDetailOutput,
    SugarApplicationOutput,
    SugarLineInput,
    SugarLineSerializer,
    SugarPermitDetailOutput,
    SugarPermitOutput,
    SugarQuotaOutput,
    SugarRecommendationOutput,
)
from sugar_import.apis.surveyors import (  # noqa: F401
    SugarExemptionCreateApi,
    SugarExemptionDecideApi,
    SugarExemptionOutput,
    SugarSurveyorMonthlyReportApi,
    SugarSurveyorReportApi,
)

"""Persetujuan Impor (PI) for sugar, Permendag 14/2020 (P14).

The models live by sub-domain (reference data, applications, issued permits, surveyors and
exemptions); each stateful model declares its allowed moves as an ``inatrade.transitions.Machine``
next to it. Everything is re-exported here, so ``from sugar_import.models import X`` keeps
working and the app label and migrations are unchanged.
"""

from sugar_import.models.applications import (  # noqa: F401
    APPLICATION_MACHINE,
    OPEN_STATUSES,
    RECOMMENDATION_MACHINE,
    ApplicationDocument,
    ApplicationLine,
    ApplicationStatus,
    PermitCounter,
    Recommendation,
    RecommendationKind,
    RecommendationSource,
    SugarApplication,
    VerificationStatus,
)
from sugar_import.models.permits import (  # noqa: F401
    AMENDMENT_MACHINE,
    PERMIT_SANCTION_MACHINE,
    AmendmentRequest,
    AmendmentStatus,
    MonthlyReport,
    RevocationReason,
    Shipment,
    SugarPermit,
    SugarPermitLine,
    SugarPermitStatus,
)
from sugar_import.models.reference import (  # noqa: F401
    TONNES,
    ApplicantRule,
    Country,
    Port,
    Purpose,
    QuotaAllocation,
    SugarType,
    ValidityRule,
    hs8_validator,
)
from sugar_import.models.surveyors import (  # noqa: F401
    EXEMPTION_MACHINE,
    SURVEYOR_DOCUMENTS,
    SURVEYOR_MACHINE,
    ExemptionKind,
    ExemptionLetter,
    ExemptionStatus,
    Surveyor,
    SurveyorMonthlyReport,
    SurveyorReport,
    SurveyorStatus,
)

"""Persetujuan Impor (PI) for sugar, Permendag 14/2020 (P14).

The models live by sub-domain (reference data, applications, issued permits, surveyors and
exemptions); each stateful model declares its allowed moves as an ``inatrade.transitions.Machine``
next to it. Everything is re-exported here, so ``from sugar_import.models import X`` keeps
working and the app label and migrations are unchanged.
"""

from django.utils.translation import gettext_lazy as _

from inatrade import audit_labels
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

# The audit actions of sugar_import that are not moves of a machine (the machines register
# theirs), registered with the models so that they are known as soon as the app is loaded.
# The pre-issue-18 names keep their labels in inatrade.audit_labels.
audit_labels.register({
    "quota.record": _("Kuota dicatat"),
    "sugar_recommendation.record": _("Rekomendasi dicatat"),
    "sugar_application.create": _("Draf dibuat"),
    "sugar_application.update": _("Permohonan diperbaiki"),
    "sugar_application.add_document": _("Dokumen diunggah"),
    "sugar_amendment.submit": _("Perubahan diajukan"),
    "monthly_report.submit": _("Laporan realisasi bulanan disampaikan"),
    "surveyor_designation.designate": _("Surveyor ditetapkan"),
    "surveyor_report.record": _("Laporan surveyor dicatat"),
    "surveyor_monthly_report.submit": _("Laporan bulanan surveyor disampaikan"),
    "exemption.submit": _("Permohonan surat keterangan dicatat UPTP I"),
    # Old names written before issue 18 that the central table did not know.
    "recommendation_confirmed": _("Rekomendasi terverifikasi"),
    "recommendation_rejected": _("Rekomendasi ditolak"),
})

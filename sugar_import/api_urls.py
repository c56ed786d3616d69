"""/api/v1/sugar/ (api.md, "Sugar import approvals")."""

from django.urls import path

from sugar_import import apis

urlpatterns = [
    path("recommendations/", apis.SugarRecommendationListCreateApi.as_view(), name="api-sugar-recommendations"),
    path("recommendations/<int:pk>", apis.SugarRecommendationDetailApi.as_view(), name="api-sugar-recommendation"),
    path("recommendations/<int:pk>/pdf", apis.SugarRecommendationPdfApi.as_view(), name="api-sugar-recommendation-pdf"),
    path("recommendations/<int:pk>/confirm", apis.SugarRecommendationVerifyApi.as_view(confirm=True), name="api-sugar-recommendation-confirm"),
    path("recommendations/<int:pk>/reject", apis.SugarRecommendationVerifyApi.as_view(confirm=False), name="api-sugar-recommendation-reject"),
    path("quotas/", apis.SugarQuotaListCreateApi.as_view(), name="api-sugar-quotas"),
    path("applications/", apis.SugarApplicationListCreateApi.as_view(), name="api-sugar-applications"),
    path("applications/<int:pk>", apis.SugarApplicationDetailApi.as_view(), name="api-sugar-application"),
    path("applications/<int:pk>/documents", apis.SugarApplicationDocumentApi.as_view(), name="api-sugar-application-documents"),
    path("applications/<int:pk>/submit", apis.SugarApplicationSubmitApi.as_view(), name="api-sugar-application-submit"),
    path("applications/<int:pk>/return", apis.SugarApplicationReturnApi.as_view(), name="api-sugar-application-return"),
    path("applications/<int:pk>/approve", apis.SugarApplicationApproveApi.as_view(), name="api-sugar-application-approve"),
    path("applications/<int:pk>/reject", apis.SugarApplicationRejectApi.as_view(), name="api-sugar-application-reject"),
    path("permits/", apis.SugarPermitListApi.as_view(), name="api-sugar-permits"),
    path("permits/<str:number>", apis.SugarPermitDetailApi.as_view(), name="api-sugar-permit"),
    path("permits/<str:number>/pdf", apis.SugarPermitPdfApi.as_view(), name="api-sugar-permit-pdf"),
    path("permits/<str:number>/reports", apis.SugarReportApi.as_view(), name="api-sugar-permit-reports"),
    path("permits/<str:number>/amendments", apis.SugarAmendmentCreateApi.as_view(), name="api-sugar-permit-amendments"),
    path("permits/<str:number>/surveyor-reports", apis.SugarSurveyorReportApi.as_view(), name="api-sugar-permit-surveyor-reports"),
    path("surveyor-monthly-reports/", apis.SugarSurveyorMonthlyReportApi.as_view(), name="api-sugar-surveyor-monthly-reports"),
    path("permits/<str:number>/revoke", apis.SugarPermitRevokeApi.as_view(), name="api-sugar-permit-revoke"),
    path("amendments/<int:pk>/approve", apis.SugarAmendmentApproveApi.as_view(), name="api-sugar-amendment-approve"),
    path("amendments/<int:pk>/reject", apis.SugarAmendmentRejectApi.as_view(), name="api-sugar-amendment-reject"),
    path("exemptions/", apis.SugarExemptionCreateApi.as_view(), name="api-sugar-exemptions"),
    path("exemptions/<int:pk>/approve", apis.SugarExemptionDecideApi.as_view(approve=True), name="api-sugar-exemption-approve"),
    path("exemptions/<int:pk>/reject", apis.SugarExemptionDecideApi.as_view(approve=False), name="api-sugar-exemption-reject"),
]

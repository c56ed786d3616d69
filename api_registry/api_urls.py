from django.urls import path

from api_registry import apis

urlpatterns = [
    path("api-applications/", apis.ApplicationListCreateApi.as_view(), name="api-application-list"),
    path("api-applications/<int:pk>", apis.ApplicationDetailApi.as_view(), name="api-application-detail"),
    path("api-applications/<int:pk>/documents", apis.ApplicationDocumentApi.as_view(), name="api-application-documents"),
    path("api-applications/<int:pk>/submit", apis.ApplicationSubmitApi.as_view(), name="api-application-submit"),
    path("api-applications/<int:pk>/inspection", apis.ApplicationInspectionApi.as_view(), name="api-application-inspection"),
    path("api-applications/<int:pk>/forward", apis.ApplicationForwardApi.as_view(), name="api-application-forward"),
    path("api-applications/<int:pk>/approve", apis.ApplicationApproveApi.as_view(), name="api-application-approve"),
    path("api-applications/<int:pk>/reject", apis.ApplicationRejectApi.as_view(), name="api-application-reject"),
    path("apis/", apis.ApiListApi.as_view(), name="api-api-list"),
    path("apis/record-nib", apis.ApiRecordNibApi.as_view(), name="api-api-record-nib"),
    path("apis/<str:number>", apis.ApiDetailApi.as_view(), name="api-api-detail"),
    path("apis/<str:number>/freeze", apis.ApiFreezeApi.as_view(), name="api-api-freeze"),
    path("apis/<str:number>/reactivate", apis.ApiReactivateApi.as_view(), name="api-api-reactivate"),
    path("apis/<str:number>/revoke", apis.ApiRevokeApi.as_view(), name="api-api-revoke"),
    path("apis/<str:number>/reregister", apis.ApiReregisterApi.as_view(), name="api-api-reregister"),
    path("apis/<str:number>/change-requests", apis.ApiChangeRequestApi.as_view(), name="api-api-change-requests"),
    path("apis/<str:number>/quarterly-reports", apis.QuarterlyReportApi.as_view(), name="api-api-quarterly-reports"),
    path("apis/<str:number>/produsen-importir", apis.DesignationApplyApi.as_view(), name="api-api-produsen-importir"),
    path("api-change-requests/<int:pk>/approve", apis.ChangeApproveApi.as_view(), name="api-change-approve"),
    path("api-change-requests/<int:pk>/reject", apis.ChangeRejectApi.as_view(), name="api-change-reject"),
    path("produsen-importir/<int:pk>/approve", apis.DesignationDecideApi.as_view(action="approve"), name="api-designation-approve"),
    path("produsen-importir/<int:pk>/reject", apis.DesignationDecideApi.as_view(action="reject"), name="api-designation-reject"),
    path("produsen-importir/<int:pk>/revoke", apis.DesignationDecideApi.as_view(action="revoke"), name="api-designation-revoke"),
    path("regions/", apis.RegionListApi.as_view(), name="api-regions"),
    path("api-issuers/<slug:code>/recap", apis.IssuerRecapApi.as_view(), name="api-issuer-recap"),
]

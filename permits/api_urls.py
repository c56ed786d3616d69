from django.urls import path

from permits import apis

urlpatterns = [
    path("verify/", apis.VerifyUploadApi.as_view(), name="api-verify-upload"),
    path("verify/<path:permit_number>", apis.VerifyNumberApi.as_view(), name="api-verify-number"),
    path("permits/<path:number>/pdf", apis.PermitPdfApi.as_view(), name="api-permit-pdf"),
    path("permits/<path:number>/signing", apis.PermitSigningApi.as_view(), name="api-permit-signing"),
    path("permits/<path:number>/signing/retry", apis.PermitSigningRetryApi.as_view(), name="api-permit-signing-retry"),
    path("insw/outbox/", apis.InswOutboxListApi.as_view(), name="api-insw-outbox"),
]

from django.urls import path

from accounts import apis

urlpatterns = [
    path("auth/token", apis.TokenApi.as_view(), name="api-auth-token"),
    path("me", apis.MeApi.as_view(), name="api-me"),
    path("me/report-lost-credentials", apis.ReportLostCredentialsApi.as_view(), name="api-report-lost-credentials"),
    path("registrations/", apis.RegistrationListApi.as_view(), name="api-registrations"),
    path("registrations/<int:pk>/document.pdf", apis.RegistrationDocumentApi.as_view(), name="api-registration-document"),
    path("registrations/<int:pk>/bap.pdf", apis.RegistrationBapApi.as_view(), name="api-registration-bap"),
    path(
        "registrations/<int:pk>/field-verification",
        apis.RegistrationFieldVerificationApi.as_view(),
        name="api-registration-field-verification",
    ),
    path(
        "registrations/<int:pk>/field-verification/result",
        apis.RegistrationFieldVerificationResultApi.as_view(),
        name="api-registration-field-verification-result",
    ),
    path("registrations/<int:pk>/validate", apis.RegistrationValidateApi.as_view(), name="api-registration-validate"),
    path("registrations/<int:pk>/approve", apis.RegistrationApproveApi.as_view(), name="api-registration-approve"),
    path("registrations/<int:pk>/reject", apis.RegistrationRejectApi.as_view(), name="api-registration-reject"),
    path("users/<int:pk>/revoke", apis.UserRevokeApi.as_view(), name="api-user-revoke"),
]

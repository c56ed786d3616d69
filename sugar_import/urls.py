"""/sugar/: the browser pages of sugar import approvals."""

from django.urls import path

from sugar_import import views

urlpatterns = [
    path("", views.home, name="sugar-home"),
    path("applications/new/", views.application_new, name="sugar-application-new"),
    path("applications/<int:pk>/", views.application_detail, name="sugar-application"),
    path("applications/<int:pk>/edit", views.application_edit, name="sugar-application-edit"),
    path("applications/<int:pk>/submit", views.application_submit, name="sugar-application-submit"),
    path("applications/<int:pk>/documents", views.application_document, name="sugar-application-document"),
    path("applications/<int:pk>/return", views.application_return, name="sugar-application-return"),
    path("applications/<int:pk>/approve", views.application_approve, name="sugar-application-approve"),
    path("applications/<int:pk>/reject", views.application_reject, name="sugar-application-reject"),
    path("permits/<str:number>/", views.permit_detail, name="sugar-permit"),
    path("permits/<str:number>/reports", views.permit_report, name="sugar-permit-report"),
    path("permits/<str:number>/amendments", views.permit_amend, name="sugar-permit-amend"),
    path("permits/<str:number>/revoke", views.permit_revoke, name="sugar-permit-revoke"),
    path("amendments/<int:pk>/approve", views.amendment_decide, {"decision": "approve"}, name="sugar-amendment-approve"),
    path("amendments/<int:pk>/reject", views.amendment_decide, {"decision": "reject"}, name="sugar-amendment-reject"),
    path("recommendations/", views.recommendations, name="sugar-recommendations"),
    path("recommendations/pending/", views.recommendations_pending, name="sugar-recommendations-pending"),
    path("recommendations/<int:pk>/", views.recommendation_detail, name="sugar-recommendation"),
    path("recommendations/<int:pk>/pdf", views.recommendation_pdf, name="sugar-recommendation-pdf"),
    path("recommendations/<int:pk>/confirm", views.recommendation_verify, {"decision": "confirm"}, name="sugar-recommendation-confirm"),
    path("recommendations/<int:pk>/reject", views.recommendation_verify, {"decision": "reject"}, name="sugar-recommendation-reject"),
    path("permits/<str:number>/surveyor-reports", views.permit_surveyor_report, name="sugar-permit-surveyor-report"),
    path("surveyor/", views.surveyor_home, name="sugar-surveyor-home"),
    path("surveyor/monthly-reports", views.surveyor_monthly_report, name="sugar-surveyor-monthly-report"),
    path("surveyors/", views.surveyors, name="sugar-surveyors"),
    path("surveyors/<int:pk>/documents/<slug:code>", views.surveyor_document, name="sugar-surveyor-document"),
    path("surveyors/designate", views.surveyor_designate, name="sugar-surveyor-designate"),
    path("exemptions/", views.exemptions, name="sugar-exemptions"),
    path("exemptions/new", views.exemption_new, name="sugar-exemption-new"),
    path("exemptions/<int:pk>/", views.exemption_detail, name="sugar-exemption"),
    path("exemptions/<int:pk>/documents/<slug:code>", views.exemption_document, name="sugar-exemption-document"),
    path("exemptions/<int:pk>/approve", views.exemption_decide, {"decision": "approve"}, name="sugar-exemption-approve"),
    path("exemptions/<int:pk>/reject", views.exemption_decide, {"decision": "reject"}, name="sugar-exemption-reject"),
    path("quotas/", views.quotas, name="sugar-quotas"),
    path("quotas/record", views.quota_record, name="sugar-quota-record"),
]

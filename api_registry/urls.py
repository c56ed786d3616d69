from django.urls import path

from api_registry import views

urlpatterns = [
    path("", views.my_api, name="api-my"),
    path("apply/", views.apply, name="api-apply"),
    path("holder/<slug:action>/", views.holder_action, name="api-holder-action"),
    path("applications/<int:pk>/", views.application_detail, name="api-application"),
    path("applications/<int:pk>/submit", views.application_submit, name="api-application-submit"),
    path("applications/<int:pk>/documents/<int:document_id>", views.application_document, name="api-application-document"),
    path("applications/<int:pk>/<slug:action>", views.application_action, name="api-application-action"),
    path("work/", views.work_list, name="api-work-list"),
    path("recap/", views.recap, name="api-recap"),
    path("apis/<int:pk>/", views.api_detail, name="api-detail"),
    path("apis/<int:pk>/action", views.api_action, name="api-action"),
]

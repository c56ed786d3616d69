from django.urls import path

from workspace import apis

urlpatterns = [
    path("work/", apis.WorkListApi.as_view(), name="api-work-list"),
    path("work/<int:pk>/claim", apis.WorkClaimApi.as_view(), name="api-work-claim"),
    path("work/<int:pk>/release", apis.WorkReleaseApi.as_view(), name="api-work-release"),
]

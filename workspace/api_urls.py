from django.urls import path

from workspace import apis

urlpatterns = [
    path("work/", apis.WorkListApi.as_view(), name="api-worklist"),
    path("work/<int:pk>/claim", apis.WorkClaimApi.as_view(), name="api-worklist-claim"),
    path("work/<int:pk>/release", apis.WorkReleaseApi.as_view(), name="api-worklist-release"),
]

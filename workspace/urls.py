from django.urls import path

from workspace import views

urlpatterns = [
    path("", views.work_list, name="work-list"),
    path("<int:pk>/claim", views.work_claim, name="work-claim"),
    path("<int:pk>/release", views.work_release, name="work-release"),
]

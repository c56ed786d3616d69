from django.urls import path

from workspace.reports import views

urlpatterns = [
    path("reports/sla/", views.sla_report, name="workspace-sla-report"),
    path("reports/sla/export.<str:fmt>", views.sla_report_export, name="workspace-sla-report-export"),
    path("dashboard/", views.dashboard, name="workspace-dashboard"),
]

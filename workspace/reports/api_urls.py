from django.urls import path

from workspace.reports.apis import SlaReportApi

urlpatterns = [path("reports/sla/", SlaReportApi.as_view(), name="api-sla-report")]

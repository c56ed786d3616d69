from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from inatrade import views

api_v1 = [
    path("", include("accounts.api_urls")),
    path("", include("permits.api_urls")),
    path("", include("api_registry.api_urls")),
    path("sugar/", include("sugar_import.api_urls")),
    path("", include("workspace.reports.api_urls")),
    path("", include("workspace.api_urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("metrics", views.metrics, name="metrics"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("accounts.urls")),
    path("permits/", include("permits.urls")),
    path("verify/", include("permits.verify_urls")),
    path("api-registry/", include("api_registry.urls")),
    path("sugar/", include("sugar_import.urls")),
    path("work/", include("workspace.reports.urls")),
    path("work/", include("workspace.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
]

handler400 = "inatrade.views.bad_request"
handler403 = "inatrade.views.permission_denied"
handler404 = "inatrade.views.page_not_found"
handler500 = "inatrade.views.server_error"

from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from inatrade import views

# The admin in the portal's words and languages ("Administrasi Django" otherwise).
admin.site.site_header = _("Administrasi INATRADE")
admin.site.site_title = _("Administrasi INATRADE")
admin.site.index_title = _("Pengelolaan data portal")

api_v1 = [
    path("", include("accounts.api_urls")),
    path("", include("permits.api_urls")),
    path("", include("api_registry.api_urls")),
    path("sugar/", include("sugar_import.api_urls")),
    path("", include("workspace.reports.api_urls")),
    path("", include("workspace.api_urls")),
    path("", include("webhooks.api_urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view loads its start-up script from a URL instead of inline (CSP, issue 15);
    # Swagger UI's stylesheet draws its icons from data: URIs, allowed on this page only.
    path("docs/", csp_update({"img-src": ["data:"]})(SpectacularSwaggerSplitView.as_view(url_name="api-schema")),
         name="api-docs"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    # Pages without our layout (the admin, the API docs) make browsers ask for /favicon.ico.
    path("favicon.ico", views.favicon, name="favicon"),
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

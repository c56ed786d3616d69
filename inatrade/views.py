"""Project-level pages: home, health, and the error pages (JSON under /api/)."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from inatrade.api import errors as api_errors


def home(request):
    if request.user.is_authenticated:
        return redirect("dashboard")
    return render(request, "inatrade/home.html")


def favicon(request):
    """Pages without our layout (the admin, the API docs) make browsers ask for /favicon.ico."""
    from django.templatetags.static import static

    return redirect(static("img/favicon.svg"), permanent=True)


@never_cache
def healthz(request):
    """Liveness: the process answers. No database, cache or network (cheap, for every probe)."""
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request):
    """Readiness (issue 19): database, migrations, Redis, broker, cache, object store.
    200 when all answer, else 503 naming the failing parts (inatrade/readiness.py)."""
    from inatrade.readiness import run_checks

    body = run_checks()
    return JsonResponse(body, status=200 if body["status"] == "ok" else 503)


@never_cache
def metrics(request):
    """Prometheus metrics (issue 19): off (404) without METRICS_TOKEN, else for
    ``Authorization: Bearer <METRICS_TOKEN>`` only."""
    from django.http import Http404, HttpResponse
    from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

    from inatrade.metrics import scrape_registry, token_ok

    if not settings.METRICS_TOKEN:
        raise Http404
    if not token_ok(request.META.get("HTTP_AUTHORIZATION", "")):
        response = JsonResponse({"detail": "metrics token required"}, status=401)
        response["WWW-Authenticate"] = "Bearer"
        return response
    return HttpResponse(generate_latest(scrape_registry()), content_type=CONTENT_TYPE_LATEST)


def page_not_found(request, exception=None):
    if request.path.startswith("/api/"):
        return api_errors.api_not_found(request, exception)
    return render(request, "404.html", status=404)


def server_error(request):
    if request.path.startswith("/api/"):
        return api_errors.api_server_error(request)
    return render(request, "500.html", status=500)


def permission_denied(request, exception=None):
    if request.path.startswith("/api/"):
        return api_errors.json_error_response(request, 403, "permission_denied", "Akses ditolak.")
    return render(request, "403.html", status=403)


def bad_request(request, exception=None):
    if request.path.startswith("/api/"):
        return api_errors.json_error_response(request, 400, "bad_request", "Permintaan tidak valid.")
    return render(request, "400.html", status=400)

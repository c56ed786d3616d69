"""Project-level pages: home, health, and the error pages (JSON under /api/)."""

import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
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


def _check(fn) -> tuple[bool, str]:
    try:
        fn()
        return True, "ok"
    except Exception as exc:  # noqa: BLE001 - health reports every failure as text
        return False, f"{type(exc).__name__}: {exc}"[:300]


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _cache():
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "1", 10)
    if cache.get(key) != "1":
        raise RuntimeError("cache did not return what was stored")
    cache.delete(key)


def _broker():
    from inatrade.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)


def _storage():
    name = default_storage.save(f"healthz/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    default_storage.delete(name)


@never_cache
def healthz(request):
    """Database, cache, broker and private storage; 200 when all answer, else 503."""
    checks = {
        "database": _check(_database),
        "cache": _check(_cache),
        "broker": _check(_broker),
        "storage": _check(_storage),
    }
    healthy = all(ok for ok, _ in checks.values())
    body = {
        "status": "ok" if healthy else "degraded",
        "checks": {name: {"ok": ok, "detail": detail} for name, (ok, detail) in checks.items()},
        "environment": settings.ENVIRONMENT,
    }
    return JsonResponse(body, status=200 if healthy else 503)


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

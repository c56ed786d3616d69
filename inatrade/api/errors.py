"""The one error shape of the API (api.md):

``{"error": {"code": "<machine_code>", "message": "<human text>", "fields": {...}}}``

used for DRF's exceptions, domain errors, and Django's own 404/500 under /api/.
"""

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from inatrade.errors import DomainError

logger = logging.getLogger("django.request")

_CODES = {
    400: "invalid",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "file_too_large",
    415: "unsupported_media_type",
    429: "throttled",
}


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    return {"error": {"code": code, "message": str(message), "fields": fields or {}}}


def _flatten(detail) -> dict:
    """DRF's nested validation detail → {"field": ["message", ...]} (nested paths dotted)."""
    fields: dict[str, list[str]] = {}

    def walk(prefix, value):
        if isinstance(value, dict):
            for key, item in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), item)
        elif isinstance(value, list) and value and not all(isinstance(v, (str, exceptions.ErrorDetail)) for v in value):
            for index, item in enumerate(value):
                if item:
                    walk(f"{prefix}.{index}" if prefix else str(index), item)
        else:
            items = value if isinstance(value, list) else [value]
            fields.setdefault(prefix or "non_field_errors", []).extend(str(v) for v in items)

    walk("", detail)
    return fields


def not_found_body() -> dict:
    """Every 404 of the API says the same, whatever the cause (no route, no object, not
    yours, a page past the end): the text never tells an object's existence (issue 15)."""
    return error_body("not_found", _("Tidak ditemukan."))


def exception_handler(exc, context):
    from inatrade.db import is_db_conflict

    if isinstance(exc, DomainError):
        if exc.status == 404:
            return Response(not_found_body(), status=404)
        return Response(error_body(exc.code, exc.message, exc.fields), status=exc.status)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if is_db_conflict(exc):
        return db_conflict_response()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a real server error: ApiErrorMiddleware answers in the same shape
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        message = _("Data yang dikirim tidak valid.")
        if list(fields) == ["non_field_errors"]:
            message = fields["non_field_errors"][0]
        response.data = error_body("invalid", message, fields)
    else:
        detail = getattr(exc, "detail", "")
        code = getattr(detail, "code", None) or _CODES.get(response.status_code, "error")
        if response.status_code in _CODES and code in {"error", "invalid"}:
            code = _CODES[response.status_code]
        if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
            code = "not_authenticated" if isinstance(exc, exceptions.NotAuthenticated) else "authentication_failed"
        response.data = error_body(code, str(detail) if not isinstance(detail, (dict, list)) else _("Permintaan ditolak."))
    if response.status_code == 404:
        response.data = not_found_body()
    return response


def json_error_response(request, status_code: int, code: str, message: str) -> JsonResponse:
    return JsonResponse(error_body(code, message), status=status_code)


def api_not_found(request, exception=None):
    return JsonResponse(not_found_body(), status=status.HTTP_404_NOT_FOUND)


def api_server_error(request):
    return json_error_response(
        request, status.HTTP_500_INTERNAL_SERVER_ERROR, "server_error", _("Terjadi kesalahan pada server.")
    )


def db_conflict_response():
    """A deadlock or serialization failure still there after the service's bounded retries
    (inatrade/db.py): the client may simply try again."""
    response = json_error_response(None, status.HTTP_503_SERVICE_UNAVAILABLE, "busy_retry",
                                   _("Server sedang sibuk memproses permintaan lain; silakan coba lagi."))
    response["Retry-After"] = "1"
    return response


class ApiErrorMiddleware:
    """Every error under /api/ is JSON in api.md's shape, with DEBUG on or off (the HTML error
    pages are for browsers only): an exception a view left unhandled becomes a logged 500
    ``server_error``; any other HTML error page produced under /api/ is replaced likewise."""

    def __init__(self, get_response):
        self.get_response = get_response

    @staticmethod
    def _is_api(request) -> bool:
        return request.path.startswith("/api/")

    def __call__(self, request):
        response = self.get_response(request)
        if (self._is_api(request) and response.status_code >= 500
                and not response.get("Content-Type", "").startswith("application/json")):
            return api_server_error(request)
        return response

    def process_exception(self, request, exception):
        if not self._is_api(request):
            return None
        from inatrade.db import is_db_conflict

        if is_db_conflict(exception):
            logger.warning("Database conflict left after retries on %s: %s", request.path, exception)
            return db_conflict_response()
        logger.error("Internal Server Error: %s", request.path, exc_info=(type(exception), exception, exception.__traceback__),
                     extra={"status_code": 500, "request": request})
        return api_server_error(request)

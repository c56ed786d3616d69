from django.conf import settings
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Indonesian unless the user chose English with the language switch.

    Django's own middleware follows the browser's Accept-Language; officers and importers
    often run English-language browsers, and the portal must still open in Indonesian.
    """

    def process_request(self, request):
        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if code not in dict(settings.LANGUAGES):
            code = settings.LANGUAGE_CODE
        translation.activate(code)
        request.LANGUAGE_CODE = translation.get_language()


class RejectNulBytesMiddleware:
    """A NUL byte in the path or the query string is never valid input: PostgreSQL refuses it
    in any text, so it would surface as a 500 deep in a view. Answer 400 at the door, in the
    API's error shape under /api/ (issue 15, Low)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from urllib.parse import unquote_to_bytes

        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path_info or "\x00" in request.path or b"\x00" in unquote_to_bytes(query.replace("+", " ")):
            from inatrade.views import bad_request

            return bad_request(request)
        return self.get_response(request)


class RequestLogMiddleware:
    """First in the chain (issue 19): a request id for the request (``X-Request-ID`` or new),
    one JSON log line per request (method, path, route, status, duration, user), the request
    metrics, and ``X-Request-ID`` on the response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        import logging
        import time

        from inatrade import metrics, requestid

        rid = requestid.from_header(request.META.get("HTTP_X_REQUEST_ID"))
        token = requestid.set(rid)
        request.request_id = rid
        started = time.perf_counter()
        status = 500
        try:
            response = self.get_response(request)
            status = response.status_code
            response["X-Request-ID"] = rid
            return response
        finally:
            elapsed = time.perf_counter() - started
            match = getattr(request, "resolver_match", None)
            route = (match.view_name if match else "") or "unmatched"
            metrics.REQUESTS.labels(request.method, route, str(status)).inc()
            metrics.LATENCY.labels(request.method, route).observe(elapsed)
            user = getattr(request, "user", None)
            logging.getLogger("inatrade.request").info(
                "%s %s %s", request.method, request.path, status,
                extra={"method": request.method, "path": request.path, "route": route, "status": status,
                       "duration_ms": round(elapsed * 1000, 1),
                       "user": user.username if user is not None and user.is_authenticated else ""},
            )
            requestid.reset(token)

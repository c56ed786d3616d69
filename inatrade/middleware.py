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

"""The API's JSON parser: deeply nested input is a 400, not a RecursionError (issue 15)."""

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

# No request of the API nests deeper than a few levels; the limit is far above that and far
# below Python's recursion limit.
MAX_DEPTH = 32


def _depth_exceeded(data, limit: int) -> bool:
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, (dict, list)):
            if depth > limit:
                return True
            children = value.values() if isinstance(value, dict) else value
            stack.extend((child, depth + 1) for child in children)
    return False


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(_("JSON terlalu dalam bersarang.")) from None
        if _depth_exceeded(data, MAX_DEPTH):
            raise ParseError(_("JSON terlalu dalam bersarang."))
        return data

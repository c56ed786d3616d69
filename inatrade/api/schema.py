"""OpenAPI generation (drf-spectacular) for the house style.

Views nest their ``InputSerializer`` / ``OutputSerializer`` (style.md); the schema names each
such component after its view (``MeApi.OutputSerializer`` → ``MeOutput``) so that names are
unique. The token and session authentications are described for the schema.
"""

import re

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema


class AutoSchema(SpectacularAutoSchema):
    def get_summary(self):
        """Every operation has a one-line summary in the docs (issue 17): the one declared with
        ``extend_schema(summary=…)``, else the first sentence of the view's docstring, else
        its operation id in words."""
        summary = super().get_summary()
        if summary:
            return summary
        words = self.get_operation_id().replace("_", " ").capitalize()
        description = " ".join((self.get_description() or "").split("\n\n")[0].split())
        # "API-11: an issuer's recap…" → "An issuer's recap…"; "GET: …; POST: …" → this method's.
        for part in re.split(r"[;.]\s+(?=(?:GET|POST|PUT|PATCH|DELETE):)", description):
            match = re.match(r"^([A-Z]+):\s*(.*)$", part)
            if match and match.group(1) in {"GET", "POST", "PUT", "PATCH", "DELETE"}:
                if match.group(1) == self.method.upper():
                    description = match.group(2)
                    break
            elif match is None:
                description = part
                break
        description = re.sub(r"^(?:[A-Z]+-\d|P\d+ )[^:]{0,40}:\s+", "", description)
        first = re.split(r"(?<=\.)\s", description)[0].rstrip(".") if description else ""
        if len(first) < 12:
            return words
        first = first[0].upper() + first[1:]
        return first if len(first) <= 120 else first[:117].rsplit(" ", 1)[0] + "…"

    def get_serializer_name(self, serializer, direction):
        cls = serializer if isinstance(serializer, type) else serializer.__class__
        parts = cls.__qualname__.split(".")
        if len(parts) > 1 and "<locals>" not in parts:
            owner = parts[-2].removesuffix("Api").removesuffix("View")
            return owner + parts[-1]
        return super().get_serializer_name(serializer, direction)


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.HashedTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": 'Token-based authentication: "Token <key>" (POST /api/v1/auth/token).',
        }


class SessionScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.SessionAuthentication"
    name = "cookieAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": "sessionid"}


# api.md: every endpoint may answer an error in one shape. The schema says so, so that a
# client (and the schema fuzzer, SEC-03) knows what a 4xx looks like.
ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "fields"],
            "properties": {
                "code": {"type": "string", "description": "machine-readable code"},
                "message": {"type": "string", "description": "human-readable text"},
                "fields": {
                    "type": "object",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                    "description": "per-field messages (dotted paths for nested input)",
                },
            },
        }
    },
}
ERROR_DESCRIPTIONS = {
    "400": "Invalid input",
    "401": "Not authenticated",
    "403": "The role or the access right does not allow this",
    "404": "Not found (or not yours)",
    "409": "The object's state does not allow this",
    "413": "Upload too large",
    "415": "Upload of an unsupported type",
    "422": "Idempotency-Key already used for a different request",
    "429": "Too many requests",
}
_WRITE_ONLY_ERRORS = {"409", "413", "415", "422"}


def add_error_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook: the api.md error body on every operation."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    ref = {"$ref": "#/components/schemas/Error"}
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            responses = operation.setdefault("responses", {})
            for code, description in ERROR_DESCRIPTIONS.items():
                if method == "get" and code in _WRITE_ONLY_ERRORS:
                    continue
                responses.setdefault(code, {"description": description, "content": {"application/json": {"schema": ref}}})
    return result

"""OpenAPI generation (drf-spectacular) for the house style.

Views nest their ``InputSerializer`` / ``OutputSerializer`` (style.md); the schema names each
such component after its view (``MeApi.OutputSerializer`` → ``MeOutput``) so that names are
unique. The token and session authentications are described for the schema.
"""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema


class AutoSchema(SpectacularAutoSchema):
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

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import services
from accounts.models import ApiToken


class TokenApi(APIView):
    """Obtain (POST) or revoke (DELETE) an API token."""

    throttle_scope = "login"

    class InputSerializer(serializers.Serializer):
        username = serializers.CharField(max_length=150)
        password = serializers.CharField(max_length=256, trim_whitespace=False)

    class OutputSerializer(serializers.Serializer):
        token = serializers.CharField()

    def get_permissions(self):
        return [AllowAny()] if self.request.method == "POST" else [IsAuthenticated()]

    def get_throttles(self):
        from rest_framework.throttling import ScopedRateThrottle

        return [ScopedRateThrottle()] if self.request.method == "POST" else super().get_throttles()

    @extend_schema(request=InputSerializer, responses={200: OutputSerializer}, auth=[])
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        _, key = services.api_token_create(request=request._request, **data.validated_data)
        return Response({"token": key}, status=status.HTTP_200_OK)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request):
        if isinstance(request.auth, ApiToken):
            services.api_token_revoke(token=request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeApi(APIView):
    """The calling user: roles, company and access status."""

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        username = serializers.CharField()
        name = serializers.CharField(source="get_full_name")
        email = serializers.EmailField()
        roles = serializers.SerializerMethodField()
        access_status = serializers.CharField()
        company = inline_serializer(
            "MeCompany",
            fields={"id": serializers.IntegerField(), "name": serializers.CharField(), "nib": serializers.CharField(), "npwp": serializers.CharField()},
            allow_null=True,
        )

        def get_roles(self, user) -> list[str]:
            return [user.role]

    @extend_schema(responses={200: OutputSerializer})
    def get(self, request):
        return Response(self.OutputSerializer(request.user).data)

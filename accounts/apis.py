from django.http import Http404
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
        expires_at = serializers.DateTimeField(help_text="The token stops working at this time (API_TOKEN_LIFETIME_HOURS).")

    def get_permissions(self):
        return [AllowAny()] if self.request.method == "POST" else [IsAuthenticated()]

    def get_throttles(self):
        from rest_framework.throttling import ScopedRateThrottle

        return [ScopedRateThrottle()] if self.request.method == "POST" else super().get_throttles()

    @extend_schema(request=InputSerializer, responses={200: OutputSerializer}, auth=[])
    def post(self, request):
        from rest_framework.exceptions import Throttled

        from inatrade.throttling import client_address, rate_reached

        if rate_reached("login_failures", client_address(request)):
            raise Throttled()
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        token, key = services.api_token_create(request=request._request, **data.validated_data)
        return Response(self.OutputSerializer({"token": key, "expires_at": token.expires_at}).data, status=status.HTTP_200_OK)

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


# ---------------------------------------------------------------------------------------------
# Access rights (api.md "Access rights"): registrations, decisions, revocation, lost credentials
# ---------------------------------------------------------------------------------------------

from django.shortcuts import get_object_or_404  # noqa: E402
from django.utils.translation import gettext as _  # noqa: E402
from drf_spectacular.utils import OpenApiParameter  # noqa: E402
from rest_framework.parsers import FormParser, MultiPartParser  # noqa: E402

from inatrade.api.parsers import JSONParser  # noqa: E402

from accounts import selectors  # noqa: E402
from accounts.models import (  # noqa: E402
    ActingCapacity,
    BapResult,
    FieldVerificationResult,
    IdentityKind,
    JenisTrader,
    JenisUsaha,
    Registration,
    RegistrationPurpose,
    RegistrationStatus,
    RevocationReason,
    Role,
    User,
)
from accounts.permissions import has_role, role_permission  # noqa: E402
from inatrade.api.idempotency import idempotent  # noqa: E402
from inatrade.api.pagination import PageNumberPagination  # noqa: E402
from inatrade.errors import DomainError  # noqa: E402
from inatrade.files import serve_private  # noqa: E402

REGISTRATION_OFFICERS = (Role.COUNTER_OFFICER, Role.FIELD_VERIFIER, Role.DIRECTOR, Role.ADMINISTRATOR)


class RegistrationOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    status = serializers.CharField()


class RegistrationListApi(APIView):
    """POST: submit a Hak Akses registration (anyone; HA-01…HA-04). GET: the officers' work
    list with due dates (HA-06, SLA-03)."""
    pagination_class = PageNumberPagination  # the list is paged; the schema says so (SEC-03)

    parser_classes = [MultiPartParser, FormParser, JSONParser]

    class InputSerializer(serializers.Serializer):
        purpose = serializers.ChoiceField(choices=RegistrationPurpose.choices)
        jenis_trader = serializers.ChoiceField(choices=JenisTrader.choices)
        company_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
        nib = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
        no_nib = serializers.BooleanField(required=False, default=False)
        npwp = serializers.CharField(max_length=25, required=False, allow_blank=True, default="")
        no_npwp = serializers.BooleanField(required=False, default=False)
        jenis_usaha = serializers.ListField(
            child=serializers.ChoiceField(choices=JenisUsaha.choices), allow_empty=True, required=False, default=list
        )
        tdp_number = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
        address = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")
        regency_code = serializers.CharField(
            max_length=10,
            help_text=(
                "API-03/API-05: the Kemendagri code of the company's Kabupaten/Kota of domicile, four "
                "digits (e.g. 3174, Kota Administrasi Jakarta Selatan; \"31.74\" is accepted). It decides "
                "the API issuer (the Dinas of its province) and the region digits of the API number. "
                "An unknown code is refused with a field error and nothing is saved."
            ),
        )
        company_email = serializers.CharField(max_length=254, required=False, allow_blank=True, default="")
        company_phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
        applicant_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
        applicant_position = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
        identity_kind = serializers.ChoiceField(choices=IdentityKind.choices)
        identity_number = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
        applicant_email = serializers.CharField(max_length=254, required=False, allow_blank=True, default="")
        applicant_phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
        terms_accepted = serializers.BooleanField(required=False, default=False)
        language = serializers.ChoiceField(choices=[("id", "id"), ("en", "en")], required=False, default="id")
        business_licence = serializers.FileField(required=False)
        tdp = serializers.FileField(required=False)
        npwp_card = serializers.FileField(required=False)
        power_of_attorney = serializers.FileField(required=False)

    class WorkItemSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        reference = serializers.CharField()
        status = serializers.CharField()
        company_name = serializers.CharField()
        npwp = serializers.CharField()
        applicant_name = serializers.CharField()
        submitted_at = serializers.DateTimeField()
        due_date = serializers.DateField(allow_null=True)
        overdue = serializers.BooleanField()

    def get_permissions(self):
        if self.request.method == "POST":
            return [AllowAny()]
        return [role_permission(*REGISTRATION_OFFICERS)()]

    @extend_schema(
        parameters=[OpenApiParameter("status", str, enum=RegistrationStatus.values)],
        responses={200: WorkItemSerializer(many=True)},
    )
    def get(self, request):
        status_filter = request.query_params.get("status") or None
        if status_filter and status_filter not in RegistrationStatus.values:
            raise serializers.ValidationError({"status": ["Status tidak dikenal."]})
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(selectors.registration_work_list(status=status_filter), request, view=self)
        return paginator.get_paginated_response(self.WorkItemSerializer(page, many=True).data)

    @extend_schema(request={"multipart/form-data": InputSerializer}, responses={201: RegistrationOutputSerializer}, auth=[])
    @idempotent
    def post(self, request):
        from rest_framework.exceptions import Throttled

        from inatrade.throttling import registration_throttled

        if registration_throttled(request, email=str(request.data.get("applicant_email", "")), npwp=str(request.data.get("npwp", ""))):
            raise Throttled()
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        files = {kind: values.pop(kind) for kind in ("business_licence", "tdp", "npwp_card", "power_of_attorney") if values.get(kind)}
        for kind in ("business_licence", "tdp", "npwp_card", "power_of_attorney"):
            values.pop(kind, None)
        language = values.pop("language", "id")
        registration = services.registration_submit(data=values, files=files, language=language)
        return Response(RegistrationOutputSerializer(registration).data, status=status.HTTP_201_CREATED)


def _registration_for_officer(pk) -> Registration:
    return get_object_or_404(Registration, pk=pk)


class RegistrationDocumentApi(APIView):
    """HA-05: the Dokumen Registrasi INATRADE, for the applicant (``?key=`` from the secret
    link) or an officer."""

    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[OpenApiParameter("key", str, required=False)],
        responses={(200, "application/pdf"): bytes},
    )
    def get(self, request, pk: int):
        registration = Registration.objects.filter(pk=pk).first()
        key = request.query_params.get("key", "")
        allowed = registration is not None and (
            has_role(request.user, *REGISTRATION_OFFICERS)
            or (key and selectors.registration_for_key(key=key) == registration)
        )
        if not allowed:
            raise Http404
        _require_rendered(registration.document_path)
        return serve_private(registration.document_path, filename=f"Dokumen-Registrasi-INATRADE-{registration.reference}.pdf")


def _require_rendered(path: str) -> None:
    """The PDF is rendered by a worker after commit (PERF-01): 409 until it is stored."""
    if not path:
        raise DomainError(
            _("Dokumen sedang disiapkan, silakan muat ulang halaman ini sebentar lagi."),
            code="document_not_ready",
            status=409,
        )


class RegistrationBapApi(APIView):
    """HA-06: the BAP of a validated registration, as PDF (officers)."""

    permission_classes = [role_permission(*REGISTRATION_OFFICERS)]

    @extend_schema(responses={(200, "application/pdf"): bytes})
    def get(self, request, pk: int):
        registration = _registration_for_officer(pk)
        bap = getattr(registration, "bap", None)
        if bap is None:
            raise Http404
        _require_rendered(bap.pdf_path)
        return serve_private(bap.pdf_path, filename=f"{bap.number}.pdf")


class RegistrationFieldVerificationApi(APIView):
    """HA-06 (P123 Pasal 6(3)): the director assigns a field verifier."""

    permission_classes = [role_permission(Role.DIRECTOR)]

    class InputSerializer(serializers.Serializer):
        verifier = serializers.CharField(help_text="user id (username) of a field verifier")
        instructions = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)

    @extend_schema(request=InputSerializer, responses={200: RegistrationOutputSerializer})
    @idempotent
    def post(self, request, pk: int):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        registration = _registration_for_officer(pk)
        verifier = User.objects.filter(username=data.validated_data["verifier"]).first()
        if verifier is None:
            raise serializers.ValidationError({"verifier": ["Verifikator tidak ditemukan."]})
        services.registration_assign_field_verifier(
            registration=registration, actor=request.user, verifier=verifier, instructions=data.validated_data["instructions"]
        )
        return Response(RegistrationOutputSerializer(registration).data)


class RegistrationFieldVerificationResultApi(APIView):
    """HA-06: the assigned field verifier records the result."""

    permission_classes = [role_permission(Role.FIELD_VERIFIER)]

    class InputSerializer(serializers.Serializer):
        result = serializers.ChoiceField(choices=FieldVerificationResult.choices)
        notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)

    @extend_schema(request=InputSerializer, responses={200: RegistrationOutputSerializer})
    @idempotent
    def post(self, request, pk: int):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        registration = _registration_for_officer(pk)
        services.registration_record_field_verification(registration=registration, actor=request.user, **data.validated_data)
        return Response(RegistrationOutputSerializer(registration).data)


class RegistrationValidateApi(APIView):
    """HA-06 (P123 Pasal 6(2)): the UPTP I officer records the BAP."""

    permission_classes = [role_permission(Role.COUNTER_OFFICER)]

    class InputSerializer(serializers.Serializer):
        result = serializers.ChoiceField(choices=BapResult.choices)
        notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)

    class OutputSerializer(RegistrationOutputSerializer):
        bap_number = serializers.CharField(source="bap.number")
        due_date = serializers.DateField(allow_null=True)

    @extend_schema(request=InputSerializer, responses={200: OutputSerializer})
    @idempotent
    def post(self, request, pk: int):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        registration = _registration_for_officer(pk)
        services.registration_validate(registration=registration, actor=request.user, **data.validated_data)
        return Response(self.OutputSerializer(registration).data)


class _DecisionInput(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)
    capacity = serializers.ChoiceField(
        choices=ActingCapacity.choices, required=False, default=ActingCapacity.DIRECTOR_FEI,
        help_text="HA-07: the post in which the director acts (P123 Pasal 5)",
    )


class RegistrationApproveApi(APIView):
    """HA-07/HA-08: approve; the user id and the set-password link are e-mailed."""

    permission_classes = [role_permission(Role.DIRECTOR)]

    class OutputSerializer(RegistrationOutputSerializer):
        user_id = serializers.CharField(source="user.username")

    @extend_schema(request=_DecisionInput, responses={200: OutputSerializer})
    @idempotent
    def post(self, request, pk: int):
        data = _DecisionInput(data=request.data)
        data.is_valid(raise_exception=True)
        registration = _registration_for_officer(pk)
        services.registration_approve(registration=registration, actor=request.user, **data.validated_data)
        return Response(self.OutputSerializer(registration).data)


class RegistrationRejectApi(APIView):
    """HA-07/HA-08: reject with reasons (e-mailed to the applicant)."""

    permission_classes = [role_permission(Role.DIRECTOR)]

    @extend_schema(request=_DecisionInput, responses={200: RegistrationOutputSerializer})
    @idempotent
    def post(self, request, pk: int):
        data = _DecisionInput(data=request.data)
        data.is_valid(raise_exception=True)
        registration = _registration_for_officer(pk)
        services.registration_reject(registration=registration, actor=request.user, **data.validated_data)
        return Response(RegistrationOutputSerializer(registration).data)


class UserRevokeApi(APIView):
    """HA-12 (P123 Pasal 15): revoke an access right with a reason code."""

    permission_classes = [role_permission(Role.ADMINISTRATOR, Role.DIRECTOR)]

    class InputSerializer(serializers.Serializer):
        reason_code = serializers.ChoiceField(choices=RevocationReason.choices)
        note = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        username = serializers.CharField()
        access_status = serializers.CharField()

    @extend_schema(request=InputSerializer, responses={200: OutputSerializer})
    @idempotent
    def post(self, request, pk: int):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = get_object_or_404(User, pk=pk)
        services.user_revoke(user=user, actor=request.user, **data.validated_data)
        return Response(self.OutputSerializer(user).data)


class ReportLostCredentialsApi(APIView):
    """HA-10: the calling user reports their credentials lost or stolen; blocked at once."""

    class OutputSerializer(serializers.Serializer):
        access_status = serializers.CharField()

    @extend_schema(request=None, responses={200: OutputSerializer})
    @idempotent
    def post(self, request):
        services.user_report_lost_credentials(user=request.user)
        return Response({"access_status": request.user.access_status})

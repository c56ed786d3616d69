"""REST endpoints of API applications (api.md, "Importer identification number"): draft,
documents, submission, inspection, decision."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Role
from accounts.permissions import role_permission
from api_registry import selectors, services
from api_registry.apis.common import (
    ApiOutput,
    ApplicationOutput,
    IsImporter,
    IsImporterOrOfficer,
    IsIssuer,
    ReasonInput,
    _upload_error,
)
from api_registry.models import (
    ApplicationStatus,
    DocumentKind,
    HsSection,
)
from inatrade.api.idempotency import idempotent
from inatrade.api.parsers import JSONParser
from inatrade.errors import DomainError
from inatrade.files import UploadRefused
from inatrade.text import is_digits

# --------------------------------------------------------------------------- applications


def _application(request, pk) -> selectors.ApiApplication:
    return get_object_or_404(selectors.api_applications_visible_to(user=request.user).prefetch_related("documents"), pk=pk)


class ApplicationListCreateApi(ListAPIView):
    """GET: the caller's applications (importer) or work list (issuer officers), filter
    ``?status=``. POST: a draft ``{kind, hs_section (API-U, roman or number), ...}``."""

    serializer_class = ApplicationOutput

    class InputSerializer(serializers.Serializer):
        kind = serializers.CharField(max_length=5, help_text="API-U or API-P")
        hs_section = serializers.CharField(required=False, allow_blank=True, max_length=6)
        line_of_business = serializers.CharField(required=False, allow_blank=True, max_length=300)
        directors = serializers.CharField(required=False, allow_blank=True, max_length=2000)

    def get_permissions(self):
        return [IsImporter()] if self.request.method == "POST" else [IsImporterOrOfficer()]

    @extend_schema(parameters=[OpenApiParameter("status", str, required=False, description="one of: " + ", ".join(ApplicationStatus.values))])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        qs = selectors.api_applications_visible_to(user=self.request.user).prefetch_related("documents").order_by("due_date", "-created_at")
        wanted = self.request.query_params.get("status")
        return qs.filter(status=wanted) if wanted else qs

    @extend_schema(request=InputSerializer, responses={201: ApplicationOutput})
    @idempotent
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        section = None
        raw = data.validated_data.get("hs_section") or ""
        if raw:
            section = HsSection.objects.filter(roman=raw.upper()).first() or (
                HsSection.objects.filter(number=int(raw)).first() if is_digits(raw) and len(raw) <= 2 else None
            )
            if section is None:
                raise DomainError("Bagian HS tidak dikenal.", code="invalid", status=400, fields={"hs_section": ["I sampai XXI."]})
        app = services.api_application_create(
            actor=request.user, kind=data.validated_data["kind"], hs_section=section,
            line_of_business=data.validated_data.get("line_of_business", ""), directors=data.validated_data.get("directors", ""),
        )
        return Response(ApplicationOutput(app).data, status=status.HTTP_201_CREATED)


class ApplicationDetailApi(APIView):
    permission_classes = [IsImporterOrOfficer]

    @extend_schema(responses={200: ApplicationOutput})
    def get(self, request, pk: int):
        return Response(ApplicationOutput(_application(request, pk)).data)


class ApplicationDocumentApi(APIView):
    """Upload one required document (PDF) to a draft (P27 Pasal 22)."""

    permission_classes = [IsImporter]
    parser_classes = [MultiPartParser, FormParser]

    class InputSerializer(serializers.Serializer):
        kind = serializers.CharField(max_length=30, help_text="one of: " + ", ".join(DocumentKind.values))
        file = serializers.FileField()

    @extend_schema(request={"multipart/form-data": InputSerializer}, responses={201: ApplicationOutput})
    @idempotent
    def post(self, request, pk: int):
        app = _application(request, pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            services.api_application_document_add(application=app, actor=request.user, kind=data.validated_data["kind"], upload=data.validated_data["file"])
        except UploadRefused as exc:
            raise _upload_error(exc, "file") from exc
        return Response(ApplicationOutput(_application(request, pk)).data, status=status.HTTP_201_CREATED)


class ApplicationSubmitApi(APIView):
    """Submit: routed to its issuer (API-03), the first step's deadline set (API-04)."""

    permission_classes = [IsImporter]

    @extend_schema(request=None, responses={200: ApplicationOutput})
    @idempotent
    def post(self, request, pk: int):
        app = services.api_application_submit(application=_application(request, pk), actor=request.user)
        return Response(ApplicationOutput(app).data)


class ApplicationInspectionApi(APIView):
    """Record the field inspection BAP (P27 Pasal 25), by the Kab/Kota or the province."""

    permission_classes = [role_permission(Role.ISSUER_OFFICER)]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    class InputSerializer(serializers.Serializer):
        result = serializers.CharField(max_length=12, help_text="sesuai or tidak_sesuai")
        notes = serializers.CharField(required=False, allow_blank=True, max_length=5000)
        bap_number = serializers.CharField(required=False, allow_blank=True, max_length=60)
        bap_file = serializers.FileField(required=False)

    @extend_schema(request=InputSerializer, responses={200: ApplicationOutput})
    @idempotent
    def post(self, request, pk: int):
        app = _application(request, pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            app = services.api_application_inspect(
                application=app, actor=request.user, result=data.validated_data["result"],
                notes=data.validated_data.get("notes", ""), bap_number=data.validated_data.get("bap_number", ""),
                bap_upload=data.validated_data.get("bap_file"),
            )
        except UploadRefused as exc:
            raise _upload_error(exc, "bap_file") from exc
        return Response(ApplicationOutput(app).data)


class ApplicationForwardApi(APIView):
    """The Kab/Kota forwards its BAP to the province (P27 Pasal 25(4))."""

    permission_classes = [role_permission(Role.ISSUER_OFFICER)]

    @extend_schema(request=None, responses={200: ApplicationOutput})
    @idempotent
    def post(self, request, pk: int):
        app = services.api_application_forward(application=_application(request, pk), actor=request.user)
        return Response(ApplicationOutput(app).data)


class ApplicationApproveApi(APIView):
    """Issue the API (numbered, API-05; document signed by permits, API-06)."""

    permission_classes = [IsIssuer]

    @extend_schema(request=None, responses={200: ApiOutput})
    @idempotent
    def post(self, request, pk: int):
        api = services.api_application_approve(application=_application(request, pk), actor=request.user)
        return Response(ApiOutput(api).data)


class ApplicationRejectApi(APIView):
    permission_classes = [IsIssuer]

    @extend_schema(request=ReasonInput, responses={200: ApplicationOutput})
    @idempotent
    def post(self, request, pk: int):
        app = _application(request, pk)
        data = ReasonInput(data=request.data)
        data.is_valid(raise_exception=True)
        app = services.api_application_reject(application=app, actor=request.user, reason=data.validated_data["reason"])
        return Response(ApplicationOutput(app).data)

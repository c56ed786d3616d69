"""API of sugar PI applications (PI-01…PI-10)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Role
from inatrade.api.errors import error_body
from inatrade.api.idempotency import idempotent
from inatrade.api.pagination import PageNumberPagination
from inatrade.files import UploadRefused
from sugar_import import selectors, services
from sugar_import.apis.common import (
    CanApply,
    IsChecker,
    IsDirectorGeneral,
    ReadsApplications,
    paginate,
    upload_error,
)
from sugar_import.apis.serializers import (
    SugarApplicationDetailOutput,
    SugarApplicationOutput,
    SugarLineInput,
    SugarPermitDetailOutput,
    purpose_by_code,
    recommendation_of,
    sugar_type_by_code,
)
from sugar_import.models import (
    ApplicationStatus,
)


# --------------------------------------------------------------------------- applications
class SugarApplicationListCreateApi(APIView):
    pagination_class = PageNumberPagination  # the list is paged; the schema says so (SEC-03)
    permission_classes = [ReadsApplications]

    class InputSerializer(serializers.Serializer):
        purpose = serializers.CharField()
        sugar_type = serializers.CharField()
        recommendation = serializers.IntegerField(required=False, allow_null=True)
        assignment = serializers.IntegerField(required=False, allow_null=True)
        period_from = serializers.DateField(required=False, allow_null=True)
        period_until = serializers.DateField(required=False, allow_null=True)
        lines = SugarLineInput(many=True, allow_empty=False)

    @extend_schema(parameters=[OpenApiParameter("status", str, enum=ApplicationStatus.values, required=False)],
                   responses=SugarApplicationOutput(many=True))
    def get(self, request):
        status = request.query_params.get("status") or None
        if status and status not in ApplicationStatus.values:
            return Response(error_body("invalid", "status tidak dikenal.", {"status": ApplicationStatus.values}), status=400)
        qs = selectors.application_list(user=request.user, status=status).select_related("sugar_permit").prefetch_related("lines")
        return paginate(self, request, qs, SugarApplicationOutput)

    @extend_schema(request=InputSerializer, responses={201: SugarApplicationDetailOutput})
    @idempotent
    def post(self, request):
        if request.user.role != Role.IMPORTER:
            return Response(error_body("permission_denied", "Hanya importir."), status=403)
        s = self.InputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        v = s.validated_data
        application = services.sugar_application_create(
            actor=request.user, purpose=purpose_by_code(v["purpose"]), sugar_type=sugar_type_by_code(v["sugar_type"]),
            recommendation=recommendation_of(request.user, v.get("recommendation"), "recommendation"),
            assignment=recommendation_of(request.user, v.get("assignment"), "assignment"),
            period_from=v.get("period_from"), period_until=v.get("period_until"), lines=[dict(line) for line in v["lines"]],
        )
        return Response(SugarApplicationDetailOutput(application).data, status=201)


class SugarApplicationDetailApi(APIView):
    permission_classes = [ReadsApplications]

    class InputSerializer(serializers.Serializer):
        recommendation = serializers.IntegerField(required=False, allow_null=True)
        assignment = serializers.IntegerField(required=False, allow_null=True)
        period_from = serializers.DateField(required=False, allow_null=True)
        period_until = serializers.DateField(required=False, allow_null=True)
        lines = SugarLineInput(many=True, allow_empty=False, required=False)

    @extend_schema(responses=SugarApplicationDetailOutput)
    def get(self, request, pk: int):
        return Response(SugarApplicationDetailOutput(selectors.application_get(user=request.user, pk=pk)).data)

    @extend_schema(request=InputSerializer, responses=SugarApplicationDetailOutput)
    @idempotent
    def put(self, request, pk: int):
        """Correct a draft or a returned application (only the fields sent change)."""
        application = selectors.application_get(user=request.user, pk=pk)
        s = self.InputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        v = s.validated_data
        changes = {}
        for name in ("recommendation", "assignment"):
            if name in v:
                changes[name] = recommendation_of(request.user, v[name], name)
        for name in ("period_from", "period_until"):
            if name in v:
                changes[name] = v[name]
        application = services.sugar_application_update(
            application=application, actor=request.user,
            lines=[dict(line) for line in v["lines"]] if "lines" in v else None, **changes)
        return Response(SugarApplicationDetailOutput(application).data)


class SugarApplicationDocumentApi(APIView):
    permission_classes = [CanApply]
    parser_classes = [MultiPartParser, FormParser]

    class InputSerializer(serializers.Serializer):
        kind = serializers.CharField(max_length=40)
        file = serializers.FileField()

    @extend_schema(request=InputSerializer, responses={201: SugarApplicationDetailOutput})
    @idempotent
    def post(self, request, pk: int):
        application = selectors.application_get(user=request.user, pk=pk)
        s = self.InputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        try:
            services.sugar_application_document_add(application=application, actor=request.user,
                                                    kind=s.validated_data["kind"], upload=s.validated_data["file"])
        except UploadRefused as exc:
            return upload_error(exc, "file")
        return Response(SugarApplicationDetailOutput(application).data, status=201)


class SugarReasonInput(serializers.Serializer):
    reason = serializers.CharField(max_length=4000)


class SugarApplicationSubmitApi(APIView):
    permission_classes = [CanApply]

    @extend_schema(request=None, responses=SugarApplicationDetailOutput)
    @idempotent
    def post(self, request, pk: int):
        application = selectors.application_get(user=request.user, pk=pk)
        application = services.sugar_application_submit(application=application, actor=request.user)
        return Response(SugarApplicationDetailOutput(application).data)


class SugarApplicationReturnApi(APIView):
    permission_classes = [IsChecker]

    @extend_schema(request=SugarReasonInput, responses=SugarApplicationDetailOutput)
    @idempotent
    def post(self, request, pk: int):
        application = selectors.application_get(user=request.user, pk=pk)
        s = SugarReasonInput(data=request.data)
        s.is_valid(raise_exception=True)
        application = services.sugar_application_return(application=application, actor=request.user, reason=s.validated_data["reason"])
        return Response(SugarApplicationDetailOutput(application).data)


class SugarApplicationApproveApi(APIView):
    permission_classes = [IsDirectorGeneral]

    @extend_schema(request=None, responses=SugarPermitDetailOutput)
    @idempotent
    def post(self, request, pk: int):
        application = selectors.application_get(user=request.user, pk=pk)
        sp = services.sugar_application_approve(application=application, actor=request.user)
        return Response(SugarPermitDetailOutput(sp).data)


class SugarApplicationRejectApi(APIView):
    permission_classes = [IsDirectorGeneral]

    @extend_schema(request=SugarReasonInput, responses=SugarApplicationDetailOutput)
    @idempotent
    def post(self, request, pk: int):
        application = selectors.application_get(user=request.user, pk=pk)
        s = SugarReasonInput(data=request.data)
        s.is_valid(raise_exception=True)
        application = services.sugar_application_reject(application=application, actor=request.user, reason=s.validated_data["reason"])
        return Response(SugarApplicationDetailOutput(application).data)

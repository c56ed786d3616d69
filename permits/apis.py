"""REST API of permits: public verification (DOC-04), the INSW outbox for administrators
(DOC-05), and the signed PDF for the holder and officers."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from accounts.models import OFFICER_ROLES
from accounts.permissions import IsAdministrator, role_permission
from inatrade.api.errors import error_body, not_found_body
from inatrade.api.idempotency import idempotent
from inatrade.api.pagination import PageNumberPagination
from inatrade.files import UploadRefused, serve_private, validate_pdf_upload
from inatrade.text import is_digits
from permits import selectors, services
from permits.models import OutboxState, Permit


class VerifyNumberApi(APIView):
    """Public: the permit's public fields by number (DOC-04)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "verify"

    class OutputSerializer(serializers.Serializer):
        number = serializers.CharField()
        kind = serializers.CharField()
        holder_name = serializers.CharField()
        valid_from = serializers.DateField()
        valid_until = serializers.DateField(allow_null=True)
        status = serializers.CharField(help_text="valid, frozen, revoked, superseded or expired")
        version = serializers.IntegerField()
        sha256 = serializers.CharField()

    @extend_schema(responses=OutputSerializer)
    def get(self, request, permit_number: str):
        data = selectors.permit_public(number=permit_number)
        if data is None:
            return Response(not_found_body(), status=404)
        return Response(self.OutputSerializer(data).data)


class VerifyUploadApi(APIView):
    """Public: upload a PDF; is it one we issued, the current version, is the signature intact."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "verify"
    parser_classes = [MultiPartParser]

    class InputSerializer(serializers.Serializer):
        file = serializers.FileField()

    class OutputSerializer(serializers.Serializer):
        issued_here = serializers.BooleanField()
        permit_number = serializers.CharField(allow_null=True)
        version = serializers.IntegerField(allow_null=True)
        current = serializers.BooleanField()
        signature_intact = serializers.BooleanField()
        signer = serializers.CharField(allow_blank=True)

    @extend_schema(request=InputSerializer, responses=OutputSerializer)
    def post(self, request):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            pdf = validate_pdf_upload(serializer.validated_data["file"], label="PDF")
        except UploadRefused as exc:
            return Response(error_body(exc.code, exc.messages[0]), status=exc.status)
        result = selectors.verify_pdf(pdf=pdf)
        return Response(self.OutputSerializer(result.as_dict()).data)


class PermitPdfApi(APIView):
    """The signed PDF (current version, or ?version=N) for the holder and officers; logged."""

    @extend_schema(responses={(200, "application/pdf"): bytes})
    def get(self, request, number: str):
        permit = get_object_or_404(Permit, number=number)
        version = None
        if is_digits(request.query_params.get("version", "")):
            version = get_object_or_404(permit.versions, version_no=int(request.query_params["version"]))
        version = services.permit_download(permit=permit, user=request.user, version=version, channel="api")
        return serve_private(version.pdf_path, filename=_filename(permit, version))


def _filename(permit, version) -> str:
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in permit.number)
    return f"{safe}_v{version.version_no}.pdf"


class InswOutboxListApi(APIView):
    """Administrators: deliveries to INSW and their state (DOC-05)."""
    pagination_class = PageNumberPagination  # the list is paged; the schema says so (SEC-03)

    permission_classes = [IsAdministrator]

    class OutputSerializer(serializers.Serializer):
        id = serializers.UUIDField()
        event = serializers.CharField()
        permit_number = serializers.CharField(source="permit.number")
        state = serializers.CharField()
        attempts = serializers.IntegerField()
        next_attempt_at = serializers.DateTimeField()
        last_status_code = serializers.IntegerField(allow_null=True)
        last_error = serializers.CharField(allow_blank=True)
        delivered_at = serializers.DateTimeField(allow_null=True)
        created_at = serializers.DateTimeField()

    @extend_schema(
        parameters=[OpenApiParameter("state", str, enum=OutboxState.values, required=False)],
        responses=OutputSerializer(many=True),
    )
    def get(self, request):
        state = request.query_params.get("state") or None
        if state and state not in OutboxState.values:
            return Response(error_body("invalid", "state tidak dikenal.", {"state": [f"one of {OutboxState.values}"]}), status=400)
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(selectors.outbox_list(state=state), request, view=self)
        return paginator.get_paginated_response(self.OutputSerializer(page, many=True).data)


class PermitSigningOutput(serializers.Serializer):
    permit_number = serializers.CharField()
    version = serializers.IntegerField()
    state = serializers.CharField(help_text="queued, signing or failed")
    attempts = serializers.IntegerField()
    error = serializers.CharField(allow_blank=True, help_text="the last failure, empty when none")
    failed_at = serializers.DateTimeField(allow_null=True)
    next_attempt_at = serializers.DateTimeField(allow_null=True)


class PermitSigningApi(APIView):
    """Officers: the signing of the version awaiting signature (REL-06): queued, signing, or
    failed with its error. 404 when nothing awaits signature."""

    permission_classes = [role_permission(*OFFICER_ROLES)]

    @extend_schema(responses=PermitSigningOutput)
    def get(self, request, number: str):
        permit = get_object_or_404(selectors.permits_for_user(user=request.user), number=number)
        status = selectors.permit_signing_status(permit=permit)
        if not status["awaiting_signature"]:
            return Response(error_body("not_awaiting_signature", "Tidak ada versi yang menunggu tanda tangan."), status=404)
        return Response(PermitSigningOutput(status).data)


class PermitSigningRetryApi(APIView):
    """The officials who sign, and administrators: retry the signing now (REL-06)."""

    permission_classes = [role_permission(*services.SIGNING_RETRY_ROLES)]

    @extend_schema(request=None, responses={202: PermitSigningOutput})
    @idempotent
    def post(self, request, number: str):
        permit = get_object_or_404(selectors.permits_for_user(user=request.user), number=number)
        status = selectors.permit_signing_status(permit=permit)
        if not status["awaiting_signature"]:
            return Response(error_body("not_awaiting_signature", "Tidak ada versi yang menunggu tanda tangan."), status=409)
        services.permit_signing_retry(version=status["version_obj"], actor=request.user)
        status = selectors.permit_signing_status(permit=permit)
        if not status["awaiting_signature"]:  # signed at once (eager workers)
            return Response(status=204)
        return Response(PermitSigningOutput(status).data, status=202)

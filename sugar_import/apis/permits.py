"""API of issued sugar PIs: reports (PI-11), revocation (PI-12), amendments (PI-09)."""

from __future__ import annotations

import json

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Role
from inatrade.api.errors import error_body
from inatrade.api.idempotency import idempotent
from inatrade.api.pagination import OnePassPagination, PageNumberPagination
from inatrade.api.parsers import JSONParser
from inatrade.files import UploadRefused
from sugar_import import selectors, services
from sugar_import.apis.applications import SugarReasonInput
from sugar_import.apis.common import (
    IsDirectorGeneral,
    IsImporter,
    ReadsPermits,
    upload_error,
)
from sugar_import.apis.serializers import (
    SugarLineInput,
    SugarPermitDetailOutput,
    SugarPermitOutput,
    permit_row_output,
    sugar_type_by_code,
)
from sugar_import.models import (
    RevocationReason,
    SugarPermitStatus,
)


# --------------------------------------------------------------------------- permits
class SugarPermitListApi(APIView):
    pagination_class = PageNumberPagination  # the list is paged; the schema says so (SEC-03)
    permission_classes = [ReadsPermits]

    @extend_schema(parameters=[OpenApiParameter("status", str, enum=SugarPermitStatus.values, required=False)],
                   responses=SugarPermitOutput(many=True))
    def get(self, request):
        status = request.query_params.get("status") or None
        if status and status not in SugarPermitStatus.values:
            return Response(error_body("invalid", "status tidak dikenal.", {"status": SugarPermitStatus.values}), status=400)
        paginator = OnePassPagination()
        page = paginator.paginate_queryset(selectors.PermitRows(user=request.user, status=status), request, view=self)
        from permits.models import Permit

        return paginator.get_paginated_response([permit_row_output(row, Permit.public_status_of) for row in page])


class SugarPermitDetailApi(APIView):
    permission_classes = [ReadsPermits]

    @extend_schema(responses=SugarPermitDetailOutput)
    def get(self, request, number: str):
        return Response(SugarPermitDetailOutput(selectors.permit_get(user=request.user, number=number)).data)


class SugarPermitPdfApi(APIView):
    """The signed PDF, current version (DOC-06: logged by permits/)."""

    permission_classes = [ReadsPermits]

    @extend_schema(responses={(200, "application/pdf"): bytes})
    def get(self, request, number: str):
        from inatrade.files import serve_private
        from permits.apis import _filename
        from permits.services import permit_download

        sp = selectors.permit_get(user=request.user, number=number)
        version = permit_download(permit=sp.permit, user=request.user, channel="api")
        return serve_private(version.pdf_path, filename=_filename(sp.permit, version))


class SugarReportApi(APIView):
    """PI-11: ``{period: "2026-03", nil_report, destination, shipments: [{pib_number, pib_date,
    hs_code, volume_tonnes}]}``; in multipart, ``shipments`` is a JSON string and the PIB of
    shipment *i* is the file ``pib_file_<i>``."""

    permission_classes = [ReadsPermits]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    class ShipmentInput(serializers.Serializer):
        pib_number = serializers.CharField(max_length=30)
        pib_date = serializers.DateField()
        hs_code = serializers.RegexField(r"^\d{4}\.\d{2}\.\d{2}$")
        volume_tonnes = serializers.DecimalField(max_digits=14, decimal_places=3, min_value=0)

    class InputSerializer(serializers.Serializer):
        period = serializers.RegexField(r"^\d{4}-\d{2}$")
        nil_report = serializers.BooleanField(default=False)
        destination = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
        shipments = serializers.JSONField(required=False, default=list)

    @extend_schema(responses=serializers.ListSerializer(child=serializers.DictField()))
    def get(self, request, number: str):
        sp = selectors.permit_get(user=request.user, number=number)
        return Response(SugarPermitDetailOutput(sp).data["reports"])

    @extend_schema(request=InputSerializer, responses={201: SugarPermitDetailOutput})
    @idempotent
    def post(self, request, number: str):
        if request.user.role != Role.IMPORTER:
            return Response(error_body("permission_denied", "Hanya pemegang PI."), status=403)
        sp = selectors.permit_get(user=request.user, number=number)
        s = self.InputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        v = s.validated_data
        raw = v["shipments"]
        if isinstance(raw, str):
            try:
                raw = json.loads(raw or "[]")
            except ValueError:
                raw = None
        if not isinstance(raw, list):
            return Response(error_body("invalid", "shipments harus berupa daftar.", {"shipments": ["list"]}), status=400)
        items = self.ShipmentInput(data=raw, many=True)
        items.is_valid(raise_exception=True)
        shipments = [{**dict(item), "pib_file": request.FILES.get(f"pib_file_{i}")} for i, item in enumerate(items.validated_data)]
        try:
            services.monthly_report_submit(sugar_permit=sp, actor=request.user, period=services.parse_period(v["period"]),
                                           nil_report=v["nil_report"], shipments=shipments, destination=v["destination"])
        except UploadRefused as exc:
            return upload_error(exc, "pib_file")
        sp.refresh_from_db()
        return Response(SugarPermitDetailOutput(sp).data, status=201)


class SugarPermitRevokeApi(APIView):
    permission_classes = [IsDirectorGeneral]

    class InputSerializer(serializers.Serializer):
        reason_code = serializers.ChoiceField(choices=RevocationReason.values)
        note = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")

    @extend_schema(request=InputSerializer, responses=SugarPermitDetailOutput)
    @idempotent
    def post(self, request, number: str):
        sp = selectors.permit_get(user=request.user, number=number)
        s = self.InputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        sp = services.sugar_permit_revoke(sugar_permit=sp, actor=request.user, **s.validated_data)
        return Response(SugarPermitDetailOutput(sp).data)


# --------------------------------------------------------------------------- amendments (PI-09)
class SugarAmendmentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    permit_number = serializers.CharField(source="sugar_permit.number")
    status = serializers.CharField()
    address = serializers.CharField(allow_blank=True)
    sugar_type = serializers.CharField(source="sugar_type.code", allow_null=True, default=None)
    lines = serializers.JSONField()
    reason = serializers.CharField()
    due_date = serializers.DateField()
    decision_reason = serializers.CharField(allow_blank=True)
    version_no = serializers.IntegerField(allow_null=True)


class SugarAmendmentCreateApi(APIView):
    permission_classes = [IsImporter]

    class InputSerializer(serializers.Serializer):
        reason = serializers.CharField(max_length=4000)
        address = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")
        sugar_type = serializers.CharField(required=False, allow_blank=True, default="")
        lines = SugarLineInput(many=True, required=False, default=list)

    @extend_schema(request=InputSerializer, responses={201: SugarAmendmentOutput})
    @idempotent
    def post(self, request, number: str):
        sp = selectors.permit_get(user=request.user, number=number)
        s = self.InputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        v = s.validated_data
        lines = [{**dict(line), "volume_tonnes": str(line["volume_tonnes"])} for line in v["lines"]]
        amendment = services.amendment_submit(sugar_permit=sp, actor=request.user, reason=v["reason"], address=v["address"],
                                              sugar_type=sugar_type_by_code(v["sugar_type"]) if v["sugar_type"] else None, lines=lines)
        return Response(SugarAmendmentOutput(amendment).data, status=201)


class SugarAmendmentApproveApi(APIView):
    permission_classes = [IsDirectorGeneral]

    @extend_schema(request=None, responses=SugarAmendmentOutput)
    @idempotent
    def post(self, request, pk: int):
        amendment = services.amendment_approve(amendment=selectors.amendment_get(user=request.user, pk=pk), actor=request.user)
        return Response(SugarAmendmentOutput(amendment).data)


class SugarAmendmentRejectApi(APIView):
    permission_classes = [IsDirectorGeneral]

    @extend_schema(request=SugarReasonInput, responses=SugarAmendmentOutput)
    @idempotent
    def post(self, request, pk: int):
        s = SugarReasonInput(data=request.data)
        s.is_valid(raise_exception=True)
        amendment = services.amendment_reject(amendment=selectors.amendment_get(user=request.user, pk=pk), actor=request.user,
                                              reason=s.validated_data["reason"])
        return Response(SugarAmendmentOutput(amendment).data)

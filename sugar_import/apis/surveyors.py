"""API of surveyors (PI-14) and exemption letters (PI-16)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Role
from accounts.permissions import role_permission
from inatrade.api.idempotency import idempotent
from inatrade.files import UploadRefused
from sugar_import import selectors, services
from sugar_import.apis.common import IsDirectorGeneral, upload_error


# --------------------------------------------------------------------------- surveyors (PI-14)
class SugarSurveyorReportApi(APIView):
    """Laporan Surveyor of one raw-sugar shipment (P14 Pasal 13, 15)."""

    permission_classes = [role_permission(Role.SURVEYOR)]

    class InputSerializer(serializers.Serializer):
        ls_number = serializers.CharField(max_length=60)
        icumsa = serializers.IntegerField(min_value=0, max_value=100000)
        shipping_date = serializers.DateField()
        volume_tonnes = serializers.DecimalField(max_digits=14, decimal_places=3, min_value=0)
        truth_statement = serializers.BooleanField()

    class OutputSerializer(serializers.Serializer):
        ls_number = serializers.CharField()
        permit_number = serializers.CharField(source="sugar_permit.number")
        sugar_type = serializers.CharField(source="sugar_type.code")
        icumsa = serializers.IntegerField()
        shipping_date = serializers.DateField()
        volume_tonnes = serializers.DecimalField(max_digits=14, decimal_places=3)
        surveyor = serializers.CharField(source="surveyor.name")

    @extend_schema(request=InputSerializer, responses={201: OutputSerializer})
    @idempotent
    def post(self, request, number: str):
        sp = selectors.permit_get(user=request.user, number=number)
        s = self.InputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        report = services.surveyor_report_record(sugar_permit=sp, actor=request.user, **s.validated_data)
        return Response(self.OutputSerializer(report).data, status=201)


class SugarSurveyorMonthlyReportApi(APIView):
    """The surveyor's monthly report (P14 Pasal 17) ``{period: "2026-03", summary}``."""

    permission_classes = [role_permission(Role.SURVEYOR)]

    class InputSerializer(serializers.Serializer):
        period = serializers.RegexField(r"^\d{4}-\d{2}$")
        summary = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")

    class OutputSerializer(serializers.Serializer):
        surveyor = serializers.CharField(source="surveyor.name")
        period = serializers.DateField(format="%Y-%m")
        submitted_at = serializers.DateTimeField()

    @extend_schema(request=InputSerializer, responses={201: OutputSerializer})
    @idempotent
    def post(self, request):
        s = self.InputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        report = services.surveyor_monthly_report_submit(actor=request.user, period=services.parse_period(s.validated_data["period"]),
                                                         summary=s.validated_data["summary"])
        return Response(self.OutputSerializer(report).data, status=201)


# --------------------------------------------------------------------------- exemptions (PI-16)
class SugarExemptionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    applicant_name = serializers.CharField()
    hs_code = serializers.CharField()
    quantity_kg = serializers.DecimalField(max_digits=14, decimal_places=3)
    status = serializers.CharField(help_text="submitted, approved, rejected")
    letter_number = serializers.CharField(allow_blank=True)
    decision_reason = serializers.CharField(allow_blank=True)


class SugarExemptionCreateApi(APIView):
    """P14 Pasal 34(2)–(3): a UPTP I officer records the request for a research-import letter."""

    permission_classes = [role_permission(Role.COUNTER_OFFICER)]
    parser_classes = [MultiPartParser, FormParser]

    class InputSerializer(serializers.Serializer):
        applicant_name = serializers.CharField(max_length=200)
        identity_number = serializers.CharField(max_length=30)
        recommendation_reference = serializers.CharField(max_length=200)
        goods_description = serializers.CharField(max_length=4000)
        hs_code = serializers.RegexField(r"^\d{4}\.\d{2}\.\d{2}$")
        quantity_kg = serializers.DecimalField(max_digits=14, decimal_places=3, min_value=0)
        self_declaration = serializers.BooleanField()
        recommendation_file = serializers.FileField()
        declaration_file = serializers.FileField()

    @extend_schema(request=InputSerializer, responses={201: SugarExemptionOutput})
    @idempotent
    def post(self, request):
        s = self.InputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        try:
            letter = services.exemption_request_record(actor=request.user, **s.validated_data)
        except UploadRefused as exc:
            return upload_error(exc, getattr(exc, "field", "file"))
        return Response(SugarExemptionOutput(letter).data, status=201)


class SugarExemptionDecideApi(APIView):
    permission_classes = [IsDirectorGeneral]
    approve = True

    class InputSerializer(serializers.Serializer):
        reason = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")

    @extend_schema(request=InputSerializer, responses=SugarExemptionOutput)
    @idempotent
    def post(self, request, pk: int):
        from django.shortcuts import get_object_or_404

        from sugar_import.models import ExemptionLetter

        s = self.InputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        letter = services.exemption_decide(letter=get_object_or_404(ExemptionLetter, pk=pk), actor=request.user,
                                           approve=self.approve, reason=s.validated_data["reason"])
        return Response(SugarExemptionOutput(letter).data)

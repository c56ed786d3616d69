"""``GET /api/v1/reports/sla/?year=&step=&kind=``: the SLA report's figures (SLA-05)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import OFFICER_ROLES
from accounts.permissions import role_permission
from workspace.reports import selectors
from inatrade.workdays import today
from inatrade.registry import CASE_KINDS


class SlaReportApi(APIView):
    permission_classes = [role_permission(*OFFICER_ROLES)]

    class InputSerializer(serializers.Serializer):
        year = serializers.IntegerField(min_value=2000, max_value=2100, required=False)
        step = serializers.CharField(max_length=60, required=False)
        kind = serializers.CharField(max_length=30, required=False)

        def validate_kind(self, value):
            if value not in CASE_KINDS:
                raise serializers.ValidationError(f'"{value}" is not a valid choice.')
            return value

    class OutputSerializer(serializers.Serializer):
        step = serializers.CharField(source="step_code")
        step_name = serializers.CharField()
        deadline_working_days = serializers.IntegerField(source="deadline_days")
        month = serializers.SerializerMethodField()
        on_time = serializers.IntegerField()
        late = serializers.IntegerField()
        total = serializers.IntegerField()
        median_working_days = serializers.FloatField(source="median", allow_null=True)
        worst_working_days = serializers.IntegerField(source="worst", allow_null=True)

        def get_month(self, row) -> str:
            return row.month.strftime("%Y-%m")

    @extend_schema(
        parameters=[OpenApiParameter("year", int), OpenApiParameter("step", str), OpenApiParameter("kind", str)],
        responses={200: OutputSerializer(many=True)},
    )
    def get(self, request):
        params = self.InputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        report = selectors.sla_report(year=params.validated_data.get("year") or today().year,
                                      step=params.validated_data.get("step") or None, kind=params.validated_data.get("kind") or None)
        return Response({"year": report.year, "results": self.OutputSerializer(report.rows, many=True).data})

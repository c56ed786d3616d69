"""REST endpoints of the API itself (api.md): records, sanctions, re-registration, changes,
quarterly reports, Produsen Importir designations, the regions list and the issuer's recap."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Role
from api_registry import selectors, services
from api_registry.apis.common import (
    ApiOutput,
    ChangeOutput,
    DesignationOutput,
    IsDirectorGeneral,
    IsImporter,
    IsImporterOrOfficer,
    IsIssuer,
    ReasonInput,
    ReportOutput,
)
from api_registry.models import (
    Api,
    ApiChangeRequest,
    HsSection,
    Issuer,
    ProdusenImportir,
    QuarterlyReport,
)
from inatrade.api.idempotency import idempotent
from inatrade.errors import DomainError
from reference import selectors as reference_selectors

# --------------------------------------------------------------------------- the API


def _api(request, number) -> Api:
    return get_object_or_404(selectors.apis_visible_to(user=request.user), number=number)


class ApiListApi(ListAPIView):
    """The caller's API (importer) or the APIs of the officer's issuer; ``?status=``."""

    serializer_class = ApiOutput
    permission_classes = [IsImporterOrOfficer]

    def get_queryset(self):
        qs = selectors.apis_visible_to(user=self.request.user).select_related("sanction_reason")
        wanted = self.request.query_params.get("status")
        return qs.filter(status=wanted) if wanted else qs


class RegencyOutput(serializers.Serializer):
    code = serializers.CharField(help_text="Kemendagri code, four digits (e.g. 3174).")
    name = serializers.CharField()
    province_code = serializers.CharField(source="province_id")
    province_name = serializers.CharField(source="province.name")


class RegionListApi(ListAPIView):
    """The Kab/Kota of Indonesia with their Kemendagri codes (reference data): the
    ``regency_code`` of a registration, and the region of an API number (API-03, API-05).
    Public, like the registration it serves. ``?province=31``, ``?search=jakarta``."""

    serializer_class = RegencyOutput
    permission_classes = [AllowAny]

    @extend_schema(parameters=[OpenApiParameter("province", str), OpenApiParameter("search", str)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = self.request.query_params
        return reference_selectors.regency_list(province=params.get("province", "")[:2], search=params.get("search", "")[:100])


class ApiDetailApi(APIView):
    permission_classes = [IsImporterOrOfficer]

    @extend_schema(responses={200: ApiOutput})
    def get(self, request, number: str):
        return Response(ApiOutput(_api(request, number)).data)


class ApiRecordNibApi(APIView):
    """API-12: record the company's NIB as its API-U or API-P."""

    permission_classes = [IsImporter]

    class InputSerializer(serializers.Serializer):
        kind = serializers.CharField(max_length=5, help_text="API-U or API-P")
        hs_section = serializers.CharField(required=False, allow_blank=True, max_length=6)

    @extend_schema(request=InputSerializer, responses={201: ApiOutput})
    @idempotent
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        raw = data.validated_data.get("hs_section") or ""
        section = HsSection.objects.filter(roman=raw.upper()).first() if raw else None
        if raw and section is None:
            raise DomainError("Bagian HS tidak dikenal.", code="invalid", status=400, fields={"hs_section": ["I sampai XXI."]})
        api = services.api_record_nib(actor=request.user, kind=data.validated_data["kind"], hs_section=section)
        return Response(ApiOutput(api).data, status=status.HTTP_201_CREATED)


class SanctionInput(serializers.Serializer):
    reason_code = serializers.CharField(max_length=30)
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000)


def _sanction_view(action: str, doc: str):
    service = {"freeze": services.api_freeze, "reactivate": services.api_reactivate, "revoke": services.api_revoke}[action]

    class _View(APIView):
        __doc__ = doc
        permission_classes = [IsIssuer]

        @extend_schema(request=SanctionInput, responses={200: ApiOutput}, operation_id=f"apis_{action}")
        @idempotent
        def post(self, request, number: str):
            api = _api(request, number)
            data = SanctionInput(data=request.data)
            data.is_valid(raise_exception=True)
            api = service(api=api, actor=request.user, reason_code=data.validated_data["reason_code"], note=data.validated_data.get("note", ""))
            return Response(ApiOutput(api).data)

    _View.__name__ = f"Api{action.title()}Api"
    return _View


ApiFreezeApi = _sanction_view("freeze", "Freeze the API (P27 Pasal 35) with a reason code; notice with copy to customs (Pasal 41).")
ApiReactivateApi = _sanction_view("reactivate", "Reactivate a frozen API (P27 Pasal 36).")
ApiRevokeApi = _sanction_view("revoke", "Revoke the API (P27 Pasal 37); waiting period of Pasal 39 by reason code.")


class ApiReregisterApi(APIView):
    """API-07: the holder re-registers (P27 Pasal 15)."""

    permission_classes = [IsImporter]

    @extend_schema(request=None, responses={200: ApiOutput})
    @idempotent
    def post(self, request, number: str):
        api = services.api_reregister(api=_api(request, number), actor=request.user)
        return Response(ApiOutput(api).data)


class ApiChangeRequestApi(APIView):
    """API-08: report a change of API data (P27 Pasal 31)."""

    permission_classes = [IsImporter]

    class InputSerializer(serializers.Serializer):
        changed_on = serializers.DateField()
        company_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
        address = serializers.CharField(required=False, allow_blank=True, max_length=1000)
        directors = serializers.CharField(required=False, allow_blank=True, max_length=2000)
        line_of_business = serializers.CharField(required=False, allow_blank=True, max_length=300)

    @extend_schema(request=InputSerializer, responses={201: ChangeOutput})
    @idempotent
    def post(self, request, number: str):
        api = _api(request, number)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        change = services.api_change_request_submit(api=api, actor=request.user, **data.validated_data)
        return Response(ChangeOutput(change).data, status=status.HTTP_201_CREATED)


def _change(request, pk) -> ApiChangeRequest:
    return get_object_or_404(
        ApiChangeRequest.objects.filter(api__in=selectors.apis_visible_to(user=request.user)).select_related("api"), pk=pk
    )


class ChangeApproveApi(APIView):
    """Issue the amended API (P27 Pasal 31(4)); the old document is superseded but kept."""

    permission_classes = [IsIssuer]

    @extend_schema(request=None, responses={200: ChangeOutput})
    @idempotent
    def post(self, request, pk: int):
        change = _change(request, pk)
        services.api_change_request_approve(change=change, actor=request.user)
        change.refresh_from_db()
        return Response(ChangeOutput(change).data)


class ChangeRejectApi(APIView):
    permission_classes = [IsIssuer]

    @extend_schema(request=ReasonInput, responses={200: ChangeOutput})
    @idempotent
    def post(self, request, pk: int):
        change = _change(request, pk)
        data = ReasonInput(data=request.data)
        data.is_valid(raise_exception=True)
        change = services.api_change_request_reject(change=change, actor=request.user, reason=data.validated_data["reason"])
        return Response(ChangeOutput(change).data)


class QuarterlyReportApi(APIView):
    """API-11: the holder's quarterly realization reports (P27 Pasal 29)."""

    permission_classes = [IsImporterOrOfficer]

    class InputSerializer(serializers.Serializer):
        year = serializers.IntegerField(min_value=2012, max_value=2100)
        quarter = serializers.IntegerField(min_value=1, max_value=4)
        realized = serializers.BooleanField()
        shipments = serializers.IntegerField(min_value=0, required=False, default=0)
        value_usd = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=0, required=False, default=0)
        notes = serializers.CharField(required=False, allow_blank=True, max_length=5000)

    @extend_schema(responses={200: ReportOutput(many=True)})
    def get(self, request, number: str):
        api = _api(request, number)
        return Response(ReportOutput(QuarterlyReport.objects.filter(api=api), many=True).data)

    @extend_schema(request=InputSerializer, responses={201: ReportOutput})
    @idempotent
    def post(self, request, number: str):
        api = _api(request, number)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report = services.quarterly_report_submit(api=api, actor=request.user, **data.validated_data)
        return Response(ReportOutput(report).data, status=status.HTTP_201_CREATED)


class DesignationApplyApi(APIView):
    """API-10: an API-P holder applies to be designated Produsen Importir (P27 Pasal 10–11)."""

    permission_classes = [IsImporter]

    class InputSerializer(serializers.Serializer):
        purpose = serializers.CharField(max_length=20, help_text="tes_pasar or komplementer")
        goods = serializers.CharField(max_length=5000)

    @extend_schema(request=InputSerializer, responses={201: DesignationOutput})
    @idempotent
    def post(self, request, number: str):
        api = _api(request, number)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        designation = services.produsen_importir_apply(api=api, actor=request.user, **data.validated_data)
        return Response(DesignationOutput(designation).data, status=status.HTTP_201_CREATED)


class DesignationDecideApi(APIView):
    """The Director General decides (approve / reject ``{reason}`` / revoke ``{reason_code, note}``)."""

    permission_classes = [IsDirectorGeneral]
    action = "approve"

    class InputSerializer(serializers.Serializer):
        reason = serializers.CharField(required=False, allow_blank=True, max_length=5000)
        reason_code = serializers.CharField(required=False, allow_blank=True, max_length=30)
        note = serializers.CharField(required=False, allow_blank=True, max_length=5000)

    @extend_schema(request=InputSerializer, responses={200: DesignationOutput})
    @idempotent
    def post(self, request, pk: int):
        designation = get_object_or_404(ProdusenImportir.objects.select_related("api"), pk=pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        if self.action == "approve":
            designation = services.produsen_importir_approve(designation=designation, actor=request.user)
        elif self.action == "reject":
            designation = services.produsen_importir_reject(designation=designation, actor=request.user, reason=v.get("reason", ""))
        else:
            designation = services.produsen_importir_revoke(
                designation=designation, actor=request.user, reason_code=v.get("reason_code", ""), note=v.get("note", "")
            )
        return Response(DesignationOutput(designation).data)


class IssuerRecapApi(APIView):
    """API-11: an issuer's quarterly recap of issued APIs and realizations (P27 Pasal 29(5), 30)."""

    permission_classes = [IsIssuer]

    @extend_schema(parameters=[OpenApiParameter("year", int, required=True), OpenApiParameter("quarter", int, required=True)],
                   responses={200: dict})
    def get(self, request, code: str):
        issuer = get_object_or_404(Issuer, code=code)
        if request.user.role != Role.DIRECTOR_GENERAL and not issuer.memberships.filter(user=request.user).exists():
            return Response({"error": {"code": "not_found", "message": "Tidak ditemukan.", "fields": {}}}, status=404)
        try:
            year, quarter = int(request.query_params["year"]), int(request.query_params["quarter"])
            if quarter not in (1, 2, 3, 4) or not 2012 <= year <= 2100:
                raise ValueError
        except (KeyError, ValueError) as exc:
            raise DomainError("year dan quarter wajib diisi.", code="invalid", status=400, fields={"quarter": ["1 sampai 4."]}) from exc
        recap = selectors.issuer_quarterly_recap(issuer=issuer, year=year, quarter=quarter)
        recap["late_companies"] = [
            {"number": api.number, "company": api.company.name}
            for api in selectors.quarterly_reports_late(issuer=issuer, year=year, quarter=quarter)[:500]
        ]
        return Response(recap)

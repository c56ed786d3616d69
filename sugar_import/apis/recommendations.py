"""API of Rekomendasi / Surat penugasan (PI-03) and rakor quotas (PI-05)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Company, Role
from accounts.permissions import role_permission
from inatrade.api.errors import error_body
from inatrade.api.idempotency import idempotent
from inatrade.api.pagination import PageNumberPagination
from inatrade.files import UploadRefused
from sugar_import import selectors, services
from sugar_import.apis.common import CanRead, paginate, upload_error
from sugar_import.apis.serializers import (
    SugarQuotaOutput,
    SugarRecommendationOutput,
    purpose_by_code,
    sugar_type_by_code,
)
from sugar_import.selectors import SUGAR_OFFICER_ROLES


# --------------------------------------------------------------------------- recommendations, quotas
class SugarRecommendationListCreateApi(APIView):
    pagination_class = PageNumberPagination  # the list is paged; the schema says so (SEC-03)
    permission_classes = [CanRead]

    class InputSerializer(serializers.Serializer):
        kind = serializers.RegexField(r"^(recommendation|assignment)$", help_text="recommendation or assignment")
        company_nib = serializers.RegexField(r"^\d{13}$", required=False)
        issuer = serializers.CharField(max_length=200)
        number = serializers.CharField(max_length=100)
        date = serializers.DateField()
        sugar_type = serializers.CharField(max_length=5)
        volume_tonnes = serializers.DecimalField(max_digits=14, decimal_places=3, min_value=0)
        hs_codes = serializers.ListField(child=serializers.CharField(max_length=10), min_length=1)
        origin_countries = serializers.ListField(child=serializers.CharField(max_length=2), min_length=1)
        ports = serializers.ListField(child=serializers.CharField(max_length=5), min_length=1)
        valid_from = serializers.DateField()
        valid_until = serializers.DateField()
        file = serializers.FileField(required=False)

    @extend_schema(
        parameters=[OpenApiParameter("verification_status", str, enum=["pending", "confirmed", "rejected"])],
        responses=SugarRecommendationOutput(many=True),
    )
    def get(self, request):
        from sugar_import.models import VerificationStatus

        wanted = request.query_params.get("verification_status") or None
        if wanted and wanted not in VerificationStatus.values:
            raise serializers.ValidationError({"verification_status": ["pending, confirmed or rejected"]})
        qs = selectors.recommendation_list(user=request.user, verification_status=wanted).order_by("-date", "pk")
        return paginate(self, request, qs, SugarRecommendationOutput)

    @extend_schema(request=InputSerializer, responses={201: SugarRecommendationOutput})
    @idempotent
    def post(self, request):
        if request.user.role not in (Role.AGENCY, Role.IMPORTER):
            return Response(error_body("permission_denied", "Hanya instansi teknis atau importir."), status=403)
        data = request.data
        if hasattr(data, "getlist"):  # multipart: lists as repeated fields or comma-separated
            data = {k: data.get(k) for k in data}
            for key in ("hs_codes", "origin_countries", "ports"):
                values = request.data.getlist(key)
                data[key] = [v.strip() for item in values for v in str(item).split(",") if v.strip()]
            data["file"] = request.FILES.get("file")
            if data["file"] is None:
                data.pop("file")
        s = self.InputSerializer(data=data)
        s.is_valid(raise_exception=True)
        v = s.validated_data
        if request.user.role == Role.AGENCY:
            company = Company.objects.filter(nib=v.get("company_nib", "")).first()
            if company is None:
                return Response(error_body("invalid", "Perusahaan dengan NIB ini tidak ditemukan.", {"company_nib": ["not found"]}), status=400)
        else:
            company = request.user.company
        try:
            rec = services.recommendation_record(
                actor=request.user, company=company, kind=v["kind"], issuer=v["issuer"], number=v["number"], date=v["date"],
                sugar_type=sugar_type_by_code(v["sugar_type"]), volume_tonnes=v["volume_tonnes"], hs_codes=v["hs_codes"],
                origin_countries=v["origin_countries"], ports=v["ports"], valid_from=v["valid_from"],
                valid_until=v["valid_until"], upload=v.get("file"),
            )
        except UploadRefused as exc:
            return upload_error(exc, "file")
        return Response(SugarRecommendationOutput(rec).data, status=201)


class SugarRecommendationDetailApi(APIView):
    """One Rekomendasi with its verification status (the owner, the sugar officers, the agency)."""

    permission_classes = [role_permission(Role.AGENCY, Role.IMPORTER, *SUGAR_OFFICER_ROLES)]

    @extend_schema(responses=SugarRecommendationOutput)
    def get(self, request, pk: int):
        return Response(SugarRecommendationOutput(selectors.recommendation_get(user=request.user, pk=pk)).data)


class SugarRecommendationPdfApi(APIView):
    """The signed PDF an importer uploaded, for the verifier to check it against."""

    permission_classes = [role_permission(Role.AGENCY, Role.IMPORTER, *SUGAR_OFFICER_ROLES)]

    @extend_schema(responses={(200, "application/pdf"): bytes})
    def get(self, request, pk: int):
        from django.http import Http404

        from inatrade.files import serve_private

        rec = selectors.recommendation_get(user=request.user, pk=pk)
        if not rec.pdf_path:
            raise Http404
        return serve_private(rec.pdf_path, filename=f"rekomendasi-{rec.pk}.pdf")


class SugarRecommendationVerifyApi(APIView):
    """Issue 15, item 8: confirm an uploaded Rekomendasi against the signed PDF, or reject it
    with ``{reason}`` (the technical agency, UPTP I, the Director General)."""

    permission_classes = [role_permission(*services.RECOMMENDATION_VERIFIERS)]
    confirm = True

    class InputSerializer(serializers.Serializer):
        reason = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")

    @extend_schema(request=InputSerializer, responses=SugarRecommendationOutput)
    @idempotent
    def post(self, request, pk: int):
        s = self.InputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        rec = selectors.recommendation_get(user=request.user, pk=pk)
        if self.confirm:
            rec = services.recommendation_confirm(recommendation=rec, actor=request.user, note=s.validated_data["reason"])
        else:
            rec = services.recommendation_reject(recommendation=rec, actor=request.user, reason=s.validated_data["reason"])
        return Response(SugarRecommendationOutput(rec).data)


class SugarQuotaListCreateApi(APIView):
    pagination_class = PageNumberPagination  # the list is paged; the schema says so (SEC-03)
    permission_classes = [role_permission(*SUGAR_OFFICER_ROLES, Role.AGENCY)]

    class InputSerializer(serializers.Serializer):
        year = serializers.IntegerField(min_value=2000, max_value=2100)
        purpose = serializers.CharField()
        sugar_type = serializers.CharField()
        tonnes = serializers.DecimalField(max_digits=14, decimal_places=3, min_value=0)
        rakor_reference = serializers.CharField(max_length=200, required=False, default="")
        rakor_date = serializers.DateField(required=False, allow_null=True, default=None)

    @extend_schema(responses=SugarQuotaOutput(many=True))
    def get(self, request):
        return paginate(self, request, selectors.quota_list(), SugarQuotaOutput)

    @extend_schema(request=InputSerializer, responses={201: SugarQuotaOutput})
    @idempotent
    def post(self, request):
        s = self.InputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        v = s.validated_data
        quota = services.quota_allocation_record(
            actor=request.user, year=v["year"], purpose=purpose_by_code(v["purpose"]), sugar_type=sugar_type_by_code(v["sugar_type"]),
            tonnes=v["tonnes"], rakor_reference=v["rakor_reference"], rakor_date=v["rakor_date"],
        )
        return Response(SugarQuotaOutput(quota).data, status=201)

"""REST endpoints of the API registry (api.md, "Importer identification number").

Thin views: input shape in nested serializers, every rule in ``api_registry.services``.
Objects are looked up in the caller's visible set, so another company's object answers 404.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Role
from accounts.permissions import role_permission
from api_registry import selectors, services
from api_registry.models import (
    Api,
    ApiChangeRequest,
    ApplicationStatus,
    DocumentKind,
    HsSection,
    Issuer,
    ProdusenImportir,
    QuarterlyReport,
)
from inatrade.api.idempotency import idempotent
from inatrade.api.parsers import JSONParser
from inatrade.errors import DomainError
from inatrade.files import UploadRefused
from inatrade.text import is_digits
from reference import selectors as reference_selectors

IsImporter = role_permission(Role.IMPORTER)
IsIssuer = role_permission(Role.ISSUER_OFFICER, Role.DIRECTOR_GENERAL)
IsImporterOrOfficer = role_permission(Role.IMPORTER, Role.ISSUER_OFFICER, Role.DIRECTOR_GENERAL, Role.ADMINISTRATOR)
IsDirectorGeneral = role_permission(Role.DIRECTOR_GENERAL)


def _upload_error(exc: UploadRefused, field: str) -> DomainError:
    """The refused upload in the api.md error shape, naming the field (SEC-02)."""
    return DomainError(exc.messages[0], code=exc.code, status=exc.status, fields={field: [exc.messages[0]]})


# --------------------------------------------------------------------------- output shapes


class ApplicationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    kind = serializers.CharField()
    status = serializers.CharField()
    company = serializers.CharField(source="company.name")
    hs_section = serializers.CharField(source="hs_section.roman", allow_null=True, default=None)
    issuer = serializers.CharField(source="issuer.code", allow_null=True, default=None)
    regency = serializers.CharField(source="regency_id", allow_null=True)
    step = serializers.CharField(source="step_code")
    due_date = serializers.DateField(allow_null=True)
    reject_due_date = serializers.DateField(allow_null=True)
    overdue = serializers.SerializerMethodField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    bap_number = serializers.CharField()
    bap_result = serializers.CharField()
    decision_reason = serializers.CharField()
    documents = serializers.SerializerMethodField()
    api_number = serializers.SerializerMethodField()

    def get_overdue(self, app) -> bool:
        from inatrade.workdays import today

        return bool(app.due_date and app.due_date < today() and app.status not in (ApplicationStatus.APPROVED, ApplicationStatus.REJECTED))

    def get_documents(self, app) -> list[str]:
        return sorted({d.kind for d in app.documents.all()})

    def get_api_number(self, app) -> str | None:
        api = getattr(app, "api", None) if app.status == ApplicationStatus.APPROVED else None
        return api.number if api else None


class ApiOutput(serializers.Serializer):
    number = serializers.CharField()
    kind = serializers.CharField()
    source = serializers.CharField()
    status = serializers.CharField()
    company = serializers.CharField(source="company.name")
    hs_section = serializers.CharField(source="hs_section.roman", allow_null=True, default=None)
    issuer = serializers.CharField(source="issuer.code", allow_null=True, default=None)
    issued_on = serializers.DateField()
    reregistration_due = serializers.DateField(allow_null=True)
    reregistration_deadline = serializers.DateField(allow_null=True)
    version = serializers.IntegerField()
    sanction_reason = serializers.CharField(source="sanction_reason.code", allow_null=True, default=None)
    revoked_on = serializers.DateField(allow_null=True)
    new_application_from = serializers.DateField(allow_null=True)
    missed_quarter = serializers.CharField()
    document_url = serializers.SerializerMethodField()

    def get_document_url(self, api) -> str | None:
        if api.source != "issued":
            return None
        return f"/api/v1/permits/{api.number}/pdf"


class ChangeOutput(serializers.Serializer):
    id = serializers.IntegerField()
    api = serializers.CharField(source="api.number")
    status = serializers.CharField()
    company_name = serializers.CharField()
    address = serializers.CharField()
    directors = serializers.CharField()
    line_of_business = serializers.CharField()
    changed_on = serializers.DateField()
    reported_late = serializers.BooleanField()
    due_date = serializers.DateField(allow_null=True)
    reason = serializers.CharField()


class DesignationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    api = serializers.CharField(source="api.number")
    purpose = serializers.CharField()
    goods = serializers.CharField()
    status = serializers.CharField()
    due_date = serializers.DateField(allow_null=True)
    redesignation_from = serializers.DateField(allow_null=True)


class ReportOutput(serializers.Serializer):
    id = serializers.IntegerField()
    period = serializers.CharField()
    year = serializers.IntegerField()
    quarter = serializers.IntegerField()
    realized = serializers.BooleanField()
    shipments = serializers.IntegerField()
    value_usd = serializers.DecimalField(max_digits=16, decimal_places=2)


# --------------------------------------------------------------------------- applications


def _application(request, pk) -> "selectors.ApiApplication":
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


class ReasonInput(serializers.Serializer):
    reason = serializers.CharField(max_length=5000)


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

"""REST API of sugar import approvals (api.md, "Sugar import approvals"). Thin: input shape
in serializers, every rule in services."""

from __future__ import annotations

import json

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Company, Role
from sugar_import.selectors import SUGAR_OFFICER_ROLES
from accounts.permissions import role_permission
from inatrade.api.errors import error_body
from inatrade.api.idempotency import idempotent
from inatrade.api.parsers import JSONParser
from inatrade.api.pagination import OnePassPagination, PageNumberPagination
from inatrade.errors import RuleViolation
from inatrade.files import UploadRefused
from sugar_import import selectors, services
from sugar_import.models import (
    ApplicationStatus,
    Purpose,
    RecommendationKind,
    RevocationReason,
    SugarPermitStatus,
    SugarType,
)

ALL_ROLES = tuple(Role.values)
IsImporter = role_permission(Role.IMPORTER)
CanRead = role_permission(*ALL_ROLES)
IsDirectorGeneral = role_permission(Role.DIRECTOR_GENERAL)
IsChecker = role_permission(*services.CHECKERS)
IsAdministrator = role_permission(Role.ADMINISTRATOR)
CanRecord = role_permission(Role.AGENCY, Role.IMPORTER)
CanApply = role_permission(Role.IMPORTER, Role.COUNTER_OFFICER)
ReadsApplications = role_permission(Role.IMPORTER, *SUGAR_OFFICER_ROLES)
ReadsPermits = role_permission(Role.IMPORTER, Role.SURVEYOR, *SUGAR_OFFICER_ROLES)


def _paginate(view, request, qs, serializer):
    paginator = PageNumberPagination()
    page = paginator.paginate_queryset(qs, request, view=view)
    return paginator.get_paginated_response(serializer(page, many=True).data)


def _upload_error(exc: UploadRefused, field: str):
    return Response(error_body(exc.code, exc.messages[0], {field: [exc.messages[0]]}), status=exc.status)


# --------------------------------------------------------------------------- output shapes
class SugarLineSerializer(serializers.Serializer):
    hs_code = serializers.CharField()
    description = serializers.CharField()
    volume_tonnes = serializers.DecimalField(max_digits=14, decimal_places=3)
    origin_country = serializers.CharField(source="origin_country_id")
    port_of_discharge = serializers.CharField(source="port_of_discharge_id")


class SugarApplicationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    company = serializers.CharField(source="company.name")
    purpose = serializers.CharField(source="purpose.code")
    sugar_type = serializers.CharField(source="sugar_type.code")
    recommendation = serializers.IntegerField(source="recommendation_id", allow_null=True)
    assignment = serializers.IntegerField(source="assignment_id", allow_null=True)
    status = serializers.CharField(help_text="draft, submitted, returned, approved, rejected")
    is_manual = serializers.BooleanField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    due_date = serializers.DateField(allow_null=True)
    overdue = serializers.SerializerMethodField()
    return_reason = serializers.CharField(allow_blank=True)
    decision_reason = serializers.CharField(allow_blank=True)
    lines = SugarLineSerializer(many=True, source="lines.all")
    permit_number = serializers.SerializerMethodField()

    def get_overdue(self, obj) -> bool:
        if hasattr(obj, "overdue"):
            return bool(obj.overdue)
        from inatrade.workdays import today

        return bool(obj.status == ApplicationStatus.SUBMITTED and obj.due_date and obj.due_date < today())

    def get_permit_number(self, obj) -> str | None:
        sp = getattr(obj, "sugar_permit", None) if obj.status == ApplicationStatus.APPROVED else None
        return sp.number if sp else None


class SugarApplicationDetailOutput(SugarApplicationOutput):
    timeline = serializers.SerializerMethodField()
    documents = serializers.SerializerMethodField()

    def get_timeline(self, obj) -> dict:
        data = selectors.application_timeline(obj)
        return json.loads(json.dumps(data, default=str))

    def get_documents(self, obj) -> list[dict]:
        return [{"kind": d.kind, "filename": d.filename, "sha256": d.sha256} for d in obj.documents.all()]


class SugarPermitOutput(serializers.Serializer):
    number = serializers.CharField()
    company = serializers.CharField(source="company.name")
    status = serializers.CharField(help_text="active, frozen, revoked")
    document_status = serializers.CharField(source="permit.public_status")
    purpose = serializers.CharField(source="purpose.code")
    sugar_type = serializers.CharField(source="sugar_type.code")
    volume_tonnes = serializers.DecimalField(max_digits=14, decimal_places=3)
    realized_tonnes = serializers.DecimalField(max_digits=14, decimal_places=3)
    remaining_tonnes = serializers.DecimalField(max_digits=14, decimal_places=3)
    issued_on = serializers.DateField()
    valid_from = serializers.DateField()
    valid_until = serializers.DateField()
    frozen_on = serializers.DateField(allow_null=True)
    revoked_on = serializers.DateField(allow_null=True)
    revocation_reason = serializers.CharField(allow_blank=True)


def _permit_row_output(row: dict, public_status=None) -> dict:
    """``SugarPermitOutput`` of one row of ``selectors.PermitRows`` (the same shape, built
    without a serializer per row: PERF-04; tests compare the two)."""
    if public_status is None:
        from permits.models import Permit

        public_status = Permit.public_status_of
    frozen_on, revoked_on = row["frozen_on"], row["revoked_on"]
    volume, realized = row["volume_tonnes"], row["realized_tonnes"]
    return {
        "number": row["number"], "company": row["company_name"], "status": row["status"],
        "document_status": public_status(row["permit_status"], row["permit_valid_until"]),
        "purpose": row["purpose_code"], "sugar_type": row["sugar_type_code"],
        "volume_tonnes": f"{volume:.3f}", "realized_tonnes": f"{realized:.3f}", "remaining_tonnes": f"{volume - realized:.3f}",
        "issued_on": row["issued_on"].isoformat(), "valid_from": row["valid_from"].isoformat(),
        "valid_until": row["valid_until"].isoformat(),
        "frozen_on": frozen_on.isoformat() if frozen_on is not None else None,
        "revoked_on": revoked_on.isoformat() if revoked_on is not None else None,
        "revocation_reason": row["revocation_reason"],
    }


class SugarPermitDetailOutput(SugarPermitOutput):
    lines = SugarLineSerializer(many=True, source="lines.all")
    version = serializers.IntegerField(source="permit.current_version.version_no", allow_null=True, default=None)
    reports = serializers.SerializerMethodField()

    def get_reports(self, obj) -> list[dict]:
        return [{"period": f"{r.period:%Y-%m}", "nil_report": r.nil_report, "total_tonnes": str(r.total_tonnes),
                 "late": r.late, "submitted_at": r.submitted_at.isoformat()} for r in obj.reports.all()]


class SugarRecommendationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField(help_text="recommendation or assignment")
    source = serializers.CharField()
    issuer = serializers.CharField()
    number = serializers.CharField()
    date = serializers.DateField()
    company_nib = serializers.CharField(source="company.nib")
    company = serializers.CharField(source="company.name")
    sugar_type = serializers.CharField(source="sugar_type.code")
    volume_tonnes = serializers.DecimalField(max_digits=14, decimal_places=3)
    used_tonnes = serializers.DecimalField(max_digits=14, decimal_places=3)
    remaining_tonnes = serializers.DecimalField(max_digits=14, decimal_places=3)
    hs_codes = serializers.ListField(child=serializers.CharField())
    origin_countries = serializers.SerializerMethodField()
    ports = serializers.SerializerMethodField()
    valid_from = serializers.DateField()
    valid_until = serializers.DateField()
    verification_status = serializers.CharField(help_text="pending, confirmed or rejected (issue 15, item 8)")
    verification_note = serializers.CharField()
    verified_at = serializers.DateTimeField(allow_null=True)

    def get_origin_countries(self, obj) -> list[str]:
        return [c.code for c in obj.origin_countries.all()]

    def get_ports(self, obj) -> list[str]:
        return [p.code for p in obj.ports.all()]


class SugarQuotaOutput(serializers.Serializer):
    id = serializers.IntegerField()
    year = serializers.IntegerField()
    purpose = serializers.CharField(source="purpose.code")
    sugar_type = serializers.CharField(source="sugar_type.code")
    tonnes = serializers.DecimalField(max_digits=14, decimal_places=3)
    drawn_tonnes = serializers.DecimalField(max_digits=14, decimal_places=3)
    remaining_tonnes = serializers.DecimalField(max_digits=14, decimal_places=3)
    rakor_reference = serializers.CharField(allow_blank=True)


# --------------------------------------------------------------------------- input shapes
class SugarLineInput(serializers.Serializer):
    hs_code = serializers.RegexField(r"^\d{4}\.\d{2}\.\d{2}$")
    description = serializers.CharField(max_length=300)
    volume_tonnes = serializers.DecimalField(max_digits=14, decimal_places=3, min_value=0)
    origin_country = serializers.CharField(max_length=2)
    port_of_discharge = serializers.CharField(max_length=5)


def _purpose(code):
    purpose = Purpose.objects.filter(code=code).first()
    if purpose is None:
        raise RuleViolation("Tujuan tidak dikenal.", code="invalid", fields={"purpose": list(Purpose.objects.values_list("code", flat=True))})
    return purpose


def _sugar_type(code):
    sugar_type = SugarType.objects.filter(code=code).first()
    if sugar_type is None:
        raise RuleViolation("Jenis gula tidak dikenal.", code="invalid", fields={"sugar_type": list(SugarType.objects.values_list("code", flat=True))})
    return sugar_type


def _recommendation(user, pk, field):
    if pk in (None, ""):
        return None
    from django.http import Http404

    try:
        return selectors.recommendation_get(user=user, pk=pk)
    except Http404 as exc:
        raise RuleViolation("Rekomendasi tidak ditemukan.", code="invalid", fields={field: ["not found"]}) from exc


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
        return _paginate(self, request, qs, SugarRecommendationOutput)

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
                sugar_type=_sugar_type(v["sugar_type"]), volume_tonnes=v["volume_tonnes"], hs_codes=v["hs_codes"],
                origin_countries=v["origin_countries"], ports=v["ports"], valid_from=v["valid_from"],
                valid_until=v["valid_until"], upload=v.get("file"),
            )
        except UploadRefused as exc:
            return _upload_error(exc, "file")
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
        return _paginate(self, request, selectors.quota_list(), SugarQuotaOutput)

    @extend_schema(request=InputSerializer, responses={201: SugarQuotaOutput})
    @idempotent
    def post(self, request):
        s = self.InputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        v = s.validated_data
        quota = services.quota_allocation_record(
            actor=request.user, year=v["year"], purpose=_purpose(v["purpose"]), sugar_type=_sugar_type(v["sugar_type"]),
            tonnes=v["tonnes"], rakor_reference=v["rakor_reference"], rakor_date=v["rakor_date"],
        )
        return Response(SugarQuotaOutput(quota).data, status=201)


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
        return _paginate(self, request, qs, SugarApplicationOutput)

    @extend_schema(request=InputSerializer, responses={201: SugarApplicationDetailOutput})
    @idempotent
    def post(self, request):
        if request.user.role != Role.IMPORTER:
            return Response(error_body("permission_denied", "Hanya importir."), status=403)
        s = self.InputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        v = s.validated_data
        application = services.sugar_application_create(
            actor=request.user, purpose=_purpose(v["purpose"]), sugar_type=_sugar_type(v["sugar_type"]),
            recommendation=_recommendation(request.user, v.get("recommendation"), "recommendation"),
            assignment=_recommendation(request.user, v.get("assignment"), "assignment"),
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
                changes[name] = _recommendation(request.user, v[name], name)
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
            return _upload_error(exc, "file")
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

        return paginator.get_paginated_response([_permit_row_output(row, Permit.public_status_of) for row in page])


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
        from permits.apis import _filename
        from permits.services import permit_download

        from inatrade.files import serve_private

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
            return _upload_error(exc, "pib_file")
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
                                              sugar_type=_sugar_type(v["sugar_type"]) if v["sugar_type"] else None, lines=lines)
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
            return _upload_error(exc, getattr(exc, "field", "file"))
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

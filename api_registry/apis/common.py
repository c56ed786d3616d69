"""Shared parts of the API registry's REST endpoints: role permissions, output shapes."""

from __future__ import annotations

from rest_framework import serializers

from accounts.models import Role
from accounts.permissions import role_permission
from api_registry.models import (
    ApplicationStatus,
)
from inatrade.errors import DomainError
from inatrade.files import UploadRefused

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


class ReasonInput(serializers.Serializer):
    reason = serializers.CharField(max_length=5000)

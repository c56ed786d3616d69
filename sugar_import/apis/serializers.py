"""Output and input shapes of the sugar API."""

from __future__ import annotations

import json

from rest_framework import serializers

from inatrade.errors import RuleViolation
from sugar_import import selectors
from sugar_import.models import (
    ApplicationStatus,
    Purpose,
    SugarType,
)


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


def permit_row_output(row: dict, public_status=None) -> dict:
    """``SugarPermitOutput`` of one row of ``selectors.PermitRows`` (the same shape, built
    without a serializer per row: PERF-04; tests compare the two). ``public_status`` is
    ``Permit.public_status_of``, passed in once per page."""
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


def purpose_by_code(code):
    purpose = Purpose.objects.filter(code=code).first()
    if purpose is None:
        raise RuleViolation("Tujuan tidak dikenal.", code="invalid", fields={"purpose": list(Purpose.objects.values_list("code", flat=True))})
    return purpose


def sugar_type_by_code(code):
    sugar_type = SugarType.objects.filter(code=code).first()
    if sugar_type is None:
        raise RuleViolation("Jenis gula tidak dikenal.", code="invalid", fields={"sugar_type": list(SugarType.objects.values_list("code", flat=True))})
    return sugar_type


def recommendation_of(user, pk, field):
    if pk in (None, ""):
        return None
    from django.http import Http404

    try:
        return selectors.recommendation_get(user=user, pk=pk)
    except Http404 as exc:
        raise RuleViolation("Rekomendasi tidak ditemukan.", code="invalid", fields={field: ["not found"]}) from exc

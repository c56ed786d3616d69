"""Admin of sugar imports: reference data is editable (with its legal source); quotas are
edited through the service (drawn volume read-only); applications and PIs are read-only and
change only through services (an admin action revokes through the same service)."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from inatrade.admin import ReadOnlyAdmin
from inatrade.errors import DomainError
from sugar_import import services
from sugar_import.models import (
    AmendmentRequest,
    Country,
    MonthlyReport,
    Port,
    Purpose,
    QuotaAllocation,
    Recommendation,
    SugarApplication,
    SugarPermit,
    SugarType,
)


@admin.register(SugarType)
class SugarTypeAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "hs_codes", "icumsa_min", "icumsa_max", "requires_surveyor", "legal_source")


@admin.register(Purpose)
class PurposeAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "applicant_rule", "validity_rule", "industry_only", "legal_source")
    filter_horizontal = ("sugar_types",)


@admin.register(Port)
class PortAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "is_active")
    search_fields = ("code", "name")


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")


@admin.register(QuotaAllocation)
class QuotaAllocationAdmin(admin.ModelAdmin):
    """PI-05: the drawn volume changes only when PIs are issued (under a row lock)."""

    list_display = ("year", "purpose", "sugar_type", "tonnes", "drawn_tonnes", "rakor_reference")
    list_filter = ("year", "purpose", "sugar_type")
    readonly_fields = ("drawn_tonnes",)

    def save_model(self, request, obj, form, change):
        try:
            services.quota_allocation_record(actor=request.user, year=obj.year, purpose=obj.purpose, sugar_type=obj.sugar_type,
                                             tonnes=obj.tonnes, rakor_reference=obj.rakor_reference, rakor_date=obj.rakor_date)
        except DomainError as exc:
            messages.error(request, exc.message)


@admin.register(Recommendation)
class RecommendationAdmin(ReadOnlyAdmin):
    list_display = ("number", "kind", "issuer", "company", "sugar_type", "volume_tonnes", "used_tonnes", "valid_until",
                    "verification_status")
    list_filter = ("kind", "source", "verification_status", "sugar_type")
    search_fields = ("number", "company__name", "company__nib")


@admin.register(SugarApplication)
class SugarApplicationAdmin(ReadOnlyAdmin):
    list_display = ("reference", "company", "purpose", "sugar_type", "status", "is_manual", "due_date")
    list_filter = ("status", "purpose", "is_manual")
    search_fields = ("reference", "company__name")


@admin.action(description=_("Cabut PI terpilih (putusan pengadilan, Pasal 19 huruf f)"))
def revoke_court_ruling(modeladmin, request, queryset):
    for sp in queryset:
        try:
            services.sugar_permit_revoke(sugar_permit=sp, actor=request.user, reason_code="court_ruling", note="Admin")
        except DomainError as exc:
            messages.error(request, f"{sp.number}: {exc.message}")


@admin.register(SugarPermit)
class SugarPermitAdmin(ReadOnlyAdmin):
    list_display = ("number", "company", "sugar_type", "volume_tonnes", "realized_tonnes", "status", "valid_until", "frozen_on", "revoked_on")
    list_filter = ("status", "purpose", "sugar_type")
    search_fields = ("number", "company__name")
    actions = [revoke_court_ruling]


@admin.register(MonthlyReport)
class MonthlyReportAdmin(ReadOnlyAdmin):
    list_display = ("sugar_permit", "period", "nil_report", "total_tonnes", "late", "submitted_at")
    list_filter = ("late", "nil_report")


@admin.register(AmendmentRequest)
class AmendmentRequestAdmin(ReadOnlyAdmin):
    list_display = ("sugar_permit", "status", "due_date", "submitted_at")
    list_filter = ("status",)


from sugar_import.models import ExemptionLetter, Surveyor, SurveyorMonthlyReport, SurveyorReport  # noqa: E402


@admin.register(Surveyor)
class SurveyorAdmin(ReadOnlyAdmin):
    """Designation goes through ``services.surveyor_designate`` (with the Pasal 14 documents)."""

    list_display = ("name", "decree_number", "designated_on", "status", "revoked_on")
    list_filter = ("status",)


@admin.register(SurveyorReport)
class SurveyorReportAdmin(ReadOnlyAdmin):
    list_display = ("ls_number", "sugar_permit", "surveyor", "icumsa", "shipping_date", "volume_tonnes")


@admin.register(SurveyorMonthlyReport)
class SurveyorMonthlyReportAdmin(ReadOnlyAdmin):
    list_display = ("surveyor", "period", "submitted_at")


@admin.register(ExemptionLetter)
class ExemptionLetterAdmin(ReadOnlyAdmin):
    list_display = ("applicant_name", "hs_code", "quantity_kg", "status", "letter_number", "created_at")
    list_filter = ("status",)

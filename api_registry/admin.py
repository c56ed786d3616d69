"""Admin of the API registry: reference data editable (HS sections, issuers and their
officers, reason codes, importer profiles); workflow records read-only, since every state
change goes through ``api_registry.services`` (style.md habit 3)."""

from django.contrib import admin

from api_registry import models


@admin.register(models.HsSection)
class HsSectionAdmin(admin.ModelAdmin):
    list_display = ("roman", "title", "chapter_from", "chapter_to")
    search_fields = ("roman", "title", "title_en")


class MembershipInline(admin.TabularInline):
    model = models.IssuerMembership
    extra = 0
    autocomplete_fields = ("regency",)
    raw_id_fields = ("user",)


@admin.register(models.Issuer)
class IssuerAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "number_letter", "province")
    list_filter = ("kind",)
    search_fields = ("code", "name")
    filter_horizontal = ("zone_regencies",)
    inlines = [MembershipInline]


@admin.register(models.ApiSanctionReason)
class ApiSanctionReasonAdmin(admin.ModelAdmin):
    list_display = ("kind", "code", "source", "description", "waiting_years")
    list_filter = ("kind",)
    search_fields = ("code", "description")


@admin.register(models.ImporterProfile)
class ImporterProfileAdmin(admin.ModelAdmin):
    list_display = ("company", "bkpm_investment", "resource_contractor", "free_trade_zone")
    list_filter = ("bkpm_investment", "resource_contractor", "free_trade_zone")
    search_fields = ("company__name", "company__nib")
    raw_id_fields = ("company",)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Workflow records: viewable and searchable, changed only through the services."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DocumentInline(admin.TabularInline):
    model = models.ApplicationDocument
    extra = 0
    fields = ("kind", "filename", "sha256", "uploaded_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.ApiApplication)
class ApiApplicationAdmin(ReadOnlyAdmin):
    list_display = ("id", "company", "kind", "status", "issuer", "due_date", "submitted_at")
    list_filter = ("status", "kind", "issuer__kind", "issuer")
    search_fields = ("company__name", "company__nib", "bap_number")
    date_hierarchy = "created_at"
    inlines = [DocumentInline]


@admin.register(models.Api)
class ApiAdmin(ReadOnlyAdmin):
    list_display = ("number", "kind", "company", "status", "source", "issuer", "issued_on", "reregistration_due", "missed_quarter")
    list_filter = ("status", "kind", "source", "issuer__kind", "issuer")
    search_fields = ("number", "company__name", "company__nib")
    date_hierarchy = "issued_on"


@admin.register(models.ApiVersion)
class ApiVersionAdmin(ReadOnlyAdmin):
    list_display = ("api", "version", "company_name", "issued_at", "superseded_at", "permit_reference")
    search_fields = ("api__number", "company_name")


@admin.register(models.ApiChangeRequest)
class ApiChangeRequestAdmin(ReadOnlyAdmin):
    list_display = ("id", "api", "status", "changed_on", "reported_late", "due_date")
    list_filter = ("status", "reported_late")
    search_fields = ("api__number", "api__company__name")


@admin.register(models.ProdusenImportir)
class ProdusenImportirAdmin(ReadOnlyAdmin):
    list_display = ("id", "api", "purpose", "status", "due_date", "redesignation_from")
    list_filter = ("status", "purpose")
    search_fields = ("api__number", "api__company__name")


@admin.register(models.QuarterlyReport)
class QuarterlyReportAdmin(ReadOnlyAdmin):
    list_display = ("api", "year", "quarter", "realized", "shipments", "value_usd", "submitted_at")
    list_filter = ("year", "quarter", "realized")
    search_fields = ("api__number", "api__company__name")


@admin.register(models.ApiNumberCounter)
class ApiNumberCounterAdmin(ReadOnlyAdmin):
    list_display = ("region_code", "last_value")
    search_fields = ("region_code",)

"""Admin of the reference data: regions are editable (style.md habit 10)."""

from django.contrib import admin

from reference.models import Province, Regency


class RegencyInline(admin.TabularInline):
    model = Regency
    extra = 0


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")
    inlines = [RegencyInline]


@admin.register(Regency)
class RegencyAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "province")
    list_filter = ("province",)
    search_fields = ("code", "name")

from django.contrib import admin

from workspace.models import CaseStep


@admin.register(CaseStep)
class CaseStepAdmin(admin.ModelAdmin):
    """Read-only: steps are opened and closed by the services of the cases (SLA-03)."""

    list_display = ("reference", "kind", "step", "role", "party_name", "started_at", "due_date", "finished_at", "outcome", "late", "assignee")
    list_filter = ("kind", "step", "role", "outcome", "late")
    search_fields = ("reference", "party_name", "party_nib")
    date_hierarchy = "started_at"
    list_select_related = ("step", "assignee")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

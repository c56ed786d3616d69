import re

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from inatrade.models import AuditEntry, HolidayOverride, OutgoingEmail, SlaStep


@admin.register(HolidayOverride)
class HolidayOverrideAdmin(admin.ModelAdmin):
    list_display = ("date", "kind", "name", "source")
    list_filter = ("kind",)
    search_fields = ("name", "source")
    date_hierarchy = "date"


@admin.register(SlaStep)
class SlaStepAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "working_days", "source")
    search_fields = ("code", "name", "name_en", "source")
    readonly_fields = ("code",)

    def has_add_permission(self, request):
        return False  # steps are defined by the code that starts them; only their days change

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ActorRoleFilter(admin.SimpleListFilter):
    """The actor's role in words (the column stores the code, "system" for the jobs)."""

    title = _("peran pelaku")
    parameter_name = "actor_role"

    def lookups(self, request, model_admin):
        from inatrade.audit_labels import role_label

        roles = AuditEntry.objects.order_by().values_list("actor_role", flat=True).distinct()
        return [(role, role_label(role)) for role in roles]

    def queryset(self, request, queryset):
        return queryset.filter(actor_role=self.value()) if self.value() is not None else queryset


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """AUD-01: readable, never editable or deletable."""

    list_display = ("seq", "created_at", "object_type", "object_id", "action", "from_state", "to_state", "actor_label", "actor_role")
    list_filter = ("object_type", "action", ActorRoleFilter)
    search_fields = ("object_id", "object_label", "actor_label", "reason")
    date_hierarchy = "created_at"
    list_select_related = ("actor",)


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "template", "subject", "state", "attempts", "sent_at")
    list_filter = ("state", "template")
    search_fields = ("subject", "to")
    exclude = ("body",)
    readonly_fields = ("body_text",)

    @admin.display(description="body")
    def body_text(self, obj):
        """The message without its secrets: set-password and status links are one-time keys
        for their addressee alone, not for the administrators reading the outbox (issue 15)."""
        return redact_secret_links(obj.body)


_SECRET_LINK = re.compile(r"(/accounts/(?:set-password|registration)/)(?!resend/)[^/\s]+")


def redact_secret_links(text: str) -> str:
    return _SECRET_LINK.sub(r"\1[disembunyikan]", text or "")

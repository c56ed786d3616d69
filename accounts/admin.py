from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import ApiToken, Company, User


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ("name", "jenis_trader", "nib", "npwp", "province_code", "is_bumn", "created_at")
    list_filter = ("jenis_trader", "is_bumn", "province_code")
    search_fields = ("name", "nib", "npwp", "email")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "get_full_name", "email", "role", "company", "access_status", "last_used_at")
    list_filter = ("role", "access_status", "is_staff")
    search_fields = ("username", "first_name", "last_name", "email", "company__name")
    list_select_related = ("company",)
    # The access status changes only through the services (block, revoke, approve), which
    # audit and notify; the admin shows it but cannot set it.
    readonly_fields = ("access_status", "access_granted_at", "last_used_at", "password_changed_at", "last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Identitas"), {"fields": ("first_name", "last_name", "email", "preferred_language")}),
        (_("Peran"), {"fields": ("role", "position", "company", "is_active", "is_staff", "is_superuser")}),
        (_("Hak akses"), {"fields": ("access_status", "access_granted_at", "last_used_at", "must_change_password", "password_changed_at")}),
        (_("Tanggal"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "email", "role", "company", "password1", "password2")}),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("prefix", "user", "created_at", "last_used_at")
    search_fields = ("prefix", "user__username")
    readonly_fields = ("user", "key_hash", "prefix", "created_at", "last_used_at")

    def has_add_permission(self, request):
        return False

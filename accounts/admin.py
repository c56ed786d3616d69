from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import ApiToken, Company, User
from reference.selectors import regency_choices, regency_for_code


class CompanyAdminForm(forms.ModelForm):
    """The Kab/Kota of domicile is a choice among the Kemendagri table; the province follows
    from it (API-03, API-05). A code an older record holds that is not in the table is shown
    as such and must be replaced before the company can be saved."""

    UNKNOWN = _("Kabupaten/kota tidak dikenal: pilih dari daftar (kode Kemendagri 4 digit, mis. 3174).")

    regency_code = forms.ChoiceField(
        label=_("Kabupaten/Kota domisili"), required=False, error_messages={"invalid_choice": UNKNOWN},
        help_text=_("Menentukan Dinas Provinsi penerbit API dan kode wilayah nomor API; provinsi mengikuti."),
    )

    class Meta:
        model = Company
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "—")] + regency_choices()
        current = self.initial.get("regency_code")
        if current and regency_for_code(code=current) is None:
            choices.insert(1, (current, _("%(code)s — kode tidak dikenal, pilih yang benar") % {"code": current}))
        self.fields["regency_code"].choices = choices

    def clean_regency_code(self):
        code = self.cleaned_data["regency_code"]
        self.regency = regency_for_code(code=code) if code else None
        if code and self.regency is None:
            raise forms.ValidationError(self.UNKNOWN, code="unknown")
        return code

    def _post_clean(self):
        super()._post_clean()
        if "regency_code" in self.cleaned_data:
            self.instance.province_code = self.regency.province_id if self.regency else ""


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    form = CompanyAdminForm
    list_display = ("name", "jenis_trader", "nib", "npwp", "province_code", "regency_code", "is_bumn", "created_at")
    list_filter = ("jenis_trader", "is_bumn", "province_code")
    search_fields = ("name", "nib", "npwp", "email", "regency_code")
    readonly_fields = ("province_code",)

    def save_model(self, request, obj, form, change):
        """A change of an existing company's details is the audited service's (issue 15)."""
        if not change:
            return super().save_model(request, obj, form, change)
        from accounts.services.company import COMPANY_DETAIL_FIELDS, company_update_details

        company_update_details(
            company=obj, actor=request.user, changes={field: getattr(obj, field) for field in COMPANY_DETAIL_FIELDS},
            reason=str(_("diubah melalui admin")),
        )


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "full_name", "email", "role", "company", "access_status", "last_used_at")
    list_filter = ("role", "access_status", "is_staff")
    search_fields = ("username", "first_name", "last_name", "email", "company__name")
    list_select_related = ("company",)
    # The access status changes only through the services (block, revoke, approve), which
    # audit and notify; the admin shows it but cannot set it.
    readonly_fields = ("access_status", "access_granted_at", "last_used_at", "password_changed_at", "inactivity_warned_at", "last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Identitas"), {"fields": ("first_name", "last_name", "email", "preferred_language")}),
        (_("Peran"), {"fields": ("role", "position", "company", "is_active", "is_staff", "is_superuser")}),
        (_("Hak akses"), {"fields": ("access_status", "access_granted_at", "last_used_at", "inactivity_warned_at", "must_change_password", "password_changed_at")}),
        (_("Tanggal"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "email", "role", "company", "password1", "password2")}),
    )

    def user_change_password(self, request, id, form_url=""):
        """The admin's "set password" form is a reset: the user must change it at the next
        login (HA-09) and loses every API token (issue 15 item 5)."""
        from django.http import HttpResponseRedirect

        from accounts import services

        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and isinstance(response, HttpResponseRedirect):
            user = User.objects.filter(pk=id).first()
            if user is not None:
                services.user_password_reset(user=user, actor=request.user)
        return response

    @admin.display(description=_("nama lengkap"), ordering="first_name")
    def full_name(self, obj):
        return obj.get_full_name()


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("prefix", "user", "created_at", "last_used_at")
    search_fields = ("prefix", "user__username")
    readonly_fields = ("user", "key_hash", "prefix", "created_at", "last_used_at")

    def has_add_permission(self, request):
        return False


# ---------------------------------------------------------------------------------------------
# Hak Akses records: read-only in the admin. Every state change goes through the services
# (the officers' pages and the API), which check the transition, audit and notify.
# ---------------------------------------------------------------------------------------------

from accounts.models import Bap, FieldVerification, Registration, RegistrationDocument, Revocation  # noqa: E402


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RegistrationDocumentInline(admin.TabularInline):
    model = RegistrationDocument
    fields = ("kind", "filename", "size", "sha256")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class FieldVerificationInline(admin.TabularInline):
    model = FieldVerification
    fields = ("verifier", "assigned_by", "assigned_at", "result", "notes", "recorded_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdmin):
    list_display = ("reference", "company_name", "npwp", "jenis_trader", "status", "submitted_at", "due_date", "decided_by")
    list_filter = ("status", "jenis_trader", "purpose", "acting_capacity")
    search_fields = ("reference", "company_name", "npwp", "nib", "applicant_name", "applicant_email")
    date_hierarchy = "submitted_at"
    list_select_related = ("decided_by",)
    inlines = [RegistrationDocumentInline, FieldVerificationInline]
    readonly_fields = [f.name for f in Registration._meta.fields if f.name not in ("access_key",)]
    exclude = ("access_key",)


@admin.register(Bap)
class BapAdmin(ReadOnlyAdmin):
    list_display = ("number", "registration", "result", "officer", "validated_at")
    list_filter = ("result",)
    search_fields = ("number", "registration__reference", "registration__company_name")
    list_select_related = ("registration", "officer")


@admin.register(Revocation)
class RevocationAdmin(ReadOnlyAdmin):
    list_display = ("user", "company", "reason_code", "revoked_by", "revoked_at")
    list_filter = ("reason_code",)
    search_fields = ("user__username", "company__name", "company__npwp", "note")
    date_hierarchy = "revoked_at"
    list_select_related = ("user", "company", "revoked_by")

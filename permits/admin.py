"""Admin of permits: signing failures are visible here (REL-06) and retried by an action; INSW
deliveries with their attempts (DOC-05); signing certificates per official (DOC-02).
Issued documents are read-only: every change goes through a service."""

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from inatrade.admin import ReadOnlyAdmin
from inatrade.errors import DomainError
from permits import pki, services
from permits.models import (
    InswDeliveryAttempt,
    InswOutboxEvent,
    Permit,
    PermitDownload,
    PermitVersion,
    SigningCertificate,
    VersionState,
)


class PermitVersionInline(admin.TabularInline):
    model = PermitVersion
    fields = ("version_no", "state", "signed_at", "signer_name", "sha256", "signing_attempts", "signing_error")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Permit)
class PermitAdmin(ReadOnlyAdmin):
    list_display = ("number", "kind", "holder", "status", "valid_from", "valid_until", "current_version", "created_at")
    list_filter = ("kind", "status")
    search_fields = ("number", "holder__name", "holder__nib")
    inlines = [PermitVersionInline]


@admin.register(PermitVersion)
class PermitVersionAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "state", "signer", "signing_attempts", "signing_error_short", "signing_next_attempt_at", "signed_at")
    list_filter = ("state",)
    search_fields = ("permit__number", "sha256")
    actions = ["retry_signing"]
    exclude = ("content",)
    readonly_fields = [f.name for f in PermitVersion._meta.fields if f.name != "content"]

    @admin.display(description=_("galat penandatanganan"))
    def signing_error_short(self, obj):
        return (obj.signing_error or "")[:120]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("permit", "signer")

    @admin.action(description=_("Coba tandatangani lagi sekarang"))
    def retry_signing(self, request, queryset):
        done = 0
        for version in queryset.filter(state=VersionState.AWAITING_SIGNATURE):
            try:
                services.permit_signing_retry(version=version, actor=request.user)
                done += 1
            except DomainError as exc:
                self.message_user(request, f"{version}: {exc.message}", messages.ERROR)
        self.message_user(request, _("%(n)d versi diantrekan untuk ditandatangani.") % {"n": done})


class SigningCertificateForm(forms.ModelForm):
    """Rotation (issue 19, README "Signing keys"): upload the official's new encrypted PKCS#12;
    its bytes go to the database and the official's previous certificates are deactivated."""

    pkcs12_file = forms.FileField(label=_("Unggah PKCS#12 (.p12)"), required=False)

    class Meta:
        model = SigningCertificate
        fields = ("user", "pkcs12_path", "passphrase_env", "is_active")

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("pkcs12_file")
        if upload is None and not cleaned.get("pkcs12_path") and not (self.instance and self.instance.pkcs12_data):
            raise forms.ValidationError(_("Unggah berkas PKCS#12."))
        if upload is not None:
            data = upload.read()
            try:
                self.p12_info = pki.describe_p12(data, pki.passphrase_for(cleaned.get("passphrase_env")))
            except Exception as exc:  # noqa: BLE001 - shown to the administrator
                raise forms.ValidationError(_("Sertifikat tidak dapat dibaca: %(e)s") % {"e": exc}) from exc
            self.p12_data = data
        return cleaned


@admin.register(SigningCertificate)
class SigningCertificateAdmin(admin.ModelAdmin):
    form = SigningCertificateForm
    list_display = ("user", "subject", "not_after", "is_active", "stored_in", "passphrase_env")
    list_filter = ("is_active",)
    fields = ("user", "pkcs12_file", "pkcs12_path", "passphrase_env", "is_active", "subject", "serial", "not_before",
              "not_after")
    readonly_fields = ("subject", "serial", "not_before", "not_after")

    @admin.display(description=_("tersimpan di"))
    def stored_in(self, obj):
        return _("basis data") if obj.pkcs12_data else obj.pkcs12_path

    def save_model(self, request, obj, form, change):
        from pathlib import Path

        info = getattr(form, "p12_info", None)
        if info is not None:
            obj.pkcs12_data = form.p12_data
        elif not obj.pkcs12_data and obj.pkcs12_path:
            path = Path(obj.pkcs12_path)
            full = path if path.is_absolute() else pki.pki_dir() / path
            try:
                obj.pkcs12_data = full.read_bytes()  # imported once: workers need no file
                info = pki.describe_p12(obj.pkcs12_data, pki.passphrase_for(obj.passphrase_env))
            except Exception as exc:  # noqa: BLE001 - shown to the administrator
                self.message_user(request, _("Sertifikat tidak dapat dibaca: %(e)s") % {"e": exc}, messages.WARNING)
        if info is not None:
            obj.subject, obj.serial = info["subject"], info["serial"]
            obj.not_before, obj.not_after = info["not_before"], info["not_after"]
        with transaction.atomic():
            if obj.is_active:
                SigningCertificate.objects.filter(user=obj.user, is_active=True).exclude(pk=obj.pk).update(is_active=False)
            super().save_model(request, obj, form, change)
        pki.clear_caches()


class AttemptInline(admin.TabularInline):
    model = InswDeliveryAttempt
    fields = ("at", "status_code", "error", "duration_ms")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(InswOutboxEvent)
class InswOutboxEventAdmin(ReadOnlyAdmin):
    list_display = ("id", "event", "permit", "state", "attempts", "next_attempt_at", "last_status_code", "delivered_at", "created_at")
    list_filter = ("state", "event")
    search_fields = ("permit__number",)
    inlines = [AttemptInline]
    actions = ["requeue"]

    @admin.action(description=_("Kirim ulang ke INSW"))
    def requeue(self, request, queryset):
        for event in queryset:
            services.insw_outbox_requeue(event=event, actor=request.user)
        self.message_user(request, _("Diantrekan ulang."))


@admin.register(PermitDownload)
class PermitDownloadAdmin(ReadOnlyAdmin):
    list_display = ("version", "user", "role", "channel", "at")
    list_filter = ("channel", "role")

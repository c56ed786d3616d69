from django.contrib import admin

from webhooks.models import WebhookDelivery, WebhookEndpoint, WebhookEvent


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = ["company", "url", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["url", "company__name"]
    exclude = ["secret", "previous_secret"]
    readonly_fields = ["company", "created_by", "created_at", "disabled_at", "previous_secret_until"]


@admin.register(WebhookEvent)
class WebhookEventAdmin(admin.ModelAdmin):
    list_display = ["id", "event", "company", "occurred_at"]
    list_filter = ["event"]
    readonly_fields = ["id", "company", "event", "key", "payload", "occurred_at", "created_at"]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ["event", "endpoint", "state", "attempts", "last_status_code", "next_attempt_at", "delivered_at"]
    list_filter = ["state"]
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields]

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "webhooks"
    verbose_name = "Webhooks"

    def ready(self):
        from webhooks import receivers  # noqa: F401 - connects the signal receivers
        from inatrade import audit_labels, registry

        audit_labels.register({
            "webhook_endpoint.register": _("Endpoint webhook didaftarkan"),
            "webhook_endpoint.rotate_secret": _("Rahasia webhook diganti"),
            "webhook_endpoint.disable": _("Endpoint webhook dinonaktifkan"),
        })

        registry.job(
            name="webhooks_deliver", service="webhooks.services.webhooks_deliver",
            help="Relay application and permit events to the companies' webhook endpoints and deliver them with retries (USE-04).",
            schedule={"minute": "*"},
        )

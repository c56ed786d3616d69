from django.apps import AppConfig


class InatradeConfig(AppConfig):
    name = "inatrade"
    verbose_name = "INATRADE"

    def ready(self):
        from inatrade.api import schema  # noqa: F401  (registers the OpenAPI auth extensions)
        from inatrade import metrics  # noqa: F401  (registers the shared outboxes and gauges)
        from inatrade.requestid import connect_celery_signals

        connect_celery_signals()

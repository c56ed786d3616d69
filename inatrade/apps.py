from django.apps import AppConfig


class InatradeConfig(AppConfig):
    name = "inatrade"
    verbose_name = "INATRADE"

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiRegistryConfig(AppConfig):
    name = "api_registry"
    verbose_name = _("Angka Pengenal Importir")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiRegistryConfig(AppConfig):
    name = "api_registry"
    verbose_name = _("Angka Pengenal Importir")

    def ready(self):
        from api_registry.selectors import api_permit_scope
        from permits.scopes import register_permit_scope

        register_permit_scope(kinds=("api_u", "api_p"), scope=api_permit_scope)

        from api_registry import registration

        registration.register()

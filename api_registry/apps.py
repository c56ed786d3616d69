from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiRegistryConfig(AppConfig):
    name = "api_registry"
    verbose_name = _("Angka Pengenal Importir")

    def ready(self):
        from api_registry.selectors import api_permit_scope
        from permits.scopes import register_permit_scope

        register_permit_scope(kinds=("api_u", "api_p"), scope=api_permit_scope)

        from permits.documents import register_kind

        for code, label in (("api_u", "Angka Pengenal Importir Umum (API-U)"),
                            ("api_p", "Angka Pengenal Importir Produsen (API-P)")):
            register_kind(code=code, label=label, template="permits/pdf/api.html", required=("application",))

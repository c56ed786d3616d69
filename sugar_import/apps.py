from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SugarImportConfig(AppConfig):
    name = "sugar_import"
    verbose_name = _("Persetujuan Impor gula")

    def ready(self):
        from permits.scopes import register_permit_scope
        from sugar_import.selectors import sugar_permit_scope

        register_permit_scope(kinds=("sugar_pi",), scope=sugar_permit_scope)

        from sugar_import import registration

        registration.register()

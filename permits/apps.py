from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PermitsConfig(AppConfig):
    name = "permits"
    verbose_name = _("Perizinan terbit")

    def ready(self):
        from permits import registration

        registration.register()

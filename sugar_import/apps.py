from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SugarImportConfig(AppConfig):
    name = "sugar_import"
    verbose_name = _("Persetujuan Impor gula")

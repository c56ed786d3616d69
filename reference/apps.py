from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferenceConfig(AppConfig):
    """Reference data read by several apps (issue 18): the Kemendagri regions. Depends on no
    feature app, so accounts reads a company's Kab/Kota without importing api_registry."""

    name = "reference"
    verbose_name = _("Data referensi")

"""Reference data shared by several apps: the provinces and Kab/Kota with their Kemendagri
codes (a company's domicile in accounts, an API's issuer and number in api_registry, a work
list's region in workspace).

The tables were created by ``api_registry`` and keep their names (``db_table``); migration
``reference.0001`` only moved them in Django's state, no data moved.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Province(models.Model):
    """A province with its Kemendagri code (two digits), used in API numbers (API-05)."""

    code = models.CharField(_("kode"), max_length=2, primary_key=True)
    name = models.CharField(_("nama"), max_length=100)

    class Meta:
        db_table = "api_registry_province"
        ordering = ["code"]
        verbose_name = _("provinsi")
        verbose_name_plural = _("provinsi")

    def __str__(self):
        return f"{self.code} {self.name}"


class Regency(models.Model):
    """A Kabupaten or Kota with its four-digit Kemendagri code (province code + two digits)."""

    code = models.CharField(_("kode"), max_length=4, primary_key=True)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="regencies", verbose_name=_("provinsi"))
    name = models.CharField(_("nama"), max_length=100)

    class Meta:
        db_table = "api_registry_regency"
        ordering = ["code"]
        verbose_name = _("kabupaten/kota")
        verbose_name_plural = _("kabupaten/kota")

    def __str__(self):
        return f"{self.code} {self.name}"

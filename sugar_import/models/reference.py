"""Reference data of sugar PIs (admin-editable, seeded by migration 0002 with its legal
source): sugar types with HS codes and ICUMSA limits (PI-04), ports of discharge, countries
(ISO 3166-1), purposes and who may use them (PI-02), rakor quota allocations (PI-05)."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from inatrade.i18n import BilingualName, in_language

hs8_validator = RegexValidator(r"^\d{4}\.\d{2}\.\d{2}$", _("Pos tarif/HS harus 8 digit, mis. 1701.14.00."))
TONNES = {"max_digits": 14, "decimal_places": 3}


class SugarType(BilingualName, models.Model):
    """PI-04 (P14 Lampiran I–II): GKM, GKR, GKP with their HS codes and ICUMSA limits."""

    code = models.CharField(_("kode"), max_length=5, unique=True)
    name = models.CharField(_("nama"), max_length=100)
    name_en = models.CharField(_("nama (Inggris)"), max_length=100, blank=True)
    hs_codes = models.JSONField(_("pos tarif/HS (8 digit)"), default=list)
    icumsa_min = models.PositiveIntegerField(_("ICUMSA minimum (IU)"), null=True, blank=True)
    icumsa_max = models.PositiveIntegerField(_("ICUMSA maksimum (IU)"), null=True, blank=True)
    requires_surveyor = models.BooleanField(_("wajib verifikasi surveyor (LS)"), default=False)
    legal_source = models.CharField(_("dasar hukum"), max_length=200, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("jenis gula")
        verbose_name_plural = _("jenis gula")

    def __str__(self):
        return f"{self.code} – {self.label}"

    def icumsa_ok(self, value) -> bool:
        if self.icumsa_min is not None and value < self.icumsa_min:
            return False
        if self.icumsa_max is not None and value > self.icumsa_max:
            return False
        return True


class Country(BilingualName, models.Model):
    """ISO 3166-1 alpha-2 (negara asal), named in Indonesian and English (Debian iso-codes)."""

    code = models.CharField(_("kode ISO"), max_length=2, primary_key=True)
    name = models.CharField(_("nama"), max_length=100)
    name_en = models.CharField(_("nama (Inggris)"), max_length=100, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("negara")
        verbose_name_plural = _("negara")

    def __str__(self):
        return self.label


class Port(models.Model):
    """Indonesian ports of discharge (pelabuhan tujuan/bongkar), by UN/LOCODE."""

    code = models.CharField(_("UN/LOCODE"), max_length=5, primary_key=True)
    name = models.CharField(_("nama"), max_length=100)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("pelabuhan bongkar")
        verbose_name_plural = _("pelabuhan bongkar")

    def __str__(self):
        return f"{self.name} ({self.code})"


class ApplicantRule(models.TextChoices):
    API_P = "api_p", _("pemilik API-P (atau NIB sebagai API-P)")
    API_P_OR_BUMN_API_P = "api_p_or_bumn", _("importir API-P dan BUMN pemilik API-P")
    BUMN_ONLY = "bumn_only", _("hanya BUMN")


class ValidityRule(models.TextChoices):
    RECOMMENDATION = "recommendation", _("sesuai masa berlaku Rekomendasi")
    SIX_MONTHS = "six_months", _("paling lama 6 bulan")


class Purpose(BilingualName, models.Model):
    """PI-02 (P14 Pasal 5–8, 11–14): purposes, their sugar types, who may apply, documents."""

    code = models.CharField(_("kode"), max_length=30, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    name_en = models.CharField(_("nama (Inggris)"), max_length=200, blank=True)
    sugar_types = models.ManyToManyField(SugarType, related_name="purposes", verbose_name=_("jenis gula"))
    applicant_rule = models.CharField(_("yang dapat mengajukan"), max_length=20, choices=ApplicantRule.choices)
    requires_recommendation = models.BooleanField(_("wajib Rekomendasi"), default=True)
    requires_assignment = models.BooleanField(_("wajib Surat penugasan"), default=False)
    recommendation_or_assignment = models.BooleanField(
        _("Rekomendasi dan/atau Surat penugasan"), default=False,
        help_text=_("Cukup salah satu dari Rekomendasi atau Surat penugasan."),
    )
    validity_rule = models.CharField(_("masa berlaku"), max_length=20, choices=ValidityRule.choices)
    documents = models.JSONField(
        _("dokumen persyaratan"), default=list, blank=True,
        help_text=_('[{"code": "kite_decision", "label": "...", "label_en": "...", "required": true}]'),
    )
    industry_only = models.BooleanField(
        _("dilarang diperdagangkan (hanya untuk industri)"), default=False,
        help_text=_("PI-15, Pasal 12: dicantumkan pada PI dan ditanyakan pada laporan realisasi."),
    )
    legal_source = models.CharField(_("dasar hukum"), max_length=200, blank=True)
    sort = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort", "code"]
        verbose_name = _("tujuan impor")
        verbose_name_plural = _("tujuan impor")

    def __str__(self):
        return self.label

    @property
    def document_list(self) -> list[dict]:
        """The documents this purpose needs, each ``label`` in the active language."""
        return [{**doc, "label": in_language(doc.get("label", ""), doc.get("label_en"))} for doc in self.documents]


class QuotaAllocation(models.Model):
    """PI-05: the volume agreed in a rakor for a year, purpose and sugar type (P14 Pasal 9
    of the stabilisation rules). ``drawn_tonnes`` is only changed under a row lock."""

    year = models.PositiveIntegerField(_("tahun"))
    purpose = models.ForeignKey(Purpose, on_delete=models.PROTECT, verbose_name=_("tujuan"))
    sugar_type = models.ForeignKey(SugarType, on_delete=models.PROTECT, verbose_name=_("jenis gula"))
    tonnes = models.DecimalField(_("volume rakor (ton)"), validators=[MinValueValidator(Decimal("0"))], **TONNES)
    drawn_tonnes = models.DecimalField(_("terpakai (ton)"), default=Decimal("0"), **TONNES)
    rakor_reference = models.CharField(_("risalah rakor"), max_length=200, blank=True)
    rakor_date = models.DateField(_("tanggal rakor"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("dibuat pada"))

    class Meta:
        ordering = ["-year", "purpose__sort", "sugar_type__code"]
        verbose_name = _("alokasi kuota rakor")
        verbose_name_plural = _("alokasi kuota rakor")
        constraints = [
            models.UniqueConstraint(fields=["year", "purpose", "sugar_type"], name="sugar_quota_unique"),
            models.CheckConstraint(condition=models.Q(drawn_tonnes__lte=models.F("tonnes")), name="sugar_quota_not_overdrawn"),
        ]

    def __str__(self):
        return f"{self.year} {self.purpose.code} {self.sugar_type.code}: {self.tonnes} t"

    @property
    def remaining_tonnes(self) -> Decimal:
        return self.tonnes - self.drawn_tonnes

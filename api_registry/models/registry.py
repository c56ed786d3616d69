"""The API registry's own reference data (HS sections, issuers and their officers, sanction
reasons, importer profiles): tables seeded by migrations and editable in the admin (style.md
habit 10). The regions live in the ``reference`` app."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from reference.models import Province, Regency

# --------------------------------------------------------------------------- reference data


class HsSection(models.Model):
    """API-02: one of the 21 sections of the Harmonized System (P27 Pasal 4(4), Lampiran I).

    An API-U names exactly one section; an HS code belongs to the section whose chapter range
    holds its first two digits.
    """

    number = models.PositiveSmallIntegerField(_("nomor"), unique=True)
    roman = models.CharField(_("bagian"), max_length=6, unique=True)
    title = models.CharField(_("uraian"), max_length=300)
    title_en = models.CharField(_("description (English)"), max_length=300)
    chapter_from = models.PositiveSmallIntegerField(_("dari bab"))
    chapter_to = models.PositiveSmallIntegerField(_("sampai bab"))

    class Meta:
        ordering = ["number"]
        verbose_name = _("bagian (section) HS")
        verbose_name_plural = _("bagian (section) HS")

    def __str__(self):
        return f"Bagian {self.roman}: {self.title}"

    def holds_hs_code(self, hs_code: str) -> bool:
        digits = "".join(ch for ch in str(hs_code) if ch.isdigit())
        if len(digits) < 2:
            return False
        return self.chapter_from <= int(digits[:2]) <= self.chapter_to


class IssuerKind(models.TextChoices):
    BKPM = "bkpm", _("BKPM (Pasal 18)")
    DIRECTOR_GENERAL = "dg", _("Direktur Jenderal Perdagangan Luar Negeri (Pasal 19)")
    DINAS = "dinas", _("Dinas Provinsi (Pasal 20)")
    ZONE = "zone", _("Badan Pengusahaan Kawasan Perdagangan Bebas (Pasal 21)")


class Issuer(models.Model):
    """An API issuer (API-03) and the letter that ends the numbers it issues (API-05)."""

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    kind = models.CharField(_("jenis"), max_length=10, choices=IssuerKind.choices)
    name = models.CharField(_("nama"), max_length=200)
    number_letter = models.CharField(_("huruf nomor API"), max_length=1)
    province = models.ForeignKey(
        Province, null=True, blank=True, on_delete=models.PROTECT, related_name="issuers", verbose_name=_("provinsi"),
        help_text=_("Dinas: provinsinya. Badan Pengusahaan: provinsi kawasannya."),
    )
    zone_regencies = models.ManyToManyField(
        Regency, blank=True, related_name="zone_issuers", verbose_name=_("wilayah kawasan"),
        help_text=_("Badan Pengusahaan: Kab/Kota kawasan perdagangan bebas."),
    )
    email = models.EmailField(_("email"), blank=True)
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="IssuerMembership", related_name="api_issuers", blank=True
    )

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = _("instansi penerbit API")
        verbose_name_plural = _("instansi penerbit API")

    def __str__(self):
        return self.name


class IssuerMembership(models.Model):
    """An issuer officer acting for an issuer. With ``regency`` set the officer works at that
    Kab/Kota Dinas office (Pasal 25(1): the field inspection); without, at the issuer itself
    (the province's Dinas, BKPM, a Badan Pengusahaan) and may decide."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_memberships", verbose_name=_("pengguna"))
    issuer = models.ForeignKey(Issuer, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("penerbit"))
    regency = models.ForeignKey(Regency, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        verbose_name = _("petugas penerbit")
        verbose_name_plural = _("petugas penerbit")
        constraints = [
            models.UniqueConstraint(fields=["user", "issuer", "regency"], name="api_membership_unique"),
        ]

    def __str__(self):
        return f"{self.user} @ {self.issuer}" + (f" ({self.regency})" if self.regency_id else "")


class SanctionKind(models.TextChoices):
    FREEZE = "freeze", _("pembekuan (Pasal 35)")
    REACTIVATE = "reactivate", _("pengaktifan kembali (Pasal 36)")
    REVOKE = "revoke", _("pencabutan (Pasal 37)")
    PI_REVOKE = "pi_revoke", _("pencabutan penetapan Produsen Importir (Pasal 38)")


class NoticeCopy(models.TextChoices):
    """An addressee of the copies (tembusan) of a freeze, reactivation or revocation notice
    (P27 Pasal 41). The central ones have a configured address (``API_TEMBUSAN_EMAILS``); the
    Dinas offices of the company's domicile are reached through their officers' accounts."""

    MINISTER = "menteri", _("Menteri Perdagangan")
    DIRECTOR_OF_IMPORTS = "direktur_impor", _("Direktur Impor")
    CUSTOMS = "bea_cukai", _("Direktur Jenderal Bea dan Cukai")
    PROVINCE_DINAS = "dinas_provinsi", _("Kepala Dinas Provinsi")
    REGENCY_DINAS = "dinas_kabkota", _("Kepala Dinas Kabupaten/Kota")
    REGENCY_PDPPM = "pdppm_kabkota", _("Kepala PDPPM Kabupaten/Kota")


C = NoticeCopy
# Issuer kind -> the copies of its sanction notices, in the order of P27 Pasal 41. A zone's
# Badan Pengusahaan is not named in Pasal 41 (zones act under their own rules, Pasal 21(2)):
# as a regional issuer its notices follow the Dinas Provinsi's, Pasal 41(4). A NIB recorded as
# API (no issuer) is sanctioned by the Director General, Pasal 41(3).
SANCTION_NOTICE_COPIES: dict[str, tuple[str, ...]] = {
    IssuerKind.BKPM: (C.MINISTER, C.CUSTOMS, C.PROVINCE_DINAS, C.REGENCY_DINAS, C.REGENCY_PDPPM),  # Pasal 41(2)
    IssuerKind.DIRECTOR_GENERAL: (C.MINISTER, C.CUSTOMS, C.PROVINCE_DINAS, C.REGENCY_DINAS, C.REGENCY_PDPPM),  # 41(3)
    IssuerKind.DINAS: (C.DIRECTOR_OF_IMPORTS, C.CUSTOMS, C.REGENCY_DINAS),  # Pasal 41(4)
    IssuerKind.ZONE: (C.DIRECTOR_OF_IMPORTS, C.CUSTOMS, C.REGENCY_DINAS),  # as Pasal 41(4)
}


class ApiSanctionReason(models.Model):
    """API-09 reason codes (data): the lettered grounds of P27 Pasal 35, 36, 37 and 38.

    ``waiting_years`` is the waiting period before a new application after a revocation on
    this ground (Pasal 39: one year for Pasal 37 a–c, two years for d–h; Pasal 38(3): one year
    before re-designation as Produsen Importir).
    """

    kind = models.CharField(_("jenis"), max_length=12, choices=SanctionKind.choices)
    code = models.CharField(_("kode"), max_length=30)
    description = models.CharField(_("uraian"), max_length=300)
    source = models.CharField(_("dasar hukum"), max_length=100)
    waiting_years = models.PositiveSmallIntegerField(_("masa tunggu (tahun)"), default=0)

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = _("alasan sanksi API")
        verbose_name_plural = _("alasan sanksi API")
        constraints = [models.UniqueConstraint(fields=["kind", "code"], name="api_sanction_reason_unique")]

    def __str__(self):
        return f"{self.source} {self.code}: {self.description}"


class ImporterProfile(models.Model):
    """The facts of a company that choose its API issuer (API-03, P27 Pasal 18–21)."""

    company = models.OneToOneField("accounts.Company", on_delete=models.CASCADE, related_name="api_profile", verbose_name=_("perusahaan"))
    bkpm_investment = models.BooleanField(
        _("perusahaan penanaman modal berizin BKPM"), default=False, help_text=_("Pasal 18(1)")
    )
    resource_contractor = models.BooleanField(
        _("kontraktor energi/migas/mineral/SDA dengan kontrak kerja sama Pemerintah"), default=False,
        help_text=_("Pasal 19(1)"),
    )
    free_trade_zone = models.ForeignKey(
        Issuer, null=True, blank=True, on_delete=models.PROTECT, limit_choices_to={"kind": IssuerKind.ZONE},
        verbose_name=_("berdomisili di kawasan perdagangan bebas"), help_text=_("Pasal 21(1)"),
    )

    class Meta:
        verbose_name = _("profil importir")
        verbose_name_plural = _("profil importir")

    def __str__(self):
        return str(self.company)

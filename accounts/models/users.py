"""Users, their roles, the companies (Pelaku Usaha) they belong to, API tokens and revoked
access rights (HA-12)."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inatrade.transitions import Machine


class Role(models.TextChoices):
    """The people of the spec's README, one role per account."""

    IMPORTER = "importer", _("Pelaku Usaha (importir)")
    COUNTER_OFFICER = "counter_officer", _("Petugas UPTP I")
    FIELD_VERIFIER = "field_verifier", _("Verifikator lapangan")
    DIRECTOR = "director", _("Direktur")
    DIRECTOR_GENERAL = "director_general", _("Direktur Jenderal")
    ISSUER_OFFICER = "issuer_officer", _("Petugas penerbit API (Dinas/BKPM/Badan Pengusahaan)")
    AGENCY = "agency", _("Instansi teknis")
    SURVEYOR = "surveyor", _("Surveyor")
    ADMINISTRATOR = "administrator", _("Tim Pengelola INATRADE")


OFFICER_ROLES = frozenset(
    {
        Role.COUNTER_OFFICER,
        Role.FIELD_VERIFIER,
        Role.DIRECTOR,
        Role.DIRECTOR_GENERAL,
        Role.ISSUER_OFFICER,
        Role.ADMINISTRATOR,
    }
)


class JenisTrader(models.TextChoices):
    """HA-02: the INSW 'Jenis Trader' list."""

    PERUSAHAAN = "pu_perusahaan", "Pelaku Usaha Perusahaan"
    PERSEORANGAN_USAHA = "pu_perseorangan", "Pelaku Usaha Perseorangan"
    BUMN = "badan_usaha_pemerintah", "Badan Usaha Pemerintah"
    PERSEORANGAN = "perseorangan", "Perseorangan"
    YAYASAN = "yayasan", "Yayasan"
    KEDUTAAN = "kedutaan_asing", "Kedutaan Asing"
    KL_DAERAH = "kementerian_lembaga_daerah", "Kementerian/Lembaga/Daerah"


class Company(models.Model):
    """A Pelaku Usaha. One company may have several users (HA-15)."""

    name = models.CharField(_("nama perusahaan"), max_length=200)
    jenis_trader = models.CharField(_("jenis trader"), max_length=40, choices=JenisTrader.choices)
    nib = models.CharField(_("NIB"), max_length=13, blank=True, db_index=True)
    npwp = models.CharField(_("NPWP"), max_length=16, blank=True, db_index=True)
    address = models.TextField(_("alamat"))
    province_code = models.CharField(_("kode provinsi"), max_length=2, blank=True)
    regency_code = models.CharField(_("kode kabupaten/kota"), max_length=4, blank=True)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("telepon"), max_length=30)
    is_bumn = models.BooleanField(_("BUMN"), default=False)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("dibuat pada"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("pelaku usaha")
        verbose_name_plural = _("pelaku usaha")

    def __str__(self):
        return self.name

    @property
    def npwp_formatted(self) -> str:
        """NPWP as 99.999.999.9-999.999 (15 digits); 16-digit NPWPs are shown as they are."""
        n = self.npwp
        if len(n) == 15:
            return f"{n[0:2]}.{n[2:5]}.{n[5:8]}.{n[8]}-{n[9:12]}.{n[12:15]}"
        return n


class AccessStatus(models.TextChoices):
    ACTIVE = "active", _("aktif")
    BLOCKED = "blocked", _("diblokir")
    REVOKED = "revoked", _("dicabut")


class User(AbstractUser):
    """An account. For importers the username is the six-hex-character user id (HA-08)."""

    role = models.CharField(_("peran"), max_length=30, choices=Role.choices, default=Role.IMPORTER)
    company = models.ForeignKey(
        Company, null=True, blank=True, on_delete=models.PROTECT, related_name="users", verbose_name=_("pelaku usaha")
    )
    position = models.CharField(_("jabatan"), max_length=200, blank=True)
    access_status = models.CharField(
        _("status hak akses"), max_length=10, choices=AccessStatus.choices, default=AccessStatus.ACTIVE
    )
    access_granted_at = models.DateTimeField(_("hak akses diberikan"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("terakhir digunakan"), null=True, blank=True, db_index=True)
    must_change_password = models.BooleanField(_("wajib ganti kata sandi"), default=False)
    password_changed_at = models.DateTimeField(_("kata sandi diganti"), null=True, blank=True)
    preferred_language = models.CharField(_("bahasa"), max_length=5, default="id")
    # HA-13: when the inactivity warning was sent (once per period without use).
    inactivity_warned_at = models.DateTimeField(_("peringatan tidak aktif"), null=True, blank=True)
    # SLA-03: the officer's supervisor (atasan), told when a step of theirs goes overdue.
    supervisor = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="supervised", verbose_name=_("atasan")
    )

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    @property
    def is_officer(self) -> bool:
        return self.role in OFFICER_ROLES

    @property
    def has_active_access(self) -> bool:
        return self.is_active and self.access_status == AccessStatus.ACTIVE

    def set_password(self, raw_password):
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()


# The allowed moves of User.access_status (issue 18). A user is created active when the access
# right is granted (HA-07/HA-08, audited ``user.grant_access``); a revoked business registers
# again as a new user (HA-14), so nothing leaves ``revoked``.
USER_ACCESS = Machine(
    name="user",
    model=User,
    field="access_status",
    moves={
        # HA-10: the holder reports their credentials lost or stolen; blocked at once.
        "block_access": ((AccessStatus.ACTIVE,), AccessStatus.BLOCKED),
        # HA-12(b)-(e): the director or Tim Pengelola revokes, with a reason.
        "revoke_access": ((AccessStatus.ACTIVE, AccessStatus.BLOCKED), AccessStatus.REVOKED),
        # HA-12(a)/HA-13: the inactivity job revokes who has not used it for 6 months.
        "revoke_access_inactive": ((AccessStatus.ACTIVE,), AccessStatus.REVOKED),
    },
    labels={
        "grant_access": _("Hak Akses diberikan"),
        "block_access": _("Kehilangan akun dilaporkan, akun diblokir"),
        "revoke_access": _("Hak Akses dicabut"),
        "revoke_access_inactive": _("Hak Akses dicabut karena tidak digunakan"),
    },
)


class ApiToken(models.Model):
    """An API key (api.md: ``Authorization: Token <key>``). Only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("pengguna"))
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("dibuat pada"))
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("token API")
        verbose_name_plural = _("token API")

    def __str__(self):
        return f"{self.prefix}… ({self.user})"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @staticmethod
    def lifetime() -> timedelta:
        return timedelta(hours=settings.API_TOKEN_LIFETIME_HOURS)

    @property
    def expires_at(self):
        return self.created_at + self.lifetime()

    def is_expired(self, now=None) -> bool:
        return (now or timezone.now()) >= self.expires_at

    def predates_password(self) -> bool:
        """Issued before the user's current password: a change or reset revoked it."""
        changed = self.user.password_changed_at
        return changed is not None and self.created_at < changed

    @classmethod
    def revoke_all(cls, user_ids) -> int:
        """Delete every token of these users (password change, block, revocation, reset)."""
        return cls.objects.filter(user_id__in=list(user_ids)).delete()[0]

    @classmethod
    def issue(cls, user: User) -> tuple["ApiToken", str]:
        key = secrets.token_hex(20)
        return cls.objects.create(user=user, key_hash=cls.hash_key(key), prefix=key[:8]), key



class RevocationReason(models.TextChoices):
    """HA-12 (P123 Pasal 15(1))."""

    INACTIVE = "inactive", _("tidak digunakan 6 bulan berturut-turut (Pasal 15 ayat (1) huruf a)")
    UNTRUE_DATA = "untrue_data", _("data atau keterangan tidak benar (Pasal 15 ayat (1) huruf b)")
    MISUSE = "misuse", _("penyalahgunaan layanan (Pasal 15 ayat (1) huruf c)")
    AGENCY_REQUEST = "agency_request", _("permintaan tertulis unit teknis (Pasal 15 ayat (1) huruf d)")
    LEGAL = "legal", _("kewajiban peraturan perundang-undangan (Pasal 15 ayat (1) huruf e)")


class Revocation(models.Model):
    """HA-12: the record of one revoked access right (by an official or by the inactivity job)."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="revocations", verbose_name=_("pengguna"))
    company = models.ForeignKey(
        Company, null=True, blank=True, on_delete=models.PROTECT, related_name="revocations", verbose_name=_("pelaku usaha")
    )
    reason_code = models.CharField(_("alasan"), max_length=20, choices=RevocationReason.choices)
    note = models.TextField(_("keterangan"), blank=True)
    revoked_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("dicabut oleh")
    )
    revoked_at = models.DateTimeField(_("dicabut"), default=timezone.now)

    class Meta:
        ordering = ["-revoked_at"]
        verbose_name = _("pencabutan hak akses")
        verbose_name_plural = _("pencabutan hak akses")

    def __str__(self):
        return f"{self.user} · {self.get_reason_code_display()}"

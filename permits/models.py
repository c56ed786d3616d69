"""Issued permits, their signed versions, downloads, signing certificates and the INSW outbox.

Allowed transitions of ``Permit.status``, declared in ``permit_machine`` (the services are
the only writer):

    awaiting_signature --sign--> valid
    valid|awaiting_signature --freeze--> frozen --reactivate--> valid (awaiting_signature
                                                 when frozen before its first signature)
    valid|frozen|awaiting_signature --revoke--> revoked
    valid|frozen --supersede--> superseded   (replaced by another permit number)

"expired" is derived (valid and past ``valid_until``), never stored.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inatrade.registry import permit_kind_choices
from inatrade.transitions import Machine


class PermitStatus(models.TextChoices):
    AWAITING_SIGNATURE = "awaiting_signature", _("disetujui, menunggu tanda tangan")
    VALID = "valid", _("berlaku")
    FROZEN = "frozen", _("dibekukan")
    REVOKED = "revoked", _("dicabut")
    SUPERSEDED = "superseded", _("diganti")


class SigningCertificate(models.Model):
    """An official's signing certificate: the encrypted PKCS#12 bytes in the database (so every
    worker node has it, none keeps it on disk; issue 19), its passphrase in an environment
    variable that only workers are given. ``pkcs12_path`` is legacy: a row without bytes is read
    from that file (absolute, or relative to PKI_DIR) on the node that signs."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="signing_certificates",
        verbose_name=_("pejabat"),
    )
    pkcs12_path = models.CharField(
        _("berkas PKCS#12"), max_length=500, blank=True,
        help_text=_("Lama: path absolut, atau relatif terhadap PKI_DIR. Kosong bila PKCS#12 tersimpan di basis data."),
    )
    pkcs12_data = models.BinaryField(_("PKCS#12 terenkripsi"), null=True, blank=True, editable=False)
    passphrase_env = models.CharField(
        _("variabel lingkungan kata sandi"), max_length=100, default="INATRADE_SIGNER_PASSPHRASE",
    )
    subject = models.CharField(_("subjek"), max_length=300, blank=True)
    serial = models.CharField(_("nomor seri"), max_length=80, blank=True)
    not_before = models.DateTimeField(_("berlaku dari"), null=True, blank=True)
    not_after = models.DateTimeField(_("berlaku sampai"), null=True, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("dibuat pada"))

    class Meta:
        verbose_name = _("sertifikat tanda tangan")
        verbose_name_plural = _("sertifikat tanda tangan")
        ordering = ["user__username", "-created_at"]

    def __str__(self):
        return f"{self.subject or self.pkcs12_path} ({self.user})"


class Permit(models.Model):
    kind = models.CharField(_("jenis"), max_length=20, choices=permit_kind_choices)
    number = models.CharField(_("nomor"), max_length=80, unique=True)
    holder = models.ForeignKey(
        "accounts.Company", on_delete=models.PROTECT, related_name="permits", verbose_name=_("pemegang"),
    )
    title = models.CharField(_("hal"), max_length=300)
    valid_from = models.DateField(_("berlaku dari"))
    valid_until = models.DateField(_("berlaku sampai"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=PermitStatus.choices, default=PermitStatus.AWAITING_SIGNATURE,
        db_index=True,
    )
    status_reason = models.TextField(_("alasan status"), blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    current_version = models.OneToOneField(
        "PermitVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("versi berlaku"),
    )
    source_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT)
    source_id = models.CharField(max_length=64, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("dibuat pada"))

    class Meta:
        verbose_name = _("perizinan")
        verbose_name_plural = _("perizinan")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["source_type", "source_id"]), models.Index(fields=["holder", "kind"]),
            # PERF-02: the holder's permits, newest first.
            models.Index(fields=["holder", "-created_at"], name="permit_by_holder_new"),
        ]

    def __str__(self):
        return self.number

    @property
    def public_status(self) -> str:
        """valid, frozen, revoked, superseded, expired or awaiting_signature (DOC-04)."""
        return self.public_status_of(self.status, self.valid_until)

    @property
    def public_status_label(self) -> str:
        """``public_status`` in words, in the active language."""
        return self.public_status_label_of(self.public_status)

    @staticmethod
    def public_status_label_of(public_status: str) -> str:
        if public_status == "expired":
            return str(_("kedaluwarsa"))
        return str(dict(PermitStatus.choices).get(public_status, public_status))

    @staticmethod
    def public_status_of(status: str, valid_until) -> str:
        """The same, from the two columns (for lists read as plain rows)."""
        if status == PermitStatus.VALID and valid_until and valid_until < timezone.localdate():
            return "expired"
        return status

    @property
    def content(self) -> dict:
        version = self.current_version or self.versions.order_by("-version_no").first()
        return version.content if version else {}


# The allowed moves of ``Permit.status`` (issue 18: one transition mechanism). Audit rows are
# ``permit.<verb>``; rows written before the rename keep ``permit_<verb>``.
permit_machine = Machine(
    name="permit",
    model=Permit,
    moves={
        "sign": ({PermitStatus.AWAITING_SIGNATURE}, PermitStatus.VALID),
        # A permit may be frozen before its first signature completes (a sanction does not wait
        # for the signing worker); it then stays frozen when signed.
        "freeze": ({PermitStatus.VALID, PermitStatus.AWAITING_SIGNATURE}, PermitStatus.FROZEN),
        # One frozen before its first signature goes back to awaiting it (``target=``).
        "reactivate": ({PermitStatus.FROZEN}, PermitStatus.VALID),
        "revoke": ({PermitStatus.VALID, PermitStatus.FROZEN, PermitStatus.AWAITING_SIGNATURE}, PermitStatus.REVOKED),
        "supersede": ({PermitStatus.VALID, PermitStatus.FROZEN}, PermitStatus.SUPERSEDED),
    },
    labels={
        "sign": _("Dokumen ditandatangani secara elektronik"),
        "freeze": _("Perizinan dibekukan"),
        "reactivate": _("Perizinan diaktifkan kembali"),
        "revoke": _("Perizinan dicabut"),
        "supersede": _("Perizinan diganti"),
    },
)


class VersionState(models.TextChoices):
    AWAITING_SIGNATURE = "awaiting_signature", _("menunggu tanda tangan")
    SIGNED = "signed", _("ditandatangani")
    SUPERSEDED = "superseded", _("diganti versi baru")
    CANCELLED = "cancelled", _("dibatalkan")


class PermitVersion(models.Model):
    """One signed document of a permit. Once signed, its PDF never changes (DOC-06)."""

    permit = models.ForeignKey(Permit, on_delete=models.PROTECT, related_name="versions", verbose_name=_("perizinan"))
    version_no = models.PositiveIntegerField(_("versi"))
    state = models.CharField(
        _("keadaan"), max_length=20, choices=VersionState.choices, default=VersionState.AWAITING_SIGNATURE,
        db_index=True,
    )
    content = models.JSONField(_("isi dokumen"))
    issued_on = models.DateField(_("tanggal terbit"))
    reason = models.TextField(_("alasan perubahan"), blank=True)
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("penandatangan"),
    )
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by",
    )
    # Filled when signed.
    pdf_path = models.CharField(max_length=300, blank=True)
    sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    size = models.PositiveIntegerField(null=True, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    signer_name = models.CharField(max_length=200, blank=True)
    signer_position = models.CharField(max_length=200, blank=True)
    certificate_subject = models.CharField(max_length=300, blank=True)
    superseded_at = models.DateTimeField(null=True, blank=True)
    # The signing job (REL-06): a lease so that two workers never sign the same version, and
    # the last failure, visible to administrators.
    signing_attempts = models.PositiveIntegerField(default=0)
    signing_claimed_until = models.DateTimeField(null=True, blank=True)
    signing_next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    signing_error = models.TextField(_("galat penandatanganan"), blank=True)
    signing_failed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("dibuat pada"))

    class Meta:
        verbose_name = _("versi perizinan")
        verbose_name_plural = _("versi perizinan")
        ordering = ["permit", "version_no"]
        constraints = [
            models.UniqueConstraint(fields=["permit", "version_no"], name="permit_version_unique"),
        ]

    def __str__(self):
        return f"{self.permit.number} v{self.version_no}"


class PermitDownload(models.Model):
    """Every download of a signed PDF (DOC-06)."""

    version = models.ForeignKey(PermitVersion, on_delete=models.PROTECT, related_name="downloads", verbose_name=_("versi"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("pengguna"))
    role = models.CharField(max_length=30, verbose_name=_("peran"))
    at = models.DateTimeField(default=timezone.now)
    channel = models.CharField(max_length=10, default="web")

    class Meta:
        ordering = ["-at"]
        verbose_name = _("unduhan perizinan")
        verbose_name_plural = _("unduhan perizinan")


class InswEvent(models.TextChoices):
    ISSUED = "issued", _("terbit")
    AMENDED = "amended", _("diubah")
    FROZEN = "frozen", _("dibekukan")
    REACTIVATED = "reactivated", _("diaktifkan kembali")
    REVOKED = "revoked", _("dicabut")


class OutboxState(models.TextChoices):
    PENDING = "pending", _("menunggu")
    DELIVERED = "delivered", _("terkirim")
    FAILED = "failed", _("gagal (ditolak INSW)")


class InswOutboxEvent(models.Model):
    """A permit event for INSW (DOC-05), written in the transaction of the event itself.

    ``id`` is the delivery's ``Idempotency-Key``.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    permit = models.ForeignKey(Permit, on_delete=models.PROTECT, related_name="insw_events", verbose_name=_("perizinan"))
    event = models.CharField(max_length=20, choices=InswEvent.choices, verbose_name=_("peristiwa"))
    payload = models.JSONField()
    state = models.CharField(max_length=10, choices=OutboxState.choices, default=OutboxState.PENDING, db_index=True, verbose_name=_("keadaan"))
    attempts = models.PositiveIntegerField(default=0, verbose_name=_("jumlah percobaan"))
    next_attempt_at = models.DateTimeField(default=timezone.now, db_index=True, verbose_name=_("percobaan berikutnya"))
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True, verbose_name=_("galat terakhir"))
    last_status_code = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("kode status terakhir"))
    delivered_at = models.DateTimeField(null=True, blank=True, verbose_name=_("terkirim pada"))
    created_at = models.DateTimeField(default=timezone.now, db_index=True, verbose_name=_("dibuat pada"))

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("kiriman INSW")
        verbose_name_plural = _("kiriman INSW")

    def __str__(self):
        return f"{self.event} {self.permit_id} ({self.state})"


class InswDeliveryAttempt(models.Model):
    event = models.ForeignKey(InswOutboxEvent, on_delete=models.CASCADE, related_name="attempt_log")
    at = models.DateTimeField(default=timezone.now)
    status_code = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("percobaan pengiriman INSW")
        verbose_name_plural = _("percobaan pengiriman INSW")
        ordering = ["at"]

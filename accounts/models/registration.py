"""The Hak Akses registration (P123 Pasal 6, INSW registration manual): the registration, its
documents, its BAP and its field verification."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models.users import Company, JenisTrader, User
from inatrade.transitions import Machine


class JenisUsaha(models.TextChoices):
    """HA-02: the INSW 'Jenis Usaha' list (one or more)."""

    IMPORTIR = "importir", "Importir"
    EKSPORTIR = "eksportir", "Eksportir"
    PPJK = "ppjk", "PPJK"
    PENGANGKUT = "pengangkut", "Pengangkut"
    NVOCC = "nvocc", "NVOCC"
    TPS = "tps", "TPS"
    TPB = "tpb", "Penyelenggara/Pengusaha Tempat Penimbunan Berikat"
    KEK = "kek", "KEK"
    PJT = "pjt", "PJT"
    LAINNYA = "lainnya", "Pengguna Jasa Kepabeanan Lainnya"


class RegistrationPurpose(models.TextChoices):
    """HA-01 step 1 (INSW 5.1 "Informasi Permohonan"): what the access right is for."""

    IMPORT = "impor", _("Perizinan impor")
    EXPORT = "ekspor", _("Perizinan ekspor")
    BOTH = "ekspor_impor", _("Perizinan ekspor dan impor")


class IdentityKind(models.TextChoices):
    NIK = "nik", _("NIK")
    PASSPORT = "passport", _("Paspor")


class RegistrationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("menunggu validasi UPTP I")
    FIELD_VERIFICATION = "field_verification", _("verifikasi lapangan")
    VALIDATED = "validated", _("tervalidasi, menunggu keputusan Direktur")
    INVALID = "invalid", _("tidak valid, menunggu keputusan Direktur")
    APPROVED = "approved", _("disetujui")
    REJECTED = "rejected", _("ditolak")


OPEN_REGISTRATION_STATUSES = (
    RegistrationStatus.SUBMITTED,
    RegistrationStatus.FIELD_VERIFICATION,
    RegistrationStatus.VALIDATED,
    RegistrationStatus.INVALID,
)


class ActingCapacity(models.TextChoices):
    """HA-07 (P123 Pasal 5): the post in which a director decides on an access right."""

    DIRECTOR_FEI = "dir_fei", _("Direktur Fasilitasi Ekspor dan Impor (Pasal 5 ayat (1))")
    DIRECTOR_AGRI = "dir_ekspor_pertanian", _(
        "Direktur Ekspor Produk Pertanian dan Kehutanan, bertindak atas nama Direktur Fasilitasi Ekspor dan Impor (Pasal 5 ayat (2) huruf a)"
    )
    DIRECTOR_INDUSTRY = "dir_ekspor_industri", _(
        "Direktur Ekspor Produk Industri dan Pertambangan, bertindak atas nama Direktur Fasilitasi Ekspor dan Impor (Pasal 5 ayat (2) huruf b)"
    )
    DIRECTOR_IMPORT = "dir_impor", _(
        "Direktur Impor, bertindak atas nama Direktur Fasilitasi Ekspor dan Impor (Pasal 5 ayat (2) huruf c)"
    )


class Registration(models.Model):
    """An online Hak Akses registration (HA-01…HA-08), from submission to the decision."""

    reference = models.CharField(_("nomor registrasi"), max_length=20, unique=True, null=True, blank=True)
    # The applicant's secret link to the status page and the registration document (HA-05).
    access_key = models.CharField(max_length=64, unique=True, editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=RegistrationStatus.choices, default=RegistrationStatus.SUBMITTED, db_index=True
    )
    language = models.CharField(_("bahasa"), max_length=5, default="id")

    # Step 1: request information
    purpose = models.CharField(_("keperluan"), max_length=20, choices=RegistrationPurpose.choices)
    jenis_trader = models.CharField(_("jenis trader"), max_length=40, choices=JenisTrader.choices)
    # Step 2: organisation
    company_name = models.CharField(_("nama perusahaan / organisasi"), max_length=200)
    nib = models.CharField(_("NIB"), max_length=13, blank=True)
    npwp = models.CharField(_("NPWP"), max_length=16, blank=True, db_index=True)
    jenis_usaha = models.JSONField(_("jenis usaha"), default=list)
    tdp_number = models.CharField(_("nomor TDP"), max_length=30, blank=True)
    address = models.TextField(_("alamat"))
    # API-03/API-05: the Kab/Kota of domicile (Kemendagri code), chosen from the reference
    # table; on approval it gives the company its regency and province codes. Blank only on
    # registrations made before it was asked.
    regency_code = models.CharField(_("kode kabupaten/kota"), max_length=4, blank=True)
    # The Kab/Kota's name when submitted (free text on registrations made before).
    city = models.CharField(_("kabupaten/kota"), max_length=100)
    company_email = models.EmailField(_("email perusahaan"))
    company_phone = models.CharField(_("telepon perusahaan"), max_length=30)
    # Step 3: applicant (the person in charge)
    applicant_name = models.CharField(_("nama penanggung jawab"), max_length=200)
    applicant_position = models.CharField(_("jabatan"), max_length=200)
    identity_kind = models.CharField(_("jenis identitas"), max_length=10, choices=IdentityKind.choices)
    identity_number = models.CharField(_("nomor identitas"), max_length=16)
    applicant_email = models.EmailField(_("email penanggung jawab"))
    applicant_phone = models.CharField(_("telepon penanggung jawab"), max_length=30)
    # Step 4: confirmation
    terms_accepted_at = models.DateTimeField(_("ketentuan disetujui"))

    submitted_at = models.DateTimeField(_("diajukan"), default=timezone.now)
    document_path = models.CharField(max_length=255, blank=True, editable=False)
    document_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    # SLA-04 / P123 Pasal 6(4): 2 working days from the documents received complete and correct.
    documents_complete_at = models.DateTimeField(_("dokumen lengkap"), null=True, blank=True)
    due_date = models.DateField(_("batas waktu"), null=True, blank=True, db_index=True)

    field_verifier = models.ForeignKey(
        "User", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("verifikator lapangan")
    )

    decided_at = models.DateTimeField(_("diputuskan"), null=True, blank=True)
    decided_by = models.ForeignKey(
        "User", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("diputuskan oleh")
    )
    acting_capacity = models.CharField(_("kapasitas"), max_length=30, choices=ActingCapacity.choices, blank=True)
    decision_reason = models.TextField(_("alasan"), blank=True)

    company = models.ForeignKey(
        Company, null=True, blank=True, on_delete=models.PROTECT, related_name="registrations", verbose_name=_("pelaku usaha")
    )
    user = models.ForeignKey(
        "User", null=True, blank=True, on_delete=models.PROTECT, related_name="registrations", verbose_name=_("pengguna")
    )
    # HA-14 (P123 Pasal 16): a re-registration after revocation points at the old record.
    previous_registration = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reregistrations",
        verbose_name=_("registrasi sebelumnya"),
    )
    previous_company = models.ForeignKey(
        Company, null=True, blank=True, on_delete=models.PROTECT, related_name="reregistrations",
        verbose_name=_("pelaku usaha yang dicabut"),
    )

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("registrasi hak akses")
        verbose_name_plural = _("registrasi hak akses")

    def __str__(self):
        return f"{self.reference or '—'} · {self.company_name}"

    @property
    def npwp_formatted(self) -> str:
        return Company(npwp=self.npwp).npwp_formatted if self.npwp else "-"

    @property
    def place_name(self) -> str:
        """The Kab/Kota as a place, for "<place>, <date>": "Badung", not "Kabupaten Badung"."""
        for prefix in ("Kabupaten Administrasi ", "Kota Administrasi ", "Kabupaten ", "Kota "):
            if self.city.startswith(prefix):
                return self.city[len(prefix):]
        return self.city

    def jenis_usaha_labels(self) -> list[str]:
        labels = dict(JenisUsaha.choices)
        return [str(labels.get(code, code)) for code in self.jenis_usaha]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_REGISTRATION_STATUSES


# The allowed moves of Registration.status (issue 18; style.md habit 2). Each service names
# its verb; the machine refuses any other move with 409 ``invalid_transition``.
REGISTRATION = Machine(
    name="registration",
    model=Registration,
    moves={
        # P123 Pasal 6(3): the director may order a field verification before validation.
        "assign_field_verifier": ((RegistrationStatus.SUBMITTED,), RegistrationStatus.FIELD_VERIFICATION),
        # The verifier's result sends the registration back to the counter for validation.
        "record_field_verification": ((RegistrationStatus.FIELD_VERIFICATION,), RegistrationStatus.SUBMITTED),
        # P123 Pasal 6(2): the UPTP I officer validates against the originals and signs a BAP:
        # ``validated``, or ``invalid`` when the BAP says so (the service passes that target).
        "validate": ((RegistrationStatus.SUBMITTED,), RegistrationStatus.VALIDATED),
        # P123 Pasal 5: the director (or a delegate) decides.
        "approve": ((RegistrationStatus.VALIDATED,), RegistrationStatus.APPROVED),
        "reject": (
            (RegistrationStatus.SUBMITTED, RegistrationStatus.VALIDATED, RegistrationStatus.INVALID),
            RegistrationStatus.REJECTED,
        ),
    },
    labels={
        "submit": _("Registrasi diajukan"),
        "assign_field_verifier": _("Verifikasi lapangan ditugaskan"),
        "record_field_verification": _("Hasil verifikasi lapangan dicatat"),
        "validate": _("Validasi UPTP I dan BAP"),
        "approve": _("Hak Akses disetujui"),
        "reject": _("Registrasi ditolak"),
    },
)


class DocumentKind(models.TextChoices):
    """HA-03: the uploads of P123 Pasal 6(1)a and the INSW power of attorney."""

    BUSINESS_LICENCE = "business_licence", _("Izin usaha (SIUP / izin usaha kementerian teknis)")
    TDP = "tdp", _("Tanda Daftar Perusahaan (TDP)")
    NPWP_CARD = "npwp_card", _("NPWP")
    POWER_OF_ATTORNEY = "power_of_attorney", _("Surat kuasa")


class RegistrationDocument(models.Model):
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("jenis dokumen"), max_length=20, choices=DocumentKind.choices)
    path = models.CharField(max_length=255, editable=False)
    sha256 = models.CharField(max_length=64, editable=False)
    filename = models.CharField(_("nama berkas"), max_length=200)
    size = models.PositiveIntegerField(_("ukuran"))

    class Meta:
        ordering = ["registration", "kind"]
        constraints = [models.UniqueConstraint(fields=["registration", "kind"], name="one_document_per_kind")]
        verbose_name = _("dokumen registrasi")
        verbose_name_plural = _("dokumen registrasi")

    def __str__(self):
        return f"{self.get_kind_display()} · {self.filename}"


class BapResult(models.TextChoices):
    VALID = "valid", _("valid, sesuai dokumen asli")
    INVALID = "invalid", _("tidak valid")


class Bap(models.Model):
    """HA-06: the Berita Acara Pemeriksaan of the UPTP I validation (P123 Pasal 6(2))."""

    registration = models.OneToOneField(Registration, on_delete=models.PROTECT, related_name="bap")
    number = models.CharField(_("nomor BAP"), max_length=30, unique=True)
    result = models.CharField(_("hasil"), max_length=10, choices=BapResult.choices)
    notes = models.TextField(_("catatan"), blank=True)
    officer = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("petugas"))
    validated_at = models.DateTimeField(_("tanggal validasi"), default=timezone.now)
    pdf_path = models.CharField(max_length=255, blank=True, editable=False)
    pdf_sha256 = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["-validated_at"]
        verbose_name = _("BAP validasi")
        verbose_name_plural = _("BAP validasi")

    def __str__(self):
        return self.number


class FieldVerificationResult(models.TextChoices):
    CONFIRMED = "confirmed", _("data sesuai")
    UNTRUE = "untrue", _("ditemukan data tidak benar")


class FieldVerification(models.Model):
    """HA-06 (P123 Pasal 6(3)): a field verification ordered by the director."""

    registration = models.ForeignKey(Registration, on_delete=models.PROTECT, related_name="field_verifications")
    verifier = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("verifikator"))
    assigned_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("ditugaskan oleh"))
    assigned_at = models.DateTimeField(_("ditugaskan"), default=timezone.now)
    instructions = models.TextField(_("instruksi"), blank=True)
    result = models.CharField(_("hasil"), max_length=10, choices=FieldVerificationResult.choices, blank=True)
    notes = models.TextField(_("catatan"), blank=True)
    recorded_at = models.DateTimeField(_("hasil dicatat"), null=True, blank=True)

    class Meta:
        ordering = ["-assigned_at"]
        verbose_name = _("verifikasi lapangan")
        verbose_name_plural = _("verifikasi lapangan")

    def __str__(self):
        return f"{self.registration} · {self.verifier}"


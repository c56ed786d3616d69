"""Browser forms of the accounts app. They check the shape of the input only; every rule
lives in the services (accounts/rules.py for HA-02), whose errors are shown beside the fields."""

import re

from django import forms
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

from accounts.models import (
    ActingCapacity,
    BapResult,
    DocumentKind,
    FieldVerificationResult,
    IdentityKind,
    JenisTrader,
    JenisUsaha,
    RegistrationPurpose,
    RevocationReason,
    Role,
    User,
)
from reference.selectors import regency_choices

STEPS = [
    # HA-01: the four steps of the INSW manual (5.1 … 5.4)
    (_("1. Informasi permohonan"), ["purpose", "jenis_trader"]),
    (
        _("2. Data organisasi"),
        ["company_name", "nib", "no_nib", "npwp", "no_npwp", "jenis_usaha", "tdp_number", "address", "regency_code",
         "company_email", "company_phone", "business_licence", "tdp", "npwp_card"],
    ),
    (
        _("3. Data pemohon"),
        ["applicant_name", "applicant_position", "identity_kind", "identity_number", "applicant_email",
         "applicant_phone", "power_of_attorney"],
    ),
    (_("4. Konfirmasi"), ["terms_accepted"]),
]

_PDF = {"accept": "application/pdf,.pdf"}


def regency_options() -> list[tuple[str, str]]:
    """API-03/API-05: the 514 Kab/Kota as datalist entries (value, province), one query."""
    return [(label, province) for province, entries in regency_choices() for _code, label in entries]


_CODE_IN_TEXT = re.compile(r"(?<!\d)(\d{2})[.\s]?(\d{2})(?!\d)")


def regency_code_from_text(text: str) -> str:
    """The Kemendagri code in "Kota Administrasi Jakarta Selatan (3174)", "31.74" or "3174";
    else the code of the one Kab/Kota with exactly that name; else the text as typed (the
    service then says it is unknown)."""
    text = text.strip()
    match = _CODE_IN_TEXT.search(text)
    if match:
        return match.group(1) + match.group(2)
    if text:
        from reference.models import Regency

        codes = list(Regency.objects.filter(name__iexact=text).values_list("code", flat=True)[:2])
        if len(codes) == 1:
            return codes[0]
    return text


class RegistrationForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Keperluan"), choices=[("", "—")] + RegistrationPurpose.choices, required=False)
    jenis_trader = forms.ChoiceField(label=_("Jenis trader"), choices=[("", "—")] + JenisTrader.choices, required=False)
    company_name = forms.CharField(label=_("Nama perusahaan / organisasi"), max_length=200, required=False)
    nib = forms.CharField(label=_("NIB"), max_length=20, required=False, help_text=_("13 digit, dari OSS."),
                          widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    no_nib = forms.BooleanField(label=_("Tidak memiliki NIB (Yayasan, Kedutaan Asing, Perseorangan, Kementerian/Lembaga/Daerah)"), required=False)
    npwp = forms.CharField(label=_("NPWP"), max_length=25, required=False,
                           help_text=_("15 digit (99.999.999.9-999.999) atau 16 digit."))
    no_npwp = forms.BooleanField(label=_("Tidak memiliki NPWP (Yayasan, Kedutaan Asing, Perseorangan)"), required=False)
    jenis_usaha = forms.MultipleChoiceField(
        label=_("Jenis usaha"), choices=JenisUsaha.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    tdp_number = forms.CharField(label=_("Nomor TDP"), max_length=30, required=False)
    address = forms.CharField(label=_("Alamat"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    # A text field with the 514 Kab/Kota as a <datalist>: the browser filters the list as one
    # types, without any script (issue 17). The field keeps the Kemendagri code found in what
    # was typed or chosen; the service checks it (one message for the form and the API).
    regency_code = forms.CharField(
        label=_("Kabupaten/Kota domisili"), required=False, max_length=200,
        help_text=_("Ketik nama atau kode Kemendagri lalu pilih dari daftar, mis. Jakarta Selatan atau 3174. "
                    "Tempat kedudukan perusahaan menentukan Dinas Provinsi penerbit API dan kode wilayah nomor API."),
        widget=forms.TextInput(attrs={"list": "regency-options", "autocomplete": "off"}),
    )
    company_email = forms.CharField(label=_("Email perusahaan"), max_length=254, required=False,
                                    widget=forms.EmailInput)
    company_phone = forms.CharField(label=_("Telepon perusahaan"), max_length=30, required=False)
    business_licence = forms.FileField(label=DocumentKind.BUSINESS_LICENCE.label, required=False,
                                       help_text=_("PDF berwarna sesuai asli."), widget=forms.ClearableFileInput(attrs=_PDF))
    tdp = forms.FileField(label=DocumentKind.TDP.label, required=False, help_text=_("PDF."),
                          widget=forms.ClearableFileInput(attrs=_PDF))
    npwp_card = forms.FileField(label=DocumentKind.NPWP_CARD.label, required=False, help_text=_("PDF."),
                                widget=forms.ClearableFileInput(attrs=_PDF))
    applicant_name = forms.CharField(label=_("Nama penanggung jawab"), max_length=200, required=False)
    applicant_position = forms.CharField(label=_("Jabatan"), max_length=200, required=False)
    identity_kind = forms.ChoiceField(label=_("Jenis identitas"), choices=IdentityKind.choices, required=False,
                                      initial=IdentityKind.NIK, widget=forms.RadioSelect)
    identity_number = forms.CharField(label=_("NIK / nomor paspor"), max_length=20, required=False,
                                      help_text=_("NIK 16 digit, atau paspor 8–10 huruf/angka."))
    applicant_email = forms.CharField(label=_("Email penanggung jawab"), max_length=254, required=False,
                                      widget=forms.EmailInput, help_text=_("ID pengguna dan tautan kata sandi dikirim ke alamat ini."))
    applicant_phone = forms.CharField(label=_("Telepon penanggung jawab"), max_length=30, required=False)
    power_of_attorney = forms.FileField(label=DocumentKind.POWER_OF_ATTORNEY.label, required=False,
                                        help_text=_("Surat kuasa dari perusahaan kepada pendaftar, PDF maks. 1 MB."),
                                        widget=forms.ClearableFileInput(attrs=_PDF))
    terms_accepted = forms.BooleanField(
        label=_("Saya telah membaca dan menyetujui Ketentuan Penggunaan INATRADE dan syarat registrasi."), required=False
    )

    FILE_FIELDS = ("business_licence", "tdp", "npwp_card", "power_of_attorney")

    def clean_regency_code(self):
        return regency_code_from_text(self.cleaned_data.get("regency_code") or "")

    def steps(self):
        return [(title, [self[name] for name in names]) for title, names in STEPS]

    def service_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in self.FILE_FIELDS}

    def add_service_errors(self, fields: dict) -> None:
        for field, messages in fields.items():
            for message in messages:
                self.add_error(field if field in self.fields else None, message)


class ValidateForm(forms.Form):
    result = forms.ChoiceField(label=_("Hasil validasi"), choices=BapResult.choices, widget=forms.RadioSelect)
    notes = forms.CharField(label=_("Catatan BAP"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class AssignVerifierForm(forms.Form):
    verifier = forms.ModelChoiceField(
        label=_("Verifikator lapangan"),
        queryset=User.objects.filter(role=Role.FIELD_VERIFIER, is_active=True, access_status="active"),
    )
    instructions = forms.CharField(label=_("Instruksi"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class FieldResultForm(forms.Form):
    result = forms.ChoiceField(label=_("Hasil verifikasi lapangan"), choices=FieldVerificationResult.choices, widget=forms.RadioSelect)
    notes = forms.CharField(label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class DecisionForm(forms.Form):
    capacity = forms.ChoiceField(label=_("Bertindak sebagai"), choices=ActingCapacity.choices, initial=ActingCapacity.DIRECTOR_FEI)
    reason = forms.CharField(label=_("Alasan / catatan"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class RevokeForm(forms.Form):
    reason_code = forms.ChoiceField(label=_("Alasan pencabutan"), choices=RevocationReason.choices)
    note = forms.CharField(label=_("Keterangan"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class PasswordErrorsBesideThePassword:
    """Django puts what is wrong with a new password ("too similar to your user id", "too
    short") under the confirmation field; it belongs under the password itself. A mismatch
    stays under the confirmation."""

    def clean(self):
        self.validate_passwords("new_password1", "new_password2")
        self.validate_password_for_user(self.user, "new_password1")
        return forms.Form.clean(self)


class InitialPasswordForm(PasswordErrorsBesideThePassword, SetPasswordForm):
    """HA-09: Django's validators plus the character classes (settings.AUTH_PASSWORD_VALIDATORS)."""


class LoginForm(AuthenticationForm):
    """Django's sign-in form in the portal's words: its own message reads "Masukkan nama
    pengguna nama pengguna …" in Indonesian (the field's name put into a sentence that
    already names it)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("ID pengguna atau kata sandi salah. Perhatikan huruf besar dan kecil."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("ID pengguna")


# ------------------------------------------------------------------ lost credentials (HA-10)
class PasswordResetRequestForm(forms.Form):
    """Django's PasswordResetView drives it; ``save`` hands the address to the service, which
    sends through the outbox after commit and tells nobody whether an account matched."""

    email = forms.EmailField(label=_("Alamat e-mail terdaftar"), max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))

    def save(self, **kwargs):
        from accounts import services

        services.user_password_reset_request(email=self.cleaned_data["email"])


class PasswordResetSetForm(SetPasswordForm):
    """The new password of a reset: the same validators (HA-09), saved by the service."""

    def save(self, commit=True):
        from accounts import services

        services.user_password_change(user=self.user, new_password=self.cleaned_data["new_password1"])
        return self.user


class LostCredentialsForm(forms.Form):
    """HA-10 for someone who cannot log in: both the user id and the registered e-mail."""

    username = forms.CharField(label=_("ID pengguna"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "username"}))
    email = forms.EmailField(label=_("Alamat e-mail terdaftar"), max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))

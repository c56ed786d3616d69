"""HA-02 field rules of the Hak Akses registration (INSW registration manual, 4.1.1 and 5.x).

Pure functions: ``registration_field_errors(data, regency=...)`` returns ``{field: [message, ...]}``
and is called by the registration service, whatever the interface (browser form or API). The
service looks the Kab/Kota code up (the reference app's table) and passes what it found.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from accounts.models import IdentityKind, JenisTrader, JenisUsaha, RegistrationPurpose
from inatrade.text import is_digits

if TYPE_CHECKING:
    from reference.models import Regency

# INSW 4.1.1: NIB and NPWP are required ("*") except for these kinds of trader.
NO_NIB_ALLOWED = frozenset(
    {JenisTrader.YAYASAN, JenisTrader.KEDUTAAN, JenisTrader.PERSEORANGAN, JenisTrader.KL_DAERAH}
)
NO_NPWP_ALLOWED = frozenset({JenisTrader.YAYASAN, JenisTrader.KEDUTAAN, JenisTrader.PERSEORANGAN})
# P123 Pasal 6(1)a asks business licence and TDP of a business (Pelaku Usaha); organisations
# that need no NIB have neither.
LICENCE_REQUIRED = frozenset(JenisTrader.values) - NO_NIB_ALLOWED

_DIGITS = re.compile(r"\D", re.ASCII)  # keeps 0-9 only, not other scripts' digits
_PASSPORT = re.compile(r"^[A-Za-z0-9]{8,10}$")
_PHONE = re.compile(r"^\+?[0-9][0-9 ()\-]{5,24}$")
_CODE_SEPARATORS = re.compile(r"[\s.]")


def digits_only(value: str) -> str:
    return _DIGITS.sub("", value or "")


def luhn_ok(number: str) -> bool:
    """The Luhn (mod 10) check over ``number``, its last digit being the check digit."""
    total = 0
    for index, char in enumerate(reversed(number)):
        digit = int(char)
        if index % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def npwp_error(npwp: str) -> str | None:
    """HA-02: 15 digits whose first 9 pass the Luhn check, or 16 digits (from 2024)."""
    if len(npwp) == 16:
        return None
    if len(npwp) != 15:
        return _("NPWP harus 15 digit (99.999.999.9-999.999) atau 16 digit.")
    if not luhn_ok(npwp[:9]):
        return _("NPWP tidak valid: digit pemeriksa (digit ke-9) tidak sesuai.")
    return None


def _as_bool(value) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "on", "yes", "ya"}
    return bool(value)


def normalise(data: dict) -> dict:
    """The registration fields cleaned of formatting (dots and dashes in numbers, spaces)."""
    out = {key: (value.strip() if isinstance(value, str) else value) for key, value in data.items()}
    out["nib"] = digits_only(out.get("nib", ""))
    out["npwp"] = digits_only(out.get("npwp", ""))
    # Kemendagri codes are often written "31.74".
    out["regency_code"] = _CODE_SEPARATORS.sub("", str(out.get("regency_code") or ""))
    out["no_nib"] = _as_bool(out.get("no_nib", False))
    out["no_npwp"] = _as_bool(out.get("no_npwp", False))
    out["terms_accepted"] = _as_bool(out.get("terms_accepted", False))
    usaha = out.get("jenis_usaha") or []
    if isinstance(usaha, str):
        usaha = [part.strip() for part in usaha.split(",") if part.strip()]
    out["jenis_usaha"] = list(dict.fromkeys(usaha))
    number = (out.get("identity_number") or "").replace(" ", "")
    out["identity_number"] = number if out.get("identity_kind") == IdentityKind.NIK else number.upper()
    return out


def registration_field_errors(data: dict, *, regency: Regency | None) -> dict[str, list[str]]:
    """Every HA-02 / HA-04 rule over normalised ``data``; an empty dict when all pass.

    ``regency`` is the Kab/Kota of ``data["regency_code"]`` in the reference table, or None
    when the code is blank or unknown."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    required = {
        "company_name": _("Nama perusahaan / organisasi wajib diisi."),
        "address": _("Alamat wajib diisi."),
        "applicant_name": _("Nama penanggung jawab wajib diisi."),
        "applicant_position": _("Jabatan penanggung jawab wajib diisi."),
    }
    for field, message in required.items():
        if not data.get(field):
            add(field, message)

    # API-03/API-05: the Kab/Kota of domicile decides the API issuer and the number's region.
    if not data.get("regency_code"):
        add("regency_code", _("Pilih kabupaten/kota domisili perusahaan."))
    elif regency is None:
        add("regency_code", _("Kabupaten/kota tidak dikenal: pilih dari daftar (kode Kemendagri 4 digit, mis. 3174)."))

    if data.get("purpose") not in RegistrationPurpose.values:
        add("purpose", _("Pilih keperluan permohonan."))

    jenis = data.get("jenis_trader")
    if jenis not in JenisTrader.values:
        add("jenis_trader", _("Pilih jenis trader dari daftar."))

    # NIB: exactly 13 digits; "no NIB" only for the exempt kinds (INSW 4.1.1).
    if data.get("no_nib"):
        if jenis in JenisTrader.values and jenis not in NO_NIB_ALLOWED:
            add("nib", _("NIB wajib untuk jenis trader ini; tanpa NIB hanya untuk Yayasan, Kedutaan Asing, Perseorangan dan Kementerian/Lembaga/Daerah."))
    elif not data.get("nib"):
        add("nib", _("NIB wajib diisi (13 digit)."))
    elif len(data["nib"]) != 13:
        add("nib", _("NIB harus tepat 13 digit."))

    # NPWP: 15 digits with the Luhn check over the first 9, or 16 digits.
    if data.get("no_npwp"):
        if jenis in JenisTrader.values and jenis not in NO_NPWP_ALLOWED:
            add("npwp", _("NPWP wajib untuk jenis trader ini; tanpa NPWP hanya untuk Yayasan, Kedutaan Asing dan Perseorangan."))
    elif not data.get("npwp"):
        add("npwp", _("NPWP wajib diisi."))
    else:
        message = npwp_error(data["npwp"])
        if message:
            add("npwp", message)

    usaha = data.get("jenis_usaha") or []
    if not usaha:
        add("jenis_usaha", _("Pilih sedikitnya satu jenis usaha."))
    elif any(code not in JenisUsaha.values for code in usaha):
        add("jenis_usaha", _("Jenis usaha tidak dikenal."))

    kind = data.get("identity_kind")
    number = data.get("identity_number") or ""
    if kind == IdentityKind.NIK:
        if not (len(number) == 16 and is_digits(number)):
            add("identity_number", _("NIK harus tepat 16 digit angka."))
    elif kind == IdentityKind.PASSPORT:
        if not _PASSPORT.match(number):
            add("identity_number", _("Nomor paspor harus 8–10 huruf dan/atau angka."))
    else:
        add("identity_kind", _("Pilih NIK atau paspor."))

    for field in ("company_email", "applicant_email"):
        value = data.get(field) or ""
        if not value:
            add(field, _("Email wajib diisi."))
            continue
        try:
            validate_email(value)
        except ValidationError:
            add(field, _("Alamat email tidak valid."))
    for field in ("company_phone", "applicant_phone"):
        value = data.get(field) or ""
        if not value:
            add(field, _("Nomor telepon wajib diisi."))
        elif not _PHONE.match(value) or len(digits_only(value)) < 6:
            add(field, _("Nomor telepon tidak valid (angka, boleh diawali +)."))

    # HA-04: the terms of P123 Lampiran III and INSW 4.1.2 must be accepted.
    if not data.get("terms_accepted"):
        add("terms_accepted", _("Anda harus menyetujui syarat dan ketentuan untuk mengirim registrasi."))
    return errors

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class CharacterClassValidator:
    """HA-09: at least one capital letter, one digit and one symbol."""

    def validate(self, password, user=None):
        errors = []
        if not re.search(r"[A-Z]", password):
            errors.append(ValidationError(_("Kata sandi Anda harus memuat setidaknya satu huruf kapital."), code="password_no_upper"))
        if not re.search(r"\d", password):
            errors.append(ValidationError(_("Kata sandi Anda harus memuat setidaknya satu angka."), code="password_no_digit"))
        if not re.search(r"[^A-Za-z0-9]", password):
            errors.append(ValidationError(_("Kata sandi Anda harus memuat setidaknya satu simbol."), code="password_no_symbol"))
        if errors:
            raise ValidationError(errors)

    def get_help_text(self):
        return _("Kata sandi Anda harus memuat huruf kapital, angka dan simbol.")

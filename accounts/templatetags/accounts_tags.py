"""Labels for the timeline of a registration (AUD-02): audit actions and roles in words."""

from django import template
from django.utils.translation import gettext_lazy as _

from accounts.models import Role

register = template.Library()

ACTION_LABELS = {
    "registration_submitted": _("Registrasi diajukan"),
    "field_verification_assigned": _("Verifikasi lapangan ditugaskan"),
    "field_verification_recorded": _("Hasil verifikasi lapangan dicatat"),
    "registration_validated": _("Validasi UPTP I dan BAP"),
    "registration_approved": _("Hak Akses disetujui"),
    "registration_rejected": _("Registrasi ditolak"),
}


@register.filter
def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


@register.filter
def role_label(role: str) -> str:
    if role == "system" or not role:
        return str(_("sistem"))
    return str(dict(Role.choices).get(role, role))

"""The navigation of the base layout, by role."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Role

# (label, url name, roles allowed; None = every signed-in user). Apps add their pages here
# as they land; a link appears only for the roles its view admits.
NAVIGATION = [
    (_("Beranda"), "dashboard", None),
    (_("Dokumentasi API"), "api-docs", None),
    (_("Administrasi"), "admin:index", {Role.ADMINISTRATOR}),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = [
        {"label": label, "url": reverse(name)}
        for label, name, roles in NAVIGATION
        if roles is None or user.role in roles
    ]
    return {"nav_items": items}

"""The navigation of the base layout, by role.

Core knows no roles and no feature app: the entries are registered by the apps
(``register_navigation``, from an AppConfig.ready), in the order they are registered.
"""

from django.urls import reverse

# (label, url name, roles allowed; None = every signed-in user). A link appears only for the
# roles its view admits.
NAVIGATION: list[tuple] = []


def register_navigation(entries) -> None:
    """Add ``(label, url name, roles or None)`` entries; one url name appears once."""
    known = {name for _label, name, _roles in NAVIGATION}
    NAVIGATION.extend(entry for entry in entries if entry[1] not in known)


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    role = getattr(user, "role", None)
    items = [{"label": label, "url": reverse(name)} for label, name, roles in NAVIGATION if roles is None or role in roles]
    return {"nav_items": items}

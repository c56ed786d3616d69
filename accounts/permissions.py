"""Access declared on every view: role checks for DRF views and HTML views."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission

from accounts.models import Role


def has_role(user, *roles: str) -> bool:
    return bool(user and user.is_authenticated and user.has_active_access and user.role in roles)


def role_permission(*roles: str) -> type[BasePermission]:
    """A DRF permission class admitting authenticated users with one of ``roles``."""

    class _HasRole(BasePermission):
        message = "Peran Anda tidak diizinkan melakukan tindakan ini."

        def has_permission(self, request, view):
            return has_role(request.user, *roles)

    _HasRole.__name__ = "HasRole_" + "_".join(roles)
    return _HasRole


IsImporter = role_permission(Role.IMPORTER)
IsAdministrator = role_permission(Role.ADMINISTRATOR)


def role_required(*roles: str):
    """Decorator for HTML views: anonymous users go to the login page, others get 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_role(request.user, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.allowed_roles = frozenset(roles)
        return wrapper

    return decorator

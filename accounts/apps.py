from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Hak Akses dan pengguna")

    def ready(self):
        from accounts import registration, signals  # noqa: F401
        from accounts.audit_actions import ACTION_LABELS
        from accounts.models import Role
        from accounts.navigation import NAVIGATION
        from inatrade import audit_labels, context_processors

        audit_labels.register(ACTION_LABELS)
        audit_labels.register_roles(Role.choices)
        context_processors.register_navigation(NAVIGATION)
        registration.register()

from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

# Each app seeds its own demo data in <app>/demo.py (idempotent); order matters.
DEMO_APPS = ["accounts", "permits", "api_registry", "sugar_import", "workspace"]


class Command(BaseCommand):
    help = "Create demo data: one user of every role, companies, and each app's cases. Idempotent."

    def handle(self, *args, **options):
        logins = []
        for app in DEMO_APPS:
            try:
                module = import_module(f"{app}.demo")
            except ModuleNotFoundError:
                continue
            with transaction.atomic():
                logins += module.seed(self.stdout) or []
        self.stdout.write(self.style.SUCCESS("Demo data ready. Logins (user id / password / role):"))
        width = max(len(u) for u, _, _ in logins) if logins else 8
        for username, password, label in logins:
            self.stdout.write(f"  {username:<{width}}  {password}  {label}")

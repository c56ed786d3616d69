from django.core.management.base import BaseCommand
from django.db import transaction

from inatrade.registry import demos


class Command(BaseCommand):
    help = "Create demo data: one user of every role, companies, and each app's cases. Idempotent."

    def handle(self, *args, **options):
        # Each app registers its demo builder (inatrade.registry.demo, idempotent), in order.
        logins = []
        for demo in demos():
            with transaction.atomic():
                logins += demo.seed(self.stdout) or []
        self.stdout.write(self.style.SUCCESS("Demo data ready. Logins (user id / password / role):"))
        width = max(len(u) for u, _, _ in logins) if logins else 8
        for username, password, label in logins:
            self.stdout.write(f"  {username:<{width}}  {password}  {label}")

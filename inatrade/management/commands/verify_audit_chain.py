from django.core.management.base import BaseCommand, CommandError

from inatrade.audit import verify_audit_chain


class Command(BaseCommand):
    help = "Recompute the audit log's hash chain (AUD-01) and report the first broken row."

    def handle(self, *args, **options):
        report = verify_audit_chain()
        if not report.ok:
            raise CommandError(f"Audit chain BROKEN at row #{report.first_broken_seq}: {report.problem}")
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {report.checked} rows verified."))

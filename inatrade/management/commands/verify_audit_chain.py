from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from inatrade.audit import Anchor, anchor_file, read_anchors, verify_audit_chain


class Command(BaseCommand):
    help = ("Recompute the audit log's keyed hash chain (AUD-01, SEC-06), report the first broken row, and compare "
            "the chain with the anchors kept outside the database (the anchor file, and any --anchor).")

    def add_arguments(self, parser):
        parser.add_argument("--anchors", type=Path, default=None,
                            help="a file of anchors (one JSON line each); default settings.AUDIT_ANCHOR_FILE")
        parser.add_argument("--anchor", action="append", default=[],
                            help='one anchor line as e-mailed to the administrators: {"date":…,"seq":…,"hash":…,"mac":…}')

    def handle(self, *args, **options):
        import json

        anchors = read_anchors(options["anchors"] or anchor_file())
        for line in options["anchor"]:
            item = json.loads(line)
            anchors.append(Anchor(day=item["date"], seq=int(item["seq"]), hash=item["hash"], mac=item.get("mac", "")))
        report = verify_audit_chain(anchors=anchors)
        if not report.ok:
            raise CommandError(f"Audit chain BROKEN at row #{report.first_broken_seq}: {report.problem}")
        self.stdout.write(self.style.SUCCESS(
            f"Audit chain intact: {report.checked} rows verified, {report.anchors_checked} anchors matched."))

"""The one command that checks a deployment's readiness (issue 19, README "Scaling out").

Runs the checks of ``/readyz`` (inatrade/readiness.py) with this node's environment: database,
pending migrations, Redis, broker, cache, object store. Prints one line per check (or JSON with
``--json``) and exits 1 when any fails, so it fits a deploy script or a container healthcheck.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from inatrade.readiness import run_checks


class Command(BaseCommand):
    help = "Check that this node is ready: database, migrations, Redis, broker, cache, object store."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print the /readyz body")

    def handle(self, *args, json: bool = False, **options):  # noqa: A002
        body = run_checks()
        if json:
            self.stdout.write(_dumps(body))
        else:
            for name, result in body["checks"].items():
                mark = "ok  " if result["ok"] else "FAIL"
                self.stdout.write(f"{mark} {name}: {result['detail']}")
        if body["failing"]:
            raise CommandError("not ready: " + ", ".join(body["failing"]))
        if not json:
            self.stdout.write(self.style.SUCCESS(f"ready ({body['storage_backend']})"))


def _dumps(body) -> str:
    return json.dumps(body, indent=2)

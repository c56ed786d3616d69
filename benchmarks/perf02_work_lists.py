"""PERF-02: the officers' work list and the importer's lists of applications and permits
(HTML and API) at 100 and at 100,000 rows: the number of SQL queries must be the same at both
sizes (and <= 15) and the median time at 100,000 at most 1.5x the median at 100.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/inatrade_wl \\
        .venv/bin/python benchmarks/perf02_work_lists.py [--runs 30] [--large 100000]

The database named in DATABASE_URL is wiped (its public schema dropped) and migrated: give it
a database of its own. Without DATABASE_URL a throw-away SQLite file is used. The demo data
(``seed_demo``) gives real cases made through the services; each list is then grown to the
size by copying one of its real rows with ``bulk_create`` (tests/bulk.py), and the tables are
VACUUM ANALYZEd (what autovacuum does after a bulk load) before timing. Requests go through
Django's test client: middleware, authentication, selectors, templates and serializers, no
network. Prints a table and writes it to benchmarks/results/latest.md (section PERF-02).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="perf02-"))
os.environ.update({
    "DJANGO_SETTINGS_MODULE": "inatrade.settings",
    "INATRADE_ENV": "development",
    "INATRADE_VAR_DIR": str(WORK / "var"),
    "CELERY_TASK_ALWAYS_EAGER": "true",
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    "PKI_DIR": str(WORK / "pki"),
    "LOG_LEVEL": "ERROR",
    "THROTTLE_USER": "1000000/minute",
})
os.environ.setdefault("DATABASE_URL", f"sqlite:///{WORK / 'db.sqlite3'}")
os.environ.pop("REDIS_URL", None)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

TARGET_RATIO = 1.5
MAX_QUERIES = 15
CHUNK = 10_000


def reset_database():
    from django.core.management import call_command

    name = settings.DATABASES["default"]["NAME"]
    if connection.vendor == "postgresql":
        if name in ("inatrade", "test_inatrade"):
            sys.exit(f"refusing to wipe the shared database {name!r}: give the benchmark its own")
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=io.StringIO())


def vacuum():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


class Lists:
    """The lists measured, who reads them, and how each grows to ``n`` rows."""

    def __init__(self):
        from accounts.models import Role, User
        from api_registry.models import ApiApplication
        from sugar_import.models import SugarApplication

        self.dirjen = User.objects.get(username="dirjen")
        permit_app = SugarApplication.objects.filter(sugar_permit__isnull=False).select_related("sugar_permit__permit").first()
        self.company = permit_app.company
        self.importer = User.objects.filter(role=Role.IMPORTER, company=self.company).first()
        self.sugar_template = permit_app
        self.api_template = ApiApplication.objects.filter(company=self.company).order_by("-pk").first() or ApiApplication.objects.first()
        self.api_template.company_id = self.company.pk  # the copies belong to the measured importer

    # sizes --------------------------------------------------------------------------
    def work_rows(self) -> int:
        from workspace.selectors import steps_visible_to

        return steps_visible_to(user=self.dirjen).count()

    def sugar_rows(self) -> int:
        from sugar_import.models import SugarApplication

        return SugarApplication.objects.filter(company=self.company).count()

    def api_rows(self) -> int:
        from api_registry.models import ApiApplication

        return ApiApplication.objects.filter(company=self.company).count()

    def grow(self, n: int) -> None:
        from tests.bulk import clone, clone_sugar_permits

        self._grow_steps(n - self.work_rows())
        missing = n - self.sugar_rows()
        while missing > 0:
            clone_sugar_permits(self.sugar_template, min(CHUNK, missing))
            missing = n - self.sugar_rows()
        missing = n - self.api_rows()
        while missing > 0:
            clone(self.api_template, min(CHUNK, missing), children=("documents",))
            missing = n - self.api_rows()
        vacuum()

    def _grow_steps(self, missing: int) -> None:
        """Open steps of the Director General (sugar PIs, amendments, designations), a third
        overdue, a fifth without a legal deadline, a third claimed."""
        import itertools

        from django.utils import timezone

        from inatrade.workdays import today
        from workspace.models import CaseKind, CaseStep

        kinds = [(CaseKind.SUGAR_APPLICATION, "sugar_pi_decision"), (CaseKind.SUGAR_AMENDMENT, "sugar_pi_amendment"),
                 (CaseKind.API_DESIGNATION, "produsen_importir")]
        from django.db.models import Max

        case_ids = itertools.count(max(10_000_000, (CaseStep.objects.aggregate(m=Max("case_id"))["m"] or 0) + 1))
        now, day = timezone.now(), today()
        while missing > 0:
            batch = []
            for i in range(min(CHUNK, missing)):
                kind, step = kinds[i % len(kinds)]
                due = None if i % 5 == 0 else day + dt.timedelta(days=(i % 30) - 10)
                batch.append(CaseStep(
                    kind=kind, case_id=next(case_ids), page_arg=str(self.sugar_template.pk), reference=f"BENCH-{missing - i:06d}",
                    party_name=self.company.name, party_nib=self.company.nib, company=self.company, step_id=step,
                    role="director_general", started_at=now - dt.timedelta(days=i % 60, minutes=i % 997), due_date=due,
                    assignee=self.dirjen if i % 3 == 0 else None, assigned_at=now if i % 3 == 0 else None,
                ))
            CaseStep.objects.bulk_create(batch, batch_size=5000)
            missing -= len(batch)

    # requests -----------------------------------------------------------------------
    def requests(self):
        from django.test import Client

        from tests.conftest import token_client

        officer_html, importer_html = Client(), Client()
        officer_html.force_login(self.dirjen)
        importer_html.force_login(self.importer)
        officer_api, importer_api = token_client(self.dirjen), token_client(self.importer)
        return [
            ("work list, HTML /work/ (Director General)", lambda: officer_html.get("/work/")),
            ("work list, API /api/v1/work/ (Director General)", lambda: officer_api.get("/api/v1/work/")),
            ("work list, API, overdue & unassigned", lambda: officer_api.get("/api/v1/work/?overdue=true&assigned=unassigned")),
            ("importer: sugar applications, API", lambda: importer_api.get("/api/v1/sugar/applications/")),
            ("importer: sugar permits, API", lambda: importer_api.get("/api/v1/sugar/permits/")),
            ("importer: applications and PIs, HTML /sugar/", lambda: importer_html.get("/sugar/")),
            ("importer: permits, HTML /permits/", lambda: importer_html.get("/permits/")),
            ("importer: API applications, API", lambda: importer_api.get("/api/v1/api-applications/")),
            ("importer: API and applications, HTML /api-registry/", lambda: importer_html.get("/api-registry/")),
        ]


def measure(requests, runs: int) -> dict[str, tuple[int, float]]:
    results = {}
    for label, call in requests:
        for _ in range(3):  # warm: caches, the token's last use
            response = call()
            assert response.status_code == 200, (label, response.status_code)
        queries = []

        def count_query(execute, sql, params, many, context):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count_query):
            call()
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            call()
            times.append(time.perf_counter() - start)
        results[label] = (len(queries), statistics.median(times))
    return results


def write_results(text: str) -> None:
    from benchmarks.results_file import write_section

    write_section("PERF-02", "work lists and the importer's lists at 100 and 100,000 rows", text)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--small", type=int, default=100)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()

    settings.DEBUG = False
    started = time.perf_counter()
    reset_database()
    lists = Lists()
    lists.grow(args.small)
    sizes_small = (lists.work_rows(), lists.sugar_rows(), lists.api_rows())
    small = measure(lists.requests(), args.runs)
    grow_start = time.perf_counter()
    lists.grow(args.large)
    grow_seconds = time.perf_counter() - grow_start
    sizes_large = (lists.work_rows(), lists.sugar_rows(), lists.api_rows())
    large = measure(lists.requests(), args.runs)

    vendor = connection.vendor
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            vendor = f"PostgreSQL {cursor.fetchone()[0]}"
    lines = [
        f"Run {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC on {platform.node()} (Python {platform.python_version()}, "
        f"{vendor}); {args.runs} requests per list and size after 3 warm-up requests, through Django's test client. "
        f"Rows (work list of the Director General / importer's sugar applications = PIs / importer's API applications): "
        f"{sizes_small} and {sizes_large}; growing to the large size took {grow_seconds:.0f} s, then VACUUM ANALYZE.",
        "",
        f"| list | queries at {args.small:,} | queries at {args.large:,} | median ms at {args.small:,} | median ms at {args.large:,} | ratio |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    ok = True
    for label, (q_small, t_small) in small.items():
        q_large, t_large = large[label]
        ratio = t_large / t_small
        ok &= q_small == q_large <= MAX_QUERIES and ratio <= TARGET_RATIO
        lines.append(f"| {label} | {q_small} | {q_large} | {t_small * 1000:.1f} | {t_large * 1000:.1f} | {ratio:.2f} |")
    lines += [
        "",
        f"**Target: the same number of queries at both sizes, at most {MAX_QUERIES}; median ratio at most {TARGET_RATIO}** "
        f"→ {'PASS' if ok else 'FAIL'}",
    ]
    text = "\n".join(lines)
    print(text)
    print(f"(total {time.perf_counter() - started:.0f} s)")
    if not args.no_write:
        write_results(text)


if __name__ == "__main__":
    main()

"""PERF-03: the periodic jobs over many candidates: queries at 1,000 vs N candidates (must not
grow) and time vs one equivalent hand-written SQL UPDATE (target ≤ 2×).

    DATABASE_URL=postgres://…/inatrade_rep .venv/bin/python benchmarks/perf03_jobs.py [--rows 100000]

Migrates the database named by DATABASE_URL (use your own), builds the candidates with
bulk_create inside a transaction, runs the job and then the SQL UPDATE, each in its own
transaction that is rolled back, and writes section PERF-03 of benchmarks/results/latest.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inatrade.settings")
os.environ.update({"INATRADE_ENV": "development", "LOG_LEVEL": "ERROR", "CELERY_TASK_ALWAYS_EAGER": "false"})

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

WIB = ZoneInfo("Asia/Jakarta")
TARGET = 2.0


class Rollback(Exception):
    pass


def measure(build, job, sql, params):
    """(queries, job seconds, sql seconds) on the same candidates, each run rolled back."""
    out = {}
    for label in ("job", "sql"):
        try:
            with transaction.atomic():
                build()
                start = time.perf_counter()
                with CaptureQueriesContext(connection) as ctx:
                    if label == "job":
                        job()
                    else:
                        with connection.cursor() as cursor:
                            cursor.execute(sql, params)
                out[label] = (len(ctx.captured_queries), time.perf_counter() - start)
                raise Rollback
        except Rollback:
            pass
    return out["job"][0], out["job"][1], out["sql"][1]


def cases(n):
    from accounts.models import Role
    from accounts.services.access import inactivity_revocation
    from inatrade.models import AuditChainHead
    from sugar_import.models import Purpose, SugarType
    from sugar_import.services import monthly_report_freeze
    from tests.factories import CompanyFactory, UserFactory
    from tests.workspace import bulk
    from workspace.services import sla_sweep

    AuditChainHead.objects.get_or_create(id=1)
    idle = dt.datetime(2026, 1, 5, 9, tzinfo=WIB)
    started = dt.datetime(2026, 3, 2, 9, tzinfo=WIB)

    def sugar():
        company = CompanyFactory()
        owner = UserFactory(role=Role.IMPORTER, company=company)
        bulk.sugar_permits(company=company, user=owner, purpose=Purpose.objects.get(code="industry"),
                           sugar_type=SugarType.objects.get(code="GKM"), prefix="B", valid_until=dt.date(2026, 12, 31),
                           issued=[(dt.date(2026, 6, 1), "10")] * n)

    def importers():
        UserFactory(role=Role.DIRECTOR)
        bulk.idle_importers(company=CompanyFactory(), n=n, last_used_at=idle, prefix="Z")

    def steps():
        UserFactory(role=Role.DIRECTOR, email="direktur@kemendag.go.id")
        bulk.overdue_steps(n=n, started_at=started, prefix=1)

    return [
        ("monthly_report_freeze", sugar, lambda: monthly_report_freeze(as_of=dt.date(2026, 7, 16)),
         "UPDATE sugar_import_sugarpermit SET status = 'frozen', frozen_on = %s WHERE status = 'active' AND valid_from <= %s "
         "AND valid_until >= %s AND NOT EXISTS (SELECT 1 FROM sugar_import_monthlyreport r WHERE r.sugar_permit_id = "
         "sugar_import_sugarpermit.id AND r.period = %s)",
         [dt.date(2026, 7, 16), dt.date(2026, 6, 30), dt.date(2026, 6, 1), dt.date(2026, 6, 1)]),
        ("inactivity_revocation", importers, lambda: inactivity_revocation(as_of=dt.date(2026, 9, 1)),
         "UPDATE accounts_user SET access_status = 'revoked' WHERE role = 'importer' AND access_status = 'active' "
         "AND COALESCE(last_used_at, access_granted_at, date_joined) < %s", [dt.datetime(2026, 3, 2, tzinfo=WIB)]),
        ("sla_sweep", steps, lambda: sla_sweep(as_of=dt.date(2026, 3, 5)),
         "UPDATE workspace_casestep SET overdue_notified_at = now() WHERE finished_at IS NULL AND due_date < %s "
         "AND overdue_notified_at IS NULL", [dt.date(2026, 3, 5)]),
    ]


def write_results(text: str) -> None:
    from benchmarks.results_file import write_section

    write_section("PERF-03", "periodic jobs over many candidates", text)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=1_000)
    args = parser.parse_args()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    lines = [
        f"Run {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC on {connection.vendor} "
        f"({connection.settings_dict['NAME']}); candidates built by bulk_create; job and SQL each in a rolled-back transaction.",
        "", f"| job | queries at {args.small:,} | queries at {args.rows:,} | job (s) at {args.rows:,} | SQL UPDATE (s) | ratio | result |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for name, build, job, sql, params in cases(args.rows):
        q_small, _t, _s = measure(lambda: cases_build(name, args.small), job, sql, params)
        q_large, t_job, t_sql = measure(lambda: cases_build(name, args.rows), job, sql, params)
        ratio = t_job / t_sql if t_sql else float("inf")
        ok = q_small == q_large and ratio <= TARGET
        lines.append(f"| `{name}` | {q_small} | {q_large} | {t_job:.2f} | {t_sql:.2f} | {ratio:.2f} | {'PASS' if ok else 'FAIL'} |")
        print(lines[-1], flush=True)
    text = "\n".join(lines)
    print(text)
    write_results(text)


def cases_build(name, n):
    for case_name, build, *_rest in cases(n):
        if case_name == name:
            return build()


if __name__ == "__main__":
    main()

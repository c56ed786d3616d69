"""PERF-06: a burst of approvals. 100 sugar applications (50 lines each, as PERF-01's permit)
drawing one rakor quota are approved by 50 concurrent HTTP clients, on gunicorn (4 workers ×
4 threads) + PostgreSQL + Redis with one Celery worker of concurrency 2, until every permit is
signed.

    DATABASE_URL=postgres://… .venv/bin/python benchmarks/perf06_approval_burst.py [--applications 100] [--clients 50]

Reports the 5xx answers (target 0), the deadlocks PostgreSQL detected in the database (target
0, ``pg_stat_database.deadlocks``), approvals per second, the time from the first request to
the last permit signed, and that time as a ratio to 100 × PERF-01's floor ÷ the worker
concurrency (target ≤ 1.3). The floor (bare WeasyPrint + bare pyHanko of one 50-line permit)
is measured by ``perf01_issue_permit.py --floor-only`` right before, on the same machine, so
that the ratio compares like with like. Uses its own database ``<name>_perf06`` (dropped and
created) and its own Redis, ports and files (tests/stack/harness.py). Writes the section
PERF-06 of benchmarks/results/latest.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="perf06-"))
PASSPHRASE = "inatrade-dev-pki"
TARGET = 1.3

base_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/inatrade")
if not base_url.startswith("postgres"):
    sys.exit("PERF-06 needs PostgreSQL: set DATABASE_URL=postgres://…")
server, _, name = base_url.rpartition("/")
DB = f"{name}_perf06"
os.environ.update({
    "DJANGO_SETTINGS_MODULE": "inatrade.settings", "INATRADE_ENV": "development", "DATABASE_URL": f"{server}/{DB}",
    "INATRADE_VAR_DIR": str(WORK / "var"), "PRIVATE_MEDIA_ROOT": str(WORK / "private"), "LOG_LEVEL": "ERROR",
    "CELERY_TASK_ALWAYS_EAGER": "true", "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    "PKI_DIR": str(WORK / "pki"), "PKI_DEV_PASSPHRASE": PASSPHRASE, "INATRADE_SIGNER_PASSPHRASE": PASSPHRASE,
    "INSW_ENDPOINT": "http://127.0.0.1:9/insw", "INSW_TIMEOUT_SECONDS": "1",
})
os.environ.pop("REDIS_URL", None)


def recreate_database():
    import psycopg2

    connection = psycopg2.connect(f"{server}/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{DB}"')
        cursor.execute(f'CREATE DATABASE "{DB}"')
    connection.close()


recreate_database()
import django  # noqa: E402

django.setup()


def measure_floor(runs: int) -> float:
    result = subprocess.run([sys.executable, "benchmarks/perf01_issue_permit.py", "--floor-only", "--runs", str(runs),
                             "--warmup", "1"], cwd=ROOT, capture_output=True, text=True, timeout=1800,
                            env={k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "INATRADE_VAR_DIR",
                                                                                   "PKI_DIR", "PRIVATE_MEDIA_ROOT"}})
    match = re.search(r"FLOOR_MS=([\d.]+)", result.stdout)
    if not match:
        raise RuntimeError(result.stdout[-2000:] + result.stderr[-3000:])
    return float(match.group(1)) / 1000


def setup(applications: int, companies: int):
    from django.core.management import call_command

    from accounts.models import Role
    from permits import pki
    from permits.services import signing_certificate_register
    from sugar_import import services as sugar
    from sugar_import.models import Purpose, SugarType
    from tests.factories import CompanyFactory, ImporterFactory, UserFactory
    from tests.sugar_import.conftest import draft, line, make_quota, make_recommendation, record_api_p

    call_command("migrate", verbosity=0)
    pki.generate_dev_pki(WORK / "pki", [("dirjen", "Sri Mulyani, Direktur Jenderal Perdagangan Luar Negeri")],
                         passphrase=PASSPHRASE.encode())
    pki.clear_caches()
    dirjen = UserFactory(username="dirjen", first_name="Sri", last_name="Mulyani", role=Role.DIRECTOR_GENERAL,
                         position="Direktur Jenderal Perdagangan Luar Negeri")
    signing_certificate_register(user=dirjen, pkcs12_path=str(WORK / "pki" / "signers" / "dirjen.p12"))
    agency = UserFactory(username="kemenperin", role=Role.AGENCY, position="Direktur Industri Makanan")
    quota = make_quota(Purpose.objects.get(code="industry"), SugarType.objects.get(code="GKM"),
                       tonnes=str(100 * applications))
    owners = []
    for index in range(companies):
        owner = ImporterFactory(company=CompanyFactory(name=f"PT Gula Lonjakan {index:02d}"))
        record_api_p(owner)
        owners.append((owner, make_recommendation(agency, owner.company, number=f"REK-{index:03d}/IND/2026",
                                                  volume="100000")))
    origins, ports = ["BR", "TH", "AU"], ["IDTPP", "IDSUB"]
    pending = []
    for index in range(applications):
        owner, recommendation = owners[index % companies]
        lines = [dict(line("2", origin=origins[i % 3], port=ports[i % 2]), description=f"GKM lot {i:03d}")
                 for i in range(50)]
        pending.append(sugar.sugar_application_submit(application=draft(owner, recommendation, lines=lines), actor=owner))
    return dirjen, quota, pending


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--applications", type=int, default=100)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--companies", type=int, default=10)
    parser.add_argument("--floor-runs", type=int, default=5)
    args = parser.parse_args()

    import platform

    from django.db import connection

    from accounts.models import ApiToken
    from permits.models import PermitVersion, VersionState
    from sugar_import.models import SugarPermit
    from tests.stack.harness import Stack, database_url, deadlocks, post_all

    print("measuring the PERF-01 floor …", flush=True)
    floor = measure_floor(args.floor_runs)
    print(f"floor {floor * 1000:.0f} ms; preparing {args.applications} applications …", flush=True)
    dirjen, quota, applications = setup(args.applications, args.companies)
    key = ApiToken.issue(dirjen)[1]
    stack = Stack(directory=WORK / "stack", database_url=database_url(connection.settings_dict), web_workers=4,
                  web_threads=4, worker_concurrency=2, extra_env={"SITE_URL": "https://inatrade.test"})
    stack.start()
    try:
        with connection.cursor() as cursor:
            deadlocks_before = deadlocks(cursor, DB)
        connection.close()
        started = time.perf_counter()
        responses = post_all(stack.base, [(f"/api/v1/sugar/applications/{a.pk}/approve", key, {}) for a in applications],
                             clients=args.clients)
        answered = time.perf_counter() - started
        while PermitVersion.objects.filter(state=VersionState.SIGNED).count() < args.applications:
            if time.perf_counter() - started > 3600:
                raise RuntimeError("permits still unsigned after an hour")
            time.sleep(0.2)
        signed = time.perf_counter() - started
    finally:
        stack.stop()
    with connection.cursor() as cursor:
        deadlock_count = deadlocks(cursor, DB) - deadlocks_before
    statuses = Counter(r.status_code for r in responses)
    errors_5xx = sum(n for code, n in statuses.items() if code >= 500)
    logs = stack.server_logs()
    budget = args.applications * floor / 2
    ratio = signed / budget
    quota.refresh_from_db()
    ok = errors_5xx == 0 and deadlock_count == 0 and ratio <= TARGET and statuses.get(200) == args.applications
    text = "\n".join([
        f"Run {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC on {platform.node()} ({os.cpu_count()} cores, load "
        f"average {os.getloadavg()[0]:.1f} at the end); {args.applications} applications of 50 lines (100 t each) on one "
        f"rakor quota, {args.clients} concurrent clients over HTTP; gunicorn 4 workers × 4 threads, PostgreSQL, Redis, "
        "one Celery worker of concurrency 2 (signing, e-mails, INSW).",
        "",
        "| measure | value |",
        "|---|---:|",
        f"| HTTP answers | {dict(sorted(statuses.items()))} |",
        f"| 5xx (target 0) | {errors_5xx} |",
        f"| deadlocks detected by PostgreSQL (target 0) | {deadlock_count} |",
        f"| `deadlock detected` in the server logs | {logs.count('deadlock detected')} |",
        f"| permits issued / quota drawn | {SugarPermit.objects.count()} / {quota.drawn_tonnes} t |",
        f"| approvals per second (all {args.applications} answered in {answered:.1f} s) | {args.applications / answered:.1f} |",
        f"| time to the last permit signed | {signed:.1f} s |",
        f"| PERF-01 floor (bare WeasyPrint + pyHanko, one 50-line permit, median of {args.floor_runs}, measured just before) | {floor * 1000:.0f} ms |",
        f"| budget: {args.applications} × floor ÷ 2 | {budget:.1f} s |",
        "",
        f"**Ratio time to last signed / budget: {ratio:.2f}** (target ≤ {TARGET}) → {'PASS' if ok else 'FAIL'}",
    ])
    print(text)
    from benchmarks.results_file import write_section

    write_section("PERF-06", "a burst of approvals over HTTP until every permit is signed", text)


if __name__ == "__main__":
    main()

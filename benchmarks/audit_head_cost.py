"""What the single audit chain-head row costs concurrent writers (docs/decisions/0011).

    DATABASE_URL=postgres://… .venv/bin/python benchmarks/audit_head_cost.py [--writers 20 100] [--each 10] [--rest-ms 20]

Each writer runs ``--each`` transactions shaped like a transition: lock and update its own row,
append an audit row, then ``--rest-ms`` of further work before the commit (the statements and
Python that follow the audit row in, e.g., an approval: the permit rows, the case step, the
e-mail rendering). Three ways, taking turns:

* ``immediate`` — the audit row is chained where it is written (the code before issue 16):
  the head stays locked for the rest of the transaction;
* ``deferred`` — the row is chained at the end (``inatrade.audit.deferred_chain``): the head
  is the last lock, held for the INSERT and the COMMIT only;
* ``none`` — no audit row at all: the ceiling.

PostgreSQL's max_connections (100, shared with others on this machine) bounds the connections:
writers beyond ``--connections`` wait for one, as behind a connection pool. Uses its own
database (``<name>_audit_bench`` next to DATABASE_URL's), created and migrated here.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

base_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/inatrade")
if not base_url.startswith("postgres"):
    sys.exit("needs PostgreSQL: set DATABASE_URL=postgres://…")
server, _, name = base_url.rpartition("/")
BENCH_DB = f"{name}_audit_bench"
os.environ.update({
    "DJANGO_SETTINGS_MODULE": "inatrade.settings", "INATRADE_ENV": "development", "DATABASE_URL": f"{server}/{BENCH_DB}",
    "LOG_LEVEL": "ERROR", "CELERY_TASK_ALWAYS_EAGER": "true",
})
os.environ.pop("REDIS_URL", None)


def create_database():
    import psycopg2

    connection = psycopg2.connect(f"{server}/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DB])
        if not cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{BENCH_DB}"')
    connection.close()


create_database()
import django  # noqa: E402

django.setup()


def run(mode: str, writers: int, each: int, rest: float, connections_max: int, companies) -> dict:
    from django.db import connection, transaction

    from accounts.models import Company
    from inatrade.audit import audit_record, deferred_chain

    pool = threading.Semaphore(connections_max)
    latencies: list[float] = []
    barrier = threading.Barrier(writers)

    def writer(company):
        barrier.wait()
        for _ in range(each):
            with pool:
                start = time.perf_counter()
                with transaction.atomic():
                    if mode == "deferred":
                        chain = deferred_chain()
                        chain.__enter__()
                    Company.objects.select_for_update(of=("self",), no_key=True).get(pk=company.pk)
                    Company.objects.filter(pk=company.pk).update(phone=str(time.time())[:20])
                    if mode != "none":
                        audit_record(obj=company, action="bench", to_state=mode)
                    time.sleep(rest)  # the rest of the transition
                    if mode == "deferred":
                        chain.__exit__(None, None, None)
                latencies.append(time.perf_counter() - start)
        connection.close()

    threads = [threading.Thread(target=writer, args=(companies[i],)) for i in range(writers)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {"tps": writers * each / elapsed, "median_ms": 1000 * statistics.median(latencies),
            "p95_ms": 1000 * latencies[int(0.95 * (len(latencies) - 1))]}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--writers", type=int, nargs="+", default=[20, 100])
    parser.add_argument("--each", type=int, default=10)
    parser.add_argument("--rest-ms", type=float, default=20.0)
    parser.add_argument("--connections", type=int, default=40)
    args = parser.parse_args()

    from django.core.management import call_command

    from accounts.models import Company
    from inatrade.audit import verify_audit_chain

    call_command("migrate", verbosity=0)
    companies = list(Company.objects.order_by("pk")[: max(args.writers)])
    for index in range(len(companies), max(args.writers)):
        companies.append(Company.objects.create(name=f"PT Bench {index:03d}", npwp=f"{index:016d}", nib=f"{index:013d}"))
    rows = []
    for writers in args.writers:
        for mode in ("immediate", "deferred", "none"):
            result = run(mode, writers, args.each, args.rest_ms / 1000, min(args.connections, writers), companies)
            rows.append((writers, mode, result))
            print(f"{writers:>4} writers {mode:>9}: {result['tps']:7.1f} tx/s  median {result['median_ms']:7.1f} ms"
                  f"  p95 {result['p95_ms']:7.1f} ms", flush=True)
    assert verify_audit_chain().ok
    return rows


if __name__ == "__main__":
    main()

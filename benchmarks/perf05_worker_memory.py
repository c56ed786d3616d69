"""PERF-05: resident memory of one worker process while it issues 1,000 permits.

    .venv/bin/python benchmarks/perf05_worker_memory.py [--count 1000] [--budget 900]

One process does what the Celery worker does for each permit: the approving transaction writes
the permit (awaiting signature), and after commit the task `permits.sign_permit_version` renders
Lampiran IV (3 lines, barcode and QR), signs PAdES B-LTA with a timestamp, stores the PDF and
queues the INSW event (Celery eager: the worker's code path, in this process). RSS (VmRSS) is
read after the first 50 permits and after the last one. Throw-away SQLite database and PKI.
The run is bounded by --budget seconds: if it cannot reach --count in time it says so and
compares RSS at the number it reached. Writes the PERF-05 section of results/latest.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="perf05-"))
os.environ.update({
    "DJANGO_SETTINGS_MODULE": "inatrade.settings",
    "INATRADE_ENV": "development",
    "INATRADE_VAR_DIR": str(WORK / "var"),
    "DATABASE_URL": f"sqlite:///{WORK / 'db.sqlite3'}",
    "CELERY_TASK_ALWAYS_EAGER": "true",
    # Each message is built and written out (to var/mail), as a worker sends it, then forgotten. (The locmem
    # backend keeps every message, the signed PDF attached, in a list: growth of the test
    # harness, not of the worker.)
    "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
    "PKI_DIR": str(WORK / "pki"),
    "LOG_LEVEL": "ERROR",
    # A worker runs with DEBUG off: with DEBUG on, Django keeps the last 9,000 SQL statements
    # of the connection in memory, which is growth this benchmark is not about.
    "DEBUG": "false",
})
os.environ.pop("REDIS_URL", None)

import django  # noqa: E402

django.setup()

TARGET = 1.2
BASELINE = 50


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def setup():
    from django.core.management import call_command

    from accounts import demo as accounts_demo
    from permits.management.commands.dev_pki import ensure_dev_pki

    call_command("migrate", verbosity=0)
    accounts_demo.seed(io.StringIO())
    ensure_dev_pki()


def issue(n: int, company, signer) -> None:
    from django.db import transaction

    from tests.permits.content import sugar_pi_content
    from permits.models import Permit, PermitStatus
    from permits.services import permit_issue

    content = sugar_pi_content(
        holder=company, application_number=f"PI-GULA/2026/11/{n:06d}", application_date=dt.date(2026, 11, 10),
        sugar_type="Gula Kristal Mentah (GKM)", purpose="bahan baku industri",
        recommendation={"issuer": "Kementerian Perindustrian", "number": "512/IND/REK/11/2026", "date": "2026-11-03"},
        lines=[{"hs_code": "1701.14.00", "description": f"GKM lot {i:03d}", "volume_tonnes": "1000.000",
                "origin_country": "Thailand", "port_of_discharge": "Tanjung Priok"} for i in range(1, 4)],
    )
    with transaction.atomic():
        permit = permit_issue(kind="sugar_pi", holder=company, number=f"04.PI-05.26.{n:04d}", content=content, signer=signer)
    status = Permit.objects.filter(pk=permit.pk).values_list("status", flat=True).get()
    if status != PermitStatus.VALID:
        raise SystemExit(f"permit {n} was not signed: {status}")


def write_results(text: str) -> None:
    from benchmarks.results_file import write_section

    write_section("PERF-05", "worker memory over 1,000 permits", text)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--budget", type=float, default=900.0, help="seconds of issuing at most")
    args = parser.parse_args()

    from accounts.models import Company, User

    setup()
    company = Company.objects.get(nib="9120001234567")
    signer = User.objects.get(username="dirjen")
    samples = [(0, rss_mib())]
    start = time.perf_counter()
    done = 0
    checkpoints = {BASELINE, 100, 200, 300, 400, 500, 600, 700, 800, 900, args.count}
    while done < args.count:
        done += 1
        issue(done, company, signer)
        if done in checkpoints:
            samples.append((done, rss_mib()))
            print(f"  {done:5d} permits  {time.perf_counter() - start:7.1f} s  RSS {samples[-1][1]:7.1f} MiB", flush=True)
        if time.perf_counter() - start > args.budget and done >= 2 * BASELINE:
            break
    elapsed = time.perf_counter() - start
    if samples[-1][0] != done:
        samples.append((done, rss_mib()))
    base = dict(samples)[BASELINE]
    final = samples[-1][1]
    ratio = final / base
    import platform

    reached = done == args.count
    lines = [
        f"Run {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC on {platform.node()} (Python {platform.python_version()}); "
        f"one process (DEBUG off, as a deployed worker) issuing and signing permits of 3 lines (render + barcode/QR + PAdES B-LTA + store + INSW outbox), "
        f"Celery eager (the worker's code path); SQLite; {done} permits in {elapsed:.0f} s ({elapsed / done * 1000:.0f} ms each); "
        f"`--count {args.count} --budget {args.budget:.0f}`.",
        "",
        "| permits issued | RSS (MiB) |",
        "|---:|---:|",
    ]
    lines += [f"| {n} | {value:.1f} |" for n, value in samples]
    lines += [
        "",
        f"**RSS after {done} / after {BASELINE}: {ratio:.2f}** (target ≤ {TARGET}) → {'PASS' if ratio <= TARGET else 'FAIL'}"
        + ("" if reached else f" — INCOMPLETE: the {args.budget:.0f} s budget stopped the run at {done} of {args.count} permits"),
    ]
    text = "\n".join(lines)
    print(text)
    write_results(text)


if __name__ == "__main__":
    main()

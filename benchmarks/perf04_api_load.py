"""PERF-04: the API under load on the real server: gunicorn, PostgreSQL and Redis, 50 concurrent
clients on loopback. GET /api/v1/sugar/permits/ (a full page of 25 permits) against a trivial
authenticated endpoint (GET /api/v1/me) on the same server; errors counted.

    .venv/bin/python benchmarks/perf04_api_load.py [--seconds 10] [--clients 50] [--workers 4]

Self-contained: creates a throw-away PostgreSQL database (PERF_PG_URL, default
postgres://postgres@127.0.0.1:5432/postgres, is where it is created and dropped) and starts a
private redis-server on a free port, both removed at the end; gunicorn listens on 127.0.0.1
only. The load generator is 50 Python threads, each with its own keep-alive session and API
token, running for a fixed time per phase (trivial, list, trivial, list) after a warm-up.
The user throttle is raised for the run (THROTTLE_USER), otherwise it would measure 429s.
DEBUG is off in the server, as deployed. Writes the PERF-04 section of results/latest.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="perf04-"))
TARGET = 0.5
PG_URL = os.environ.get("PERF_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
DB_NAME = f"inatrade_perf04_{os.getpid()}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pg_admin(sql: str) -> None:
    import psycopg2

    u = urlparse(PG_URL)
    conn = psycopg2.connect(host=u.hostname, port=u.port or 5432, user=u.username, password=u.password, dbname=u.path.lstrip("/"))
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(sql)
    conn.close()


def db_url() -> str:
    u = urlparse(PG_URL)
    return u._replace(path=f"/{DB_NAME}").geturl()


def start_redis() -> tuple[subprocess.Popen, int]:
    port = free_port()
    process = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                                "--dir", str(WORK)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process, port
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("redis-server did not start")


def prepare_world(clients: int) -> list[str]:
    """Demo data, 40 more permits for one importer, and one API token per client."""

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=io.StringIO())
    from accounts.models import ApiToken, User
    from sugar_import import services
    from sugar_import.models import Purpose, SugarType
    from sugar_import.services import recommendation_record

    importer = User.objects.get(username="5D8BEB")
    dirjen, agency = User.objects.get(username="dirjen"), User.objects.get(username="kemenperin")
    gkm, industry = SugarType.objects.get(code="GKM"), Purpose.objects.get(code="industry")
    for i in range(40):
        rec = recommendation_record(
            actor=agency, company=importer.company, kind="recommendation", issuer="Kementerian Perindustrian",
            number=f"PERF04-REK-{i:03d}", date=dt.date(2026, 1, 5), sugar_type=gkm, volume_tonnes="1000",
            hs_codes=list(gkm.hs_codes), origin_countries=["BR", "TH"], ports=["IDTPP"],
            valid_from=dt.date(2020, 1, 1), valid_until=dt.date(2099, 12, 31),
        )
        app = services.sugar_application_create(
            actor=importer, purpose=industry, sugar_type=gkm, recommendation=rec,
            lines=[{"hs_code": "1701.14.00", "description": "GKM", "volume_tonnes": "10", "origin_country": "BR",
                    "port_of_discharge": "IDTPP"}, {"hs_code": "1701.14.00", "description": "GKM", "volume_tonnes": "5",
                                                   "origin_country": "TH", "port_of_discharge": "IDTPP"}],
        )
        services.sugar_application_approve(application=services.sugar_application_submit(application=app, actor=importer), actor=dirjen)
    tokens = [ApiToken.issue(importer)[1] for _ in range(clients)]
    from django.db import connections

    connections.close_all()
    return tokens


def load(base: str, path: str, tokens: list[str], seconds: float, max_requests: int) -> dict:
    import requests

    stop_at = time.monotonic() + seconds
    lock = threading.Lock()
    stats = {"ok": 0, "errors": 0, "codes": {}, "latencies": []}
    budget = [max_requests]

    def client(token):
        session = requests.Session()
        session.headers["Authorization"] = f"Token {token}"
        while time.monotonic() < stop_at:
            with lock:
                if budget[0] <= 0:
                    return
                budget[0] -= 1
            t0 = time.perf_counter()
            try:
                response = session.get(base + path, timeout=30)
                code = response.status_code
                ok = code == 200 and response.content[:1] == b"{"
            except Exception as exc:  # noqa: BLE001 - counted as an error
                code, ok = type(exc).__name__, False
            elapsed = time.perf_counter() - t0
            with lock:
                stats["ok" if ok else "errors"] += 1
                stats["latencies"].append(elapsed)
                if not ok:
                    stats["codes"][code] = stats["codes"].get(code, 0) + 1

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(t,)) for t in tokens]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stats["seconds"] = time.monotonic() - started
    stats["rps"] = stats["ok"] / stats["seconds"]
    return stats


def write_results(text: str) -> None:
    from benchmarks.results_file import write_section

    write_section("PERF-04", "API under load (gunicorn, PostgreSQL, Redis)", text)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10.0, help="per measured phase (4 phases)")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--max-requests", type=int, default=200_000, help="per phase")
    args = parser.parse_args()
    if shutil.which("redis-server") is None:
        raise SystemExit("PERF-04 needs redis-server (apt-get install redis-server)")

    pg_admin(f'CREATE DATABASE "{DB_NAME}"')
    redis_process, redis_port = start_redis()
    gunicorn = None
    try:
        env = {
            "DJANGO_SETTINGS_MODULE": "inatrade.settings",
            "INATRADE_ENV": "development",  # plain HTTP on loopback, no HTTPS redirect
            "DEBUG": "false",  # as deployed: no per-query recording, no debug pages
            "INATRADE_VAR_DIR": str(WORK / "var"),
            "PKI_DIR": str(WORK / "pki"),
            "DATABASE_URL": db_url(),
            "DB_CONN_MAX_AGE": "60",
            "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "THROTTLE_USER": "100000000/minute",
            "LOG_LEVEL": "ERROR",
        }
        os.environ.update(env)
        tokens = prepare_world(args.clients)
        port = free_port()
        gunicorn = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "inatrade.wsgi:application", "--bind", f"127.0.0.1:{port}",
             "--workers", str(args.workers), "--worker-class", "gthread", "--threads", "4", "--keep-alive", "5",
             "--log-level", "warning"],
            cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=open(WORK / "gunicorn.log", "w"),
        )
        base = f"http://127.0.0.1:{port}"
        import requests

        for _ in range(200):
            try:
                requests.get(base + "/api/v1/me", headers={"Authorization": f"Token {tokens[0]}"}, timeout=5)
                break
            except requests.RequestException:
                time.sleep(0.1)
        page = requests.get(base + "/api/v1/sugar/permits/", headers={"Authorization": f"Token {tokens[0]}"}, timeout=30).json()
        rows, total = len(page["results"]), page["count"]
        load(base, "/api/v1/me", tokens, 3, args.max_requests)  # warm-up both
        load(base, "/api/v1/sugar/permits/", tokens, 3, args.max_requests)
        phases = []
        for path in ["/api/v1/me", "/api/v1/sugar/permits/", "/api/v1/me", "/api/v1/sugar/permits/"]:
            result = load(base, path, tokens, args.seconds, args.max_requests)
            phases.append((path, result))
            print(f"  {path:28s} {result['rps']:8.1f} req/s  ok {result['ok']:6d}  errors {result['errors']}", flush=True)
    finally:
        if gunicorn is not None:
            gunicorn.send_signal(signal.SIGTERM)
            try:
                gunicorn.wait(15)
            except subprocess.TimeoutExpired:
                gunicorn.kill()
        redis_process.kill()
        from django.db import connections

        connections.close_all()
        pg_admin(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')

    def summary(path):
        results = [r for p, r in phases if p == path]
        ok, errors = sum(r["ok"] for r in results), sum(r["errors"] for r in results)
        seconds = sum(r["seconds"] for r in results)
        latencies = sorted(x for r in results for x in r["latencies"])
        codes = {}
        for r in results:
            for code, n in r["codes"].items():
                codes[code] = codes.get(code, 0) + n
        p50 = statistics.median(latencies) * 1000 if latencies else 0
        p95 = latencies[int(len(latencies) * 0.95) - 1] * 1000 if latencies else 0
        return ok / seconds, ok, errors, codes, p50, p95

    trivial, listing = summary("/api/v1/me"), summary("/api/v1/sugar/permits/")
    ratio = listing[0] / trivial[0]
    errors = trivial[2] + listing[2]
    import platform
    from importlib.metadata import version as pkg_version

    lines = [
        f"Run {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC on {platform.node()} ({os.cpu_count()} CPUs shared with "
        f"the load generator; Python {platform.python_version()}, gunicorn {pkg_version('gunicorn')} "
        f"{args.workers} workers × 4 threads, DEBUG off, PostgreSQL, Redis cache and broker); {args.clients} concurrent keep-alive clients "
        f"on 127.0.0.1, each with its own API token; 2 × {args.seconds:.0f} s per endpoint, interleaved, after a warm-up. "
        f"The list returns a page of {rows} of {total} permits.",
        "",
        "| endpoint | requests/s | ok | errors | p50 (ms) | p95 (ms) |",
        "|---|---:|---:|---:|---:|---:|",
        f"| GET /api/v1/me (trivial, authenticated) | {trivial[0]:.1f} | {trivial[1]} | {trivial[2]} | {trivial[4]:.0f} | {trivial[5]:.0f} |",
        f"| GET /api/v1/sugar/permits/ | {listing[0]:.1f} | {listing[1]} | {listing[2]} | {listing[4]:.0f} | {listing[5]:.0f} |",
        "",
        f"**Ratio list / trivial: {ratio:.2f}** (target ≥ {TARGET}); errors: {errors}"
        + (f" {dict(trivial[3], **listing[3])}" if errors else "")
        + f" → {'PASS' if ratio >= TARGET and errors == 0 else 'FAIL'}",
    ]
    text = "\n".join(lines)
    print(text)
    write_results(text)


if __name__ == "__main__":
    main()

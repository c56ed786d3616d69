"""PERF-04: the API under load on the real server: gunicorn, PostgreSQL and Redis, 50 concurrent
clients on loopback. GET /api/v1/sugar/permits/ (a full page of 25 permits) against a trivial
authenticated endpoint (GET /api/v1/me) on the same server; errors counted.

    .venv/bin/python benchmarks/perf04_api_load.py [--seconds 10] [--rounds 3] [--python-seconds 3]
                                                   [--clients 50] [--workers 4]

Self-contained: creates a throw-away PostgreSQL database (PERF_PG_URL, default
postgres://postgres@127.0.0.1:5432/postgres, is where it is created and dropped) and starts a
private redis-server on a free port, both removed at the end; gunicorn listens on 127.0.0.1
only. Two load generators measure the same server (issue 22):

- ``wrk -t2 -c50 -d10s`` (Debian's ``wrk``, installed with apt-get when missing and run as
  root), the figure the target is judged on: a C client that does not cap the trivial endpoint.
  Its Lua script (benchmarks/perf04_wrk.lua) gives each of wrk's threads its share of the 50
  tokens and cycles through them, about one token per connection (wrk's Lua API has no
  per-connection hook). ``--rounds`` rounds of (trivial, list), ``--seconds`` each,
  interleaved after a warm-up; the ratio is the median of the rounds' ratios.
- 50 Python threads, each with its own keep-alive session and API token (the earlier client,
  kept for comparison: on 2 cores it competes with the server and caps the trivial endpoint),
  ``--python-seconds`` per phase (trivial, list, trivial, list). About 2 minutes in all on a quiet
  machine (most of it building the world).

The user throttle is raised for the run (THROTTLE_USER), otherwise it would measure 429s.
DEBUG is off in the server, as deployed. Writes the PERF-04 section of results/latest.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import re
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
TARGET = 0.85  # issue 22, under wrk (quality.md's line is 0.5)
PYTHON_TARGET = 0.5
LUA = Path(__file__).resolve().parent / "perf04_wrk.lua"
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


def ensure_wrk() -> str:
    """wrk's path; installs Debian's package when it is missing (the benchmark's own setup)."""
    path = shutil.which("wrk")
    if path is None and os.geteuid() == 0 and shutil.which("apt-get"):
        print("  installing wrk (apt-get install wrk)", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        if subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], env=env, capture_output=True).returncode != 0:
            subprocess.run(["apt-get", "update", "-q"], env=env, capture_output=True)
            subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], env=env, capture_output=True)
        path = shutil.which("wrk")
    if path is None:
        raise SystemExit("PERF-04 needs wrk (apt-get install wrk)")
    return path


def _wrk_ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def wrk_load(wrk: str, base: str, path: str, token_file: Path, seconds: float, threads: int, connections: int) -> dict:
    """One wrk run; requests/s counts 2xx answers only (non-2xx and socket errors are errors)."""
    env = {**os.environ, "PERF04_TOKENS": str(token_file), "PERF04_THREADS": str(threads)}
    out = subprocess.run([wrk, f"-t{threads}", f"-c{connections}", f"-d{seconds:.0f}s", "--latency", "-s", str(LUA), base + path],
                         env=env, capture_output=True, text=True, timeout=seconds + 60)
    text = out.stdout
    match = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m)", text)
    if out.returncode != 0 or match is None:
        raise RuntimeError(f"wrk failed: {out.stdout}\n{out.stderr}")
    total, elapsed = int(match.group(1)), _wrk_ms(match.group(2) + match.group(3)) / 1000
    non2xx = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", text)) else 0
    socket_errors = sum(int(x) for x in m.groups()) if (
        m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)) else 0
    latency = dict(re.findall(r"^\s*(50|90|99)(?:\.0+)?%\s+([\d.]+(?:us|ms|s|m))\s*$", text, re.M))
    ok = total - non2xx
    return {"ok": ok, "errors": non2xx + socket_errors, "seconds": elapsed, "rps": ok / elapsed,
            "p50": _wrk_ms(latency["50"]) if "50" in latency else float("nan"),
            "p99": _wrk_ms(latency["99"]) if "99" in latency else float("nan")}


def _median_known(values) -> float:
    known = [v for v in values if v == v]  # wrk prints no percentile when it has no sample
    return statistics.median(known) if known else float("nan")


def write_results(text: str) -> None:
    from benchmarks.results_file import write_section

    write_section("PERF-04", "API under load (gunicorn, PostgreSQL, Redis)", text)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10.0, help="per wrk run (wrk -d)")
    parser.add_argument("--rounds", type=int, default=3, help="wrk rounds of (trivial, list)")
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--python-seconds", type=float, default=3.0, help="per Python-client phase (4 phases); 0 skips")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--no-write", action="store_true", help="print only, do not write results/latest.md")
    parser.add_argument("--max-requests", type=int, default=200_000, help="per phase")
    args = parser.parse_args()
    if shutil.which("redis-server") is None:
        raise SystemExit("PERF-04 needs redis-server (apt-get install redis-server)")
    wrk = ensure_wrk()
    load_before = os.getloadavg()

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
        token_file = WORK / "tokens.txt"
        token_file.write_text("\n".join(tokens) + "\n")
        for path in ["/api/v1/me", "/api/v1/sugar/permits/"]:  # warm-up both (every worker, every connection)
            wrk_load(wrk, base, path, token_file, 3, args.wrk_threads, args.clients)
        rounds = []
        for _ in range(args.rounds):
            pair = {}
            for path in ["/api/v1/me", "/api/v1/sugar/permits/"]:
                pair[path] = result = wrk_load(wrk, base, path, token_file, args.seconds, args.wrk_threads, args.clients)
                print(f"  wrk    {path:28s} {result['rps']:8.1f} req/s  ok {result['ok']:6d}  errors {result['errors']}", flush=True)
            rounds.append(pair)
        phases = []
        if args.python_seconds > 0:
            for path in ["/api/v1/me", "/api/v1/sugar/permits/", "/api/v1/me", "/api/v1/sugar/permits/"]:
                result = load(base, path, tokens, args.python_seconds, args.max_requests)
                phases.append((path, result))
                print(f"  python {path:28s} {result['rps']:8.1f} req/s  ok {result['ok']:6d}  errors {result['errors']}", flush=True)
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

    import platform
    from importlib.metadata import version as pkg_version

    ratios = [pair["/api/v1/sugar/permits/"]["rps"] / pair["/api/v1/me"]["rps"] for pair in rounds]
    ratio = statistics.median(ratios)

    def wrk_summary(path):
        results = [pair[path] for pair in rounds]
        return (statistics.median(r["rps"] for r in results), sum(r["ok"] for r in results), sum(r["errors"] for r in results),
                _median_known(r["p50"] for r in results), _median_known(r["p99"] for r in results))

    w_trivial, w_listing = wrk_summary("/api/v1/me"), wrk_summary("/api/v1/sugar/permits/")
    errors = w_trivial[2] + w_listing[2]
    lines = [
        f"Run {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC on {platform.node()} ({os.cpu_count()} CPUs shared with "
        f"the load generator; load average {load_before[0]:.1f} before the run, {os.getloadavg()[0]:.1f} after; "
        f"Python {platform.python_version()}, gunicorn {pkg_version('gunicorn')} "
        f"{args.workers} workers × 4 threads, DEBUG off, PostgreSQL, Redis cache and broker). The list returns a page of "
        f"{rows} of {total} permits.",
        "",
        f"**wrk** (`wrk -t{args.wrk_threads} -c{args.clients} -d{args.seconds:.0f}s`, {args.clients} tokens spread over the "
        f"connections by benchmarks/perf04_wrk.lua): {args.rounds} rounds of (trivial, list), interleaved, after a warm-up; "
        "medians of the rounds.",
        "",
        "| endpoint | requests/s (median) | ok | errors | p50 (ms) | p99 (ms) |",
        "|---|---:|---:|---:|---:|---:|",
        f"| GET /api/v1/me (trivial, authenticated) | {w_trivial[0]:.1f} | {w_trivial[1]} | {w_trivial[2]} | {w_trivial[3]:.0f} | {w_trivial[4]:.0f} |",
        f"| GET /api/v1/sugar/permits/ | {w_listing[0]:.1f} | {w_listing[1]} | {w_listing[2]} | {w_listing[3]:.0f} | {w_listing[4]:.0f} |",
        "",
        f"Ratios of the rounds: {', '.join(f'{r:.2f}' for r in ratios)}.",
        "",
        f"**Ratio list / trivial under wrk: {ratio:.2f}** (target ≥ {TARGET}); errors: {errors}"
        f" → {'PASS' if ratio >= TARGET and errors == 0 else 'FAIL'}",
    ]
    if phases:
        trivial, listing = summary("/api/v1/me"), summary("/api/v1/sugar/permits/")
        p_ratio = listing[0] / trivial[0]
        p_errors = trivial[2] + listing[2]
        lines += [
            "",
            f"**Python client** (the earlier one: {args.clients} threads, each with its own keep-alive session and token; "
            f"2 × {args.python_seconds:.0f} s per endpoint, interleaved, after wrk's runs). It competes with the server for the "
            "2 cores and caps the trivial endpoint, which flatters the ratio.",
            "",
            "| endpoint | requests/s | ok | errors | p50 (ms) | p95 (ms) |",
            "|---|---:|---:|---:|---:|---:|",
            f"| GET /api/v1/me (trivial, authenticated) | {trivial[0]:.1f} | {trivial[1]} | {trivial[2]} | {trivial[4]:.0f} | {trivial[5]:.0f} |",
            f"| GET /api/v1/sugar/permits/ | {listing[0]:.1f} | {listing[1]} | {listing[2]} | {listing[4]:.0f} | {listing[5]:.0f} |",
            "",
            f"Ratio list / trivial with the Python client: {p_ratio:.2f} (quality.md's target ≥ {PYTHON_TARGET}); errors: {p_errors}"
            + (f" {dict(trivial[3], **listing[3])}" if p_errors else ""),
        ]
        errors += p_errors
    text = "\n".join(lines)
    print(text)
    if not getattr(args, "no_write", False):
        write_results(text)
    print(f"PERF-04 ratio under wrk: {ratio:.2f}")


if __name__ == "__main__":
    main()

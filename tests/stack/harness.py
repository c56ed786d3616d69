"""The real stack for HTTP-level race tests and the PERF-06 benchmark: a private Redis, gunicorn
(several workers × threads) and a Celery worker, all serving one PostgreSQL database.

Every process binds a port chosen at run time and the broker is a private redis-server, so
runs of other people on the same machine never take our tasks or our ports."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url(settings_dict: dict) -> str:
    d = settings_dict
    return f"postgres://{d['USER']}:{d['PASSWORD'] or ''}@{d['HOST'] or '127.0.0.1'}:{d['PORT'] or 5432}/{d['NAME']}"


def _stop(process: subprocess.Popen | None, timeout: float = 20) -> None:
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(5)


@dataclass
class Stack:
    """Start with ``start()``, stop with ``stop()``; ``base`` is the web server's URL."""

    directory: Path
    database_url: str
    extra_env: dict = field(default_factory=dict)
    web_workers: int = 4
    web_threads: int = 4
    worker_concurrency: int = 2
    processes: dict = field(default_factory=dict)
    base: str = ""

    @property
    def env(self) -> dict:
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "inatrade.settings",
            "INATRADE_ENV": "development",
            "DEBUG": "false",
            "INATRADE_VAR_DIR": str(self.directory / "var"),
            "PRIVATE_MEDIA_ROOT": str(self.directory / "private"),
            "DATABASE_URL": self.database_url,
            "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "THROTTLE_USER": "100000/minute",
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
            **self.extra_env,
        }

    def log(self, name: str) -> Path:
        return self.directory / f"{name}.log"

    def _spawn(self, name: str, args: list[str]) -> subprocess.Popen:
        handle = open(self.log(name), "w")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(args, cwd=ROOT, env=self.env, stdout=handle, stderr=subprocess.STDOUT)
        self.processes[name] = (process, handle)
        return process

    def start(self, *, worker: bool = True) -> "Stack":
        self.directory.mkdir(parents=True, exist_ok=True)
        if not shutil.which("redis-server"):
            raise RuntimeError("redis-server is not installed")
        self.redis_port = free_port()
        self._spawn("redis", ["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1", "--save", "",
                              "--appendonly", "no", "--dir", str(self.directory)])
        self._wait(lambda: socket.create_connection(("127.0.0.1", self.redis_port), timeout=0.2).close(), "redis")
        port = free_port()
        self.base = f"http://127.0.0.1:{port}"
        self._spawn("gunicorn", [sys.executable, "-m", "gunicorn", "inatrade.wsgi:application", "--bind", f"127.0.0.1:{port}",
                                 "--workers", str(self.web_workers), "--threads", str(self.web_threads), "--timeout", "120"])
        self._wait(lambda: requests.get(f"{self.base}/healthz", timeout=10), "gunicorn")
        if worker:
            self.start_worker()
        return self

    def start_worker(self) -> None:
        self._spawn("worker", [sys.executable, "-m", "celery", "-A", "inatrade", "worker", "--loglevel", "WARNING",
                               "--concurrency", str(self.worker_concurrency), "--pool", "prefork",
                               "--without-gossip", "--without-mingle", "--without-heartbeat", "-n", f"stack-{os.getpid()}@%h"])

    def _wait(self, probe, name: str, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while True:
            process = self.processes[name][0]
            if process.poll() is not None:
                raise RuntimeError(f"{name} ended: {self.log(name).read_text()[-3000:]}")
            try:
                probe()
                return
            except (OSError, requests.RequestException):
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{name} did not start: {self.log(name).read_text()[-3000:]}") from None
                time.sleep(0.1)

    def stop(self) -> None:
        for name in ("worker", "gunicorn", "redis"):
            if name in self.processes:
                process, handle = self.processes.pop(name)
                _stop(process)
                handle.close()

    def server_logs(self) -> str:
        return "\n".join(self.log(name).read_text() for name in ("gunicorn", "worker") if self.log(name).exists())

    def run_job(self, name: str, as_of: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "manage.py", "run_job", name, "--as-of", as_of], cwd=ROOT, env=self.env,
                              capture_output=True, text=True, timeout=300)


def post_all(base: str, requests_list: list[tuple[str, str, dict]], *, clients: int) -> list[requests.Response]:
    """POST every (path, token, json) at once from ``clients`` threads; answers in order."""
    def one(item):
        path, token, body = item
        return requests.post(f"{base}{path}", json=body, headers={"Authorization": f"Token {token}"}, timeout=300)

    with ThreadPoolExecutor(max_workers=clients) as pool:
        return list(pool.map(one, requests_list))


def deadlocks(cursor, database: str) -> int:
    """PostgreSQL's count of deadlocks detected in ``database`` since its statistics were reset."""
    cursor.execute("SELECT pg_stat_clear_snapshot()")
    cursor.execute("SELECT deadlocks FROM pg_stat_database WHERE datname = %s", [database])
    return cursor.fetchone()[0]

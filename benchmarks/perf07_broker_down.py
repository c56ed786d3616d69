"""PERF-07 (issue 21, REL-07): seconds one sugar approval spends with the broker down, before
and after docs/decisions/0012.

    .venv/bin/python benchmarks/perf07_broker_down.py [--before 3] [--after 5]

Sets up Django on a throw-away SQLite database (nothing of var/ is touched) with Celery
publishing for real (not eager) to a Redis broker that is down:

- *stopped*: a loopback port where nobody listens (connections refused at once);
- *unreachable*: a loopback listener whose backlog is full and which never accepts (the
  connection attempt hangs, as for a host that drops packets); only the current code is
  timed there, the old one waits for the kernel's connect timeout (minutes) per message.

Each approval runs the service in its own transaction, and what it queues after commit (the
permit to sign, the e-mails) is published then, as in a request. "before" is the publish of
the previous ``inatrade.queue.publish_now`` (kept below for the comparison): kombu's
connection retry loop, once per message. "after" is the current one. Counts the TCP
connection attempts to the broker per approval. Prints a table and writes section PERF-07 of
benchmarks/results/latest.md.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="perf07-"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


STOPPED_PORT = _free_port()
os.environ.update({
    "DJANGO_SETTINGS_MODULE": "inatrade.settings",
    "INATRADE_ENV": "development",
    "INATRADE_VAR_DIR": str(WORK / "var"),
    "DATABASE_URL": f"sqlite:///{WORK / 'db.sqlite3'}",
    "REDIS_URL": f"redis://127.0.0.1:{STOPPED_PORT}/0",
    "CELERY_TASK_ALWAYS_EAGER": "false",
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    "LOG_LEVEL": "CRITICAL",
})
os.environ.pop("CELERY_BROKER_URL", None)

import django  # noqa: E402

django.setup()

ATTEMPTS: list[tuple] = []
_real_connect = socket.socket.connect


def _counting_connect(sock, address):
    if isinstance(address, tuple) and len(address) >= 2 and address[0] == "127.0.0.1" and address[1] in BROKER_PORTS:
        ATTEMPTS.append(address)
    return _real_connect(sock, address)


BROKER_PORTS: set[int] = {STOPPED_PORT}
socket.socket.connect = _counting_connect


def legacy_publish_now(task, *args) -> bool:
    """``inatrade.queue.publish_now`` as it was before docs/decisions/0012."""
    import logging

    from django.conf import settings

    try:
        task.apply_async(
            args=args, retry=False,
            connect_timeout=settings.CELERY_BROKER_PUBLISH_TIMEOUT, timeout=settings.CELERY_BROKER_PUBLISH_TIMEOUT,
        )
        return True
    except Exception:  # noqa: BLE001
        logging.getLogger("inatrade.queue").warning("Could not publish %s%r", task.name, args)
        return False


def unreachable_listener() -> tuple[socket.socket, list[socket.socket], int]:
    """A listener with a full backlog that never accepts: new connection attempts hang."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(0)
    port = server.getsockname()[1]
    fillers = []
    for _ in range(4):
        filler = socket.socket()
        filler.setblocking(False)
        try:
            _real_connect(filler, ("127.0.0.1", port))
        except (BlockingIOError, OSError):
            pass
        fillers.append(filler)
    return server, fillers, port


def point_broker_at(port: int) -> None:
    from inatrade import queue
    from inatrade.celery import app

    BROKER_PORTS.add(port)
    app.conf.broker_url = f"redis://127.0.0.1:{port}/0"
    app._pool = None
    app.amqp._producer_pool = None
    queue.forget_broker_state()


def setup(count: int):
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from accounts.models import Role
    from sugar_import import services as sugar
    from sugar_import.models import Purpose, SugarType
    from tests.factories import CompanyFactory, ImporterFactory, UserFactory
    from tests.sugar_import.conftest import draft, make_quota, make_recommendation, record_api_p, reseed_reference_data

    reseed_reference_data()
    make_quota(Purpose.objects.get(code="industry"), SugarType.objects.get(code="GKM"), tonnes="10000000")
    agency = UserFactory(role=Role.AGENCY)
    dirjen = UserFactory(role=Role.DIRECTOR_GENERAL, position="Direktur Jenderal Perdagangan Luar Negeri")
    applications = []
    for _ in range(count):
        owner = ImporterFactory(company=CompanyFactory())
        record_api_p(owner)
        recommendation = make_recommendation(agency, owner.company, number=f"REK-{owner.pk}")
        applications.append(sugar.sugar_application_submit(application=draft(owner, recommendation), actor=owner))
    return dirjen, applications


def approve(application, dirjen) -> tuple[float, int]:
    """Seconds and broker connection attempts of one approval (commit and after-commit work)."""
    from sugar_import import services as sugar

    before = len(ATTEMPTS)
    start = time.perf_counter()
    sugar.sugar_application_approve(application=application, actor=dirjen)  # its own transaction
    return time.perf_counter() - start, len(ATTEMPTS) - before


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", type=int, default=3, help="approvals timed with the old publish")
    parser.add_argument("--after", type=int, default=5, help="approvals timed with the current publish, per case")
    args = parser.parse_args()

    from django.conf import settings

    from inatrade import queue
    from permits.models import PermitVersion, VersionState
    from sugar_import.models import ApplicationStatus

    dirjen, applications = setup(args.before + 2 * args.after + 1)
    pending = iter(applications)
    approve(next(pending), dirjen)  # warm-up (imports, templates); broker state reset below

    rows = []
    current = queue.publish_now
    queue.publish_now = legacy_publish_now
    try:
        point_broker_at(STOPPED_PORT)
        before = [approve(next(pending), dirjen) for _ in range(args.before)]
    finally:
        queue.publish_now = current
    rows.append(("before", "stopped (connection refused)", before))

    point_broker_at(STOPPED_PORT)
    rows.append(("after", "stopped (connection refused)", [approve(next(pending), dirjen) for _ in range(args.after)]))
    server, fillers, port = unreachable_listener()
    try:
        point_broker_at(port)
        rows.append(("after", "unreachable (connect hangs)", [approve(next(pending), dirjen) for _ in range(args.after)]))
    finally:
        for sock in (server, *fillers):
            sock.close()

    approved = applications[1:]
    for application in approved:
        application.refresh_from_db()
        assert application.status == ApplicationStatus.APPROVED
    waiting = PermitVersion.objects.filter(state=VersionState.AWAITING_SIGNATURE).count()
    assert waiting == len(applications), "every approval's permit waits in the outbox"

    import platform

    lines = [
        f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {platform.node()} (Python {platform.python_version()}); "
        f"SQLite; Celery publishing for real to a Redis broker that is down; "
        f"`CELERY_BROKER_PUBLISH_TIMEOUT={settings.CELERY_BROKER_PUBLISH_TIMEOUT:g}`, "
        f"`CELERY_BROKER_DOWN_MEMORY={settings.CELERY_BROKER_DOWN_MEMORY:g}`; one sugar approval per row "
        "(its transaction, then its after-commit publishes: the permit to sign and the e-mails), "
        "each on its own application; the approvals follow one another within the memory window.",
        "",
        "| code | broker | 1st approval (s) | later approvals, median (s) | broker connection attempts per approval |",
        "|---|---|---:|---:|---|",
    ]
    for code, case, results in rows:
        seconds = [s for s, _ in results]
        attempts = [a for _, a in results]
        later = f"{statistics.median(seconds[1:]):.2f}" if len(seconds) > 1 else "-"
        lines.append(f"| {code} | {case} | {seconds[0]:.2f} | {later} | {', '.join(map(str, attempts))} |")
    lines += [
        "",
        "Before, kombu retried the connection inside each publish (attempts at 0, 2 and 6 s: "
        "`interval_start=2`, `interval_step=2`, until `broker_connection_timeout`=4 s has passed), "
        "once per message; `retry=False` and `connect_timeout=` of `apply_async` did not reach it. "
        "An unreachable host (packets dropped) was worse: no socket connect timeout, so each "
        "attempt waited for the kernel (over 100 s observed). After: one attempt bounded by "
        "`socket_connect_timeout`, and the outage remembered by the process for "
        "`CELERY_BROKER_DOWN_MEMORY` seconds (docs/decisions/0012).",
    ]
    text = "\n".join(lines)
    print(text)
    from benchmarks.results_file import write_section

    write_section("PERF-07", "an approval with the broker down (REL-07)", text)


if __name__ == "__main__":
    main()

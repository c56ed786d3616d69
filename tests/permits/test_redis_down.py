"""REL-07: Redis down while the web app runs.

A real gunicorn serves the portal from the test database, with a private redis-server (its
own port, never the shared one) as cache and broker. We stop that Redis: pages, login and the
API still answer; an approval still succeeds and its work (the permit to sign, the e-mail)
waits in the database outbox. Redis comes back: the sweeps send it out, and new work is
published to the broker again."""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.db import connection

from inatrade.models import OutgoingEmail
from permits.models import PermitStatus, PermitVersion, VersionState
from permits.services import permit_signing_sweep
from sugar_import import services as sugar
from sugar_import.models import ApplicationStatus, Purpose, SugarType
from tests.factories import DEFAULT_PASSWORD, CompanyFactory, ImporterFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]
# After a failed publish the web process sends work straight to the outbox for this long
# (inatrade/queue.py); short here so that the test sees it publish again once Redis is back.
BROKER_DOWN_MEMORY = 1.0

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="the web server runs in another process and must share the test database (PostgreSQL)"),
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs the redis-server binary"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PrivateRedis:
    def __init__(self, directory: Path, port: int):
        self.directory, self.port, self.process = directory, port, None

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("private redis-server did not start")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def llen(self, key: str) -> int:
        import redis

        return redis.Redis(host="127.0.0.1", port=self.port, db=0).llen(key)


@pytest.fixture
def private_redis(tmp_path):
    port = 6390
    with socket.socket() as s:
        if s.connect_ex(("127.0.0.1", port)) == 0:
            port = free_port()  # someone else has 6390: take any free port
    server = PrivateRedis(tmp_path, port).start()
    yield server
    server.stop()


@pytest.fixture
def web(private_redis, tmp_path):
    db = connection.settings_dict
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "inatrade.settings",
        "INATRADE_ENV": "development",
        "INATRADE_VAR_DIR": str(tmp_path / "var"),
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "private"),
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": f"redis://127.0.0.1:{private_redis.port}/0",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "CELERY_BROKER_PUBLISH_TIMEOUT": "1",
        "CELERY_BROKER_DOWN_MEMORY": str(BROKER_DOWN_MEMORY),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "WARNING",
    }
    log = open(tmp_path / "gunicorn.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "inatrade.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", "1", "--threads", "2", "--timeout", "60"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            requests.get(f"{base}/accounts/login/", timeout=10)
            break
        except (requests.ConnectionError, requests.Timeout):
            time.sleep(0.1)
    else:
        process.kill()
        raise RuntimeError((tmp_path / "gunicorn.log").read_text())
    yield base
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


def submitted_application(company, owner, agency):
    from tests.sugar_import.conftest import draft, make_quota, make_recommendation, record_api_p, reseed_reference_data

    if not SugarType.objects.exists():
        reseed_reference_data()
    gkm, industry = SugarType.objects.get(code="GKM"), Purpose.objects.get(code="industry")
    from sugar_import.models import QuotaAllocation

    if not QuotaAllocation.objects.exists():
        make_quota(industry, gkm)
    record_api_p(owner)
    recommendation = make_recommendation(agency, company, number=f"REK-{owner.pk}")
    return sugar.sugar_application_submit(application=draft(owner, recommendation), actor=owner)


def api(base, user, method, path, headers=None, **kwargs):
    from accounts.models import ApiToken

    _, key = ApiToken.issue(user)
    headers = {"Authorization": f"Token {key}", **(headers or {})}
    return requests.request(method, f"{base}{path}", headers=headers, timeout=30, **kwargs)


def login(base, username):
    session = requests.Session()
    page = session.get(f"{base}/accounts/login/", timeout=30)
    assert page.status_code == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = session.post(f"{base}/accounts/login/", timeout=30, allow_redirects=False,
                            data={"username": username, "password": DEFAULT_PASSWORD, "csrfmiddlewaretoken": token},
                            headers={"Referer": f"{base}/accounts/login/"})
    return session, response


def test_pages_and_the_api_work_with_redis_down_and_the_outbox_drains_when_it_is_back__REL_07(
        web, private_redis, dirjen, dirjen_certificate):
    from accounts.models import Role

    company = CompanyFactory()
    owner = ImporterFactory(company=company)
    agency = UserFactory(role=Role.AGENCY)
    application = submitted_application(company, owner, agency)
    # the test settings hash with MD5; the web server (development settings) expects PBKDF2
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    hasher = PBKDF2PasswordHasher()
    type(owner).objects.filter(pk=owner.pk).update(password=hasher.encode(DEFAULT_PASSWORD, hasher.salt()))

    # Redis up: a warm-up request goes through
    assert api(web, owner, "GET", "/api/v1/sugar/permits/").status_code == 200

    private_redis.stop()

    # pages: anonymous, login (throttled and locked out through the cache), a logged-in page
    assert requests.get(f"{web}/", timeout=30).status_code in (200, 302)
    session, response = login(web, owner.username)
    assert response.status_code == 302, response.text[:2000]
    dashboard = session.get(f"{web}/accounts/dashboard/", timeout=30)
    assert dashboard.status_code == 200
    assert session.get(f"{web}/sugar/", timeout=30).status_code == 200
    # the health check tells the truth instead of failing
    health = requests.get(f"{web}/readyz", timeout=30)
    assert health.status_code == 503 and health.json()["checks"]["cache"]["ok"] is False
    assert health.json()["checks"]["database"]["ok"] is True

    # the API: a list and an action that queues work
    listed = api(web, owner, "GET", "/api/v1/sugar/permits/")
    assert listed.status_code == 200 and listed.json()["count"] == 0
    started = time.monotonic()
    approved = api(web, dirjen, "POST", f"/api/v1/sugar/applications/{application.pk}/approve",
                   headers={"Idempotency-Key": "rel-07-approve"})
    assert approved.status_code == 200, approved.text
    assert time.monotonic() - started < 15  # bounded by the publish timeout, not hung
    failed_publish_seen = time.monotonic()  # the server's failed publish happened before this
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED

    # the work waits in the database outbox
    version = PermitVersion.objects.get(permit__number=approved.json()["number"])
    assert version.state == VersionState.AWAITING_SIGNATURE
    email = OutgoingEmail.objects.get(template="sugar_permit_issued")
    assert email.state == OutgoingEmail.State.PENDING
    assert api(web, owner, "GET", "/api/v1/sugar/permits/").json()["count"] == 1

    # Redis is back: the periodic sweeps (what beat runs) send everything out
    private_redis.start()
    from django.core import mail
    from django.core.management import call_command

    assert permit_signing_sweep()["signed"] == 1
    call_command("run_job", "email_outbox_deliver")
    version.refresh_from_db()
    assert version.state == VersionState.SIGNED and version.permit.status == PermitStatus.VALID
    assert OutgoingEmail.objects.get(pk=email.pk).state == OutgoingEmail.State.SENT
    assert any("sugar" in m.subject.lower() or owner.email in m.to for m in mail.outbox)

    # and the web app publishes new work to the broker again, once its memory of the outage
    # has expired (it does not try the broker for every message of an outage)
    time.sleep(max(0.0, failed_publish_seen + BROKER_DOWN_MEMORY + 0.2 - time.monotonic()))
    second_owner = ImporterFactory(company=CompanyFactory())
    second = submitted_application(second_owner.company, second_owner, agency)
    assert private_redis.llen("celery") == 0
    assert api(web, dirjen, "POST", f"/api/v1/sugar/applications/{second.pk}/approve").status_code == 200
    assert private_redis.llen("celery") >= 1

"""REL-06 with a real process: a worker running the signing task is killed with SIGKILL in the
middle of its work (while pyHanko signs, or after the signed file is stored but before the
commit); the task is redelivered and the sweep runs after the worker's lease ran out. The permit
is issued exactly once: one signed version, one INSW event, one audit entry, one e-mail."""

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from inatrade.audit import AuditEntry
from inatrade.models import OutgoingEmail
from permits.models import InswOutboxEvent, Permit, PermitStatus, PermitVersion, VersionState
from permits.services import permit_signing_sweep
from permits.signing import validate_pdf
from permits.tasks import sign_permit_version
from tests.permits.conftest import PASSPHRASE

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="the killed worker is another process and must share the test database (PostgreSQL)"),
]

WORKER = textwrap.dedent("""
    import os, sys, time
    from pathlib import Path
    sys.path.insert(0, os.environ["ROOT"])
    import django
    django.setup()
    from permits import signing
    from permits.services import signing as services

    marker, point = Path(os.environ["MARKER"]), os.environ["KILL_POINT"]
    if point == "signing":
        real_sign = signing.sign_pdf
        def sign_pdf(*args, **kwargs):
            real_sign(*args, **kwargs)           # the work is done...
            marker.write_text("signing")         # ...and the worker dies before returning
            time.sleep(600)
        signing.sign_pdf = sign_pdf
    else:
        real_store = services.store_private
        def store_private(*args, **kwargs):
            result = real_store(*args, **kwargs)  # the signed file is stored...
            marker.write_text("stored")           # ...and the worker dies before the commit
            time.sleep(600)
            return result
        services.store_private = store_private

    from permits.tasks import sign_permit_version
    sign_permit_version.apply(args=[int(sys.argv[1])], throw=True)
""")


def run_worker_and_kill(version_id: int, point: str, tmp_path: Path) -> int:
    db = connection.settings_dict
    marker = tmp_path / f"marker-{point}"
    env = {
        **os.environ,
        "ROOT": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "inatrade.settings",
        "INATRADE_ENV": "development",
        "INATRADE_VAR_DIR": str(tmp_path / "var"),
        "PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "CELERY_TASK_ALWAYS_EAGER": "true",
        "PKI_DIR": str(settings.PKI_DIR),
        "PKI_DEV_PASSPHRASE": PASSPHRASE.decode(),
        "INATRADE_SIGNER_PASSPHRASE": PASSPHRASE.decode(),
        "SITE_URL": settings.SITE_URL,
        "MARKER": str(marker),
        "KILL_POINT": point,
        "LOG_LEVEL": "WARNING",
    }
    env.pop("REDIS_URL", None)
    process = subprocess.Popen([sys.executable, "-c", WORKER, str(version_id)], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 90
    while not marker.exists():
        if process.poll() is not None:
            raise AssertionError(f"worker ended before the kill point: {process.stdout.read().decode()[-3000:]}")
        assert time.monotonic() < deadline, "worker never reached the kill point"
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    return process.wait(10)


@pytest.mark.parametrize("point", ["signing", "stored"])
def test_a_worker_killed_mid_signing_leaves_the_permit_issued_exactly_once_after_restart__REL_06(
        point, company, dirjen, dirjen_certificate, sugar_content, monkeypatch, tmp_path):
    from permits.services import permit_issue

    # the web request only writes the row; the task goes to the (separate) worker below
    monkeypatch.setattr("inatrade.queue.publish_now", lambda task, *args: False)
    permit = permit_issue(kind="sugar_pi", holder=company, number=f"04.PI-05.26.09{10 + len(point)}",
                          content=sugar_content, signer=dirjen)
    version = permit.versions.get()
    emails_before = OutgoingEmail.objects.count()

    assert run_worker_and_kill(version.pk, point, tmp_path) == -signal.SIGKILL

    version.refresh_from_db()
    assert version.state == VersionState.AWAITING_SIGNATURE and version.signing_claimed_until is not None
    assert Permit.objects.get(pk=permit.pk).status == PermitStatus.AWAITING_SIGNATURE
    assert not InswOutboxEvent.objects.exists()

    # the broker redelivers the task (acks_late) while the dead worker's lease still runs: no double work
    assert sign_permit_version.apply(args=[version.pk]).get() is False
    assert permit_signing_sweep()["signed"] == 0
    # the lease runs out (time passes): the sweep takes it over and completes it once
    PermitVersion.objects.filter(pk=version.pk).update(signing_claimed_until=version.signing_claimed_until.replace(year=2000))
    assert permit_signing_sweep()["signed"] == 1
    assert permit_signing_sweep()["signed"] == 0
    assert sign_permit_version.apply(args=[version.pk]).get() is False

    permit.refresh_from_db()
    version.refresh_from_db()
    assert permit.status == PermitStatus.VALID and permit.current_version_id == version.pk
    assert PermitVersion.objects.filter(permit=permit).count() == 1 and version.state == VersionState.SIGNED
    assert InswOutboxEvent.objects.filter(permit=permit).count() == 1
    assert AuditEntry.objects.filter(action="permit.sign", object_id=str(permit.pk)).count() == 1
    from django.core.files.storage import default_storage

    with default_storage.open(version.pdf_path) as handle:
        assert validate_pdf(handle.read()).ok
    # no failure alert and no duplicate notice: at most the one "issued" notice per permit
    assert not OutgoingEmail.objects.filter(template="permit_signing_failed").exists()
    assert OutgoingEmail.objects.count() - emails_before <= 1

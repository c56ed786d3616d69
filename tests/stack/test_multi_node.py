"""Issue 19: several nodes sharing only PostgreSQL, Redis and an S3-compatible object store.

On one machine, with separate processes: two gunicorn nodes (A, B) on free ports, each with its
own empty local folder; two Celery workers; one beat (later a second one, started "by
mistake"); the test database (committed data); Redis (REDIS_URL, a queue of this run's own);
and a local S3 server (moto). Then:

- an importer registers a sugar application on node A with uploads (a recommendation PDF);
- officers validate (read the application) and approve it on node B;
- the permit is signed by whichever worker takes it; the PDF is downloaded from node A and
  verified (signature valid and trusted);
- a burst of approvals on node B; one worker is killed (SIGKILL) while it signs: every permit
  is still signed exactly once (one signed version, one audit entry, one INSW event);
- a second beat runs beside the first across minute ticks: no job runs twice for one slot;
- no node's local folder holds a stored file: everything is in the bucket.

The figures are printed (``-s``) as "multi-node: ..." for the closing note.
"""

import io
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
PASSPHRASE = "multi-node-passphrase"
BURST = 6

pytestmark = [
    pytest.mark.stack,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the nodes share the test database (PostgreSQL)"),
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="the nodes share Redis (REDIS_URL)"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, *, timeout: float, what: str, interval: float = 0.5):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(interval)


def pdf_bytes(text: str = "x") -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


class Stack:
    def __init__(self, tmp: Path, s3_endpoint: str, bucket: str, pki_dir: Path):
        db = connection.settings_dict
        self.tmp = tmp
        tmp.mkdir(parents=True, exist_ok=True)
        self.queue = f"multinode-{uuid.uuid4().hex[:8]}"
        self.base_env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_"))},
            "DJANGO_SETTINGS_MODULE": "inatrade.settings",
            "INATRADE_ENV": "development",
            "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
            "REDIS_URL": os.environ["REDIS_URL"],
            "CELERY_QUEUE": self.queue,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "CELERY_VISIBILITY_TIMEOUT": "3600",
            "STORAGE_URL": f"s3://{bucket}/files?endpoint_url={s3_endpoint}&region=us-east-1",
            "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1",
            "PKI_DIR": str(pki_dir),  # CA certificate and dev TSA: configuration, not stored files
            "PKI_DEV_PASSPHRASE": "",  # no fallback passphrase: only workers get the real one
            "PERMIT_SIGNING_LEASE_SECONDS": "20",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "INSW_ENDPOINT": f"http://127.0.0.1:{free_port()}/insw",  # nobody there: events wait
            "INSW_TIMEOUT_SECONDS": "1",
            "LOG_LEVEL": "INFO",
            "SITE_URL": "http://127.0.0.1:8000",
        }
        self.processes: dict[str, subprocess.Popen] = {}
        self.folders: dict[str, Path] = {}

    def env_for(self, name: str, **extra) -> dict:
        folder = self.tmp / name
        folder.mkdir(parents=True, exist_ok=True)
        self.folders[name] = folder
        return {**self.base_env, "INATRADE_VAR_DIR": str(folder), "PRIVATE_MEDIA_ROOT": str(folder / "private"),
                "STATIC_ROOT": str(folder / "static"), **extra}

    def start(self, name: str, args: list[str], **extra) -> subprocess.Popen:
        log = open(self.tmp / f"{name}.log", "w")  # noqa: SIM115
        process = subprocess.Popen(args, cwd=ROOT, env=self.env_for(name, **extra), stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        self.processes[name] = process
        return process

    def node(self, name: str) -> str:
        port = free_port()
        self.start(name, [sys.executable, "-m", "gunicorn", "inatrade.wsgi:application", "--bind", f"127.0.0.1:{port}",
                          "--workers", "1", "--threads", "4", "--timeout", "120"])
        base = f"http://127.0.0.1:{port}"
        wait_for(lambda: self._up(base), timeout=90, what=f"node {name}\n{self.log(name)}")
        return base

    def _up(self, base):
        try:
            return requests.get(f"{base}/healthz", timeout=5).status_code == 200
        except requests.RequestException:
            return False

    def worker(self, name: str):
        return self.start(name, [sys.executable, "-m", "celery", "-A", "inatrade", "worker", "-Q", self.queue,
                                 "--concurrency", "1", "--pool", "prefork", "-n", f"{name}-{self.queue}@%h",
                                 "--without-gossip", "--without-mingle", "--loglevel", "INFO"],
                          INATRADE_SIGNER_PASSPHRASE=PASSPHRASE)

    def beat(self, name: str):
        folder = self.tmp / name
        return self.start(name, [sys.executable, "-m", "celery", "-A", "inatrade", "beat", "--loglevel", "INFO",
                                 "-s", str(folder / "celerybeat-schedule")])

    def log(self, name: str) -> str:
        path = self.tmp / f"{name}.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""

    def kill(self, name: str, sig=signal.SIGKILL):
        process = self.processes[name]
        if process.poll() is None:
            os.killpg(process.pid, sig)
            process.wait(30)

    def stop_all(self):
        for name, process in self.processes.items():
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                except ProcessLookupError:
                    continue
        for name, process in self.processes.items():
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(10)


def stored_files_in(folder: Path) -> list[str]:
    """Files of the storage under a node's folder (private media); logs and caches are not."""
    private = folder / "private"
    return sorted(str(p) for p in private.rglob("*") if p.is_file()) if private.exists() else []


def token(user) -> dict:
    from accounts.models import ApiToken

    _, key = ApiToken.issue(user)
    return {"Authorization": f"Token {key}"}


def test_two_nodes_two_workers_two_beats_share_only_postgres_redis_and_the_object_store__issue_19(
        tmp_path, s3_server, capsys):
    from accounts.models import Role
    from inatrade.models import JobRun
    from inatrade.audit import AuditEntry
    from permits import pki
    from permits.models import InswOutboxEvent, Permit, PermitStatus, PermitVersion, VersionState
    from permits.services import signing_certificate_register
    from sugar_import.models import Purpose, SugarType
    from tests.conftest import bucket_keys, make_bucket
    from tests.factories import CompanyFactory, ImporterFactory, UserFactory
    from tests.sugar_import.conftest import make_quota, record_api_p, reseed_reference_data

    # --- shared state: the database (committed), a bucket, the officials' keys in the database
    reseed_reference_data()
    make_quota(Purpose.objects.get(code="industry"), SugarType.objects.get(code="GKM"), tonnes="1000000")
    pki_dir = tmp_path / "pki-config"
    pki.generate_dev_pki(pki_dir, [("dirjen", "Direktur Jenderal Multi Node")], passphrase=PASSPHRASE.encode())
    company = CompanyFactory(name="PT Banyak Simpul")
    owner = ImporterFactory(company=company)
    record_api_p(owner)
    agency = UserFactory(role=Role.AGENCY)
    checker = UserFactory(role=Role.COUNTER_OFFICER)
    dirjen = UserFactory(username="dirjen", role=Role.DIRECTOR_GENERAL, position="Direktur Jenderal")
    old = os.environ.get("INATRADE_SIGNER_PASSPHRASE")
    os.environ["INATRADE_SIGNER_PASSPHRASE"] = PASSPHRASE
    try:
        signing_certificate_register(user=dirjen, pkcs12_data=(pki_dir / "signers" / "dirjen.p12").read_bytes())
    finally:
        os.environ.pop("INATRADE_SIGNER_PASSPHRASE") if old is None else os.environ.__setitem__("INATRADE_SIGNER_PASSPHRASE", old)
    (pki_dir / "signers" / "dirjen.p12").unlink()  # the key lives in the database only
    bucket = f"multinode-{uuid.uuid4().hex[:10]}"
    make_bucket(s3_server, bucket)
    from tests.sugar_import.conftest import make_recommendation

    recommendation = make_recommendation(agency, company, number="REK-MULTI-1", volume="900000")
    H_owner, H_checker, H_dg = token(owner), token(checker), token(dirjen)

    stack = Stack(tmp_path / "stack", s3_server, bucket, pki_dir)
    figures = {"nodes": 2, "workers": 2, "beats": 2, "permits": 0, "kills": 0, "duplicate_runs": None}
    try:
        node_a, node_b = stack.node("node-a"), stack.node("node-b")
        stack.worker("worker-1")
        stack.worker("worker-2")
        stack.beat("beat-1")

        # readiness of both nodes: database, migrations, Redis, broker, cache, the S3 store
        for base in (node_a, node_b):
            ready = requests.get(f"{base}/readyz", timeout=30)
            assert ready.status_code == 200, ready.text
            assert ready.json()["storage_backend"] == "S3Storage"

        # --- node A: the importer uploads a recommendation PDF and registers an application
        upload = requests.post(f"{node_a}/api/v1/sugar/recommendations/", headers=H_owner, timeout=60, data={
            "kind": "recommendation", "issuer": "Kementerian Perindustrian", "number": "REK-UPLOAD-1",
            "date": "2026-02-01", "sugar_type": "GKM", "volume_tonnes": "10", "hs_codes": "1701.14.00",
            "origin_countries": "BR", "ports": "IDTPP", "valid_from": "2026-01-01", "valid_until": "2099-12-31",
        }, files={"file": ("rekomendasi.pdf", pdf_bytes(), "application/pdf")})
        assert upload.status_code == 201, upload.text

        def apply(volume: str) -> int:
            created = requests.post(f"{node_a}/api/v1/sugar/applications/", headers=H_owner, timeout=60, json={
                "purpose": "industry", "sugar_type": "GKM", "recommendation": recommendation.pk,
                "lines": [{"hs_code": "1701.14.00", "description": "Gula kristal mentah", "volume_tonnes": volume,
                           "origin_country": "BR", "port_of_discharge": "IDTPP"}]})
            assert created.status_code == 201, created.text
            pk = created.json()["id"]
            submitted = requests.post(f"{node_a}/api/v1/sugar/applications/{pk}/submit", headers=H_owner, timeout=60)
            assert submitted.status_code == 200, submitted.text
            return pk

        first = apply("100")
        # --- node B: the checker validates (reads it), the director general approves
        seen = requests.get(f"{node_b}/api/v1/sugar/applications/{first}", headers=H_checker, timeout=60)
        assert seen.status_code == 200 and seen.json()["status"] == "submitted", seen.text
        approved = requests.post(f"{node_b}/api/v1/sugar/applications/{first}/approve", headers=H_dg, timeout=120)
        assert approved.status_code == 200, approved.text
        number = approved.json()["number"]

        # --- a worker signs it; node A serves and the verifier accepts the PDF
        def signed(n):
            return Permit.objects.filter(number=n, status=PermitStatus.VALID).exists()

        wait_for(lambda: signed(number), timeout=180, what="the first permit signed\n" + stack.log("worker-1"))
        pdf = requests.get(f"{node_a}/api/v1/sugar/permits/{number}/pdf", headers=H_owner, timeout=60)
        assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"
        verify = requests.post(f"{node_a}/api/v1/verify/", timeout=60,
                               files={"file": ("permit.pdf", pdf.content, "application/pdf")})
        assert verify.status_code == 200, verify.text
        body = verify.json()
        assert body["issued_here"] and body["current"] and body["signature_intact"], body
        assert body["permit_number"] == number and "Multi Node" in body["signer"], body

        # --- a burst of approvals; worker-1 is killed while a signing is under way
        pks = [apply(str(10 + i)) for i in range(BURST)]
        stack.beat("beat-2")  # started by mistake beside beat-1
        for pk in pks:
            response = requests.post(f"{node_b}/api/v1/sugar/applications/{pk}/approve", headers=H_dg, timeout=120)
            assert response.status_code == 200, response.text
        wait_for(lambda: PermitVersion.objects.filter(signing_claimed_until__isnull=False,
                                                      state=VersionState.AWAITING_SIGNATURE).exists(),
                 timeout=120, what="a signing under way", interval=0.05)
        stack.kill("worker-1")
        figures["kills"] += 1

        numbers = [number] + list(Permit.objects.exclude(number=number).values_list("number", flat=True))
        wait_for(lambda: Permit.objects.filter(number__in=numbers, status=PermitStatus.VALID).count() == len(numbers),
                 timeout=300, what="every permit signed after the kill\n" + stack.log("worker-2"))
        figures["permits"] = len(numbers)
        for permit in Permit.objects.filter(number__in=numbers):
            assert PermitVersion.objects.filter(permit=permit, state=VersionState.SIGNED).count() == 1
            assert AuditEntry.objects.filter(action="permit.sign", object_id=str(permit.pk)).count() == 1
            assert InswOutboxEvent.objects.filter(permit=permit).count() == 1

        # --- two beats across at least one full minute tick: each job once per slot
        started = JobRun.objects.filter(slot__isnull=False).values_list("slot", flat=True)
        first_slot = max(started) if started else ""
        wait_for(lambda: JobRun.objects.filter(slot__gt=first_slot, name="permit_signing_sweep").exists()
                 and "duplicate_slot" in _worker_logs(stack),
                 timeout=150, what="a tick seen by both beats\n" + stack.log("beat-2"), interval=1)
        time.sleep(2)
        from django.db.models import Count

        runs = list(JobRun.objects.filter(slot__isnull=False).values("name", "slot").annotate(n=Count("pk")))
        duplicates = sum(r["n"] - 1 for r in runs)
        skipped = _worker_logs(stack).count("already ran")
        figures["duplicate_runs"] = duplicates
        figures["second_beat_messages_skipped"] = skipped
        assert duplicates == 0 and skipped >= 1

        # --- nothing stored on any node's disk; all of it in the bucket
        keys = bucket_keys(s3_server, bucket)
        assert any(k.startswith("files/permits/") or "/permits/" in k for k in keys), keys
        assert len([k for k in keys if k.endswith(".pdf")]) >= len(numbers) + 1
        for name, folder in stack.folders.items():
            assert stored_files_in(folder) == [], name
        figures["objects_in_bucket"] = len(keys)
    finally:
        stack.stop_all()
        with capsys.disabled():
            print("\nmulti-node: " + ", ".join(f"{k}={v}" for k, v in figures.items()))


def _worker_logs(stack) -> str:
    return "".join((stack.tmp / f"{n}.log").read_text(errors="replace")
                   for n in ("worker-1", "worker-2") if (stack.tmp / f"{n}.log").exists())

"""Fixed people for every test (as in healthchecks' BaseTestCase): an owner importer, a
colleague in the same company, an outsider from another company, and one user of each
officer role."""

import pytest
from rest_framework.test import APIClient

from accounts.models import ApiToken, Role
from tests.factories import CompanyFactory, ImporterFactory, UserFactory


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Each test stores private files in its own folder."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private")},
        },
    }
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "private"
    settings.AUDIT_ANCHOR_FILE = tmp_path / "audit-anchors.jsonl"


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def company(db):
    return CompanyFactory(name="PT Gula Manis Sejahtera")


@pytest.fixture
def owner(company):
    return ImporterFactory(username="4C7ADA", company=company, first_name="Siti", last_name="Rahayu")


@pytest.fixture
def colleague(company):
    return ImporterFactory(username="4C7ADB", company=company)


@pytest.fixture
def outsider(db):
    return ImporterFactory(username="B0B0B0", company=CompanyFactory(name="PT Lain Sendiri"))


@pytest.fixture
def counter_officer(db):
    return UserFactory(username="uptp1", role=Role.COUNTER_OFFICER, position="Petugas UPTP I")


@pytest.fixture
def director(db):
    return UserFactory(username="direktur", role=Role.DIRECTOR, position="Direktur Fasilitasi Ekspor dan Impor")


@pytest.fixture
def administrator(db):
    return UserFactory(username="admin1", role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True)


@pytest.fixture
def api_client():
    return APIClient()


def token_client(user) -> APIClient:
    _, key = ApiToken.issue(user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def owner_api(owner):
    return token_client(owner)


@pytest.fixture(autouse=True)
def _reference_data_after_flush(request):
    """A transactional test (``django_db(transaction=True)``) may start from a database that
    an earlier transactional test flushed, losing the reference data the migrations seed
    (SLA steps, HS sections, regions, issuers, sugar purposes…). Replay the project's data
    migrations (all idempotent) before such a test."""
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))
    if transactional:
        request.getfixturevalue("_django_db_helper")
        from django.apps import apps
        from django.db import connection
        from django.db.migrations.loader import MigrationLoader
        from django.db.migrations.operations import RunPython

        from api_registry.models import Issuer

        # Not the SLA steps: a flush's post_migrate signal re-creates the registered ones
        # (inatrade.registry.ensure_sla_steps); the issuers only a data migration seeds.
        if not Issuer.objects.exists():
            loader = MigrationLoader(connection, ignore_no_migrations=True)
            for (app_label, name), migration in sorted(loader.disk_migrations.items()):
                if app_label not in {"inatrade", "accounts", "permits", "api_registry", "sugar_import"}:
                    continue
                for operation in migration.operations:
                    if isinstance(operation, RunPython):
                        operation.code(apps, None)
    yield


def pytest_collection_modifyitems(config, items):
    """The browser tests run last: Playwright's sync API keeps an event loop running in the
    main thread until the session ends, and code that calls ``asyncio.run`` (pyHanko's
    signing) cannot run in a thread with a running loop."""
    items.sort(key=lambda item: "/tests/e2e/" in str(item.path).replace("\\", "/"))


@pytest.fixture(scope="session")
def s3_server():
    """A local S3-compatible server (moto) on a free loopback port, for the object storage
    tests (issue 19). Yields its endpoint URL; credentials are any non-empty pair."""
    import logging
    import os

    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per S3 call otherwise

    os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def make_bucket(endpoint: str, name: str) -> None:
    import boto3

    boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1").create_bucket(Bucket=name)


def bucket_keys(endpoint: str, name: str) -> list[str]:
    import boto3

    listed = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1").list_objects_v2(Bucket=name)
    return sorted(item["Key"] for item in listed.get("Contents", []))


@pytest.fixture
def s3_storage(settings, s3_server, tmp_path):
    """STORAGE_URL=s3://<fresh bucket>/files?endpoint_url=<moto> for this test; yields the bucket."""
    import uuid

    from inatrade.settings import _default_storage

    bucket = f"inatrade-{uuid.uuid4().hex[:12]}"
    make_bucket(s3_server, bucket)
    settings.STORAGES = {**settings.STORAGES,
                         "default": _default_storage(f"s3://{bucket}/files?endpoint_url={s3_server}&region=us-east-1")}
    return bucket

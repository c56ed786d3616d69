"""Fixtures of the HTTP-level race tests (marker ``stack``): the real stack of
tests/stack/harness.py over the test database, whose rows the tests commit
(``transaction=True``) so that gunicorn and the worker see them."""

import pytest
from django.db import connection

from accounts.models import ApiToken, Role
from tests.factories import CompanyFactory, ImporterFactory, UserFactory
from tests.permits.conftest import PASSPHRASE, _pki_settings, pki_dir  # noqa: F401 - fixtures
from tests.stack.harness import Stack, database_url

@pytest.fixture
def stack(pki_dir, tmp_path, transactional_db):
    running = Stack(
        directory=tmp_path / "stack",
        database_url=database_url(connection.settings_dict),
        extra_env={
            "PKI_DIR": str(pki_dir), "PKI_DEV_PASSPHRASE": PASSPHRASE.decode(),
            "INATRADE_SIGNER_PASSPHRASE": PASSPHRASE.decode(), "PKI_TRUST_ROOTS": "", "PKI_CRLS": "", "PKI_TSA_URL": "",
            "SITE_URL": "https://inatrade.test", "INSW_ENDPOINT": "http://127.0.0.1:9/insw", "INSW_TIMEOUT_SECONDS": "1",
        },
    )
    try:
        yield running.start()
    finally:
        running.stop()


@pytest.fixture
def dirjen(transactional_db):
    return UserFactory(username="dirjen", first_name="Sri", last_name="Mulyani", role=Role.DIRECTOR_GENERAL,
                       position="Direktur Jenderal Perdagangan Luar Negeri")


@pytest.fixture
def dirjen_certificate(dirjen, pki_dir):
    from permits.services import signing_certificate_register

    return signing_certificate_register(user=dirjen, pkcs12_path=str(pki_dir / "signers" / "dirjen.p12"))


@pytest.fixture
def agency(transactional_db):
    return UserFactory(username="kemenperin", role=Role.AGENCY, position="Direktur Industri Makanan, Kemenperin")


def token(user) -> str:
    return ApiToken.issue(user)[1]


def submitted_applications(agency, *, count: int, companies: int, tonnes: str = "100", quota_tonnes: str = "1000"):
    """``count`` submitted sugar applications of ``tonnes`` each, spread over ``companies``
    importers, all drawing one rakor quota of ``quota_tonnes``."""
    from sugar_import import services as sugar
    from sugar_import.models import Purpose, SugarType
    from tests.sugar_import.conftest import draft, line, make_quota, make_recommendation, record_api_p, reseed_reference_data

    if not SugarType.objects.exists():
        reseed_reference_data()
    quota = make_quota(Purpose.objects.get(code="industry"), SugarType.objects.get(code="GKM"), tonnes=quota_tonnes)
    owners = []
    for index in range(companies):
        company = CompanyFactory(name=f"PT Gula Serentak {index:02d}")
        owner = ImporterFactory(company=company)
        record_api_p(owner)
        owners.append((owner, make_recommendation(agency, company, number=f"REK-{index:03d}/IND/2026")))
    applications = []
    for index in range(count):
        owner, recommendation = owners[index % companies]
        applications.append(sugar.sugar_application_submit(
            application=draft(owner, recommendation, lines=[line(tonnes)]), actor=owner))
    return quota, applications

"""Fixtures of the permits tests: a development PKI made once per session, officials with
signing certificates, a sugar permit's content, and a fake INSW receiver on loopback."""

import datetime as dt

import pytest

from accounts.models import Role
from permits import pki
from tests.permits.content import sugar_pi_content
from tests.factories import UserFactory

PASSPHRASE = b"inatrade-dev-pki"


@pytest.fixture(scope="session")
def pki_dir(tmp_path_factory):
    directory = tmp_path_factory.mktemp("pki")
    pki.generate_dev_pki(
        directory,
        [("dirjen", "Sri Mulyani, Direktur Jenderal Perdagangan Luar Negeri"), ("direktur", "Bambang Hartono, Direktur")],
        passphrase=PASSPHRASE,
    )
    return directory


@pytest.fixture(autouse=True)
def _pki_settings(settings, pki_dir, monkeypatch):
    settings.PKI_DIR = pki_dir
    settings.PKI_DEV_PASSPHRASE = PASSPHRASE.decode()
    settings.PKI_TRUST_ROOTS = []
    settings.PKI_CRLS = []
    settings.PKI_TSA_URL = ""
    settings.SITE_URL = "https://inatrade.test"
    pki.clear_caches()
    yield
    pki.clear_caches()


@pytest.fixture
def dirjen(db):
    return UserFactory(
        username="dirjen", first_name="Sri", last_name="Mulyani", role=Role.DIRECTOR_GENERAL,
        position="Direktur Jenderal Perdagangan Luar Negeri",
    )


@pytest.fixture
def dirjen_certificate(dirjen, pki_dir):
    from permits.services import signing_certificate_register

    return signing_certificate_register(user=dirjen, pkcs12_path=str(pki_dir / "signers" / "dirjen.p12"))


def sugar_lines(count: int) -> list[dict]:
    origins = ["Thailand", "Australia", "Brasil", "India"]
    ports = ["Tanjung Priok", "Tanjung Perak", "Belawan", "Makassar"]
    return [
        {"hs_code": "1701.14.00", "description": f"GKM lot L{i:03d}", "volume_tonnes": "1000.250",
         "origin_country": origins[i % 4], "port_of_discharge": ports[i % 4]}
        for i in range(1, count + 1)
    ]


@pytest.fixture
def sugar_content(company):
    return sugar_pi_content(
        holder=company,
        application_number="PI-GULA/2026/11/000777",
        application_date=dt.date(2026, 11, 10),
        sugar_type="Gula Kristal Mentah (GKM)",
        purpose="bahan baku industri gula kristal rafinasi",
        recommendation={"issuer": "Kementerian Perindustrian", "number": "512/IND/REK/11/2026", "date": "2026-11-03"},
        assignment={"number": "S-88/MBU/11/2026", "date": "2026-11-04"},
        lines=sugar_lines(3),
    )


@pytest.fixture
def issue_permit(company, dirjen, django_capture_on_commit_callbacks):
    """Issue a sugar permit and run what happens after commit (the signing task, eager)."""
    from permits.services import permit_issue

    def _issue(*, number="04.PI-05.26.0777", content=None, lines=None, valid_until=dt.date(2026, 12, 31), signer=None):
        if content is None:
            content = sugar_pi_content(
                holder=company, application_number="PI-GULA/2026/11/000777", application_date=dt.date(2026, 11, 10),
                sugar_type="Gula Kristal Mentah (GKM)", purpose="bahan baku industri gula kristal rafinasi",
                recommendation={"issuer": "Kementerian Perindustrian", "number": "512/IND/REK/11/2026", "date": "2026-11-03"},
                assignment={"number": "S-88/MBU/11/2026", "date": "2026-11-04"},
                lines=sugar_lines(lines or 3),
            )
        with django_capture_on_commit_callbacks(execute=True):
            permit = permit_issue(
                kind="sugar_pi", holder=company, number=number, content=content, signer=signer or dirjen,
                valid_from=dt.date(2026, 11, 22), valid_until=valid_until, actor=signer or dirjen,
                issued_on=dt.date(2026, 11, 22),
            )
        permit.refresh_from_db()
        return permit

    return _issue


def pdf_bytes(version) -> bytes:
    from django.core.files.storage import default_storage

    with default_storage.open(version.pdf_path, "rb") as handle:
        return handle.read()


@pytest.fixture
def fake_insw(settings):
    from permits.fake_insw import FakeInsw

    fake = FakeInsw(token=settings.INSW_TOKEN).start()
    fake.hang_seconds = 1.5
    settings.INSW_ENDPOINT = fake.url
    settings.INSW_TIMEOUT_SECONDS = 0.5
    yield fake
    fake.stop()


def submitted_sugar_application(lines=None):
    """A sugar application of a new importer, submitted and ready for the Director General
    (``lines``: the tariff lines, one by default)."""
    from sugar_import import services as sugar
    from tests.sugar_import.conftest import draft, make_quota, make_recommendation, record_api_p, reseed_reference_data
    from sugar_import.models import Purpose, QuotaAllocation, SugarType
    from accounts.models import Role
    from tests.factories import CompanyFactory, ImporterFactory, UserFactory

    if not SugarType.objects.exists():
        reseed_reference_data()
    gkm, industry = SugarType.objects.get(code="GKM"), Purpose.objects.get(code="industry")
    if not QuotaAllocation.objects.exists():
        make_quota(industry, gkm)
    owner = ImporterFactory(company=CompanyFactory())
    agency = UserFactory(role=Role.AGENCY)
    record_api_p(owner)
    recommendation = make_recommendation(agency, owner.company, number=f"REK-{owner.pk}")
    return sugar.sugar_application_submit(application=draft(owner, recommendation, lines=lines), actor=owner)

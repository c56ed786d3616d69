"""Fixtures of sugar imports: the Director General, an agency, reference data, an API-P by
NIB, a Rekomendasi, a rakor quota and applications at each step."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from accounts.models import Role
from sugar_import import services
from sugar_import.models import Purpose, QuotaAllocation, RecommendationKind, SugarType
from tests.factories import UserFactory


def pdf_upload(name="dokumen.pdf") -> SimpleUploadedFile:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/pdf")


@pytest.fixture
def dirjen(db):
    return UserFactory(username="dirjen", role=Role.DIRECTOR_GENERAL, position="Direktur Jenderal Perdagangan Luar Negeri")


@pytest.fixture
def agency(db):
    return UserFactory(username="kemenperin", role=Role.AGENCY, position="Direktur Industri Makanan, Kemenperin")


@pytest.fixture
def surveyor_user(db):
    return UserFactory(username="surveyor1", role=Role.SURVEYOR, position="PT Surveyor Indonesia")


def reseed_reference_data():
    """A transactional test may run after another one flushed the tables: put back what the
    migrations seed (SLA steps, API registry and sugar reference data); all idempotent."""
    from importlib import import_module

    from django.apps import apps

    import_module("inatrade.migrations.0002_seed_sla_steps").seed(apps, None)
    import_module("api_registry.migrations.0002_seed_reference_data").seed(apps, None)
    import_module("api_registry.migrations.0004_load_kemendagri_regions").seed(apps, None)
    import_module("sugar_import.migrations.0002_seed_reference_data").seed(apps, None)


@pytest.fixture
def sugar_reference(db):
    if not SugarType.objects.exists():
        reseed_reference_data()


@pytest.fixture
def gkm(sugar_reference):
    return SugarType.objects.get(code="GKM")


@pytest.fixture
def industry(sugar_reference):
    return Purpose.objects.get(code="industry")


def record_api_p(user):
    from api_registry.services import api_record_nib

    return api_record_nib(actor=user, kind="API-P")


@pytest.fixture
def api_p(owner):
    return record_api_p(owner)


def make_quota(purpose, sugar_type, tonnes="100000", year=None):
    from django.utils import timezone

    return QuotaAllocation.objects.create(year=year or timezone.localdate().year, purpose=purpose,
                                          sugar_type=sugar_type, tonnes=Decimal(tonnes))


@pytest.fixture
def quota(industry, gkm):
    return make_quota(industry, gkm)


def make_recommendation(agency, company, *, number="REK-001/IND/2026", volume="50000", sugar_type=None,
                        valid_from=date(2020, 1, 1), valid_until=date(2099, 12, 31), kind=RecommendationKind.RECOMMENDATION):
    sugar_type = sugar_type or SugarType.objects.get(code="GKM")
    return services.recommendation_record(
        actor=agency, company=company, kind=kind, issuer="Kementerian Perindustrian", number=number,
        date=date(2026, 1, 5), sugar_type=sugar_type, volume_tonnes=volume, hs_codes=list(sugar_type.hs_codes),
        origin_countries=["BR", "TH", "AU"], ports=["IDTPP", "IDSUB"], valid_from=valid_from, valid_until=valid_until,
    )


@pytest.fixture
def recommendation(agency, company, sugar_reference):
    return make_recommendation(agency, company)


def line(volume="1000", hs="1701.14.00", origin="BR", port="IDTPP"):
    return {"hs_code": hs, "description": "Gula kristal mentah", "volume_tonnes": volume,
            "origin_country": origin, "port_of_discharge": port}


def draft(owner, recommendation, *, lines=None, purpose=None, sugar_type=None):
    return services.sugar_application_create(
        actor=owner, purpose=purpose or Purpose.objects.get(code="industry"),
        sugar_type=sugar_type or SugarType.objects.get(code="GKM"), recommendation=recommendation,
        lines=lines or [line()],
    )


@pytest.fixture
def submitted(owner, api_p, quota, recommendation):
    return services.sugar_application_submit(application=draft(owner, recommendation), actor=owner)


def mark_signed(sugar_permit):
    """Stand-in for the signing worker (permits/ signs after commit): version 1 signed, the
    permit valid, so that freezes and revocations reach the permit and INSW (DOC-05)."""
    from django.utils import timezone

    from permits.models import Permit, PermitStatus, PermitVersion, VersionState

    version = sugar_permit.permit.versions.order_by("version_no").last()
    PermitVersion.objects.filter(pk=version.pk).update(state=VersionState.SIGNED, signed_at=timezone.now(), sha256="0" * 64)
    Permit.objects.filter(pk=sugar_permit.permit_id).update(status=PermitStatus.VALID, current_version=version)
    sugar_permit.permit.refresh_from_db()
    return sugar_permit


class Clock:
    """Moves sugar_import's clock (services.common._now) to a given day, 09:00 in Jakarta."""

    def __init__(self, monkeypatch):
        self.monkeypatch = monkeypatch

    def set(self, day):
        import datetime as dt
        from zoneinfo import ZoneInfo

        moment = dt.datetime.combine(day, dt.time(9, 0), tzinfo=ZoneInfo("Asia/Jakarta"))
        self.monkeypatch.setattr(services.common, "_now", lambda: moment)
        return moment


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)

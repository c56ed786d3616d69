"""API numbers: province, Kab/Kota, a sequence per region and the issuer's letter, unique and
gap-free under concurrency, never reused (API-05, REL-02)."""

import threading

import pytest
from django.db import close_old_connections, connection, transaction

from accounts.models import Role
from api_registry import services
from api_registry.services import applications as application_services
from api_registry.models import ApiKind, ApiNumberCounter, IssuerMembership, Issuer
from tests.api_registry.conftest import issued_api, submitted_application
from tests.factories import CompanyFactory, ImporterFactory, UserFactory


@pytest.mark.django_db
def test_the_number_is_province_kab_kota_sequence_and_issuer_letter__API_05(owner, regency_officer, province_officer):
    api = issued_api(owner, regency_officer, province_officer)
    assert api.number == "317100001D"
    assert len(api.number) == 10 and api.number[:9].isdigit()
    assert api.number[:2] == owner.company.province_code and api.number[:4] == owner.company.regency_code


@pytest.mark.django_db
def test_the_sequence_runs_per_region_and_is_never_reused__API_05(owner, regency_officer, province_officer):
    first = issued_api(owner, regency_officer, province_officer)
    services.api_revoke(api=first, actor=province_officer, reason_code="a")
    second_company = CompanyFactory(province_code="31", regency_code="3171")
    second = issued_api(ImporterFactory(company=second_company), regency_officer, province_officer)
    assert second.number == "317100002D"  # the revoked 00001 is not handed out again
    with transaction.atomic():
        assert services.api_number_next(region_code="3578", letter="D") == "357800001D"
        assert services.api_number_next(region_code="3171", letter="B") == "317100003B"


@pytest.mark.django_db
def test_a_failed_issuance_does_not_consume_a_number__API_05():
    with pytest.raises(RuntimeError), transaction.atomic():
        services.api_number_next(region_code="3171", letter="D")
        raise RuntimeError("issuance failed after numbering")
    with transaction.atomic():
        assert services.api_number_next(region_code="3171", letter="D") == "317100001D"


@pytest.mark.skipif(connection.vendor == "sqlite", reason="SQLite serialises all writers; the concurrency proof needs PostgreSQL row locks")
@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_issuances_get_fifty_distinct_gap_free_numbers__API_05_REL_02(settings, monkeypatch):
    """REL-02: 50 officers' approvals in the same second, one region: 50 numbers, none skipped."""
    monkeypatch.setattr(application_services, "_api_document_issue", lambda **kwargs: None)
    officer = UserFactory(username="dinasdki", role=Role.ISSUER_OFFICER)
    dinas = Issuer.objects.get(code="dinas-31")
    IssuerMembership.objects.create(user=officer, issuer=dinas)
    kabkota = UserFactory(username="kabkota", role=Role.ISSUER_OFFICER)
    IssuerMembership.objects.create(user=kabkota, issuer=dinas, regency_id="3171")
    applications = []
    for _ in range(50):
        importer = ImporterFactory(company=CompanyFactory(province_code="31", regency_code="3171"))
        application = submitted_application(importer)
        services.api_application_inspect(application=application, actor=kabkota, result="sesuai")
        applications.append(services.api_application_forward(application=application, actor=kabkota))
    barrier = threading.Barrier(50)
    numbers, errors = [], []

    def approve(application):
        try:
            barrier.wait()
            numbers.append(services.api_application_approve(application=application, actor=officer).number)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=approve, args=(app,)) for app in applications]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(numbers) == [f"3171{n:05d}D" for n in range(1, 51)]
    assert ApiNumberCounter.objects.get(region_code="3171").last_value == 50

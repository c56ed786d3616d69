"""Issue 17, finding 6: Beranda says what needs *me*, by role: the officer's pending count and
overdue items, the director's decisions waiting, the importer's reports due, frozen PIs with
the way to unfreeze them, applications waiting, and access that expires soon. Its number of
queries does not grow with the number of cases (PERF-02)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Role
from sugar_import import services
from sugar_import.models import SugarPermitStatus
from tests.factories import CompanyFactory, UserFactory
from tests.sugar_import.conftest import (  # noqa: F401 - fixtures of the sugar tests
    agency,
    api_p,
    draft,
    gkm,
    industry,
    mark_signed,
    quota,
    recommendation,
    sugar_reference,
)
from tests.workspace.conftest import step_row
from workspace.models import CaseStep

pytestmark = pytest.mark.django_db


def _home(client, user):
    client.force_login(user)
    response = client.get("/accounts/dashboard/")
    assert response.status_code == 200
    return response.content.decode()


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/accounts/dashboard/").status_code == 200
    return len(ctx.captured_queries)


def test_the_officer_sees_the_pending_count_and_the_overdue_items_first(client, counter_officer):
    company = CompanyFactory(name="PT Kopi Nusantara")
    CaseStep.objects.bulk_create([
        step_row(reference="REG-LATE", company=company, kind="registration", step="hak_akses_validation",
                 role=Role.COUNTER_OFFICER, due_in_days=-6, started_days_ago=11),
        step_row(reference="REG-SOON", company=company, kind="registration", step="hak_akses_validation",
                 role=Role.COUNTER_OFFICER, due_in_days=4),
    ])
    html = _home(client, counter_officer)
    assert 'id="tile-pending" data-count="2"' in html and "Menunggu tindakan Anda" in html
    assert 'id="tile-overdue" data-count="1"' in html
    assert html.index("REG-LATE") < html.index("REG-SOON") and "terlambat" in html


def test_the_director_general_sees_the_decisions_waiting_with_bounded_queries__PERF_02(client):
    dirjen = UserFactory(username="dirjen", role=Role.DIRECTOR_GENERAL)
    company = CompanyFactory(name="PT Gula Manis")
    CaseStep.objects.bulk_create([step_row(reference="PGL-1", company=company, due_in_days=2)])
    html = _home(client, dirjen)
    assert "Keputusan menunggu Anda" in html and 'id="tile-pending" data-count="1"' in html and "PGL-1" in html
    few = _queries(client)
    CaseStep.objects.bulk_create([step_row(reference=f"PGL-{i}", company=company, due_in_days=i - 5) for i in range(2, 30)])
    assert _queries(client) == few


def test_the_importer_sees_reports_due_frozen_permits_and_drafts_with_bounded_queries__PERF_02(client, owner, api_p, quota, recommendation):
    dirjen = UserFactory(username="dirjen", role=Role.DIRECTOR_GENERAL)
    sp = mark_signed(services.sugar_application_approve(
        application=services.sugar_application_submit(application=draft(owner, recommendation), actor=owner), actor=dirjen))
    waiting = draft(owner, recommendation)
    html = _home(client, owner)
    assert "Laporan realisasi yang harus disampaikan" in html and sp.number in html and "#report-form" in html
    assert waiting.reference in html and "Permohonan PI gula menunggu Anda" in html
    type(sp).objects.filter(pk=sp.pk).update(status=SugarPermitStatus.FROZEN, frozen_period=sp.valid_from.replace(day=1),
                                             frozen_until=timezone.localdate() + timedelta(days=20), frozen_on=timezone.localdate())
    html = _home(client, owner)
    assert "PI dibekukan: cara mengaktifkan kembali" in html and "PI aktif kembali begitu laporan diterima" in html
    few = _queries(client)
    for _ in range(3):
        mark_signed(services.sugar_application_approve(
            application=services.sugar_application_submit(application=draft(owner, recommendation), actor=owner), actor=dirjen))
        draft(owner, recommendation)
    assert _queries(client) == few


def test_an_importer_is_told_when_the_password_expires_soon__HA_09(client, owner, settings):
    owner.password_changed_at = timezone.now() - timedelta(days=settings.PASSWORD_MAX_AGE_DAYS - 5)
    owner.save()
    html = _home(client, owner)
    assert "Akses yang segera berakhir" in html and "Kata sandi Anda berlaku sampai" in html

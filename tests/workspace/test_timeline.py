"""AUD-02: the applicant sees a timeline of their application: each step, who acted (by
role), when, and the deadline of the current step — the same on every kind of application."""

import pytest
from django.urls import reverse

from accounts import services as accounts_services
from tests.api_registry.conftest import (  # noqa: F401
    dinas_dki, province_officer, regency_officer, submitted_application,
)
from tests.sugar_import.conftest import (  # noqa: F401
    agency, api_p, gkm, industry, quota, recommendation, sugar_reference,
)
from tests.sugar_import.conftest import submitted as sugar_submitted  # noqa: F401

pytestmark = pytest.mark.django_db


def test_the_registration_status_page_shows_each_step_by_role_and_the_deadline__AUD_02(client, validated):
    page = client.get(reverse("registration_status", args=[validated.access_key])).content.decode()
    assert "Registrasi diajukan" in page and "Validasi UPTP I dan BAP" in page
    assert "Petugas UPTP I" in page  # who acted, by role (never by name)
    assert "Pemberian Hak Akses" in page  # the current step
    assert f'datetime="{validated.due_date:%Y-%m-%d}"' in page and "P123 Pasal 6(4)" in page


def test_the_timeline_has_no_current_step_once_decided__AUD_02(client, validated, director):
    accounts_services.registration_approve(registration=validated, actor=director)
    page = client.get(reverse("registration_status", args=[validated.access_key])).content.decode()
    assert "Hak Akses disetujui" in page and "Direktur" in page
    assert 'data-testid="current-step"' not in page


def test_the_api_application_page_shows_the_inspection_step_and_its_deadline__AUD_02(client, owner, regency_officer):
    application = submitted_application(owner)
    client.force_login(owner)
    page = client.get(reverse("api-application", args=[application.pk])).content.decode()
    assert "Diajukan" in page and "Pemeriksaan lapangan API oleh Kabupaten/Kota" in page
    assert f'datetime="{application.due_date:%Y-%m-%d}"' in page and "P27 Pasal 25(1)" in page


def test_the_sugar_application_page_shows_the_decision_step_by_role__AUD_02(client, owner, sugar_submitted):
    client.force_login(owner)
    page = client.get(reverse("sugar-application", args=[sugar_submitted.pk])).content.decode()
    assert "Diajukan, diterima lengkap" in page and "Pelaku Usaha (importir)" in page
    assert "Direktur Jenderal" in page  # who decides the current step
    assert f'datetime="{sugar_submitted.due_date:%Y-%m-%d}"' in page and "P14 Pasal 4" in page


def test_the_timeline_speaks_english_when_chosen__AUD_02(client, validated):
    client.cookies["django_language"] = "en"
    page = client.get(reverse("registration_status", args=[validated.access_key])).content.decode()
    assert "Access right granted after the registration documents are received complete" in page


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("due_in, expected", [
    (-10, {"id": "terlambat", "en": "overdue"}),
    (0, {"id": "0 hari kerja lagi", "en": "0 working days left"}),
    (7, {"id": "hari kerja lagi", "en": "working days left"}),
])
def test_the_timeline_renders_overdue_due_today_and_future_steps_in_both_languages__AUD_02_USE_01(client, validated, language, due_in, expected):
    """An overdue case rendered a 500 (blocktranslate count fed a string by ``|cut:"-"``)."""
    from datetime import timedelta

    from inatrade.workdays import today
    from workspace.models import CaseStep

    CaseStep.objects.filter(case_id=validated.pk, finished_at__isnull=True).update(due_date=today() + timedelta(days=due_in))
    client.cookies["django_language"] = language
    response = client.get(reverse("registration_status", args=[validated.access_key]))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="current-step"' in page
    assert expected[language] in page


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_timeline_of_a_decided_case_renders_in_both_languages__AUD_02_USE_01(client, validated, director, language):
    accounts_services.registration_approve(registration=validated, actor=director)
    client.cookies["django_language"] = language
    response = client.get(reverse("registration_status", args=[validated.access_key]))
    assert response.status_code == 200 and 'data-testid="current-step"' not in response.content.decode()

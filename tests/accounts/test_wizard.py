"""HA-01 (issue 17, finding 5): the registration wizard checks each step on the server before
moving on, lists the errors with links to their fields, keeps the uploaded files across
steps and a refused submission (temporary files of this session only), offers "Ubah" on the
confirmation step, and ends on a page that says what happens next."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Registration
from inatrade.models import SlaStep
from tests.accounts.conftest import pdf_file

pytestmark = pytest.mark.django_db

STEP1 = ("purpose", "jenis_trader")
STEP2 = ("company_name", "nib", "no_nib", "npwp", "no_npwp", "jenis_usaha", "tdp_number", "address", "regency_code",
         "company_email", "company_phone")


def _post(client, data, **files):
    return client.post(reverse("register"), {**data, **files})


def test_next_on_an_empty_step_stays_and_lists_the_errors_with_links__HA_01(client):
    response = _post(client, {"step": "0", "action": "next"})
    html = response.content.decode()
    assert response.status_code == 400
    summary = re.search(r'<div class="error-summary".*?</div>', html, re.S).group(0)
    assert 'href="#id_purpose"' in summary and 'href="#id_jenis_trader"' in summary
    assert 'aria-current="step">1. Informasi permohonan' in html  # still on step 1


def test_a_valid_step_moves_on_and_the_draft_survives_a_reload__HA_01(client, fields):
    response = _post(client, {**{k: fields[k] for k in STEP1}, "step": "0", "action": "next"})
    assert response.status_code == 302
    page = client.get(reverse("register")).content.decode()
    assert 'aria-current="step">2. Data organisasi' in page
    assert re.search(r'<option value="impor" selected>', page)  # step 1's answer kept


def test_uploaded_files_are_kept_across_a_refused_submission_and_used_on_the_next__HA_03(client, fields, uploads):
    bad = dict(fields, applicant_email="not-an-address")
    first = _post(client, bad, **uploads())
    assert first.status_code == 400 and Registration.objects.count() == 0
    html = first.content.decode()
    assert html.count('class="hint kept-file"') == 4 and "business_licence.pdf" in html
    # The same form again, corrected, without choosing the files again.
    second = _post(client, fields)
    assert second.status_code == 302, second.content.decode()[:3000]
    registration = Registration.objects.get()
    assert registration.documents.count() == 4


def test_kept_files_belong_to_their_session_only__HA_03(client, fields, uploads):
    _post(client, dict(fields, applicant_email="x"), **uploads())
    stranger = Client()
    response = _post(stranger, fields)
    assert response.status_code == 400 and Registration.objects.count() == 0
    assert "wajib diunggah" in response.content.decode()


def test_the_confirmation_step_shows_every_answer_with_ubah_buttons__HA_01(client, fields, uploads):
    data = {k: v for k, v in fields.items() if k != "terms_accepted"}
    _post(client, {**data, "step": "2", "action": "next"}, **uploads())
    page = client.get(reverse("register")).content.decode()
    assert 'aria-current="step">4. Konfirmasi' in page
    summary = re.search(r'<div id="registration-summary".*?<details', page, re.S).group(0)
    assert fields["company_name"] in summary and "(3174)" in summary and "power_of_attorney.pdf" in summary
    assert summary.count('name="goto"') == 3
    back = client.post(reverse("register"), {**data, "step": "3", "goto": "1"})
    assert back.status_code == 302
    assert 'aria-current="step">2. Data organisasi' in client.get(reverse("register")).content.decode()


def test_the_end_page_says_where_when_what_to_bring_and_the_deadline_from_the_sla_table(client, fields, uploads):
    response = _post(client, fields, **uploads())
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert "Jalan M.I. Ridwan Rais Nomor 5" in html and "Jam layanan" in html
    bring = re.search(r'<ul id="documents-to-bring">.*?</ul>', html, re.S).group(0)
    assert "Dokumen Registrasi INATRADE" in bring and "Asli Tanda Daftar Perusahaan (TDP)" in bring
    SlaStep.objects.filter(code="hak_akses_grant").update(working_days=4)
    html = client.get(response["Location"]).content.decode()
    assert "paling lambat 4 hari kerja (P123 Pasal 6(4))" in html


def test_abandoned_temporary_uploads_are_purged_after_two_days_twice_safely__HA_03(client, fields, uploads):
    import os
    from datetime import timedelta

    from django.core.files.storage import default_storage
    from django.utils import timezone

    from inatrade.jobs import job_run

    _post(client, dict(fields, applicant_email="x"), **uploads())
    _dirs, names = default_storage.listdir("tmp/registration")
    assert len(names) == 4
    old = (timezone.now() - timedelta(days=3)).timestamp()
    os.utime(default_storage.path(f"tmp/registration/{names[0]}"), (old, old))
    assert job_run(name="registration_uploads_purge") == {"deleted": 1}
    assert job_run(name="registration_uploads_purge") == {"deleted": 0}
    assert len(default_storage.listdir("tmp/registration")[1]) == 3

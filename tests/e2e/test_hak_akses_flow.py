"""The Hak Akses journey in a real browser (issue 3, HA-01…HA-09): register with uploads and
the Kab/Kota of domicile (API-03) → download the registration PDF → the officer validates
with a BAP → the director approves → the e-mailed link sets the password → the first login
lands on the importer's dashboard."""

import io
import re

import pytest
from django.core import mail
from pypdf import PdfReader, PdfWriter

from accounts.models import Registration, Role, User
from tests.factories import DEFAULT_PASSWORD, UserFactory

# serialized_rollback: earlier transactional tests flush the tables that migrations seed
# (SlaStep, reference data); this restores them before the test.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _pdf(pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _file(name):
    return {"name": name, "mimeType": "application/pdf", "buffer": _pdf()}


def test_hak_akses_from_registration_to_first_login__HA_01_HA_05_HA_06_HA_07_HA_08(live_server, new_page, shot, login):
    UserFactory(username="uptp1", role=Role.COUNTER_OFFICER, first_name="Rina", last_name="Marlina")
    UserFactory(username="direktur", role=Role.DIRECTOR, first_name="Bambang", last_name="Hartono")
    page = new_page()

    # Step 1: "Berikutnya" on an empty step stays, with the errors listed and linked (issue 17)
    page.goto(f"{live_server.url}/accounts/register/")
    page.click("fieldset[data-step='0'] [data-next]")
    assert page.locator("#error-summary a[href='#id_purpose']").count() == 1
    page.select_option("#id_purpose", "impor")
    page.select_option("#id_jenis_trader", "pu_perusahaan")
    shot(page, "01-register-step1")
    page.click("fieldset[data-step='0'] [data-next]")
    page.wait_for_selector("fieldset[data-step='1']:not([hidden])")
    # the server keeps the draft: a reload loses nothing (HA-01)
    page.reload()
    assert page.locator("fieldset[data-step='1']:not([hidden])").count() == 1

    # Step 2: organisation, with uploads (HA-02, HA-03)
    page.fill("#id_company_name", "PT Sinar Gula Abadi")
    page.fill("#id_nib", "9120001112223")
    page.fill("#id_npwp", "01.234.567.4-012.000")
    page.check("input[name=jenis_usaha][value=importir]")
    page.check("input[name=jenis_usaha][value=eksportir]")
    page.fill("#id_tdp_number", "090312345678")
    page.fill("#id_address", "Jl. Gatot Subroto No. 10, Jakarta Selatan")
    # the Kab/Kota of domicile: typed, with the 514 in a datalist (API-03, API-05)
    assert page.locator("#regency-options option[value='Kota Administrasi Jakarta Selatan (3174)']").count() == 1
    page.fill("#id_regency_code", "Kota Administrasi Jakarta Selatan (3174)")
    page.fill("#id_company_email", "kantor@sinargula.co.id")
    page.fill("#id_company_phone", "+62 21 5550001")
    page.set_input_files("#id_business_licence", _file("siup.pdf"))
    page.set_input_files("#id_tdp", _file("tdp.pdf"))
    page.set_input_files("#id_npwp_card", _file("npwp.pdf"))
    shot(page, "02-register-step2")
    page.click("fieldset[data-step='1'] [data-next]")
    page.wait_for_selector("fieldset[data-step='2']:not([hidden])")

    # Step 3: applicant
    page.fill("#id_applicant_name", "Rudi Hartanto")
    page.fill("#id_applicant_position", "Direktur")
    page.check("input[name=identity_kind][value=nik]")
    page.fill("#id_identity_number", "3171010101800001")
    page.fill("#id_applicant_email", "rudi@sinargula.co.id")
    page.fill("#id_applicant_phone", "+62 812 1111 2222")
    page.set_input_files("#id_power_of_attorney", _file("kuasa.pdf"))
    shot(page, "03-register-step3")
    page.click("fieldset[data-step='2'] [data-next]")
    page.wait_for_selector("fieldset[data-step='3']:not([hidden])")

    # Step 4: confirmation with "Ubah", and terms (HA-04)
    summary = page.inner_text("#registration-summary")
    assert "PT Sinar Gula Abadi" in summary and "Kota Administrasi Jakarta Selatan (3174)" in summary and "kuasa.pdf" in summary
    assert page.locator("#registration-summary button[name=goto]").count() == 3
    page.check("#id_terms_accepted")
    shot(page, "04-register-confirm")
    page.click("#submit-registration")
    page.wait_for_selector("[data-registration-done]")
    assert "Ridwan Rais" in page.inner_text("#uptp-visit") and "hari kerja" in page.inner_text("#decision-deadline")
    reference = page.inner_text("#reference")
    registration = Registration.objects.get(reference=reference)
    assert registration.status == "submitted" and registration.documents.count() == 4
    assert registration.regency_code == "3174"
    shot(page, "05-registration-done")

    # Download the Dokumen Registrasi INATRADE (HA-05)
    with page.expect_download() as info:
        page.click("#download-document")
    download = info.value
    target = shot.folder / "registration-document.pdf"
    download.save_as(str(target))
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(str(target)).pages).split())
    assert "DOKUMEN REGISTRASI INATRADE" in text and "01.234.567.4-012.000" in text and "Materai" in text

    # The officer validates against the originals and records the BAP (HA-06)
    officer = new_page()
    login(officer, "uptp1", DEFAULT_PASSWORD)
    officer.goto(f"{live_server.url}/accounts/registrations/")
    shot(officer, "06-officer-work-list")
    officer.click(f"text={reference}")
    assert officer.inner_text("#registration-regency") == "Kota Administrasi Jakarta Selatan (3174) · Daerah Khusus Ibukota Jakarta"
    officer.check("#validate-form input[name=result][value=valid]")
    officer.fill("#validate-form textarea[name=notes]", "Asli SIUP, TDP dan NPWP sesuai.")
    officer.click("#validate-form button[type=submit]")
    officer.wait_for_selector("#bap-link")
    shot(officer, "07-officer-bap-recorded")
    registration.refresh_from_db()
    assert registration.status == "validated" and registration.due_date

    # The director approves (HA-07)
    director = new_page()
    login(director, "direktur", DEFAULT_PASSWORD)
    director.goto(f"{live_server.url}/accounts/registrations/{registration.pk}/")
    shot(director, "08-director-decision")
    director.click("#approve")
    director.wait_for_selector("text=disetujui")
    shot(director, "09-director-approved")
    registration.refresh_from_db()
    assert registration.status == "approved"
    user_id = registration.user.username
    # the new company carries its Kab/Kota and province: its API goes to the Dinas of DKI (API-03)
    assert (registration.company.province_code, registration.company.regency_code) == ("31", "3174")
    assert re.fullmatch(r"[0-9A-F]{6}", user_id)

    # The e-mailed link sets the password (HA-08, HA-09)
    message = next(m for m in mail.outbox if user_id in m.subject)
    link = re.search(r"https?://\S+?(/accounts/set-password/\S+?/)", message.body).group(1)
    page.goto(live_server.url + link)
    assert page.inner_text("#user-id") == user_id
    page.fill("#id_new_password1", "Gula#Manis2026")
    page.fill("#id_new_password2", "Gula#Manis2026")
    shot(page, "10-set-password")
    page.click("main button[type=submit]")
    page.wait_for_url("**/accounts/login/**")

    # The first login lands on the importer's dashboard
    login(page, user_id, "Gula#Manis2026")
    page.wait_for_url("**/accounts/dashboard/")
    assert user_id in page.inner_text("main")
    assert "PT Sinar Gula Abadi" in page.inner_text("main")
    shot(page, "11-importer-dashboard")
    assert User.objects.get(username=user_id).last_used_at is not None

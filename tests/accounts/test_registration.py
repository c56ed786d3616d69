"""Registration: the four steps and the field rules (HA-01, HA-02), uploads (HA-03), terms
(HA-04), confirmation, e-mail and the Dokumen Registrasi INATRADE (HA-05), status page."""

import io

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.urls import reverse
from pypdf import PdfReader

from accounts import services
from accounts.models import Registration, RegistrationDocument
from accounts.rules import luhn_ok, npwp_error
from inatrade.models import AuditEntry, OutgoingEmail
from tests.accounts.conftest import pdf_file

pytestmark = pytest.mark.django_db

API = "/api/v1/registrations/"


def _multipart(fields, files):
    data = {k: v for k, v in fields.items() if k != "jenis_usaha"}
    data["jenis_usaha"] = fields["jenis_usaha"]
    data.update(files)
    return data


def _stored_files():
    try:
        _dirs, files = default_storage.listdir("registrations")
    except FileNotFoundError:
        return []
    return files


def pdf_text(data: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.split())


# --- HA-01: the four steps, draft ----------------------------------------------------------


def test_it_shows_the_registration_form_in_four_steps_with_a_draft__HA_01(client):
    response = client.get(reverse("register"))
    html = response.content.decode()
    assert response.status_code == 200
    for step in ("1. Informasi permohonan", "2. Data organisasi", "3. Data pemohon", "4. Konfirmasi"):
        assert step in html
    assert html.count('data-step="') == 4
    # the steps are the server's: one shown, the others hidden (issue 17)
    assert html.count(' hidden>') == 3 and 'aria-current="step"' in html


def test_it_registers_through_the_browser_form__HA_01(client, fields, uploads, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("register"), {**fields, **uploads()})
    registration = Registration.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("registration_done", args=[registration.access_key])
    page = client.get(response["Location"]).content.decode()
    assert registration.reference in page
    assert reverse("registration_status_document", args=[registration.access_key]) in page


# --- HA-02: field rules ---------------------------------------------------------------------


def test_the_npwp_check_digit_is_luhn_over_the_first_nine_digits__HA_02():
    assert luhn_ok("012345674")
    assert not luhn_ok("012345675")
    assert npwp_error("012345674012000") is None
    assert npwp_error("1234567890123456") is None  # 16 digits (from 2024)
    assert "digit pemeriksa" in npwp_error("012345675012000")
    assert "15 digit" in npwp_error("12345")


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"npwp": "01.234.567.5-012.000"}, "npwp", "digit pemeriksa"),
        ({"npwp": "0123"}, "npwp", "15 digit"),
        ({"npwp": ""}, "npwp", "NPWP wajib"),
        ({"no_npwp": True, "npwp": ""}, "npwp", "tanpa NPWP hanya untuk"),
        ({"nib": "912000111222"}, "nib", "tepat 13 digit"),
        ({"nib": ""}, "nib", "NIB wajib"),
        ({"no_nib": True, "nib": ""}, "nib", "tanpa NIB hanya untuk"),
        ({"identity_number": "317101010180000"}, "identity_number", "16 digit"),
        ({"identity_number": "31710101018000AB"}, "identity_number", "16 digit"),
        ({"identity_number": "²" * 16}, "identity_number", "16 digit"),  # str.isdigit() says yes
        ({"nib": "٩١٢٠٠٠١١١٢٢٢٣"}, "nib", "13 digit"),  # Arabic-Indic digits are not a NIB
        ({"identity_kind": "passport", "identity_number": "A12345"}, "identity_number", "8–10"),
        ({"identity_kind": "passport", "identity_number": "A1234-5678"}, "identity_number", "8–10"),
        ({"jenis_usaha": []}, "jenis_usaha", "sedikitnya satu"),
        ({"applicant_email": ""}, "applicant_email", "Email wajib"),
        ({"company_email": "bukan-email"}, "company_email", "tidak valid"),
        ({"applicant_phone": ""}, "applicant_phone", "telepon wajib"),
        ({"company_phone": "abc"}, "company_phone", "tidak valid"),
        ({"company_name": ""}, "company_name", "wajib diisi"),
    ],
)
def test_it_refuses_each_bad_field_with_a_clear_message_and_stores_nothing__HA_02(
    api_client, fields, uploads, change, field, message
):
    response = api_client.post(API, _multipart({**fields, **change}, uploads()), format="multipart")
    body = response.json()
    assert response.status_code == 400
    assert body["error"]["code"] == "invalid"
    assert any(message in text for text in body["error"]["fields"][field]), body
    assert Registration.objects.count() == 0
    assert RegistrationDocument.objects.count() == 0
    assert _stored_files() == []
    assert OutgoingEmail.objects.count() == 0


def test_it_refuses_an_unknown_jenis_trader_and_jenis_usaha__HA_02(api_client, fields, uploads):
    response = api_client.post(API, _multipart({**fields, "jenis_trader": "pedagang", "jenis_usaha": ["kapal"]}, uploads()), format="multipart")
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) >= {"jenis_trader", "jenis_usaha.0"}


@pytest.mark.parametrize("jenis", ["yayasan", "kedutaan_asing", "perseorangan"])
def test_it_allows_no_nib_and_no_npwp_for_the_exempt_kinds__HA_02(api_client, fields, uploads, jenis):
    data = {**fields, "jenis_trader": jenis, "no_nib": True, "nib": "", "no_npwp": True, "npwp": ""}
    response = api_client.post(API, _multipart(data, uploads(business_licence=None, tdp=None, npwp_card=None)), format="multipart")
    assert response.status_code == 201, response.json()
    assert Registration.objects.get().nib == ""


def test_a_ministry_may_have_no_nib_but_needs_an_npwp__HA_02(api_client, fields, uploads):
    data = {**fields, "jenis_trader": "kementerian_lembaga_daerah", "no_nib": True, "nib": "", "no_npwp": True, "npwp": ""}
    response = api_client.post(API, _multipart(data, uploads()), format="multipart")
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["npwp"]
    data.update(no_npwp=False, npwp="0123456740120001"[:15])
    assert api_client.post(API, _multipart(data, uploads()), format="multipart").status_code == 201


def test_it_accepts_a_passport_and_a_16_digit_npwp__HA_02(api_client, fields, uploads):
    data = {**fields, "identity_kind": "passport", "identity_number": "x1234567", "npwp": "1234567890123456"}
    response = api_client.post(API, _multipart(data, uploads()), format="multipart")
    assert response.status_code == 201, response.json()
    registration = Registration.objects.get()
    assert registration.identity_number == "X1234567"
    assert registration.npwp == "1234567890123456"


def test_the_browser_shows_each_error_beside_its_field__HA_02(client, fields, uploads):
    response = client.post(reverse("register"), {**fields, "npwp": "012345675012000", "nib": "12", **uploads()})
    html = response.content.decode()
    assert response.status_code == 400
    assert 'data-field="npwp"' in html and "digit pemeriksa" in html
    assert "tepat 13 digit" in html
    assert Registration.objects.count() == 0


def test_field_errors_are_in_english_when_the_user_chose_english__HA_02(api_client, fields, uploads):
    # The messages are marked for translation; the English catalogue is filled separately.
    response = api_client.post(API, _multipart({**fields, "nib": "1"}, uploads()), format="multipart", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["nib"]


# --- HA-03: uploads ---------------------------------------------------------------------------


def test_it_refuses_a_renamed_image_as_pdf_and_stores_nothing__HA_03(api_client, fields, uploads):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("izin.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 100, content_type="application/pdf")
    response = api_client.post(API, _multipart(fields, uploads(business_licence=fake)), format="multipart")
    assert response.status_code == 415
    body = response.json()["error"]
    assert "harus berupa PDF" in body["fields"]["business_licence"][0]
    assert Registration.objects.count() == 0 and _stored_files() == []


def test_it_refuses_a_power_of_attorney_over_1_mb__HA_03(api_client, fields, uploads):
    big = pdf_file("kuasa.pdf", extra_bytes=1024 * 1024 + 10)
    response = api_client.post(API, _multipart(fields, uploads(power_of_attorney=big)), format="multipart")
    assert response.status_code == 413
    assert "maksimal 1024 KB" in response.json()["error"]["fields"]["power_of_attorney"][0]
    assert Registration.objects.count() == 0 and _stored_files() == []


def test_a_large_licence_is_fine_while_the_power_of_attorney_is_limited__HA_03(api_client, fields, uploads):
    big = pdf_file("izin.pdf", extra_bytes=1024 * 1024 + 10)
    response = api_client.post(API, _multipart(fields, uploads(business_licence=big)), format="multipart")
    assert response.status_code == 201


def test_it_refuses_missing_documents__HA_03(api_client, fields, uploads):
    response = api_client.post(API, _multipart(fields, uploads(tdp=None, npwp_card=None)), format="multipart")
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"tdp", "npwp_card"}
    assert Registration.objects.count() == 0


def test_it_stores_the_documents_under_generated_names__HA_03(api_client, fields, uploads, django_capture_on_commit_callbacks):
    odd = pdf_file("../../etc/pässwd" + "x" * 300 + ".pdf")
    with django_capture_on_commit_callbacks(execute=True):  # the registration document is rendered after commit
        response = api_client.post(API, _multipart(fields, uploads(tdp=odd)), format="multipart")
    assert response.status_code == 201
    document = RegistrationDocument.objects.get(kind="tdp")
    assert ".." not in document.path and document.path.startswith("registrations/")
    assert "/" not in document.filename and len(document.filename) <= 120
    assert len(_stored_files()) == 5  # four uploads + the registration document


def test_nothing_is_stored_when_the_database_write_fails__HA_03(fields, uploads, monkeypatch, django_capture_on_commit_callbacks):
    from accounts.services.registration import submission as registration_services

    def boom(**kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr(registration_services, "audit_record", boom)  # fails inside the transaction
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        services.registration_submit(data=fields, files=uploads())
    assert callbacks == []  # no render queued for a registration that does not exist
    assert Registration.objects.count() == 0
    assert _stored_files() == []
    assert not OutgoingEmail.objects.exists()


# --- HA-04: terms -------------------------------------------------------------------------------


def test_it_refuses_a_registration_without_the_terms_accepted__HA_04(api_client, fields, uploads):
    response = api_client.post(API, _multipart({**fields, "terms_accepted": False}, uploads()), format="multipart")
    assert response.status_code == 400
    assert "syarat dan ketentuan" in response.json()["error"]["fields"]["terms_accepted"][0]
    assert Registration.objects.count() == 0


def test_the_terms_are_shown_in_the_last_step__HA_04(client):
    html = client.get(reverse("register")).content.decode()
    assert "KETENTUAN PENGGUNAAN INATRADE" in html
    assert 'name="terms_accepted"' in html


# --- HA-05: confirmation, e-mail, Lampiran II ------------------------------------------------------


def test_it_answers_201_with_the_reference_and_emails_the_document__HA_05(
    api_client, fields, uploads, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(API, _multipart(fields, uploads()), format="multipart")
    body = response.json()
    registration = Registration.objects.get()
    assert response.status_code == 201
    assert body == {"id": registration.pk, "reference": registration.reference, "status": "submitted"}
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert registration.reference in message.subject
    assert sorted(message.to) == ["kantor@sinargula.co.id", "rudi@sinargula.co.id"]
    assert reverse("registration_status", args=[registration.access_key]) in message.body
    assert "UPTP I" in message.body
    filename, content, mimetype = message.attachments[0]
    assert mimetype == "application/pdf" and registration.reference in filename
    assert "DOKUMEN REGISTRASI INATRADE" in pdf_text(content)
    assert AuditEntry.objects.filter(action="registration.submit", object_id=str(registration.pk)).exists()


def test_the_registration_document_holds_the_lampiran_ii_content__HA_05(client, submitted):
    response = client.get(reverse("registration_status_document", args=[submitted.access_key]))
    assert response.status_code == 200
    text = pdf_text(b"".join(response.streaming_content))
    for expected in (
        "DOKUMEN REGISTRASI INATRADE",
        "PT Sinar Gula Abadi",
        "Jl. Gatot Subroto No. 10",
        "01.234.567.4-012.000",
        "Importir, Eksportir",
        "090312345678",
        "Rudi Hartanto",
        "Kota Administrasi Jakarta Selatan, Daerah Khusus Ibukota Jakarta",  # the Kab/Kota of domicile
        "Dengan menandatangani Dokumen Registrasi INATRADE ini",
        "Jakarta Selatan, ",  # signed at the Kab/Kota (Lampiran II: "Badung, November 2015")
        "Tanda Tangan",
        "Materai",
    ):
        assert expected in text, expected


def test_the_document_escapes_applicant_data_and_fetches_nothing__HA_05(fields, uploads, monkeypatch):
    fields["company_name"] = 'PT <img src="http://evil.example/x.png"> & Co'
    registration = services.registration_submit(data=fields, files=uploads())
    assert services.registration_document_render(registration_id=registration.pk) is True
    registration.refresh_from_db()
    with default_storage.open(registration.document_path, "rb") as handle:
        text = pdf_text(handle.read())
    assert '<img src="http://evil.example/x.png"> & Co' in text


def test_the_api_serves_the_document_by_secret_key_or_to_officers__HA_05(api_client, submitted, counter_officer, owner):
    from tests.conftest import token_client

    url = f"/api/v1/registrations/{submitted.pk}/document.pdf"
    assert api_client.get(url).status_code == 404
    assert api_client.get(url + "?key=wrong").status_code == 404
    assert api_client.get(f"{url}?key={submitted.access_key}").status_code == 200
    assert token_client(counter_officer).get(url).status_code == 200
    assert token_client(owner).get(url).status_code == 404


def _received_emails():
    return OutgoingEmail.objects.filter(template="registration_received")


def test_the_submit_request_does_not_render_the_document__HA_05(
    api_client, client, fields, uploads, monkeypatch, django_capture_on_commit_callbacks
):
    from accounts import documents

    renders = []
    real_render = documents.registration_document_pdf
    monkeypatch.setattr(documents, "registration_document_pdf", lambda r: renders.append(r.pk) or real_render(r))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = api_client.post(API, _multipart(fields, uploads()), format="multipart")
    assert response.status_code == 201
    registration = Registration.objects.get()
    # PERF-01: nothing rendered, stored or e-mailed in the request; the render is queued after commit
    assert renders == [] and registration.document_path == "" and registration.document_sha256 == ""
    assert not _received_emails().exists() and mail.outbox == []
    assert len(_stored_files()) == 4

    with django_capture_on_commit_callbacks(execute=True):  # the worker runs the queued task
        for callback in callbacks:
            callback()
    registration.refresh_from_db()
    assert renders == [registration.pk]
    assert registration.document_path.startswith("registrations/") and len(registration.document_sha256) == 64
    assert len(_stored_files()) == 5
    email = _received_emails().get()
    assert email.attachments == [
        {
            "path": registration.document_path,
            "filename": f"Dokumen-Registrasi-INATRADE-{registration.reference}.pdf",
            "mimetype": "application/pdf",
        }
    ]
    assert len(mail.outbox) == 1
    filename, content, mimetype = mail.outbox[0].attachments[0]
    assert mimetype == "application/pdf" and "DOKUMEN REGISTRASI INATRADE" in pdf_text(content)
    assert client.get(reverse("registration_status_document", args=[registration.access_key])).status_code == 200


def test_the_document_is_announced_as_not_ready_before_it_is_rendered__HA_05(
    api_client, client, fields, uploads, counter_officer, monkeypatch
):
    from accounts import documents
    from tests.conftest import token_client

    registration = services.registration_submit(data=fields, files=uploads())  # on-commit task not run
    monkeypatch.setattr(documents, "registration_document_pdf", lambda r: pytest.fail("rendered in the request"))
    url = f"/api/v1/registrations/{registration.pk}/document.pdf"
    for response in (api_client.get(f"{url}?key={registration.access_key}"), token_client(counter_officer).get(url)):
        assert response.status_code == 409
        assert response.json()["error"]["code"] == "document_not_ready"
        assert "Dokumen sedang disiapkan" in response.json()["error"]["message"]
    assert api_client.get(url + "?key=wrong").status_code == 404  # access is checked first
    page = client.get(reverse("registration_status_document", args=[registration.access_key]))
    assert page.status_code == 202
    assert "Dokumen sedang disiapkan, silakan muat ulang halaman ini sebentar lagi." in page.content.decode()
    client.force_login(counter_officer)
    page = client.get(reverse("registration_file", args=[registration.pk, "document"]))
    assert page.status_code == 202 and "Dokumen sedang disiapkan" in page.content.decode()


def test_running_the_render_task_twice_stores_one_file_and_sends_one_email__HA_05(
    fields, uploads, django_capture_on_commit_callbacks
):
    from accounts import tasks

    registration = services.registration_submit(data=fields, files=uploads())  # on-commit task not run
    with django_capture_on_commit_callbacks(execute=True):
        first = tasks.render_registration_document.apply(args=[registration.pk]).get()
        registration.refresh_from_db()
        path = registration.document_path
        second = tasks.render_registration_document.apply(args=[registration.pk]).get()
    registration.refresh_from_db()
    assert (first, second) == (True, False)
    assert registration.document_path == path and path
    assert len(_stored_files()) == 5  # four uploads + one registration document
    assert _received_emails().count() == 1 and len(mail.outbox) == 1


def test_a_render_that_loses_the_race_is_discarded__HA_05(fields, uploads, monkeypatch, django_capture_on_commit_callbacks):
    """Two workers render at once: the one that stores first wins; the other stores nothing."""
    from accounts import documents

    registration = services.registration_submit(data=fields, files=uploads())
    real_render = documents.registration_document_pdf
    raced = []

    def render_while_another_worker_finishes(r):
        pdf = real_render(r)
        if not raced:
            raced.append(True)
            assert services.registration_document_render(registration_id=r.pk) is True  # the other worker
        return pdf

    monkeypatch.setattr(documents, "registration_document_pdf", render_while_another_worker_finishes)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.registration_document_render(registration_id=registration.pk) is False
    assert len(_stored_files()) == 5
    assert _received_emails().count() == 1 and len(mail.outbox) == 1


def test_the_status_page_shows_the_state_next_step_and_timeline__HA_05(client, validated):
    html = client.get(reverse("registration_status", args=[validated.access_key])).content.decode()
    assert validated.get_status_display() in html
    assert "Batas waktu keputusan" in html
    assert "Validasi UPTP I dan BAP" in html
    assert client.get(reverse("registration_status", args=["nope"])).status_code == 404


def test_a_second_open_registration_for_one_npwp_is_refused(api_client, fields, uploads, submitted):
    response = api_client.post(API, _multipart(fields, uploads()), format="multipart")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "registration_pending"


def test_registration_submission_is_idempotent_with_a_key(api_client, fields, uploads):
    first = api_client.post(API, _multipart(fields, uploads()), format="multipart", HTTP_IDEMPOTENCY_KEY="abc")
    again = api_client.post(API, _multipart(fields, uploads()), format="multipart", HTTP_IDEMPOTENCY_KEY="abc")
    assert first.status_code == 201 and again.status_code == 201
    assert again.json() == first.json()
    assert Registration.objects.count() == 1


def test_a_document_whose_task_was_lost_is_rendered_by_the_sweep_job__HA_05_REL_07(
    fields, uploads, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    registration = services.registration_submit(data=fields, files=uploads())  # the task never ran
    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_job", "registration_documents_sweep")
        call_command("run_job", "registration_documents_sweep")
    registration.refresh_from_db()
    assert registration.document_path.startswith("registrations/")
    assert _received_emails().count() == 1 and len(mail.outbox) == 1

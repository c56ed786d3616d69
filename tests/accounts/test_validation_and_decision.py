"""UPTP I validation with BAP and field verification (HA-06), the director's decision with
the acting capacity (HA-07), the user id and the set-password link (HA-08)."""

import io
import re
import time
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse
from pypdf import PdfReader

from accounts import services
from accounts.models import AccessStatus, ActingCapacity, Registration, RegistrationStatus, Role, User
from accounts.tokens import set_password_token
from inatrade.models import AuditEntry
from inatrade.workdays import add_working_days
from tests.conftest import token_client

pytestmark = pytest.mark.django_db


def _pdf_text(data: bytes) -> str:
    return " ".join("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())


def _link(message) -> str:
    return re.search(r"http://\S+/accounts/set-password/(\S+?)/", message.body).group(0)


# --- HA-06: validation, BAP, field verification -----------------------------------------------


def test_the_officer_validates_with_a_bap_and_the_clock_starts__HA_06(submitted, counter_officer):
    response = token_client(counter_officer).post(
        f"/api/v1/registrations/{submitted.pk}/validate", {"result": "valid", "notes": "Asli SIUP, TDP, NPWP sesuai"}, format="json"
    )
    body = response.json()
    submitted.refresh_from_db()
    assert response.status_code == 200
    assert body["status"] == "validated" and body["bap_number"] == f"BAP-{submitted.reference}"
    assert submitted.status == RegistrationStatus.VALIDATED
    # P123 Pasal 6(4): 2 working days from the documents received complete and correct
    assert submitted.due_date == add_working_days(submitted.documents_complete_at, 2)
    assert body["due_date"] == submitted.due_date.isoformat()
    bap = submitted.bap
    assert bap.officer == counter_officer and bap.result == "valid"
    entry = AuditEntry.objects.get(action="registration.validate")
    assert (entry.from_state, entry.to_state, entry.actor_role) == ("submitted", "validated", Role.COUNTER_OFFICER)


def test_the_bap_is_downloadable_as_pdf__HA_06(client, validated, counter_officer):
    client.force_login(counter_officer)
    response = client.get(reverse("registration_file", args=[validated.pk, "bap"]))
    text = _pdf_text(b"".join(response.streaming_content))
    assert response.status_code == 200
    for expected in ("BERITA ACARA PEMERIKSAAN", validated.bap.number, "PT Sinar Gula Abadi", "VALID", "Sesuai asli", counter_officer.get_full_name()):
        assert expected in text, expected
    api = token_client(counter_officer).get(f"/api/v1/registrations/{validated.pk}/bap.pdf")
    assert api.status_code == 200 and api["Content-Type"] == "application/pdf"


def test_the_bap_is_rendered_after_commit_not_in_the_request__HA_06(
    client, submitted, counter_officer, monkeypatch, django_capture_on_commit_callbacks
):
    from django.core.files.storage import default_storage

    from accounts import documents, tasks

    renders = []
    real_render = documents.bap_pdf
    monkeypatch.setattr(documents, "bap_pdf", lambda bap: renders.append(bap.pk) or real_render(bap))
    api = token_client(counter_officer)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = api.post(f"/api/v1/registrations/{submitted.pk}/validate", {"result": "valid", "notes": "Sesuai asli"}, format="json")
    assert response.status_code == 200
    submitted.refresh_from_db()
    bap = submitted.bap
    assert renders == [] and bap.pdf_path == "" and bap.pdf_sha256 == ""
    # not yet rendered: the API says so (409), the page asks to reload (202); nothing renders
    pending = api.get(f"/api/v1/registrations/{submitted.pk}/bap.pdf")
    assert pending.status_code == 409 and pending.json()["error"]["code"] == "document_not_ready"
    client.force_login(counter_officer)
    page = client.get(reverse("registration_file", args=[submitted.pk, "bap"]))
    assert page.status_code == 202
    assert "Dokumen sedang disiapkan, silakan muat ulang halaman ini sebentar lagi." in page.content.decode()
    assert renders == []

    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
        assert tasks.render_bap_pdf.apply(args=[bap.pk]).get() is False  # a second run changes nothing
    bap.refresh_from_db()
    assert renders == [bap.pk] and bap.pdf_path.startswith("bap/") and len(bap.pdf_sha256) == 64
    assert len(default_storage.listdir("bap")[1]) == 1
    assert api.get(f"/api/v1/registrations/{submitted.pk}/bap.pdf").status_code == 200


def test_an_invalid_bap_needs_notes_and_goes_to_the_director__HA_06(submitted, counter_officer):
    api = token_client(counter_officer)
    response = api.post(f"/api/v1/registrations/{submitted.pk}/validate", {"result": "invalid"}, format="json")
    assert response.status_code == 400 and "notes" in response.json()["error"]["fields"]
    response = api.post(f"/api/v1/registrations/{submitted.pk}/validate", {"result": "invalid", "notes": "TDP palsu"}, format="json")
    submitted.refresh_from_db()
    assert response.status_code == 200 and submitted.status == RegistrationStatus.INVALID
    assert submitted.due_date is None


def test_validating_twice_answers_409__HA_06(validated, counter_officer):
    response = token_client(counter_officer).post(f"/api/v1/registrations/{validated.pk}/validate", {"result": "valid"}, format="json")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "invalid_transition"


def test_only_the_counter_officer_validates__HA_06(submitted, director, owner):
    for user in (director, owner):
        response = token_client(user).post(f"/api/v1/registrations/{submitted.pk}/validate", {"result": "valid"}, format="json")
        assert response.status_code == 403


def test_the_director_assigns_a_field_verification_and_validation_waits__HA_06(
    submitted, director, field_verifier, counter_officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = token_client(director).post(
            f"/api/v1/registrations/{submitted.pk}/field-verification",
            {"verifier": field_verifier.username, "instructions": "Cek gudang di Cilegon"},
            format="json",
        )
    assert response.status_code == 200 and response.json()["status"] == "field_verification"
    assert mail.outbox[-1].to == [field_verifier.email] and "Cek gudang di Cilegon" in mail.outbox[-1].body
    blocked = token_client(counter_officer).post(f"/api/v1/registrations/{submitted.pk}/validate", {"result": "valid"}, format="json")
    assert blocked.status_code == 409 and blocked.json()["error"]["code"] == "awaiting_field_verification"

    result = token_client(field_verifier).post(
        f"/api/v1/registrations/{submitted.pk}/field-verification/result", {"result": "confirmed", "notes": "Gudang ada"}, format="json"
    )
    assert result.status_code == 200 and result.json()["status"] == "submitted"
    verification = submitted.field_verifications.get()
    assert verification.result == "confirmed" and verification.recorded_at
    ok = token_client(counter_officer).post(f"/api/v1/registrations/{submitted.pk}/validate", {"result": "valid"}, format="json")
    assert ok.status_code == 200


def test_only_the_assigned_verifier_records_the_result__HA_06(submitted, director, field_verifier):
    from tests.factories import UserFactory

    other = UserFactory(role=Role.FIELD_VERIFIER)
    services.registration_assign_field_verifier(registration=submitted, actor=director, verifier=field_verifier)
    response = token_client(other).post(f"/api/v1/registrations/{submitted.pk}/field-verification/result", {"result": "untrue"}, format="json")
    assert response.status_code == 403


def test_the_work_list_shows_due_dates_and_overdue__HA_06(validated, submitted_other, counter_officer):
    response = token_client(counter_officer).get("/api/v1/registrations/")
    body = response.json()
    assert response.status_code == 200 and body["count"] == 2
    first = body["results"][0]
    assert first["id"] == validated.pk and first["due_date"] == validated.due_date.isoformat() and first["overdue"] is False
    Registration.objects.filter(pk=validated.pk).update(due_date="2020-01-01")
    body = token_client(counter_officer).get("/api/v1/registrations/?status=validated").json()
    assert body["count"] == 1 and body["results"][0]["overdue"] is True
    assert token_client(counter_officer).get("/api/v1/registrations/?status=bogus").status_code == 400


def test_an_overdue_registration_says_how_late_it_is_never_a_negative_count__SLA_03_HA_06(client, validated, director):
    """The detail page and the public status page of an overdue case say "terlambat, lewat N
    hari kerja", as the lists and the timeline do (issue 17: "(-8 hari kerja)" was shown)."""
    from datetime import timedelta

    from inatrade.workdays import today, working_days_left

    due = today() - timedelta(days=14)
    Registration.objects.filter(pk=validated.pk).update(due_date=due)
    late = -working_days_left(due)
    assert late > 0
    client.force_login(director)
    detail = client.get(reverse("registration_detail", args=[validated.pk])).content.decode()
    status = client.get(reverse("registration_status", args=[validated.access_key])).content.decode()
    for page in (detail, status):
        assert f"lewat {late} hari kerja" in page and f"-{late} hari kerja" not in page and "(-" not in page


def test_the_work_list_page_shows_the_registrations_to_officers__HA_06(client, validated, counter_officer, owner):
    client.force_login(counter_officer)
    html = client.get(reverse("registration_list")).content.decode()
    assert validated.reference in html
    client.force_login(owner)
    assert client.get(reverse("registration_list")).status_code == 403


def test_the_officer_validates_through_the_browser__HA_06(client, submitted, counter_officer):
    client.force_login(counter_officer)
    response = client.post(reverse("registration_validate", args=[submitted.pk]), {"result": "valid", "notes": "ok"})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == "validated"


# --- HA-07: the director's decision --------------------------------------------------------------


def test_the_director_approves_and_the_capacity_is_recorded__HA_07(validated, director, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = token_client(director).post(
            f"/api/v1/registrations/{validated.pk}/approve", {"capacity": "dir_impor", "reason": "Lengkap"}, format="json"
        )
    validated.refresh_from_db()
    assert response.status_code == 200 and response.json()["status"] == "approved"
    assert validated.decided_by == director and validated.acting_capacity == ActingCapacity.DIRECTOR_IMPORT
    entry = AuditEntry.objects.get(action="registration.approve")
    assert "Direktur Impor" in entry.actor_capacity and "Pasal 5 ayat (2) huruf c" in entry.actor_capacity


def test_the_director_rejects_with_reasons_emailed__HA_07(validated, director, django_capture_on_commit_callbacks):
    api = token_client(director)
    assert api.post(f"/api/v1/registrations/{validated.pk}/reject", {"reason": ""}, format="json").status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"/api/v1/registrations/{validated.pk}/reject", {"reason": "NPWP tidak aktif"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "rejected"
    message = mail.outbox[-1]
    assert "ditolak" in message.subject and "NPWP tidak aktif" in message.body
    assert "rudi@sinargula.co.id" in message.to
    assert User.objects.filter(role=Role.IMPORTER).count() == 0


def test_only_a_validated_registration_can_be_approved__HA_07(submitted, director):
    response = token_client(director).post(f"/api/v1/registrations/{submitted.pk}/approve", {}, format="json")
    assert response.status_code == 409


def test_approving_twice_creates_one_user__HA_07(validated, director):
    api = token_client(director)
    assert api.post(f"/api/v1/registrations/{validated.pk}/approve", {}, format="json").status_code == 200
    assert api.post(f"/api/v1/registrations/{validated.pk}/approve", {}, format="json").status_code == 409
    assert User.objects.filter(role=Role.IMPORTER).count() == 1


def test_only_a_director_decides__HA_07(validated, counter_officer, administrator):
    for user in (counter_officer, administrator):
        assert token_client(user).post(f"/api/v1/registrations/{validated.pk}/approve", {}, format="json").status_code == 403


# --- HA-08: user id and set-password link --------------------------------------------------------


def test_approval_emails_a_six_hex_user_id_and_a_set_password_link__HA_08(
    client, validated, director, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user = services.registration_approve(registration=validated, actor=director)
    assert re.fullmatch(r"[0-9A-F]{6}", user.username)
    assert user.company.npwp == "012345674012000" and user.company.name == "PT Sinar Gula Abadi"
    assert user.role == Role.IMPORTER and user.access_status == AccessStatus.ACTIVE and not user.has_usable_password()
    message = mail.outbox[-1]
    assert message.to == ["rudi@sinargula.co.id"]
    assert user.username in message.subject and f"User id: {user.username}" in message.body
    link = _link(message)
    path = link.split("8000", 1)[1] if "8000" in link else link
    page = client.get(path)
    assert page.status_code == 200 and user.username in page.content.decode()
    response = client.post(path, {"new_password1": "Gula#Manis2026", "new_password2": "Gula#Manis2026"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Gula#Manis2026")
    # one use only
    assert client.get(path).status_code == 404


def test_user_ids_are_unique__HA_08(monkeypatch, validated, director):
    from accounts.services.registration import decision as module
    from tests.factories import UserFactory

    UserFactory(username="ABCDEF")
    values = iter(["abcdef", "abcdef", "123abc"])
    monkeypatch.setattr(module.secrets, "token_hex", lambda n: next(values))
    user = services.registration_approve(registration=validated, actor=director)
    assert user.username == "123ABC"


def test_an_expired_link_shows_token_expired_and_resends__HA_08(client, validated, director, django_capture_on_commit_callbacks):
    user = services.registration_approve(registration=validated, actor=director)
    with mock.patch("django.core.signing.time.time", return_value=time.time() - 25 * 3600):
        old = set_password_token(user)
    response = client.get(reverse("set_password", args=[old]))
    assert response.status_code == 410 and "Token expired" in response.content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        resent = client.post(reverse("set_password_resend"), {"token": old})
    assert resent.status_code == 200
    assert mail.outbox[-1].to == [user.email] and user.username in mail.outbox[-1].body
    new_path = _link(mail.outbox[-1]).split("8000", 1)[1]
    assert client.get(new_path).status_code == 200


def test_a_link_still_valid_at_23_hours__HA_08(client, validated, director):
    user = services.registration_approve(registration=validated, actor=director)
    with mock.patch("django.core.signing.time.time", return_value=time.time() - 23 * 3600):
        token = set_password_token(user)
    assert client.get(reverse("set_password", args=[token])).status_code == 200


def test_a_forged_link_is_refused__HA_08(client):
    assert client.get(reverse("set_password", args=["abc:def:ghi"])).status_code == 404
    assert client.post(reverse("set_password_resend"), {"token": "abc"}).status_code == 404


def test_the_first_login_lands_on_the_dashboard__HA_08(client, validated, director):
    user = services.registration_approve(registration=validated, actor=director)
    services.user_password_set_initial(user=user, new_password="Gula#Manis2026")
    response = client.post(reverse("login"), {"username": user.username, "password": "Gula#Manis2026"})
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    assert client.get(reverse("dashboard")).status_code == 200


def test_the_work_list_page_shows_days_left_with_constant_queries__HA_06(client, counter_officer, fields, uploads, django_assert_max_num_queries):
    for index in range(6):
        data = dict(fields, npwp=f"12345678901234{index:02d}", company_name=f"PT Antre {index}")
        registration = services.registration_submit(data=data, files=uploads())
        services.registration_validate(registration=registration, actor=counter_officer, result="valid")
    client.force_login(counter_officer)
    with django_assert_max_num_queries(15):
        html = client.get(reverse("registration_list")).content.decode()
    assert "Sisa hari kerja" in html and "PT Antre 5" in html


def test_an_api_approval_repeated_with_the_same_idempotency_key_creates_one_user_and_one_email__HA_07_REL_04(
        validated, director):
    from accounts.models import Role, User
    from inatrade.models import OutgoingEmail
    from tests.conftest import token_client

    client = token_client(director)
    emails = OutgoingEmail.objects.filter(template="registration_approved").count()
    first = client.post(f"/api/v1/registrations/{validated.pk}/approve", {}, format="json", HTTP_IDEMPOTENCY_KEY="ha-7")
    second = client.post(f"/api/v1/registrations/{validated.pk}/approve", {}, format="json", HTTP_IDEMPOTENCY_KEY="ha-7")
    assert first.status_code == second.status_code == 200, first.json()
    assert second["Idempotent-Replayed"] == "true" and second.json() == first.json()
    assert User.objects.filter(role=Role.IMPORTER).count() == 1
    assert OutgoingEmail.objects.filter(template="registration_approved").count() == emails + 1

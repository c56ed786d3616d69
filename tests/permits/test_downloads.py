"""DOC-06 / SEC-05: the signed PDF only for the holder and officers, every download logged;
the INSW outbox list only for administrators."""

import pytest
from rest_framework.test import APIClient

from permits.models import PermitDownload
from tests.conftest import token_client
from tests.permits.conftest import pdf_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("dirjen_certificate")]


@pytest.fixture
def permit(issue_permit):
    return issue_permit()


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_holder_downloads_the_pdf_and_it_is_logged__DOC_06(client, owner, permit):
    client.force_login(owner)
    response = client.get(f"/permits/{permit.number}/pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert _body(response) == pdf_bytes(permit.current_version)
    assert "no-store" in response["Cache-Control"]
    log = PermitDownload.objects.get()
    assert log.user == owner and log.version == permit.current_version and log.channel == "web"


def test_the_holder_downloads_through_the_api__DOC_06(owner, permit):
    response = token_client(owner).get(f"/api/v1/permits/{permit.number}/pdf")
    assert response.status_code == 200
    assert _body(response)[:5] == b"%PDF-"
    assert PermitDownload.objects.get().channel == "api"


def test_another_company_gets_404_and_nothing_is_logged__SEC_05(client, outsider, permit):
    client.force_login(outsider)
    assert client.get(f"/permits/{permit.number}/pdf").status_code == 404
    assert token_client(outsider).get(f"/api/v1/permits/{permit.number}/pdf").status_code == 404
    assert not PermitDownload.objects.exists()


def test_an_officer_downloads_and_it_is_logged__DOC_06(client, director, permit):
    client.force_login(director)
    assert client.get(f"/permits/{permit.number}/pdf").status_code == 200
    assert PermitDownload.objects.get().user == director


def test_anonymous_users_cannot_download(client, permit):
    assert client.get(f"/permits/{permit.number}/pdf").status_code == 302
    assert APIClient().get(f"/api/v1/permits/{permit.number}/pdf").status_code == 401


def test_the_permit_list_shows_only_the_holders_permits(client, owner, outsider, permit):
    client.force_login(owner)
    assert permit.number in client.get("/permits/").content.decode()
    client.force_login(outsider)
    assert permit.number not in client.get("/permits/").content.decode()


def test_the_outbox_list_is_for_administrators_with_a_state_filter__DOC_05(administrator, owner, director, permit):
    assert token_client(owner).get("/api/v1/insw/outbox/").status_code == 403
    assert token_client(director).get("/api/v1/insw/outbox/").status_code == 403
    assert APIClient().get("/api/v1/insw/outbox/").status_code == 401
    admin = token_client(administrator)
    body = admin.get("/api/v1/insw/outbox/", {"state": "pending"}).json()
    assert body["count"] == 1 and body["results"][0]["permit_number"] == permit.number
    assert admin.get("/api/v1/insw/outbox/", {"state": "delivered"}).json()["count"] == 0
    assert admin.get("/api/v1/insw/outbox/", {"state": "nonsense"}).status_code == 400


def test_a_version_in_other_digits_is_not_a_number_and_breaks_nothing__SEC_03(client, owner, permit):
    """"²".isdigit() is true but int("²") fails: ?version= takes ASCII digits only, anything
    else is no version (the current one), as "abc" always was."""
    client.force_login(owner)
    for path in (f"/permits/{permit.number}/pdf?version=²", f"/api/v1/permits/{permit.number}/pdf?version=²"):
        response = (client if path.startswith("/permits") else token_client(owner)).get(path)
        assert response.status_code == 200 and _body(response) == pdf_bytes(permit.current_version), path

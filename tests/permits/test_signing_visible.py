"""REL-06: a signing failure is visible to the officers where they look at the permit (the PI
page, the permit list), never to the holder, and an official can retry it from there."""

import pytest

from accounts.models import Role
from permits.models import PermitStatus, VersionState
from tests.conftest import token_client
from tests.factories import UserFactory
from tests.permits.conftest import submitted_sugar_application

pytestmark = pytest.mark.django_db


def test_the_pi_page_shows_officers_the_signing_error_and_a_retry_that_completes_it__REL_06(
        dirjen, pki_dir, client, django_capture_on_commit_callbacks):
    from permits.services import signing_certificate_register
    from sugar_import import services as sugar

    application = submitted_sugar_application()
    with django_capture_on_commit_callbacks(execute=True):
        sp = sugar.sugar_application_approve(application=application, actor=dirjen)  # no certificate yet
    page_url = f"/sugar/permits/{sp.number}/"

    client.force_login(dirjen)
    page = client.get(page_url).content.decode()
    assert 'id="signing-status" data-state="failed"' in page and "no active signing certificate" in page
    assert 'id="signing-retry"' in page
    assert "penandatanganan gagal" in client.get("/permits/").content.decode()

    client.force_login(UserFactory(role=Role.COUNTER_OFFICER))
    page = client.get(page_url).content.decode()
    assert "no active signing certificate" in page and 'id="signing-retry"' not in page

    client.force_login(application.company.users.get())  # the holder: "being signed", no internals
    page = client.get(page_url).content.decode()
    assert 'id="awaiting-signature"' in page and "no active signing certificate" not in page
    assert token_client(application.company.users.get()).get(f"/api/v1/permits/{sp.number}/signing").status_code == 403

    signing_certificate_register(user=dirjen, pkcs12_path=str(pki_dir / "signers" / "dirjen.p12"))
    client.force_login(dirjen)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/permits/{sp.number}/signing/retry")
    assert response.status_code == 302 and response.url == f"/permits/{sp.number}/signing"
    sp.permit.refresh_from_db()
    assert sp.permit.status == PermitStatus.VALID
    assert sp.permit.versions.get().state == VersionState.SIGNED
    assert 'id="signing-status"' not in client.get(page_url).content.decode()
    assert token_client(dirjen).get(f"/api/v1/permits/{sp.number}/signing").status_code == 404
    # nothing left to retry
    assert token_client(dirjen).post(f"/api/v1/permits/{sp.number}/signing/retry").status_code == 409

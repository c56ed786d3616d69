"""SEC-05: uploaded and issued files are never served from a public path; only the owner
and officers download them (through views that check access, tests/permits/test_downloads.py
and the SEC-01 walk); public verification shows only the public fields."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import Resolver404, resolve
from rest_framework.test import APIClient

from accounts.models import RegistrationDocument
from tests.accounts.conftest import VALID_FIELDS, pdf_file
from tests.permits.conftest import _pki_settings, dirjen, dirjen_certificate, issue_permit, pki_dir  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("dirjen_certificate")]


@pytest.fixture
def permit(issue_permit):  # noqa: F811
    return issue_permit()


@pytest.fixture
def stored_files(permit, api_client):
    """Paths (relative to the storage root) of an issued PDF and an uploaded document."""
    files = {kind: pdf_file(f"{kind}.pdf") for kind in ("business_licence", "tdp", "npwp_card", "power_of_attorney")}
    response = api_client.post("/api/v1/registrations/", {**VALID_FIELDS, "jenis_usaha": list(VALID_FIELDS["jenis_usaha"]), **files}, format="multipart")
    assert response.status_code == 201, response.content
    paths = [permit.current_version.pdf_path, *RegistrationDocument.objects.values_list("path", flat=True)]
    assert all(paths) and all((Path(settings.MEDIA_ROOT) / p).is_file() for p in paths)
    return paths


def test_stored_files_are_not_reachable_under_any_public_path__SEC_05(client, owner, stored_files):
    prefixes = ["/media/", "/static/", "/private-not-served/", "/", "/var/private/", f"{settings.MEDIA_ROOT}/"]
    for who in (None, owner):
        if who:
            client.force_login(who)
        for path in stored_files:
            for prefix in prefixes:
                url = prefix + path if prefix.endswith("/") else prefix + "/" + path
                response = client.get(url)
                body = b"".join(response.streaming_content) if response.streaming else response.content
                assert response.status_code in (302, 404), (url, response.status_code)
                assert b"%PDF" not in body, url


def test_no_url_pattern_serves_the_storage_root__SEC_05():
    for url in ("/media/x.pdf", "/private-not-served/x.pdf", "/static/../var/private/x.pdf"):
        with pytest.raises(Resolver404):
            resolve(url)
    private, static = Path(settings.PRIVATE_MEDIA_ROOT).resolve(), Path(settings.STATIC_ROOT).resolve()
    assert not private.is_relative_to(static) and not static.is_relative_to(private)
    for folder in getattr(settings, "STATICFILES_DIRS", []):
        assert not private.is_relative_to(Path(folder).resolve())


def test_public_verification_shows_only_the_public_fields__SEC_05(client, permit, company):
    api = APIClient().get(f"/api/v1/verify/{permit.number}")
    assert set(api.json()) == {"number", "kind", "holder_name", "valid_from", "valid_until", "status", "version", "sha256"}
    page = client.get(f"/verify/{permit.number}")
    assert page.status_code == 200
    for raw in (api.content.decode(), page.content.decode()):
        assert company.name in raw
        # The document's SHA-256 is public (DOC-04); as hex it may contain "1701" by chance.
        raw = raw.replace(permit.current_version.sha256, "<sha256>")
        for private in (company.npwp, company.nib, company.address, company.email, "1701", permit.current_version.pdf_path, "/pdf"):
            assert private not in raw, private

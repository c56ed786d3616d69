"""SEC-05 / SEC-02 (issue 15 item 1): a stored upload is never served as a page.

The attack: an API-U document uploaded as ``evil.html`` whose bytes are a valid PDF with HTML
and a script appended. It passed the PDF check and was served inline with the type Django
guessed from the client's name (``text/html``), so the script ran in the officer's session."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from api_registry.models import REQUIRED_DOCUMENTS, IssuerKind
from api_registry.models import ApplicationDocument as ApiDocument
from inatrade.files import display_name
from tests.api_registry.conftest import dinas_dki, province_officer, regency_officer  # noqa: F401 - fixtures
from tests.conftest import token_client
from tests.security.test_hostile_uploads import make_pdf

pytestmark = pytest.mark.django_db

POLYGLOT = make_pdf() + b"\n<html><body><script>fetch('/api/v1/me').then(r=>r.text()).then(alert)</script></body></html>\n"


@pytest.fixture
def evil_document(owner, regency_officer, province_officer):  # noqa: F811
    client = token_client(owner)
    response = client.post("/api/v1/api-applications/", {"kind": "API-U", "hs_section": "IV", "line_of_business": "Gula"}, format="json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    kind = REQUIRED_DOCUMENTS[(IssuerKind.DINAS, "API-U")][0]
    upload = SimpleUploadedFile("evil.html", POLYGLOT, content_type="text/html")
    response = client.post(f"/api/v1/api-applications/{pk}/documents", {"kind": kind, "file": upload}, format="multipart")
    assert response.status_code in (200, 201), response.content
    return ApiDocument.objects.get(application_id=pk, kind=kind)


def test_an_uploaded_document_named_html_is_served_as_a_pdf_attachment__SEC_05(client, owner, evil_document):
    client.force_login(owner)
    response = client.get(reverse("api-application-document", args=[evil_document.application_id, evil_document.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert ".html" not in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_client_file_name_is_kept_only_as_sanitized_display_text__SEC_02(evil_document):
    assert evil_document.filename == "evil_html.pdf"
    assert not evil_document.path.endswith(".html")


@pytest.mark.parametrize("name, shown", [
    ("evil.html", "evil_html.pdf"), ("setup.exe", "setup_exe.pdf"), ("../../x.pdf", "x.pdf"),
    ('a"<b>.pdf', "a__b.pdf"), ("", "dokumen.pdf"), ("laporan.PDF", "laporan.pdf"),
])
def test_display_names_never_keep_another_type_or_markup__SEC_02(name, shown):
    assert display_name(name) == shown

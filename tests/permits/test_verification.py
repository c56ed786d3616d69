"""DOC-04: public verification by number, by QR target and by uploading a PDF; rate-limited,
no login, nothing private."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from permits.services import permit_amend, permit_freeze
from tests.permits.conftest import pdf_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("dirjen_certificate")]


@pytest.fixture
def permit(issue_permit):
    return issue_permit()


def _upload(data: bytes, name="permit.pdf"):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def test_the_api_answers_the_public_fields_by_number_without_login__DOC_04(permit, company):
    response = APIClient().get(f"/api/v1/verify/{permit.number}")
    assert response.status_code == 200
    body = response.json()
    assert body == {
        "number": permit.number, "kind": "sugar_pi", "holder_name": company.name, "valid_from": "2026-11-22",
        "valid_until": "2026-12-31", "status": "valid", "version": 1, "sha256": permit.current_version.sha256,
    }
    # nothing private
    raw = response.content.decode()
    assert company.npwp not in raw and company.address not in raw and "1701" not in raw


def test_the_api_answers_404_for_an_unknown_number__DOC_04(db):
    response = APIClient().get("/api/v1/verify/NO-SUCH-NUMBER")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_the_status_follows_freezes__DOC_04(permit, dirjen):
    permit_freeze(permit=permit, actor=dirjen, reason="Laporan tidak disampaikan")
    assert APIClient().get(f"/api/v1/verify/{permit.number}").json()["status"] == "frozen"


def test_the_page_the_qr_code_opens_shows_holder_kind_validity_status_version__DOC_04(client, permit, company):
    response = client.get(f"/verify/{permit.number}")
    assert response.status_code == 200
    html = response.content.decode()
    assert company.name in html and "Persetujuan Impor Gula" in html and 'data-status="valid"' in html
    assert "31 Desember 2026" in html or "31 December 2026" in html
    assert company.npwp not in html and company.address not in html
    assert client.get("/verify/", {"number": permit.number}).status_code == 302
    assert client.get("/verify/UNKNOWN-1").status_code == 404


def test_an_uploaded_genuine_pdf_is_recognised__DOC_04(permit):
    response = APIClient().post("/api/v1/verify/", {"file": _upload(pdf_bytes(permit.current_version))}, format="multipart")
    assert response.status_code == 200
    assert response.json() == {
        "issued_here": True, "permit_number": permit.number, "version": 1, "current": True,
        "signature_intact": True, "signer": "Sri Mulyani, Direktur Jenderal Perdagangan Luar Negeri",
    }


def test_an_uploaded_old_version_is_genuine_but_not_current__DOC_04_DOC_06(permit, dirjen, django_capture_on_commit_callbacks):
    old = pdf_bytes(permit.current_version)
    with django_capture_on_commit_callbacks(execute=True):
        permit_amend(permit=permit, content=permit.current_version.content, signer=dirjen, actor=dirjen, reason="Perubahan")
    body = APIClient().post("/api/v1/verify/", {"file": _upload(old)}, format="multipart").json()
    assert body["issued_here"] is True and body["version"] == 1 and body["current"] is False
    assert body["signature_intact"] is True


def test_an_uploaded_tampered_pdf_is_not_ours_and_its_signature_is_broken__DOC_04(permit):
    data = bytearray(pdf_bytes(permit.current_version))
    offset = data.index(b"stream") + 200
    data[offset] ^= 0x01
    body = APIClient().post("/api/v1/verify/", {"file": _upload(bytes(data))}, format="multipart").json()
    assert body["issued_here"] is False and body["signature_intact"] is False and body["current"] is False


def test_the_page_checks_an_uploaded_pdf__DOC_04(client, permit):
    response = client.post("/verify/", {"file": _upload(pdf_bytes(permit.current_version))})
    assert response.status_code == 200
    html = response.content.decode()
    assert permit.number in html and "utuh dan sah" in html


def test_a_non_pdf_upload_is_refused(db):
    response = APIClient().post("/api/v1/verify/", {"file": _upload(b"GIF89a not a pdf", "x.pdf")}, format="multipart")
    assert response.status_code == 415


def test_verification_is_rate_limited__DOC_04(settings, permit):
    from rest_framework.throttling import ScopedRateThrottle

    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "verify": "3/minute"}}
    ScopedRateThrottle.THROTTLE_RATES = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    try:
        client = APIClient()
        codes = [client.get(f"/api/v1/verify/{permit.number}").status_code for _ in range(5)]
        assert codes[:3] == [200, 200, 200] and codes[3] == 429
    finally:
        from rest_framework.settings import api_settings

        ScopedRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES


def test_the_verification_page_is_rate_limited__DOC_04(settings, client, permit):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "verify": "2/minute"}}
    codes = [client.get(f"/verify/{permit.number}").status_code for _ in range(3)]
    assert codes == [200, 200, 429]


# Issue 17, finding 3: the verdict stands out, by words, icon and colour, and is announced.
def _verdict(html: str) -> str:
    start = html.index('class="verdict ')
    return html[start:html.index("</section>", start)]


def test_a_valid_permit_says_genuine_and_valid_in_a_verdict_region__DOC_04(client, permit):
    verdict = _verdict(client.get(f"/verify/{permit.number}").content.decode())
    assert 'data-verdict="ok"' in verdict and 'role="status"' in verdict and "Asli dan berlaku" in verdict


def test_a_frozen_permit_says_not_to_accept_it__DOC_04(client, permit, dirjen):
    permit_freeze(permit=permit, actor=dirjen, reason="Laporan tidak disampaikan")
    verdict = _verdict(client.get(f"/verify/{permit.number}").content.decode())
    assert 'data-verdict="warn"' in verdict and "DIBEKUKAN — jangan diterima" in verdict


def test_a_forged_pdf_says_not_valid_do_not_accept__DOC_04(client, permit):
    data = bytearray(pdf_bytes(permit.current_version))
    offset = data.index(b"stream") + 200
    data[offset] ^= 0x01
    html = client.post("/verify/", {"file": _upload(bytes(data))}).content.decode()
    verdict = _verdict(html)
    assert 'data-verdict="bad"' in verdict and "TIDAK SAH — jangan diterima" in verdict
    assert 'aria-hidden="true"' in verdict  # the icon is decoration; the heading carries the verdict


def test_a_png_uploaded_for_checking_is_told_it_is_not_a_pdf(client, db):
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    response = client.post("/verify/", {"file": _upload(png, "foto.png")})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Berkas ini bukan PDF" in html and "PDF harus berupa PDF" not in html

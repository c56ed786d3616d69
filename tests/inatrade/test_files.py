"""HA-03 / SEC-02: a PDF is recognised by its content; hostile files are refused."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from inatrade.files import UploadRefused, display_name, store_private, validate_pdf_upload


def make_pdf(*, javascript: bool = False, embedded: bool = False) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if javascript:
        writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
            {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert('x');")}
        )
    if embedded:
        writer.add_attachment("payload.exe", b"MZ....")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def upload(data: bytes, name="dokumen.pdf"):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def test_a_real_pdf_is_accepted__HA_03():
    data = make_pdf()
    assert validate_pdf_upload(upload(data)) == data


@pytest.mark.parametrize(
    "data,code,status",
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "unsupported_file_type", 415),
        (b"<html><script>alert(1)</script></html>", "unsupported_file_type", 415),
        (b"PK\x03\x04" + b"\x00" * 100, "unsupported_file_type", 415),
        (b"", "file_empty", 400),
        (b"%PDF-1.7\n garbage without structure", "pdf_unreadable", 415),
    ],
    ids=["renamed-png", "html", "zip", "empty", "broken-pdf"],
)
def test_a_file_that_is_not_a_pdf_is_refused_whatever_its_name__HA_03_SEC_02(data, code, status):
    with pytest.raises(UploadRefused) as refused:
        validate_pdf_upload(upload(data, "surat.pdf"), label="NPWP")
    assert refused.value.code == code
    assert refused.value.status == status
    assert "NPWP" in refused.value.messages[0]


@pytest.mark.parametrize("kind", ["javascript", "embedded"])
def test_a_pdf_with_active_or_embedded_content_is_refused__SEC_02(kind):
    with pytest.raises(UploadRefused) as refused:
        validate_pdf_upload(upload(make_pdf(**{kind: True})))
    assert refused.value.code == "pdf_active_content"


def test_a_file_over_the_limit_is_refused_with_413__HA_03():
    data = make_pdf() + b"%" * 2048
    with pytest.raises(UploadRefused) as refused:
        validate_pdf_upload(upload(data), max_bytes=1024, label="Surat Kuasa")
    assert refused.value.status == 413
    assert "1 KB" in refused.value.messages[0]


@pytest.mark.parametrize(
    "client_name,expected",
    [
        ("../../x.pdf", "x.pdf"),
        ("..\\..\\windows\\x.pdf", "x.pdf"),
        ("surat\x00kuasa.pdf", "suratkuasa.pdf"),
        ("", "dokumen.pdf"),
        ("..", "dokumen.pdf"),
        ("Surat Izin Usaha – PT Maju Jaya.pdf", "Surat Izin Usaha – PT Maju Jaya.pdf"),
    ],
)
def test_the_client_file_name_is_only_displayed_never_used_as_a_path__SEC_02(client_name, expected):
    assert display_name(client_name) == expected


def test_a_very_long_name_is_shortened_and_keeps_its_extension__SEC_02():
    name = display_name("é" * 300 + ".pdf")
    assert len(name) <= 120 and name.endswith(".pdf")


def test_stored_files_get_a_generated_name_inside_the_private_root(settings, tmp_path):
    path, digest = store_private(make_pdf(), folder="uploads/test")
    assert path.startswith("uploads/test/") and path.endswith(".pdf") and len(digest) == 64
    assert (tmp_path / "private" / path).exists()

"""DOC-01 (Lampiran IV structure, P14 Pasal 8 content) and DOC-03 (barcode and QR), read back
from the signed PDF that production makes: a sugar application approved by the Director
General (``sugar_application_approve`` builds the content, ``permit_issue`` records it) and
signed by the task after commit. No hand-built content: what is asserted is what an importer
receives."""

import datetime as dt
import io
import re
import subprocess

import pytest
from pypdf import PdfReader

from permits.models import PermitStatus
from tests.permits.conftest import pdf_bytes, submitted_sugar_application

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("dirjen_certificate")]

MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember"]
ORIGINS = [("BR", "Brasil"), ("TH", "Thailand"), ("AU", "Australia")]
LINES = 55  # enough for the attachment's table to run over pages


def _in_words(day: dt.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


@pytest.fixture
def approved(dirjen, django_capture_on_commit_callbacks):
    """The production path: a sugar application approved by the Director General
    (``sugar_application_approve`` builds the content and calls ``permit_issue``), then the
    signing task after commit. Returns the sugar permit, its application and the signed PDF."""
    from sugar_import import services as sugar

    lines = [{"hs_code": "1701.14.00", "description": f"GKM lot L{i:03d}", "volume_tonnes": "10.250",
              "origin_country": ORIGINS[i % 3][0], "port_of_discharge": "IDTPP"} for i in range(1, LINES + 1)]
    application = submitted_sugar_application(lines=lines)
    with django_capture_on_commit_callbacks(execute=True):
        sp = sugar.sugar_application_approve(application=application, actor=dirjen)
    sp.permit.refresh_from_db()
    assert sp.permit.status == PermitStatus.VALID  # signed by the task
    return sp, application, pdf_bytes(sp.permit.current_version)


@pytest.fixture
def signed_pdf(approved, tmp_path):
    sp, _application, data = approved
    path = tmp_path / "permit.pdf"
    path.write_bytes(data)
    return sp.permit, data, path


def _pages_text(path) -> list[str]:
    reader = PdfReader(str(path))
    out = []
    for index in range(len(reader.pages)):
        out.append(subprocess.run(
            ["pdftotext", "-layout", "-f", str(index + 1), "-l", str(index + 1), str(path), "-"],
            capture_output=True, text=True, check=True,
        ).stdout)
    return out


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_it_renders_the_lampiran_iv_letter_structure__DOC_01(approved, tmp_path):
    sp, application, data = approved
    path = tmp_path / "permit.pdf"
    path.write_bytes(data)
    company, recommendation = application.company, application.recommendation
    pages = _pages_text(path)
    first = _flat(pages[0])
    for expected in [
        "KEMENTERIAN PERDAGANGAN REPUBLIK INDONESIA",
        f"Nomor : {sp.number}", f"Jakarta, {_in_words(sp.issued_on)}",
        "Sifat : Biasa", "Lampiran : 1 (satu) berkas", "Hal : Persetujuan Impor Gula",
        f"Sehubungan dengan surat permohonan {company.name} Nomor {application.reference}",
        "Peraturan Menteri Perdagangan Nomor 14 Tahun 2020",
        f"Rekomendasi {recommendation.issuer} Nomor {recommendation.number} tanggal {_in_words(recommendation.date)}",
        f"Kepada, {company.name}, pemilik:",
        "Diberikan persetujuan untuk mengimpor Gula Kristal Mentah",
        f"Persetujuan impor ini berlaku mulai tanggal {_in_words(sp.valid_from)} sampai dengan tanggal {_in_words(sp.valid_until)}",
        "Manifest (BC 1.1)",
        "Demikian agar maklum",
        "Direktur Jenderal Perdagangan Luar Negeri", "Sri Mulyani",
        "Dokumen ini sah, diterbitkan oleh Kementerian Perdagangan secara elektronik melalui sistem INATRADE "
        "dan tidak membutuhkan cap dan tanda tangan basah",
    ]:
        assert _flat(expected) in first, expected
    # numbered conditions
    assert re.search(r"1\.Jenisgula", first) and re.search(r"\d\.Persetujuanimporiniberlaku", first)
    # the attachment: its title, again the signatory and the validity sentence at its end
    rest = _flat(" ".join(pages[1:]))
    assert "LampiranSuratPersetujuanImpor(SPI)" in rest
    assert "SriMulyani" in _flat(pages[-1]) and "DirekturJenderalPerdaganganLuarNegeri" in _flat(pages[-1])
    assert "tidakmembutuhkancapdantandatanganbasah" in _flat(pages[-1])


def test_it_shows_every_field_of_p14_pasal_8__DOC_01(approved, tmp_path):
    sp, application, data = approved
    path = tmp_path / "permit.pdf"
    path.write_bytes(data)
    company, recommendation = application.company, application.recommendation
    text = _flat(" ".join(_pages_text(path)))
    api = company.nib  # an API-P recorded from the NIB (Pasal 8(1) a: NIB as API)
    for expected in [
        f"NIB yang berlaku sebagai API-P : {api}",  # a
        recommendation.number, _in_words(recommendation.date),  # b
        company.name, company.address,  # d
        "1701.14.00",  # e
        "Gula Kristal Mentah",  # f
        "10,250 ton", "563,750 ton",  # g (a line, the total: 55 x 10.25)
        "Brasil", "Thailand", "Australia",  # h
        "Tanjung Priok",  # i
        sp.number, _in_words(sp.issued_on),  # j
        _in_words(sp.valid_until),  # k
    ]:
        assert _flat(expected) in text, expected


def test_it_runs_the_attachment_table_over_pages_with_a_repeated_header__DOC_01(signed_pdf):
    _, _, path = signed_pdf
    pages = _pages_text(path)
    table_pages = [p for p in pages if "GKM lot L" in p]
    assert len(table_pages) >= 2
    for page in table_pages:
        flat = _flat(page)
        assert all(word in flat for word in ("No", "Nomor", "Pos", "Tarif/", "HS", "Uraian", "Jumlah", "Negara", "Asal", "Pelabuhan", "Bongkar"))
    every = _flat(" ".join(table_pages))
    for i in range(1, LINES + 1):
        assert f"GKMlotL{i:03d}" in every
    # No line is cut in two: every row appears on exactly one page.
    assert sum(p.count("GKM lot L030") for p in table_pages) == 1


def test_it_is_a4_with_embedded_fonts__DOC_01(signed_pdf):
    _, data, path = signed_pdf
    reader = PdfReader(io.BytesIO(data))
    box = reader.pages[0].mediabox
    assert round(float(box.width)) == 595 and round(float(box.height)) == 842
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = [line for line in fonts.splitlines()[2:] if line.strip()]
    assert rows and all(" yes yes " in row for row in rows), fonts
    assert any("DejaVu" in row for row in rows)


def test_it_prints_a_code128_barcode_and_a_qr_code_that_decode__DOC_03(signed_pdf, tmp_path):
    permit, _, path = signed_pdf
    subprocess.run(["pdftoppm", "-r", "300", "-f", "1", "-l", "1", "-png", str(path), str(tmp_path / "page")], check=True)
    image = next(tmp_path.glob("page*.png"))
    decoded = subprocess.run(["zbarimg", "-q", str(image)], capture_output=True, text=True).stdout.splitlines()
    assert f"CODE-128:{permit.number}" in decoded
    assert f"QR-Code:https://inatrade.test/verify/{permit.number}" in decoded


def test_it_refuses_content_missing_what_the_document_must_show__DOC_01(company, dirjen):
    from inatrade.errors import RuleViolation
    from permits.services import permit_issue

    with pytest.raises(RuleViolation) as err:
        permit_issue(kind="sugar_pi", holder=company, number="X-1", content={"title": "x"}, signer=dirjen)
    assert "lines" in err.value.fields and "holder" in err.value.fields

"""DOC-01 (Lampiran IV structure, P14 Pasal 8 content) and DOC-03 (barcode and QR), read back
from the rendered, signed PDF."""

import io
import re
import subprocess

import pytest
from pypdf import PdfReader

from permits.models import PermitStatus
from tests.permits.conftest import pdf_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("dirjen_certificate")]


@pytest.fixture
def signed_pdf(issue_permit, tmp_path):
    permit = issue_permit(lines=55)
    assert permit.status == PermitStatus.VALID
    data = pdf_bytes(permit.current_version)
    path = tmp_path / "permit.pdf"
    path.write_bytes(data)
    return permit, data, path


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


def test_it_renders_the_lampiran_iv_letter_structure__DOC_01(signed_pdf):
    permit, _, path = signed_pdf
    pages = _pages_text(path)
    first = _flat(pages[0])
    for expected in [
        "KEMENTERIAN PERDAGANGAN REPUBLIK INDONESIA",
        "Nomor : 04.PI-05.26.0777", "Jakarta, 22 November 2026",
        "Sifat : Biasa", "Lampiran : 1 (satu) berkas", "Hal : Persetujuan Impor Gula Kristal Mentah (GKM)",
        "Sehubungan dengan surat permohonan PT Gula Manis Sejahtera Nomor PI-GULA/2026/11/000777 tanggal 10 November 2026",
        "Peraturan Menteri Perdagangan Nomor 14 Tahun 2020",
        "Rekomendasi Kementerian Perindustrian Nomor 512/IND/REK/11/2026 tanggal 3 November 2026",
        "Kepada, PT Gula Manis Sejahtera, pemilik:",
        "Diberikan persetujuan untuk mengimpor Gula Kristal Mentah (GKM)",
        "Persetujuan impor ini berlaku mulai tanggal 22 November 2026 sampai dengan tanggal 31 Desember 2026",
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


def test_it_shows_every_field_of_p14_pasal_8__DOC_01(signed_pdf, company):
    _, _, path = signed_pdf
    text = _flat(" ".join(_pages_text(path)))
    for expected in [
        f"NIB (berlaku sebagai API-U) : {company.nib}",  # a
        "512/IND/REK/11/2026", "3 November 2026",  # b
        "Surat Penugasan", "S-88/MBU/11/2026", "4 November 2026",  # c
        company.name, company.address,  # d
        "1701.14.00",  # e
        "Gula Kristal Mentah (GKM)",  # f
        "1.000,250 ton", "55.013,750 ton",  # g (a line, the total)
        "Thailand", "Australia",  # h
        "Tanjung Priok", "Belawan",  # i
        "04.PI-05.26.0777", "22 November 2026",  # j
        "31 Desember 2026",  # k
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
    for i in range(1, 56):
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

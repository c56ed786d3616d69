"""The API-U journey in a real browser (issue 6): the importer applies for API-U → the Kab/Kota
officer records the field inspection BAP and forwards it → the province issues → the importer
downloads the signed, light-blue API document. Screenshots under artifacts/."""

import io

import pytest
from pypdf import PdfReader, PdfWriter

from accounts.models import Role
from api_registry.models import REQUIRED_DOCUMENTS, ApiApplication, HsSection, Issuer, IssuerMembership
from tests.factories import DEFAULT_PASSWORD, CompanyFactory, ImporterFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _pdf_file(name):
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return {"name": name, "mimeType": "application/pdf", "buffer": buffer.getvalue()}


@pytest.fixture
def api_world(settings, tmp_path):
    from permits.management.commands.dev_pki import ensure_dev_pki

    settings.PKI_DIR = tmp_path / "pki"
    company = CompanyFactory(name="PT Gula Manis Sejahtera", province_code="31", regency_code="3171")
    ImporterFactory(username="4C7ADA", company=company, first_name="Siti", last_name="Rahayu")
    dinas = Issuer.objects.get(code="dinas-31")
    kabkota = UserFactory(username="kabkota3171", role=Role.ISSUER_OFFICER, position="Dinas Kota Administrasi Jakarta Pusat")
    IssuerMembership.objects.create(user=kabkota, issuer=dinas, regency_id="3171")
    province = UserFactory(username="dinasdki", role=Role.ISSUER_OFFICER, first_name="Hendra", last_name="Gunawan",
                           position="Kepala Dinas PTSP Provinsi DKI Jakarta")
    IssuerMembership.objects.create(user=province, issuer=dinas)
    ensure_dev_pki(settings.PKI_DIR)  # registers dinasdki's signer certificate
    return {"company": company}


def test_apply_inspect_issue_and_download_the_signed_light_blue_api__API_03_API_04_API_05_API_06(
    live_server, new_page, shot, login, api_world
):
    importer = new_page()
    login(importer, "4C7ADA", DEFAULT_PASSWORD)
    importer.goto(f"{live_server.url}/api-registry/apply/")
    importer.check("#id_kind_0")  # API-U
    importer.select_option("#id_hs_section", str(HsSection.objects.get(roman="IV").pk))
    importer.fill("#id_line_of_business", "Perdagangan besar gula dan bahan pangan")
    importer.fill("#id_directors", "Siti Rahayu (Direktur Utama)")
    for kind in REQUIRED_DOCUMENTS[("dinas", "API-U")]:
        importer.set_input_files(f"#id_doc_{kind}", files=[_pdf_file(f"{kind}.pdf")])
    shot(importer, "01-apply")
    importer.click("main form button[type=submit]")
    importer.wait_for_selector("#status[data-status=inspection]")
    application = ApiApplication.objects.get(company=api_world["company"])
    assert application.issuer.code == "dinas-31"
    shot(importer, "02-submitted")

    kabkota = new_page()
    login(kabkota, "kabkota3171", DEFAULT_PASSWORD)
    kabkota.goto(f"{live_server.url}/api-registry/work/")
    assert application.reference in kabkota.content()
    kabkota.click(f"text={application.reference}")
    kabkota.select_option("#id_result", "sesuai")
    kabkota.fill("#id_bap_number", "BAP/3171/2026/001")
    kabkota.fill("#id_notes", "Kantor dan gudang sesuai.")
    shot(kabkota, "03-inspection")
    kabkota.click("#record-inspection")
    kabkota.wait_for_selector("#status[data-status=bap_signed]")
    kabkota.click("#forward")
    kabkota.wait_for_selector("#status[data-status=decision]")

    province = new_page()
    login(province, "dinasdki", DEFAULT_PASSWORD)
    province.goto(f"{live_server.url}/api-registry/applications/{application.pk}/")
    province.click("#approve")
    province.wait_for_selector("#status[data-status=approved]")
    shot(province, "04-issued")

    importer.goto(f"{live_server.url}/api-registry/")
    assert "317100001D" in importer.content()
    shot(importer, "05-my-api")
    with importer.expect_download() as download_info:
        importer.click("#api-document")
    data = open(download_info.value.path(), "rb").read()
    reader = PdfReader(io.BytesIO(data))
    text = reader.pages[0].extract_text()
    assert "ANGKA PENGENAL IMPORTIR UMUM" in text and "317100001D" in text
    assert any(field.get("/FT") == "/Sig" for field in (reader.get_fields() or {}).values())  # signed (API-06)
    assert b"0.894118 0.941176 0.984314" in reader.pages[0].get_contents().get_data()  # light blue #e4f0fb

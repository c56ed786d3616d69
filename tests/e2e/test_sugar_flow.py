"""The sugar Persetujuan Impor journey in a real browser (issue 5): the importer applies →
the Director General approves (the permit is signed by permits/) → the importer downloads
the signed PDF → and files a monthly realization report. Screenshots under artifacts/."""

import io

import pytest
from pypdf import PdfReader, PdfWriter

from accounts.models import Role
from sugar_import.models import ApplicationStatus, SugarApplication, SugarPermit
from tests.factories import DEFAULT_PASSWORD, CompanyFactory, ImporterFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _pdf_file(name):
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return {"name": name, "mimeType": "application/pdf", "buffer": buffer.getvalue()}


@pytest.fixture
def sugar_world(settings, tmp_path):
    from permits.management.commands.dev_pki import ensure_dev_pki
    from sugar_import.models import Purpose, SugarType
    from tests.sugar_import.conftest import make_quota, make_recommendation, record_api_p, reseed_reference_data

    reseed_reference_data()

    settings.PKI_DIR = tmp_path / "pki"
    company = CompanyFactory(name="PT Gula Manis Sejahtera")
    owner = ImporterFactory(username="4C7ADA", company=company, first_name="Siti", last_name="Rahayu")
    dirjen = UserFactory(username="dirjen", role=Role.DIRECTOR_GENERAL, first_name="Sri", last_name="Mulyani",
                         position="Direktur Jenderal Perdagangan Luar Negeri")
    agency = UserFactory(username="kemenperin", role=Role.AGENCY)
    ensure_dev_pki(settings.PKI_DIR)
    record_api_p(owner)
    make_quota(Purpose.objects.get(code="industry"), SugarType.objects.get(code="GKM"))
    rec = make_recommendation(agency, company, number="512/IND/REK/2026")
    return {"owner": owner, "dirjen": dirjen, "recommendation": rec}


def test_apply_approve_download_and_report__PI_01_PI_06_PI_08_PI_11(live_server, new_page, shot, login, sugar_world):
    importer = new_page()
    login(importer, "4C7ADA", DEFAULT_PASSWORD)

    # Apply (PI-01…PI-05)
    importer.goto(f"{live_server.url}/sugar/applications/new/")
    importer.select_option("#id_purpose", "industry")
    importer.select_option("#id_sugar_type", "GKM")
    importer.select_option("#id_recommendation", str(sugar_world["recommendation"].pk))
    importer.fill("#id_hs_code_0", "1701.14.00")
    importer.fill("#id_description_0", "Gula kristal mentah ICUMSA 1200")
    importer.fill("#id_volume_0", "1250.5")
    importer.select_option("#id_origin_0", "TH")
    importer.select_option("#id_port_0", "IDTPP")
    shot(importer, "01-application-form")
    importer.click("main form.card button[type=submit]")
    importer.wait_for_selector("#submit-application")
    importer.click("#submit-application")
    importer.wait_for_selector("text=Batas keputusan")
    assert "diajukan" in importer.inner_text("#application-status")
    shot(importer, "02-application-submitted")
    application = SugarApplication.objects.get()
    assert application.status == ApplicationStatus.SUBMITTED

    # The Director General approves from the work list (PI-06)
    dg = new_page()
    login(dg, "dirjen", DEFAULT_PASSWORD)
    dg.goto(f"{live_server.url}/sugar/")
    shot(dg, "03-work-list")
    dg.click(f"text={application.reference}")
    dg.click("#approve-application")
    dg.wait_for_selector("#permit-status")
    sp = SugarPermit.objects.get()
    shot(dg, "04-permit-issued")

    # The importer downloads the signed permit (PI-08, DOC-01, DOC-02)
    importer.goto(f"{live_server.url}/sugar/permits/{sp.number}/")
    importer.wait_for_selector("#download-pdf")
    with importer.expect_download() as info:
        importer.click("#download-pdf")
    pdf = info.value.path().read_bytes()
    assert pdf.startswith(b"%PDF") and b"/ByteRange" in pdf
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    for expected in (sp.number, "PT Gula Manis Sejahtera", "512/IND/REK/2026", "1701.14.00", "Thailand", "1.250,500"):
        assert expected in text, expected
    shot(importer, "05-permit-page")

    # The importer files the monthly realization report (PI-11)
    importer.select_option("#id_period", sp.valid_from.strftime("%Y-%m"))
    importer.fill("#id_destination", "Pabrik rafinasi sendiri, Cilegon")
    importer.fill("#id_pib_number_0", "004512")
    importer.fill("#id_pib_date_0", sp.valid_from.isoformat())
    importer.select_option("#id_hs_code_0", "1701.14.00")
    importer.fill("#id_volume_0", "600")
    importer.set_input_files("#id_pib_file_0", _pdf_file("pib.pdf"))
    shot(importer, "06-report-form")
    importer.click("#report-form button[type=submit]")
    importer.wait_for_selector("text=disampaikan")
    from django.utils import translation
    from django.utils.formats import date_format

    with translation.override("id"):
        assert date_format(sp.valid_from, "F Y") in importer.inner_text("#reports")  # months in words (issue 17)
    shot(importer, "07-report-filed")
    sp.refresh_from_db()
    assert sp.realized_tonnes == 600

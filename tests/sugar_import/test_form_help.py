"""Issue 17, finding 4: the sugar application form helps before it refuses. Only the purposes
the company may use are offered, with the reason for the others; what is left of the
Rekomendasi and of the quota is shown; an ineligible draft is refused when saved, in sentences
(never field keys); "17011400" is accepted; the draft page has an upload field; revoking a PI
sits behind a confirmation page (finding 7)."""

import pytest

from sugar_import import services
from sugar_import.models import SugarApplication, SugarPermitStatus
from tests.sugar_import.conftest import draft, make_quota, mark_signed

pytestmark = pytest.mark.django_db


def form(**extra):
    data = {"purpose": "industry", "sugar_type": "GKM", "hs_code_0": "1701.14.00", "description_0": "Raw sugar",
            "volume_0": "1500", "origin_0": "BR", "port_0": "IDTPP"}
    return {**data, **extra}


def test_an_api_u_importer_is_offered_no_api_p_purpose_and_told_why__PI_02(client, owner, quota, recommendation):
    from tests.sugar_import.conftest import record_api_p

    record_api_p(owner)
    from api_registry.models import Api

    Api.objects.filter(company=owner.company).update(kind="API-U")
    client.force_login(owner)
    page = client.get("/sugar/applications/new/").content.decode()
    select = page[page.index('name="purpose"'):page.index("</select>", page.index('name="purpose"'))]
    assert 'value="industry"' not in select
    assert "Tujuan ini memerlukan API-P; API perusahaan Anda adalah API-U." in page


def test_the_form_shows_what_is_left_of_the_recommendation_and_the_quota__PI_03_PI_05(client, owner, api_p, quota, recommendation):
    client.force_login(owner)
    page = client.get("/sugar/applications/new/").content.decode()
    assert "sisa 50.000 ton" in page  # the Rekomendasi's choice says what is left
    assert 'id="quotas-left"' in page and "100.000" in page


def test_an_oversized_draft_is_refused_when_saved_in_sentences_without_field_keys__PI_03(client, owner, api_p, quota, recommendation):
    client.force_login(owner)
    response = client.post("/sugar/applications/new/", form(recommendation=recommendation.pk, volume_0="999999"))
    html = response.content.decode()
    assert response.status_code == 400 and not SugarApplication.objects.exists()
    assert "melebihi sisa Rekomendasi (50000.000 ton)" in html
    assert "recommendation:" not in html and "api:" not in html
    assert 'href="#id_recommendation"' in html  # the summary links to the field


def test_a_refusal_message_never_shows_field_keys(client, owner, api_p, recommendation):
    client.force_login(owner)
    application = draft(owner, recommendation)  # no rakor allocation yet: refused on submission
    html = client.post(f"/sugar/applications/{application.pk}/submit", follow=True).content.decode()
    assert "alokasi rakor" in html and "quota:" not in html and "lines." not in html


def test_an_hs_code_typed_without_dots_is_accepted_and_stored_in_btki_form(client, owner, api_p, quota, recommendation):
    client.force_login(owner)
    response = client.post("/sugar/applications/new/", form(recommendation=recommendation.pk, hs_code_0="17011400"))
    assert response.status_code == 302
    assert SugarApplication.objects.get().lines.get().hs_code == "1701.14.00"
    bad = client.post("/sugar/applications/new/", form(recommendation=recommendation.pk, hs_code_0="1701"))
    assert "Pos tarif harus 8 digit, misalnya 1701.14.00 atau 17011400." in bad.content.decode()


def test_a_draft_that_needs_documents_has_an_upload_field(client, owner, api_p, gkm):
    from datetime import date

    from sugar_import.models import Purpose

    kite = Purpose.objects.get(code="kite")
    make_quota(kite, gkm)
    client.force_login(owner)
    response = client.post("/sugar/applications/new/", form(purpose="kite", period_from="2026-01-01", period_until="2099-06-30"), follow=True)
    html = response.content.decode()
    assert "Unggah dokumen persyaratan di bawah" in html
    assert 'id="document-upload"' in html and 'type="file"' in html
    assert date  # noqa


def test_the_line_items_have_accessible_names__USE_02(client, owner, api_p, quota):
    client.force_login(owner)
    page = client.get("/sugar/applications/new/").content.decode()
    assert 'aria-label="Pos tarif/HS, baris 1"' in page and 'aria-label="Pelabuhan bongkar, baris 5"' in page


def test_revoking_a_permit_goes_through_a_confirmation_page__PI_12(client, submitted, dirjen):
    sp = mark_signed(services.sugar_application_approve(application=submitted, actor=dirjen))
    client.force_login(dirjen)
    page = client.get(f"/sugar/permits/{sp.number}/").content.decode()
    assert 'id="revoke-form"' not in page and f'href="/sugar/permits/{sp.number}/revoke"' in page
    confirm = client.get(f"/sugar/permits/{sp.number}/revoke")
    assert confirm.status_code == 200 and 'id="revoke-form"' in confirm.content.decode()
    assert client.post(f"/sugar/permits/{sp.number}/revoke", {"reason_code": "trading"}).status_code == 302
    sp.refresh_from_db()
    assert sp.status == SugarPermitStatus.REVOKED


def test_a_refused_monthly_report_says_why_in_sentences_without_field_keys__PI_11(client, owner, submitted, dirjen):
    from tests.sugar_import.conftest import pdf_upload

    sp = mark_signed(services.sugar_application_approve(application=submitted, actor=dirjen))
    client.force_login(owner)
    response = client.post(f"/sugar/permits/{sp.number}/reports", {
        "period": sp.valid_from.strftime("%Y-%m"), "nil_report": "on", "pib_number_0": "778899",
        "pib_date_0": sp.valid_from.isoformat(), "hs_code_0": "1701.14.00", "volume_0": "250", "pib_file_0": pdf_upload("pib.pdf"),
    })
    html = response.content.decode()
    assert response.status_code == 400
    assert "Laporan nihil tidak memuat pengapalan." in html
    assert "shipments:" not in html and "destination:" not in html

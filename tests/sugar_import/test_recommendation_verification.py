"""SEC-01 / PI-03, issue 15 item 8: self-declared recommendations. An importer could record
its own Rekomendasi (900,000 t from a blank PDF) and apply on it at once; no officer screen
opened the uploaded PDF; and the global (issuer, number) uniqueness let one importer learn of,
or squat, another company's number."""

from datetime import date

import pytest
from django.core import mail  # noqa: F401
from django.urls import reverse

from inatrade.errors import DomainError
from inatrade.models import AuditEntry, OutgoingEmail
from sugar_import import services
from sugar_import.models import Recommendation, SugarType
from tests.conftest import token_client
from tests.sugar_import.conftest import draft, make_recommendation, pdf_upload

pytestmark = pytest.mark.django_db

BASE = "/api/v1/sugar"


def upload_recommendation(owner, *, number="REK-900/IND/2026", volume="900000", company=None):
    gkm = SugarType.objects.get(code="GKM")
    return services.recommendation_record(
        actor=owner, company=company or owner.company, kind="recommendation", issuer="Kementerian Perindustrian",
        number=number, date=date(2026, 1, 5), sugar_type=gkm, volume_tonnes=volume, hs_codes=list(gkm.hs_codes),
        origin_countries=["BR", "TH"], ports=["IDTPP"], valid_from=date(2020, 1, 1), valid_until=date(2099, 12, 31),
        upload=pdf_upload("blank.pdf"),
    )


def test_an_uploaded_recommendation_backs_no_application_until_verified__SEC_01_PI_03(
    owner, api_p, quota, sugar_reference, counter_officer
):
    rec = upload_recommendation(owner)
    assert rec.verification_status == "pending"
    application = draft(owner, rec)
    with pytest.raises(DomainError) as refused:
        services.sugar_application_submit(application=application, actor=owner)
    assert "belum diverifikasi" in str(refused.value.fields["recommendation"])
    services.recommendation_confirm(recommendation=rec, actor=counter_officer)
    assert services.sugar_application_submit(application=application, actor=owner).status == "submitted"


def test_a_rejected_upload_backs_nothing_and_the_company_is_told_why__SEC_01_PI_03(
    owner, api_p, quota, sugar_reference, agency
):
    rec = upload_recommendation(owner)
    with pytest.raises(DomainError):
        services.recommendation_reject(recommendation=rec, actor=agency, reason="")
    services.recommendation_reject(recommendation=rec, actor=agency, reason="Nomor tidak tercatat di Kemenperin.")
    rec.refresh_from_db()
    assert rec.verification_status == "rejected" and rec.verification_note == "Nomor tidak tercatat di Kemenperin."
    with pytest.raises(DomainError):
        services.sugar_application_submit(application=draft(owner, rec), actor=owner)
    with pytest.raises(DomainError):  # no second decision
        services.recommendation_confirm(recommendation=rec, actor=agency)
    entry = AuditEntry.objects.get(action="sugar_recommendation.reject")
    assert (entry.from_state, entry.to_state, entry.reason) == ("pending", "rejected", "Nomor tidak tercatat di Kemenperin.")
    assert OutgoingEmail.objects.filter(template="sugar_recommendation_verified").exists()


def test_approval_refuses_an_upload_rejected_after_submission__SEC_01_PI_03(
    owner, api_p, quota, sugar_reference, counter_officer, dirjen
):
    rec = upload_recommendation(owner)
    services.recommendation_confirm(recommendation=rec, actor=counter_officer)
    application = services.sugar_application_submit(application=draft(owner, rec), actor=owner)
    Recommendation.objects.filter(pk=rec.pk).update(verification_status="rejected")
    with pytest.raises(DomainError):
        services.sugar_application_approve(application=application, actor=dirjen)


def test_the_agencys_own_entry_is_confirmed_and_only_verifiers_decide__SEC_01_PI_03(owner, agency, company, sugar_reference, dirjen):
    assert make_recommendation(agency, company, number="REK-AG-1").verification_status == "confirmed"
    rec = upload_recommendation(owner)
    for wrong in (owner,):
        with pytest.raises(DomainError) as refused:
            services.recommendation_confirm(recommendation=rec, actor=wrong)
        assert refused.value.status == 403
    services.recommendation_confirm(recommendation=rec, actor=dirjen)
    entry = AuditEntry.objects.get(action="sugar_recommendation.confirm")
    assert (entry.from_state, entry.to_state, entry.actor_id) == ("pending", "confirmed", dirjen.pk)


def test_an_importer_neither_learns_of_nor_squats_another_companys_number__SEC_01_PI_03(
    owner, outsider, agency, company, sugar_reference, counter_officer
):
    """The outsider uploads the number the agency gave the owner's company: the upload is
    accepted like any other (no error tells it the number exists), waits for verification,
    and can never be confirmed over the genuine one."""
    genuine = make_recommendation(agency, company, number="REK-777/IND/2026")
    squat = upload_recommendation(outsider, number="REK-777/IND/2026")
    assert squat.verification_status == "pending"
    with pytest.raises(DomainError) as refused:
        services.recommendation_confirm(recommendation=squat, actor=counter_officer)
    assert refused.value.code == "recommendation_number_taken"
    squat.refresh_from_db()
    genuine.refresh_from_db()
    assert squat.verification_status == "pending" and genuine.verification_status == "confirmed"
    # and the other way round: an importer's pending upload does not block the agency
    pending = upload_recommendation(outsider, number="REK-778/IND/2026")
    assert make_recommendation(agency, company, number="REK-778/IND/2026").verification_status == "confirmed"
    # the company's own duplicate is refused, naming only its own record
    with pytest.raises(DomainError) as mine:
        upload_recommendation(outsider, number="REK-778/IND/2026")
    assert mine.value.code == "recommendation_exists" and "Perusahaan Anda" in mine.value.message
    assert pending.verification_status == "pending"


def test_the_api_answers_the_same_for_a_taken_and_a_free_number__SEC_01_PI_03(owner, outsider, agency, company, sugar_reference):
    make_recommendation(agency, company, number="REK-555/IND/2026")
    client = token_client(outsider)

    def post(number):
        payload = {"kind": "recommendation", "issuer": "Kementerian Perindustrian", "number": number, "date": "2026-02-01",
                   "sugar_type": "GKM", "volume_tonnes": "900000", "hs_codes": "1701.14.00", "origin_countries": "BR",
                   "ports": "IDTPP", "valid_from": "2026-01-01", "valid_until": "2026-12-31", "file": pdf_upload()}
        return client.post(f"{BASE}/recommendations/", payload, format="multipart")

    taken, free = post("REK-555/IND/2026"), post("REK-556/IND/2026")
    assert taken.status_code == free.status_code == 201
    assert taken.json()["verification_status"] == free.json()["verification_status"] == "pending"


def test_verifiers_open_the_uploaded_pdf_and_decide_on_a_screen_made_for_it__SEC_01_PI_03(
    client, owner, sugar_reference, counter_officer
):
    rec = upload_recommendation(owner)
    client.force_login(counter_officer)
    queue = client.get(reverse("sugar-recommendations-pending")).content.decode()
    assert rec.number in queue and reverse("sugar-recommendation", args=[rec.pk]) in queue
    page = client.get(reverse("sugar-recommendation", args=[rec.pk])).content.decode()
    assert "menunggu verifikasi" in page and reverse("sugar-recommendation-pdf", args=[rec.pk]) in page
    pdf = client.get(reverse("sugar-recommendation-pdf", args=[rec.pk]))
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content if pdf.streaming else [pdf.content]).startswith(b"%PDF")
    refused = client.post(reverse("sugar-recommendation-reject", args=[rec.pk]), {"reason": ""})
    assert refused.status_code == 302
    rec.refresh_from_db()
    assert rec.verification_status == "pending"
    client.post(reverse("sugar-recommendation-confirm", args=[rec.pk]))
    rec.refresh_from_db()
    assert rec.verification_status == "confirmed" and rec.verified_by == counter_officer
    assert reverse("sugar-recommendation", args=[rec.pk]) not in client.get(reverse("sugar-recommendations-pending")).content.decode()


def test_the_api_confirms_and_rejects_with_the_one_error_shape__SEC_01_PI_03(owner, sugar_reference, agency, counter_officer):
    first, second = upload_recommendation(owner, number="A-1"), upload_recommendation(owner, number="A-2")
    api = token_client(agency)
    assert api.get(f"{BASE}/recommendations/?verification_status=pending").json()["count"] == 2
    missing_reason = api.post(f"{BASE}/recommendations/{second.pk}/reject", {}, format="json")
    assert missing_reason.status_code == 400 and missing_reason.json()["error"]["fields"]["reason"]
    assert api.post(f"{BASE}/recommendations/{first.pk}/confirm", {}, format="json").json()["verification_status"] == "confirmed"
    assert api.post(f"{BASE}/recommendations/{second.pk}/reject", {"reason": "Palsu"}, format="json").json()["verification_status"] == "rejected"
    assert api.post(f"{BASE}/recommendations/{first.pk}/confirm", {}, format="json").status_code == 409
    assert token_client(owner).post(f"{BASE}/recommendations/{first.pk}/confirm", {}, format="json").status_code == 403
    assert token_client(owner).get(f"{BASE}/recommendations/{first.pk}").json()["verification_status"] == "confirmed"

"""REL-04 / SEC-01 (issue 15 item 9): an Idempotency-Key never hands one caller another
caller's answer. A second anonymous caller reusing a key with another company's data got the
first caller's registration (its reference and secret status link); multipart bodies were left
out of the fingerprint."""

import pytest
from rest_framework.test import APIClient

from accounts.models import Registration
from tests.accounts.conftest import VALID_FIELDS, pdf_file

pytestmark = pytest.mark.django_db

KINDS = ("business_licence", "tdp", "npwp_card", "power_of_attorney")


def _registration(**fields):
    data = {**VALID_FIELDS, "jenis_usaha": list(VALID_FIELDS["jenis_usaha"]), **fields}
    return {**data, **{kind: pdf_file(f"{kind}.pdf") for kind in KINDS}}


def _post(data, key, address):
    return APIClient().post("/api/v1/registrations/", data, format="multipart", HTTP_IDEMPOTENCY_KEY=key, REMOTE_ADDR=address)


def test_an_anonymous_key_reused_with_another_companys_data_is_422_not_a_replay__SEC_01_REL_04():
    first = _post(_registration(), "reg-1", "192.0.2.1")
    assert first.status_code == 201, first.content
    other = _post(_registration(company_name="PT Lain Sekali", nib="9120001119999", npwp="02.345.678.9-012.000",
                                applicant_email="orang@lain.co.id"), "reg-1", "198.51.100.2")
    assert other.status_code == 422, other.content
    assert other.json()["error"]["code"] == "idempotency_key_reused"
    assert first.json()["reference"] not in other.content.decode()
    assert Registration.objects.count() == 1


def test_an_anonymous_key_with_different_file_content_is_422__REL_04():
    assert _post(_registration(), "reg-2", "192.0.2.1").status_code == 201
    data = _registration()
    data["business_licence"] = pdf_file("business_licence.pdf", extra_bytes=0)
    data["business_licence"].file.write(b"%different")  # same name, other content
    data["business_licence"].size = len(data["business_licence"].file.getvalue())
    data["business_licence"].file.seek(0)
    assert _post(data, "reg-2", "192.0.2.1").status_code == 422


def test_the_same_anonymous_request_repeated_is_replayed__REL_04():
    first = _post(_registration(), "reg-3", "192.0.2.1")
    again = _post(_registration(), "reg-3", "192.0.2.1")
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true" and again.json() == first.json()
    assert Registration.objects.count() == 1

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from accounts.models import Role
from tests.factories import UserFactory


def make_pdf(extra_bytes: int = 0) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    data = buffer.getvalue()
    if extra_bytes:
        # Padding after %%EOF keeps it a readable PDF while making it large.
        data += b"\n%" + b"0" * extra_bytes
    return data


def pdf_file(name="dokumen.pdf", extra_bytes=0):
    return SimpleUploadedFile(name, make_pdf(extra_bytes), content_type="application/pdf")


VALID_FIELDS = {
    "purpose": "impor",
    "jenis_trader": "pu_perusahaan",
    "company_name": "PT Sinar Gula Abadi",
    "nib": "9120001112223",
    "npwp": "01.234.567.4-012.000",
    "jenis_usaha": ["importir", "eksportir"],
    "tdp_number": "090312345678",
    "address": "Jl. Gatot Subroto No. 10, Jakarta Selatan",
    "regency_code": "3174",  # Kota Administrasi Jakarta Selatan (API-03, API-05)
    "company_email": "kantor@sinargula.co.id",
    "company_phone": "+62 21 5550001",
    "applicant_name": "Rudi Hartanto",
    "applicant_position": "Direktur",
    "identity_kind": "nik",
    "identity_number": "3171010101800001",
    "applicant_email": "rudi@sinargula.co.id",
    "applicant_phone": "+62 812 1111 2222",
    "terms_accepted": True,
}


@pytest.fixture
def fields():
    return dict(VALID_FIELDS, jenis_usaha=list(VALID_FIELDS["jenis_usaha"]))


@pytest.fixture
def uploads():
    def build(**overrides):
        files = {kind: pdf_file(f"{kind}.pdf") for kind in ("business_licence", "tdp", "npwp_card", "power_of_attorney")}
        files.update(overrides)
        return {k: v for k, v in files.items() if v is not None}

    return build


@pytest.fixture
def field_verifier(db):
    return UserFactory(username="verifikator", role=Role.FIELD_VERIFIER, position="Verifikator Lapangan")


@pytest.fixture
def submitted(db, fields, uploads, django_capture_on_commit_callbacks):
    from accounts import services

    with django_capture_on_commit_callbacks(execute=True):  # the render task runs after commit
        registration = services.registration_submit(data=fields, files=uploads())
    registration.refresh_from_db()
    return registration


@pytest.fixture
def validated(submitted, counter_officer, django_capture_on_commit_callbacks):
    from accounts import services

    with django_capture_on_commit_callbacks(execute=True):
        services.registration_validate(registration=submitted, actor=counter_officer, result="valid", notes="Sesuai asli")
    submitted.refresh_from_db()
    return submitted


@pytest.fixture
def submitted_other(db, fields, uploads):
    from accounts import services

    other = dict(fields, company_name="PT Lain Gula", npwp="1234567890123456", applicant_email="x@lain.co.id")
    return services.registration_submit(data=other, files=uploads())

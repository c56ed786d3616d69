"""Fixtures of the API registry: issuers' officers, PDFs, and applications at each step."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from accounts.models import Role
from api_registry import services
from api_registry.models import (
    REQUIRED_DOCUMENTS,
    ApiKind,
    HsSection,
    ImporterProfile,
    Issuer,
    IssuerKind,
    IssuerMembership,
)
from tests.factories import UserFactory


def pdf_upload(name="dokumen.pdf") -> SimpleUploadedFile:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/pdf")


@pytest.fixture
def dinas_dki(db):
    return Issuer.objects.get(code="dinas-31")


@pytest.fixture
def regency_officer(dinas_dki):
    """An officer of the Kab/Kota Dinas of Jakarta Pusat (3171), the owner's Kab/Kota."""
    user = UserFactory(username="kabkota3171", role=Role.ISSUER_OFFICER, position="Dinas Kota Administrasi Jakarta Pusat")
    IssuerMembership.objects.create(user=user, issuer=dinas_dki, regency_id="3171")
    return user


@pytest.fixture
def province_officer(dinas_dki):
    user = UserFactory(username="dinasdki", role=Role.ISSUER_OFFICER, position="Dinas PTSP DKI Jakarta")
    IssuerMembership.objects.create(user=user, issuer=dinas_dki)
    return user


@pytest.fixture
def other_province_officer(db):
    user = UserFactory(username="dinasjatim", role=Role.ISSUER_OFFICER, position="Dinas Jawa Timur")
    IssuerMembership.objects.create(user=user, issuer=Issuer.objects.get(code="dinas-35"))
    return user


@pytest.fixture
def bkpm_officer(db):
    user = UserFactory(username="bkpm1", role=Role.ISSUER_OFFICER, position="BKPM")
    IssuerMembership.objects.create(user=user, issuer=Issuer.objects.get(kind=IssuerKind.BKPM))
    return user


@pytest.fixture
def dirjen(db):
    return UserFactory(username="dirjen", role=Role.DIRECTOR_GENERAL, position="Direktur Jenderal Perdagangan Luar Negeri")


@pytest.fixture
def section_iv(db):
    """Prepared foodstuffs (chapters 16–24): sugar, HS 1701, is in it."""
    return HsSection.objects.get(roman="IV")


def add_documents(application, actor, issuer_kind=IssuerKind.DINAS):
    for kind in REQUIRED_DOCUMENTS[(issuer_kind, application.kind)]:
        services.api_application_document_add(application=application, actor=actor, kind=kind, upload=pdf_upload())


def submitted_application(actor, *, kind=ApiKind.API_U, hs_section=None, issuer_kind=IssuerKind.DINAS):
    hs_section = hs_section if kind == ApiKind.API_U else None
    if kind == ApiKind.API_U and hs_section is None:
        hs_section = HsSection.objects.get(roman="IV")
    application = services.api_application_create(actor=actor, kind=kind, hs_section=hs_section,
                                                  line_of_business="Perdagangan besar gula", directors="Siti Rahayu")
    add_documents(application, actor, issuer_kind)
    return services.api_application_submit(application=application, actor=actor)


def issued_api(owner, regency_officer, province_officer, *, kind=ApiKind.API_U):
    application = submitted_application(owner, kind=kind)
    services.api_application_inspect(application=application, actor=regency_officer, result="sesuai")
    services.api_application_forward(application=application, actor=regency_officer)
    return services.api_application_approve(application=application, actor=province_officer)


@pytest.fixture
def api_u(owner, regency_officer, province_officer):
    return issued_api(owner, regency_officer, province_officer)


@pytest.fixture
def contractor_profile(company):
    return ImporterProfile.objects.create(company=company, resource_contractor=True)

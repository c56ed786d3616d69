"""Issue 18: a new kind of permit by registering it. The minimal kind of tests/kinds/minimal.py
(model, services, letter template and one ``register()``) goes through apply → officer work
list → approve → signed PDF (WeasyPrint + pyHanko, verified) → public verification page →
INSW outbox → dashboard → sanction (freeze), with no edit to any central file."""

import datetime as dt
import io
import re

import pytest
from django.db import connection
from pypdf import PdfReader

from inatrade import registry
from inatrade.errors import InvalidTransition
from inatrade.models import AuditEntry, SlaStep
from permits.models import InswOutboxEvent, Permit, PermitStatus
from permits.services import permit_freeze
from permits.signing import validate_pdf
from tests.kinds import minimal
from tests.permits.conftest import dirjen, dirjen_certificate, pdf_bytes, pki_dir, _pki_settings  # noqa: F401
from workspace.models import CaseStep

pytestmark = pytest.mark.django_db


@pytest.fixture
def contoh_kind(settings, db):
    from pathlib import Path

    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], Path(__file__).parent / "templates"]},
    ] + settings.TEMPLATES[1:]
    with connection.schema_editor() as editor:
        editor.create_model(minimal.SampleApplication)
    minimal.register()
    # What every migrate does for a registered kind's steps (post_migrate).
    assert registry.ensure_sla_steps() == 1
    yield
    minimal.unregister()


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_a_minimal_kind_registered_outside_the_portal_goes_through_the_whole_life__issue_18(
    contoh_kind, client, company, owner, dirjen, dirjen_certificate, django_capture_on_commit_callbacks,
):
    # The SLA step is there, from the registration alone (SLA-04).
    step = SlaStep.objects.get(code=minimal.STEP)
    assert (step.working_days, step.responsible_role, step.source) == (2, "director_general", "Contoh Pasal 1")

    # Apply: the case opens its SLA step (SLA-02) and lands in the Director General's work list.
    case = minimal.apply(company=company, goods="10 kg biji kopi contoh", actor=owner)
    open_step = CaseStep.objects.get(kind="contoh", case_id=case.pk, finished_at__isnull=True)
    assert (open_step.reference, open_step.role, open_step.company_id) == (case.reference, "director_general", company.pk)
    assert open_step.due_date is not None
    client.force_login(dirjen)
    work = client.get("/work/", {"kind": "contoh"})
    assert work.status_code == 200
    html = work.content.decode()
    assert case.reference in html and company.name in html
    assert f'href="/work/?q={case.reference}"' in html  # the kind's own page link (registered url)
    assert client.get("/api/v1/work/", {"kind": "contoh"}).json()["count"] == 1

    # Approve: the permit is issued and signed after commit (the eager worker).
    with django_capture_on_commit_callbacks(execute=True):
        permit = minimal.approve(case=case, actor=dirjen)
    permit.refresh_from_db()
    assert permit.status == PermitStatus.VALID and permit.kind == "contoh"
    assert permit.number == f"CONTOH/{dt.date.today():%Y}/{case.pk:06d}"
    assert not CaseStep.objects.filter(kind="contoh", case_id=case.pk, finished_at__isnull=True).exists()
    assert CaseStep.objects.get(kind="contoh", case_id=case.pk).outcome == "approved"
    assert list(AuditEntry.objects.filter(object_id=str(case.pk), action__startswith="sample_application.")
                .order_by("pk").values_list("action", flat=True)) == ["sample_application.submit", "sample_application.approve"]
    with pytest.raises(InvalidTransition):  # approved once: a second approval is refused, nothing issued
        minimal.approve(case=case, actor=dirjen)
    assert Permit.objects.filter(kind="contoh").count() == 1

    # The signed PDF: a valid pyHanko signature, the letter's own words.
    data = pdf_bytes(permit.current_version)
    report = validate_pdf(data)
    assert report.ok, report
    text = _flat("".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))
    assert "IZIN IMPOR CONTOH BARANG" in text and permit.number in text
    assert company.name in text and "10 kg biji kopi contoh" in text

    # The public verification page (DOC-04) names the kind by its registered label.
    client.logout()
    page = client.get(f"/verify/{permit.number}")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Izin Impor Contoh" in body and company.name in body and 'data-status="valid"' in body

    # INSW (DOC-05): the issue is in the outbox.
    assert list(InswOutboxEvent.objects.filter(permit=permit).values_list("event", flat=True)) == ["issued"]

    # The director's dashboard counts it in its own series.
    client.force_login(dirjen)
    dashboard = client.get(f"/work/dashboard/?year={permit.valid_from.year}").content.decode()
    table = dashboard[dashboard.index('id="permits-table"'):]
    table = table[:table.index("</table>")]
    assert "Izin contoh" in table
    month_row = re.findall(r"<tr><th scope=\"row\">[^<]*</th>((?:<td>\d+</td>)+)</tr>", table)[permit.valid_from.month - 1]
    assert re.findall(r"<td>(\d+)</td>", month_row)[-1] == "1"

    # Sanction: a freeze reaches the public page and INSW.
    permit_freeze(permit=Permit.objects.get(pk=permit.pk), actor=dirjen, reason="Contoh: laporan tidak disampaikan")
    assert 'data-status="frozen"' in client.get(f"/verify/{permit.number}").content.decode()
    assert InswOutboxEvent.objects.filter(permit=permit, event="frozen").count() == 1

    # The kind's job runs through the one job runner, by name.
    from inatrade.jobs import job_run
    from inatrade.schedule import build_schedule

    assert job_run(name="contoh_noop") == {"open": 0}
    assert build_schedule()["contoh_noop"]["args"] == ["contoh_noop"]


def test_the_kind_is_gone_once_unregistered(contoh_kind):
    minimal.unregister()
    assert "contoh" not in registry.CASE_KINDS and "contoh" not in registry.PERMIT_KINDS
    minimal.register()

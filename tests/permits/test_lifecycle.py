"""DOC-06 (amendments are new versions), freeze / reactivate / revoke with INSW outbox rows and
audit rows in the same transaction (DOC-05, AUD-01), derived expiry (DOC-04)."""

import datetime as dt

import pytest

from inatrade.audit import verify_audit_chain
from inatrade.errors import InvalidTransition, RuleViolation
from inatrade.models import AuditEntry
from permits.models import InswOutboxEvent, PermitStatus, VersionState
from permits.services import permit_amend, permit_freeze, permit_reactivate, permit_revoke
from tests.permits.conftest import pdf_bytes, sugar_lines

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("dirjen_certificate")]


def test_an_amendment_is_a_new_signed_version_and_the_old_one_is_superseded_but_kept__DOC_06(
    issue_permit, dirjen, django_capture_on_commit_callbacks
):
    permit = issue_permit()
    first = permit.current_version
    first_pdf = pdf_bytes(first)
    content = dict(first.content, lines=[dict(line, port_of_discharge="Tanjung Emas") for line in first.content["lines"]])
    with django_capture_on_commit_callbacks(execute=True):
        second = permit_amend(permit=permit, content=content, signer=dirjen, actor=dirjen, reason="Pelabuhan tujuan (PI-09)")
    permit.refresh_from_db()
    first.refresh_from_db()
    second.refresh_from_db()
    assert permit.current_version == second and second.version_no == 2 and second.supersedes == first
    assert first.state == VersionState.SUPERSEDED and first.superseded_at is not None
    assert second.state == VersionState.SIGNED and second.sha256 != first.sha256
    assert pdf_bytes(first) == first_pdf  # the old document never changes
    assert permit.status == PermitStatus.VALID
    assert list(InswOutboxEvent.objects.filter(permit=permit).order_by("created_at").values_list("event", "payload__version")) == [
        ("issued", 1), ("amended", 2),
    ]


def test_it_refuses_to_amend_a_frozen_permit(issue_permit, dirjen):
    permit = issue_permit()
    permit_freeze(permit=permit, actor=dirjen, reason="Laporan realisasi tidak disampaikan (PI-12)")
    with pytest.raises(InvalidTransition):
        permit_amend(permit=permit, content=permit.current_version.content, signer=dirjen, actor=dirjen, reason="x")


def test_freeze_reactivate_revoke_write_an_outbox_event_and_an_audit_row_each__DOC_05_AUD_01(issue_permit, dirjen):
    permit = issue_permit()
    permit = permit_freeze(permit=permit, actor=dirjen, reason="Laporan bulanan tidak disampaikan")
    assert permit.status == PermitStatus.FROZEN and permit.public_status == "frozen"
    permit = permit_reactivate(permit=permit, actor=dirjen, reason="Laporan diterima")
    assert permit.status == PermitStatus.VALID
    permit = permit_revoke(permit=permit, actor=dirjen, reason="Pencabutan oleh Direktur Jenderal")
    assert permit.status == PermitStatus.REVOKED
    events = list(InswOutboxEvent.objects.filter(permit=permit).order_by("created_at"))
    assert [e.event for e in events] == ["issued", "frozen", "reactivated", "revoked"]
    assert events[-1].payload["status"] == "revoked"
    audit = list(AuditEntry.objects.filter(object_id=str(permit.pk), action__startswith="permit.").order_by("seq"))
    assert [(a.action, a.from_state, a.to_state) for a in audit][-3:] == [
        ("permit.freeze", "valid", "frozen"), ("permit.reactivate", "frozen", "valid"), ("permit.revoke", "valid", "revoked"),
    ]
    assert audit[-1].actor == dirjen and audit[-1].reason == "Pencabutan oleh Direktur Jenderal"
    assert verify_audit_chain().ok


def test_it_refuses_transitions_the_status_does_not_allow(issue_permit, dirjen):
    permit = issue_permit()
    with pytest.raises(InvalidTransition) as err:
        permit_reactivate(permit=permit, actor=dirjen, reason="x")
    assert (err.value.code, err.value.status) == ("invalid_transition", 409)  # issue 18: the machine's refusal
    with pytest.raises(RuleViolation):
        permit_freeze(permit=permit, actor=dirjen, reason="")
    permit_revoke(permit=permit, actor=dirjen, reason="dicabut")
    with pytest.raises(InvalidTransition):
        permit_freeze(permit=permit, actor=dirjen, reason="x")
    assert InswOutboxEvent.objects.filter(permit=permit).count() == 2  # issued, revoked: nothing for refusals


def test_the_insw_payload_carries_the_api_md_fields__DOC_05(issue_permit, company):
    permit = issue_permit()
    payload = InswOutboxEvent.objects.get(permit=permit).payload
    assert set(payload) == {"event", "permit_number", "kind", "holder_npwp", "holder_nib", "valid_from", "valid_until",
                            "status", "version", "lines", "pdf_sha256", "pdf_url"}
    assert payload["holder_nib"] == company.nib and payload["holder_npwp"] == company.npwp
    assert payload["pdf_sha256"] == permit.current_version.sha256
    assert payload["valid_until"] == "2026-12-31" and len(payload["lines"]) == 3


def test_expiry_is_derived_from_the_validity__DOC_04(issue_permit):
    permit = issue_permit(valid_until=dt.date(2026, 11, 23))
    assert permit.public_status in {"valid", "expired"}
    permit.valid_until = dt.date(2000, 1, 1)
    assert permit.public_status == "expired"


def test_an_api_u_document_renders_with_the_generic_machinery(company, dirjen, django_capture_on_commit_callbacks):
    from permits.services import permit_issue
    from tests.permits.test_document import _flat

    content = {
        "title": "Angka Pengenal Importir Umum (API-U)",
        "holder": {"name": company.name, "address": company.address, "nib": company.nib, "npwp": company.npwp},
        "holder_documents": [{"label": "Izin usaha / NIB", "value": company.nib}],
        "fields": [{"label": "Bidang usaha", "value": "Perdagangan besar"}],
        "application": {"number": "API-2026-0001", "date": "2026-11-01"},
        "conditions": ["API berlaku selama importir menjalankan kegiatan usahanya."],
    }
    with django_capture_on_commit_callbacks(execute=True):
        permit = permit_issue(kind="api_u", holder=company, number="31.01.0001", content=content, signer=dirjen,
                              valid_from=dt.date(2026, 11, 22))
    permit.refresh_from_db()
    assert permit.status == PermitStatus.VALID
    from pypdf import PdfReader
    import io

    text = _flat(PdfReader(io.BytesIO(pdf_bytes(permit.current_version))).pages[0].extract_text())
    assert "ANGKAPENGENALIMPORTIRUMUM(API-U)" in text and "31.01.0001" in text
    assert _flat("tidak membutuhkan cap dan tanda tangan basah") in text
    assert sugar_lines  # shared helper stays importable


def _issue_unsigned(company, dirjen, sugar_content, number):
    """Issue without running what follows the commit: the version waits for its signature."""
    from permits.services import permit_issue

    return permit_issue(
        kind="sugar_pi", holder=company, number=number, content=sugar_content, signer=dirjen,
        valid_from=dt.date(2026, 11, 22), valid_until=dt.date(2026, 12, 31), actor=dirjen, issued_on=dt.date(2026, 11, 22),
    )


def test_a_permit_frozen_before_its_signature_stays_frozen_once_signed__DOC_05(company, dirjen, sugar_content):
    from permits.services import permit_sign_version

    permit = _issue_unsigned(company, dirjen, sugar_content, "04.PI-05.26.0960")
    assert permit.status == PermitStatus.AWAITING_SIGNATURE
    permit_freeze(permit=permit, actor=dirjen, reason="Laporan realisasi tidak disampaikan")
    version = permit.versions.get()
    assert permit_sign_version(version_id=version.pk) is True
    permit.refresh_from_db()
    assert permit.status == PermitStatus.FROZEN  # the signature does not lift the sanction
    events = list(InswOutboxEvent.objects.filter(permit=permit).order_by("created_at").values_list("event", flat=True))
    assert events == ["issued", "frozen"]  # INSW hears of both, in order


def test_reactivating_a_permit_frozen_before_its_signature_returns_it_to_awaiting_signature__DOC_05(
    company, dirjen, sugar_content,
):
    permit = _issue_unsigned(company, dirjen, sugar_content, "04.PI-05.26.0961")
    permit_freeze(permit=permit, actor=dirjen, reason="Laporan realisasi tidak disampaikan")
    permit_reactivate(permit=permit, actor=dirjen, reason="Laporan diterima")
    permit.refresh_from_db()
    assert permit.status == PermitStatus.AWAITING_SIGNATURE  # never "valid" without a signed document



def test_a_page_waiting_for_a_signature_learns_when_it_is_done__USE_01(client, issue_permit, company, dirjen, django_capture_on_commit_callbacks):
    """Issue 17 finding 9: the page said "reload later" and never updated itself. A small JSON
    answer tells the page (static/js/signing-status.js) whether the signature is done; only
    those who may download the permit get it."""
    from permits.models import PermitVersion
    from tests.factories import ImporterFactory

    permit = issue_permit()
    owner = ImporterFactory(company=company)
    client.force_login(owner)
    body = client.get(f"/permits/{permit.number}/signing-status").json()
    assert body == {**body, "awaiting_signature": False, "signed_version": 1}
    PermitVersion.objects.filter(permit=permit).update(state=VersionState.AWAITING_SIGNATURE)
    assert client.get(f"/permits/{permit.number}/signing-status").json()["awaiting_signature"] is True
    client.force_login(ImporterFactory())
    assert client.get(f"/permits/{permit.number}/signing-status").status_code == 404

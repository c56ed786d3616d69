"""The set-based transitions of the jobs (PI-12, PERF-03) and the single ones share the table
(``permit_machine``), the audit action (``permit.<verb>``) and the INSW payload (DOC-05)."""

import datetime as dt

import pytest
from django.db import transaction

from inatrade.audit import verify_audit_chain
from inatrade.models import AuditEntry
from permits.models import InswOutboxEvent, Permit, PermitStatus, PermitVersion
from permits.services import (
    insw_payload,
    permit_freeze,
    permit_reactivate,
    permits_bulk_transition,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("dirjen_certificate")]


def test_the_set_based_payload_matches_insw_payload_for_any_number_and_content__DOC_05(issue_permit):
    """A number the URL must quote, a version without lines, a permit past its validity
    (reactivated: "expired")."""
    permit = issue_permit()
    Permit.objects.filter(pk=permit.pk).update(number="PI 05/26 #1?ü", valid_until=dt.date(2020, 1, 31))
    PermitVersion.objects.filter(pk=permit.current_version_id).update(content={"title": "tanpa baris"})
    for verb, event in (("freeze", "frozen"), ("reactivate", "reactivated")):
        with transaction.atomic():
            assert permits_bulk_transition(permit_ids=[permit.pk], verb=verb, reason="uji") == [permit.pk]
        permit.refresh_from_db()
        assert InswOutboxEvent.objects.get(permit=permit, event=event).payload == insw_payload(permit, event, permit.current_version)
    assert InswOutboxEvent.objects.get(permit=permit, event="reactivated").payload["status"] == "expired"


def test_single_and_bulk_transitions_write_the_same_rows__PI_12_AUD_01(issue_permit, dirjen):
    one, many = issue_permit(number="04.PI-05.26.0001"), issue_permit(number="04.PI-05.26.0002")
    permit_freeze(permit=one, actor=dirjen, reason="Laporan tidak disampaikan")
    with transaction.atomic():
        assert permits_bulk_transition(permit_ids=[many.pk, 999999], verb="freeze", reason="Laporan tidak disampaikan") == [many.pk]
        # Run twice: the compare-and-set finds nothing left to move (REL-04).
        assert permits_bulk_transition(permit_ids=[many.pk], verb="freeze", reason="Laporan tidak disampaikan") == []
    rows = {}
    for permit in (one, many):
        permit.refresh_from_db()
        assert (permit.status, permit.status_reason) == (PermitStatus.FROZEN, "Laporan tidak disampaikan")
        audit = AuditEntry.objects.get(object_id=str(permit.pk), action="permit.freeze")
        rows[permit.pk] = (audit.object_type, audit.from_state, audit.to_state, audit.company_id, audit.reason)
        assert InswOutboxEvent.objects.get(permit=permit, event="frozen").payload == insw_payload(
            permit, "frozen", permit.current_version)
    assert rows[one.pk] == rows[many.pk] == ("permits.permit", "valid", "frozen", one.holder_id, "Laporan tidak disampaikan")
    assert verify_audit_chain().ok


def test_a_permit_frozen_before_its_first_signature_goes_back_to_awaiting_it_in_both_paths(company, dirjen, sugar_content):
    """The reactivate move's target depends on the row (``target=`` / ``target_sql``)."""
    from permits.services import permit_issue

    first = permit_issue(kind="sugar_pi", holder=company, number="X-1", content=sugar_content, signer=dirjen, actor=dirjen)
    second = permit_issue(kind="sugar_pi", holder=company, number="X-2", content=sugar_content, signer=dirjen, actor=dirjen)
    for permit in (first, second):
        permit_freeze(permit=permit, actor=dirjen, reason="sanksi")
    permit_reactivate(permit=first, actor=dirjen, reason="dipulihkan")
    assert permits_bulk_transition(permit_ids=[second.pk], verb="reactivate", reason="dipulihkan") == [second.pk]
    for permit in (first, second):
        permit.refresh_from_db()
        assert permit.status == PermitStatus.AWAITING_SIGNATURE
        assert AuditEntry.objects.get(object_id=str(permit.pk), action="permit.reactivate").to_state == "awaiting_signature"
    assert not InswOutboxEvent.objects.filter(permit__in=[first, second]).exists()  # never signed: INSW knows nothing yet

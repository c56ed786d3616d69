"""PERF-03: the set-based writes of the periodic jobs leave the same rows as their one-by-one
counterparts: ``audit_record_many`` the rows ``audit_record`` writes, chained the same way
(AUD-01), and ``email_queue_many`` the e-mails ``email_queue`` queues (AUD-03)."""

import pytest
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from accounts.models import Role
from inatrade.audit import audit_record, audit_record_many, compute_hash, verify_audit_chain
from inatrade.models import AuditChainHead, AuditEntry, OutgoingEmail
from inatrade.notifications import email_queue, email_queue_many
from tests.factories import CompanyFactory, UserFactory

pytestmark = pytest.mark.django_db

AWKWARD = ['PI "kutip" \\ garis\nbaru', "Gula – Kristal ü 糖", "100% %s %(x)s", ""]

FIELDS = ("actor_id", "actor_label", "actor_role", "actor_capacity", "company_id", "object_type", "object_id",
          "object_label", "action", "from_state", "to_state", "reason", "data")


def test_it_writes_the_rows_audit_record_writes_chained_the_same_way__AUD_01_PERF_03():
    company = CompanyFactory()
    actor = UserFactory(username="dirjen9", role=Role.DIRECTOR_GENERAL)
    common = dict(object_type="sugar_import.sugarpermit", action="sugar_permit_revoke", actor=actor,
                  reason="Alasan: 50% «ditolak» \"x\"\n\\", data={"period": "2026-06", "n": [1, 2.5, None], "ü": {"b": 1, "a": True}})
    with transaction.atomic():
        audit_record(object_type="x", object_id="before", action="first")  # a chain already under way
        audit_record_many(rows=[{"object_id": 10 + i, "object_label": label, "company_id": company.pk if i % 2 else None,
                                 "from_state": "active", "to_state": "revoked"} for i, label in enumerate(AWKWARD)], **common)
        for i, label in enumerate(AWKWARD):
            audit_record(object_type=common["object_type"], object_id=str(10 + i), action=common["action"], actor=actor,
                         from_state="active", to_state="revoked", reason=common["reason"], data=common["data"],
                         company=company if i % 2 else None)
        audit_record(object_type="x", object_id="after", action="last")  # and it goes on after the batch
    assert verify_audit_chain().ok
    entries = list(AuditEntry.objects.order_by("seq"))
    assert [e.seq for e in entries] == list(range(1, 2 + 2 * len(AWKWARD) + 1))
    batch, single = entries[1:1 + len(AWKWARD)], entries[1 + len(AWKWARD):-1]
    for many, one, label in zip(batch, single, AWKWARD):
        assert compute_hash(many) == many.entry_hash
        assert many.object_label == label
        assert {f: getattr(many, f) for f in FIELDS if f != "object_label"} == {f: getattr(one, f) for f in FIELDS if f != "object_label"}


def test_it_appends_any_number_of_rows_in_a_constant_number_of_queries__PERF_03():
    AuditChainHead.objects.get_or_create(id=1)
    counts = []
    for n in (3, 300):
        with transaction.atomic(), CaptureQueriesContext(connection) as ctx:
            audit_record_many(rows=[{"object_id": i, "object_label": f"PI-{i}"} for i in range(n)],
                              object_type="permits.permit", action="permit_freeze", from_state="valid", to_state="frozen")
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
    assert verify_audit_chain().ok and AuditEntry.objects.count() == 303


def test_it_queues_the_emails_email_queue_queues_and_hands_them_over_in_batches__AUD_03_PERF_03(
        django_capture_on_commit_callbacks):
    messages = [
        {"template": "password_changed", "to": "siti@contoh.co.id", "context": {"name": "Siti", "username": "4C7ADA"}},
        {"template": "password_changed", "to": ["budi@contoh.co.id", "ani@contoh.co.id"], "language": "en",
         "context": {"name": "Budi", "username": "5D8B"}},
    ] + [{"template": "password_changed", "to": f"u{i}@contoh.co.id", "context": {"name": "Sama", "username": "X"}}
         for i in range(450)]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            ids = email_queue_many(messages)
            singles = [email_queue(language=m.get("language", "id"), **{k: v for k, v in m.items() if k != "language"})
                       for m in messages[:3]]
            batched = OutgoingEmail.objects.filter(pk__in=ids)
            assert len(ids) == batched.count() == len(messages)
            by_to = {tuple(e.to): e for e in batched}
            for single in singles:
                queued = by_to[tuple(single.to)]
                assert (queued.template, queued.subject, queued.body, queued.attachments, queued.state) == (
                    single.template, single.subject, single.body, single.attachments, single.state)
    assert len(callbacks) == 1 + 3  # one hand-over of all the batches; one per single e-mail
    assert len(mail.outbox) == len(messages) + 3
    assert not OutgoingEmail.objects.exclude(state=OutgoingEmail.State.SENT).exists()


def test_it_queues_nothing_for_no_messages():
    assert email_queue_many([]) == []

"""The append-only, keyed, anchored audit chain (AUD-01, SEC-06; docs/decisions/0011).

``audit_record`` is called by every service that changes a state, inside that service's
transaction, so the row exists exactly when the change does. Appends are serialized by
locking the single chain-head row, which also hands out the gap-free ``seq``. In a service
run by ``inatrade.db.retry_on_db_conflict`` the rows of the transaction are kept aside and
appended at its very end (``deferred_chain``), so the head is the last lock a transaction
takes and is held only for the INSERT and the COMMIT; elsewhere a row is appended at once.

Each row's ``entry_hash`` is an HMAC-SHA256, keyed with ``settings.AUDIT_HMAC_KEY`` (not the
SECRET_KEY), of its canonical text, which includes the previous row's hash: whoever edits the
table without the key cannot write a chain that verifies. PostgreSQL refuses UPDATE and
DELETE of the table (a trigger, migration 0007), and a daily job (``audit_anchor``) writes the
head outside the database, to the administrators' mailbox and an operator's file, so that a
chain cut short and rolled back is found by ``verify_audit_chain`` against those anchors.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from inatrade.models import AuditChainHead, AuditEntry

GENESIS_HASH = "0" * 64

_HASHED_FIELDS = (
    "seq",
    "created_at",
    "actor_id",
    "actor_label",
    "actor_role",
    "actor_capacity",
    "company_id",
    "object_type",
    "object_id",
    "object_label",
    "action",
    "from_state",
    "to_state",
    "reason",
    "data",
    "prev_hash",
)


def _canonical(entry: AuditEntry) -> bytes:
    payload: dict[str, Any] = {}
    for field in _HASHED_FIELDS:
        value = getattr(entry, field)
        if field == "created_at":
            value = value.isoformat(timespec="microseconds")
        payload[field] = value
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode()


def _key() -> bytes:
    return settings.AUDIT_HMAC_KEY.encode()


def _mac(text: bytes) -> str:
    return hmac.new(_key(), text, hashlib.sha256).hexdigest()


def compute_hash(entry: AuditEntry) -> str:
    """The row's keyed hash: HMAC-SHA256(AUDIT_HMAC_KEY, canonical text)."""
    return _mac(_canonical(entry))


def _object_type(obj: models.Model) -> str:
    return f"{obj._meta.app_label}.{obj._meta.model_name}"


def _stamp():
    """Now, truncated to the millisecond so the stored value and the hashed value agree on
    every database backend."""
    now = timezone.now()
    return now.replace(microsecond=(now.microsecond // 1000) * 1000)


def _actor_fields(actor) -> tuple:
    """(the user or None, actor_label, actor_role) of an audit row: a signed-in user, or a
    named system actor (a string), or "system"."""
    if actor is not None and getattr(actor, "is_authenticated", False):
        return actor, actor.get_username()[:150], getattr(actor, "role", "")[:40]
    return None, (str(actor) if actor else "system")[:150], "system"


class _Pending(threading.local):
    """The audit rows of the current thread's transaction waiting for its end."""

    rows: list | None = None


_pending = _Pending()


class _Alive:
    """An on_commit no-op: Django drops it when the savepoint it was registered in rolls back,
    which tells ``_flush`` that the row it stands for belongs to a change that was undone."""

    def __call__(self):
        return None


@contextmanager
def deferred_chain():
    """Keep the audit rows of the enclosed transaction aside and append them to the chain at
    its end, right before the commit: the head is the last lock taken (docs/decisions/0010)."""
    if _pending.rows is not None:
        yield
        return
    _pending.rows = []
    try:
        yield
        rows, _pending.rows = _pending.rows, None
        if rows and not connection.needs_rollback:
            alive = {id(func) for _sids, func, *_rest in connection.run_on_commit}
            _append([entry for entry, marker in rows if id(marker) in alive])
    finally:
        _pending.rows = None


def _flush_pending() -> None:
    """Append the rows kept aside so far (before a set-based append keeps the order)."""
    if _pending.rows:
        rows, _pending.rows = _pending.rows, []
        alive = {id(func) for _sids, func, *_rest in connection.run_on_commit}
        _append([entry for entry, marker in rows if id(marker) in alive])


def _append(entries: list[AuditEntry]) -> None:
    """Chain ``entries`` after the head (locked FOR UPDATE until the commit) and insert them."""
    if not entries:
        return
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(id=1)
    seq, prev = head.last_seq, head.last_hash
    for entry in entries:
        seq += 1
        entry.seq, entry.prev_hash = seq, prev
        entry.entry_hash = prev = compute_hash(entry)
    if len(entries) == 1:
        entries[0].save()
    else:
        AuditEntry.objects.bulk_create(entries)
    AuditChainHead.objects.filter(id=1).update(last_seq=seq, last_hash=prev)


def audit_record(
    *,
    obj: models.Model | None = None,
    action: str,
    object_type: str = "",
    object_id: str = "",
    actor=None,
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
    company=None,
    capacity: str = "",
    data: dict | None = None,
) -> AuditEntry:
    """Append one audit row for ``obj`` (or for ``object_type``/``object_id`` when there is no
    row to point at, e.g. a failed login for an unknown user id). Must run inside the
    transaction of the change it records; in a ``deferred_chain`` the row gets its ``seq``
    and hash at the end of that transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must be called inside the transaction of the change it records")
    user, actor_label, actor_role = _actor_fields(actor)
    entry = AuditEntry(
        created_at=_stamp(),
        actor=user,
        actor_label=actor_label,
        actor_role=actor_role,
        actor_capacity=capacity[:200],
        company=company,
        object_type=_object_type(obj) if obj is not None else object_type,
        object_id=str(obj.pk) if obj is not None else object_id[:64],
        object_label=str(obj)[:200] if obj is not None else "",
        action=action,
        from_state=from_state or "",
        to_state=to_state or "",
        reason=reason or "",
        data=json.loads(json.dumps(data or {}, default=str)),
    )
    if _pending.rows is not None:
        marker = _Alive()
        transaction.on_commit(marker)
        _pending.rows.append((entry, marker))
    else:
        _append([entry])
    return entry


def _json_text(value) -> str:
    """One value as ``_canonical`` writes it (``json.dumps`` with the same options)."""
    if value is None:
        return "null"
    if type(value) is str:
        return json.encoder.encode_basestring(value)  # what dumps(ensure_ascii=False) uses
    if type(value) is int:
        return int.__repr__(value)
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def audit_record_many(
    *,
    rows: list[dict],
    object_type: str,
    action: str,
    actor=None,
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
    capacity: str = "",
    data: dict | None = None,
) -> int:
    """Append one audit row per item of ``rows`` with one lock of the chain head and one
    INSERT (PERF-03): the same rows, chained the same way, as that many ``audit_record`` calls.

    Each item of ``rows`` holds what differs between the rows: ``object_id`` and
    ``object_label`` (``str(obj)``), and optionally ``company_id``, ``from_state`` and
    ``to_state``; the keyword arguments are common to all. The hashes are computed here, from
    a template of the canonical text (only the per-row values are encoded per row), and the
    rows travel to the database as one JSON parameter. Must run inside the transaction of the
    change it records."""
    from inatrade import bulksql

    if not rows:
        return 0
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record_many must be called inside the transaction of the change it records")
    _flush_pending()
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(id=1)
    now = _stamp()
    user, actor_label, actor_role = _actor_fields(actor)
    common = {
        "created_at": now.isoformat(timespec="microseconds"),
        "actor_id": user.pk if user else None,
        "actor_label": actor_label,
        "actor_role": actor_role,
        "actor_capacity": capacity[:200],
        "object_type": object_type,
        "action": action,
        "reason": str(reason or ""),
        "data": json.loads(json.dumps(data or {}, default=str)),
    }
    defaults = {"from_state": from_state or "", "to_state": to_state or ""}
    # The canonical text of every row, with %s where a row's own values go (sorted keys).
    variable = [f for f in sorted(_HASHED_FIELDS) if f not in common]
    assert variable == ["company_id", "from_state", "object_id", "object_label", "prev_hash", "seq", "to_state"]
    template = "{" + ",".join(
        f"{_json_text(f)}:" + ("%s" if f in variable else _json_text(common[f]).replace("%", "%%"))
        for f in sorted(_HASHED_FIELDS)
    ) + "}"
    text_of = json.encoder.encode_basestring
    states: dict[str, str] = {}  # the few states, each encoded once
    seq, prev = head.last_seq, head.last_hash
    values = []
    for row in rows:
        seq += 1
        company_id = row.get("company_id")
        company_id = None if company_id is None else int(company_id)
        object_id, label = str(row["object_id"])[:64], str(row.get("object_label", ""))[:200]
        from_, to = str(row.get("from_state", defaults["from_state"])), str(row.get("to_state", defaults["to_state"]))
        if from_ not in states:
            states[from_] = text_of(from_)
        if to not in states:
            states[to] = text_of(to)
        text = template % ("null" if company_id is None else company_id, states[from_], text_of(object_id), text_of(label),
                           f'"{prev}"', seq, states[to])
        entry_hash = _mac(text.encode())
        values.append([seq, company_id, object_id, label, from_, to, prev, entry_hash])
        prev = entry_hash
    table = AuditEntry._meta.db_table
    source = bulksql.rows_from([("seq", "int"), ("company_id", "int"), ("object_id", "text"), ("object_label", "text"),
                                ("from_state", "text"), ("to_state", "text"), ("prev_hash", "text"), ("entry_hash", "text")])
    bulksql.execute(
        f"INSERT INTO {table} (seq, created_at, actor_id, actor_label, actor_role, actor_capacity, company_id, object_type, "
        "object_id, object_label, action, from_state, to_state, reason, data, prev_hash, entry_hash) "
        f"SELECT r.seq, %s, %s, %s, %s, %s, r.company_id, %s, r.object_id, r.object_label, %s, r.from_state, r.to_state, "
        f"%s, {bulksql.json_value('%s')}, r.prev_hash, r.entry_hash FROM {source}",
        [bulksql.db_value(AuditEntry, "created_at", now), common["actor_id"], common["actor_label"], common["actor_role"],
         common["actor_capacity"], object_type, action, common["reason"], bulksql.json_param(common["data"]),
         bulksql.json_param(values)],
    )
    AuditChainHead.objects.filter(id=1).update(last_seq=seq, last_hash=prev)
    return len(values)


@dataclass
class ChainReport:
    checked: int
    first_broken_seq: int | None
    problem: str = ""
    anchors_checked: int = 0

    @property
    def ok(self) -> bool:
        return self.first_broken_seq is None


@dataclass(frozen=True)
class Anchor:
    """The chain head as it was on a day, kept outside the database (SEC-06)."""

    day: str
    seq: int
    hash: str
    mac: str = ""

    def expected_mac(self) -> str:
        return _mac(f"inatrade-audit-anchor|{self.day}|{self.seq}|{self.hash}".encode())

    def as_json(self) -> str:
        return json.dumps({"date": self.day, "seq": self.seq, "hash": self.hash, "mac": self.mac}, sort_keys=True)


def anchor_file() -> Path:
    return Path(settings.AUDIT_ANCHOR_FILE)


def read_anchors(path: Path | None = None) -> list[Anchor]:
    """The anchors of the operator's file (one JSON object a line); none when it is missing."""
    path = path or anchor_file()
    if not path.exists():
        return []
    anchors = []
    for line in path.read_text().splitlines():
        if line.strip():
            item = json.loads(line)
            anchors.append(Anchor(day=item["date"], seq=int(item["seq"]), hash=item["hash"], mac=item.get("mac", "")))
    return anchors


def audit_anchor(*, as_of: date) -> dict:
    """Job (SEC-06): write today's chain head outside the database, appended to the operator's
    anchor file and e-mailed to the administrators. Twice the same day with the same head
    writes nothing more."""
    from inatrade.notifications import email_queue

    head = AuditChainHead.objects.filter(id=1).first()
    if head is None or head.last_seq == 0:
        return {"changed": 0, "seq": 0}
    anchor = Anchor(day=as_of.isoformat(), seq=head.last_seq, hash=head.last_hash)
    anchor = Anchor(day=anchor.day, seq=anchor.seq, hash=anchor.hash, mac=anchor.expected_mac())
    path = anchor_file()
    if any(a.seq == anchor.seq and a.hash == anchor.hash for a in read_anchors(path)):
        return {"changed": 0, "seq": anchor.seq}
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        handle.write(anchor.as_json() + "\n")
    if settings.ADMIN_NOTIFICATION_EMAILS:
        with transaction.atomic():
            email_queue(template="audit_anchor", to=settings.ADMIN_NOTIFICATION_EMAILS,
                        context={"day": anchor.day, "seq": anchor.seq, "hash": anchor.hash, "mac": anchor.mac,
                                 "line": anchor.as_json()})
    return {"changed": 1, "seq": anchor.seq}


def verify_audit_chain(*, chunk_size: int = 2000, anchors: list[Anchor] | None = None) -> ChainReport:
    """Recompute every row's keyed hash in order; report the first row that does not match,
    then compare the chain with the head row and with every anchor kept outside the database
    (by default those of ``settings.AUDIT_ANCHOR_FILE``)."""
    anchors = read_anchors() if anchors is None else anchors
    for anchor in anchors:
        if not hmac.compare_digest(anchor.mac, anchor.expected_mac()):
            return ChainReport(0, anchor.seq, f"the anchor of {anchor.day} (row #{anchor.seq}) is not signed with the audit key")
    wanted = {anchor.seq: anchor for anchor in anchors}
    previous_hash = GENESIS_HASH
    expected_seq = 1
    checked = 0
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=chunk_size):
        if entry.seq != expected_seq:
            return ChainReport(checked, expected_seq, f"row #{expected_seq} is missing (next is #{entry.seq})")
        if entry.prev_hash != previous_hash:
            return ChainReport(checked, entry.seq, f"row #{entry.seq} does not point to the hash of row #{entry.seq - 1}")
        if not hmac.compare_digest(compute_hash(entry), entry.entry_hash):
            return ChainReport(checked, entry.seq, f"row #{entry.seq} was changed after it was written")
        anchor = wanted.get(entry.seq)
        if anchor is not None and anchor.hash != entry.entry_hash:
            return ChainReport(checked, entry.seq, f"row #{entry.seq} differs from the anchor of {anchor.day}")
        previous_hash = entry.entry_hash
        expected_seq += 1
        checked += 1
    head = AuditChainHead.objects.filter(id=1).first()
    if head and head.last_seq != checked:
        return ChainReport(checked, checked + 1, f"the chain head expects {head.last_seq} rows, found {checked}")
    # The last row has no successor pointing at it: an edit of it whose hash was recomputed
    # is caught by the hash the head kept when the row was appended (SEC-06).
    if head and checked and head.last_hash != previous_hash:
        return ChainReport(checked, checked, f"row #{checked} does not match the hash kept in the chain head")
    beyond = [anchor for anchor in anchors if anchor.seq > checked]
    if beyond:
        anchor = max(beyond, key=lambda a: a.seq)
        return ChainReport(checked, checked + 1,
                           f"the anchor of {anchor.day} names row #{anchor.seq}, the chain ends at #{checked} (rows removed)")
    return ChainReport(checked, None, anchors_checked=len(anchors))


def timeline_for(obj: models.Model):
    """AUD-02: the audit rows of one object, oldest first."""
    return AuditEntry.objects.filter(object_type=_object_type(obj), object_id=str(obj.pk)).select_related("actor")

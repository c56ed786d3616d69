"""PERF-03: the periodic jobs over many candidates: queries at 1,000 vs N candidates (must not
grow) and time vs the equivalent hand-written SQL (target ≤ 2×).

    DATABASE_URL=postgres://…/inatrade_rep .venv/bin/python benchmarks/perf03_jobs.py \
        [--rows 100000] [--small 1000] [--repeat 3] [--only JOB]

Migrates the database named by DATABASE_URL (use your own; PostgreSQL, the production
database: the hand-written SQL is PostgreSQL's). For each job: builds the candidates with
bulk_create inside a transaction, runs the job, rolls back; vacuums (the dead rows of a
rolled-back run must not slow the next one); builds the same candidates again, runs the
hand-written SQL, rolls back. Job and SQL take turns ``--repeat`` times at ``--rows`` and each
keeps its best time (the machine is shared: what others do only ever adds time). Writes
section PERF-03 of benchmarks/results/latest.md (not with ``--only``).

What "equivalent" means. quality.md compares each job with "one equivalent hand-written SQL
UPDATE". A job whose rules make it write more than the state change (AUD-01 audit rows,
DOC-05 INSW events, AUD-03 e-mails, HA-12 revocation records) cannot be held to the bare
UPDATE, so the comparator is the hand-written SQL that leaves the database in the same state
as the job, by the most direct SQL (one statement with data-modifying CTEs):

- ``monthly_report_freeze``: the UPDATE of the PIs (the UPDATE of earlier runs), the UPDATE of
  their permits, one INSW outbox event per permit (payload by ``jsonb_build_object``), one
  audit row per PI and per permit *with the hash chain computed in SQL* (a PL/pgSQL aggregate
  over the canonical text, used as a window), the chain head, and the company's notice whose
  body lists the numbers (``string_agg``). Every candidate PI has a signed current version, as
  an issued PI has, so the INSW events are part of the work (in earlier runs the candidates had
  no version, and neither the job nor the UPDATE wrote them).
- ``inactivity_revocation``: the UPDATE of the users (the UPDATE of earlier runs), one
  revocation row, one queued e-mail and one audit row per user (``user.revoke_access_inactive``, hash in SQL), the
  chain head, and the warning UPDATE.
- ``sla_sweep``: the UPDATE alone, as before: the rest of its work (one e-mail per officer, one
  audit row per run) does not grow with the rows.

The bare status UPDATE of earlier runs is still timed, on its own fresh candidates, and
reported in the last column for reference (it is not what the target is judged on).

The texts of the e-mails are rendered once, before the clock starts, and handed to the SQL as
parameters (templates are not SQL's business); the job renders its own within its time.

The comparison is checked, not assumed: first, on ``--small`` candidates, job and SQL run on
the same rows and must leave the same footprint (rows per state and per table, and digests of
the audit rows, INSW payloads, e-mails and revocation rows, leaving out only generated ids,
times and hashes); after every timed run, the audit rows written must verify with
``inatrade.audit.compute_hash`` and link up. A difference stops the script.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inatrade.settings")
os.environ.update({"INATRADE_ENV": "development", "LOG_LEVEL": "ERROR", "CELERY_TASK_ALWAYS_EAGER": "false"})

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

WIB = ZoneInfo("Asia/Jakarta")
TARGET = 2.0
TARGETS = {"sla_sweep": 1.5}  # issue 22; the others keep quality.md's 2×


class Rollback(Exception):
    pass


def _now_ms():
    from django.utils import timezone

    now = timezone.now()
    return now.replace(microsecond=(now.microsecond // 1000) * 1000)


def footprint() -> dict:
    """What a run leaves: rows per state and per table (compared between job and SQL)."""
    queries = {
        "sugar permits": "SELECT status, count(*) FROM sugar_import_sugarpermit GROUP BY status",
        "permits": "SELECT status, count(*) FROM permits_permit GROUP BY status",
        "users": "SELECT access_status, count(*) FROM accounts_user GROUP BY access_status",
        "warned": "SELECT 'warned', count(*) FROM accounts_user WHERE inactivity_warned_at IS NOT NULL",
        "case steps": "SELECT 'notified', count(*) FROM workspace_casestep WHERE overdue_notified_at IS NOT NULL",
        "audit": "SELECT action, count(*) FROM inatrade_auditentry GROUP BY action",
        "insw": "SELECT event, count(*) FROM permits_inswoutboxevent GROUP BY event",
        "e-mails": "SELECT template, count(*) FROM inatrade_outgoingemail GROUP BY template",
        "revocations": "SELECT reason_code, count(*) FROM accounts_revocation GROUP BY reason_code",
        "chain head": "SELECT 'last_seq', last_seq FROM inatrade_auditchainhead",
        # the content too, not only the counts (all but ids, times and hashes)
        "audit rows": "SELECT 'md5', md5(string_agg(concat_ws('|', seq, actor_id, actor_label, actor_role, actor_capacity, "
                      "company_id, object_type, object_id, object_label, action, from_state, to_state, reason, data::text), "
                      "'/' ORDER BY seq)) FROM inatrade_auditentry",
        "insw payloads": "SELECT 'md5', md5(string_agg(concat_ws('|', permit_id, event, payload::text, state, attempts), '/' "
                         "ORDER BY permit_id, event)) FROM permits_inswoutboxevent",
        "e-mail texts": "SELECT 'md5', md5(string_agg(concat_ws('|', template, \"to\"::text, subject, body, attachments::text, "
                        "state), '/' ORDER BY template, \"to\"::text, body)) FROM inatrade_outgoingemail",
        "revocation rows": "SELECT 'md5', md5(string_agg(concat_ws('|', user_id, company_id, reason_code, note, revoked_by_id), "
                           "'/' ORDER BY user_id)) FROM accounts_revocation",
    }
    with connection.cursor() as cursor:
        out = {}
        for name, sql in queries.items():
            cursor.execute(sql)
            out[name] = dict(cursor.fetchall())
    return out


def chain_checked(since_seq: int, sample: int = 2000) -> str:
    """The rows appended after ``since_seq`` link up and their hashes are right (a sample of
    them recomputed in Python, with the first and the last); '' or what is wrong."""
    from inatrade.audit import compute_hash
    from inatrade.models import AuditChainHead, AuditEntry

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM inatrade_auditentry a JOIN inatrade_auditentry b ON b.seq = a.seq + 1 "
                       "WHERE a.seq >= %s AND b.prev_hash <> a.entry_hash", [since_seq])
        broken = cursor.fetchone()[0]
    if broken:
        return f"{broken} rows do not point to the hash of the row before"
    new = AuditEntry.objects.filter(seq__gt=since_seq)
    total = new.count()
    step = max(1, total // sample)
    for entry in new.filter(seq__in=[since_seq + 1 + i * step for i in range(sample)] + [since_seq + total]):
        if compute_hash(entry) != entry.entry_hash:
            return f"row #{entry.seq}: its hash does not match its content"
    head = AuditChainHead.objects.get(id=1)
    last = AuditEntry.objects.order_by("-seq").first()
    if last and (head.last_seq, head.last_hash) != (last.seq, last.entry_hash):
        return "the chain head does not match the last row"
    return ""


TABLES = ("sugar_import_sugarapplication", "sugar_import_sugarpermit", "permits_permit", "permits_permitversion",
          "accounts_user", "accounts_company", "workspace_casestep", "inatrade_auditentry", "inatrade_auditchainhead",
          "permits_inswoutboxevent", "inatrade_outgoingemail", "accounts_revocation")


def vacuum() -> None:
    """Clear the dead rows the rolled-back runs left, so each run starts on the same tables."""
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM {', '.join(TABLES)}")


def measure(build, runs: dict, repeat=1) -> tuple[int, dict]:
    """(the job's queries, best seconds of each run) on the same candidates (built afresh for
    each run, on vacuumed tables), each run rolled back and each leaving a valid audit chain;
    the ``runs`` (the job, the SQL, ...) take turns ``repeat`` times and each keeps its best
    time (the machine is shared: what others do only ever adds time)."""
    from inatrade.models import AuditChainHead

    times, queries = {label: [] for label in runs}, set()
    for _ in range(repeat):
        for label, run in runs.items():
            vacuum()
            try:
                with transaction.atomic():
                    build()
                    seq = AuditChainHead.objects.get(id=1).last_seq
                    start = time.perf_counter()
                    with CaptureQueriesContext(connection) as ctx:
                        run()
                    times[label].append(time.perf_counter() - start)
                    if label == "job":
                        queries.add(len(ctx.captured_queries))
                    problem = chain_checked(seq)
                    if problem:
                        sys.exit(f"{label}: the audit chain is broken: {problem}")
                    raise Rollback
            except Rollback:
                pass
    if len(queries) != 1:
        sys.exit(f"the job made a different number of queries on the same candidates: {sorted(queries)}")
    return queries.pop(), {label: min(values) for label, values in times.items()}


def same_footprint(build, job, sql, compared) -> None:
    """Job and SQL on one set of candidates (the SQL after the job's run is rolled back to a
    savepoint) must leave the same footprint; stop the script when they do not."""
    prints = {}
    try:
        with transaction.atomic():
            build()
            for label, run in (("job", job), ("sql", sql)):
                with transaction.atomic():
                    run()
                    prints[label] = {k: v for k, v in footprint().items() if k in compared}
                    transaction.set_rollback(True)
            raise Rollback
    except Rollback:
        pass
    if prints["job"] != prints["sql"]:
        sys.exit(f"the job and the SQL leave different footprints:\njob {prints['job']}\nsql {prints['sql']}")


# --------------------------------------------------------------------------- the hand-written SQL
CHAIN_AGGREGATE = """
CREATE FUNCTION pg_temp.audit_chain_step(prev text, before text, after text, head text) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  -- HMAC-SHA256(AUDIT_HMAC_KEY, text) as inatrade.audit._mac computes it (RFC 2104), from
  -- sha256() alone: the key XOR ipad / opad blocks are computed once, in Python.
  RETURN encode(sha256(decode('{opad}', 'hex') || sha256(decode('{ipad}', 'hex')
                || convert_to(before || coalesce(prev, head) || after, 'UTF8'))), 'hex');
END $$;
CREATE AGGREGATE pg_temp.audit_chain(text, text, text) (SFUNC = pg_temp.audit_chain_step, STYPE = text);
"""


def chain_aggregate_sql() -> str:
    """CHAIN_AGGREGATE with the HMAC pads of the audit key (keys longer than the block are
    hashed first, as HMAC says)."""
    import hashlib

    from django.conf import settings

    key = settings.AUDIT_HMAC_KEY.encode()
    if len(key) > 64:
        key = hashlib.sha256(key).digest()
    key = key.ljust(64, b"\0")
    return CHAIN_AGGREGATE.format(ipad=bytes(b ^ 0x36 for b in key).hex(), opad=bytes(b ^ 0x5C for b in key).hex())

# The canonical text of inatrade.audit._canonical (sorted keys, no spaces), split around the
# previous row's hash: before || prev_hash || after. Reads a CTE "canon_in" of the rows (n, the
# row's place in the batch; company_id, object_type, object_id, label, action, from_state,
# to_state, data: its canonical JSON text) and "head" (last_seq, last_hash).
AUDIT_CTES = """
canon AS (
  SELECT c.*, h.last_seq + c.n AS seq, h.last_hash AS head_hash,
    '{"action":' || to_json(c.action) || ',"actor_capacity":"","actor_id":null,"actor_label":"system",'
    || '"actor_role":"system","company_id":' || coalesce(c.company_id::text, 'null')
    || ',"created_at":' || to_json(%(created_iso)s::text) || ',"data":' || c.data
    || ',"from_state":' || to_json(c.from_state) || ',"object_id":' || to_json(c.object_id)
    || ',"object_label":' || to_json(c.label) || ',"object_type":' || to_json(c.object_type)
    || ',"prev_hash":"' AS before,
    '","reason":' || to_json(%(reason)s::text) || ',"seq":' || (h.last_seq + c.n)
    || ',"to_state":' || to_json(c.to_state) || '}' AS after
  FROM canon_in c, head h),
chained AS (
  SELECT c.*, pg_temp.audit_chain(before, after, head_hash) OVER (ORDER BY n) AS entry_hash FROM canon c),
audit AS (
  INSERT INTO inatrade_auditentry (seq, created_at, actor_id, actor_label, actor_role, actor_capacity, company_id,
    object_type, object_id, object_label, action, from_state, to_state, reason, data, prev_hash, entry_hash)
  SELECT seq, %(created)s, NULL, 'system', 'system', '', company_id, object_type, object_id, label, action, from_state,
    to_state, %(reason)s, data::jsonb, coalesce(lag(entry_hash) OVER (ORDER BY n), head_hash), entry_hash FROM chained
  RETURNING seq, entry_hash)
UPDATE inatrade_auditchainhead SET last_seq = a.seq, last_hash = a.entry_hash
FROM (SELECT seq, entry_hash FROM audit ORDER BY seq DESC LIMIT 1) a WHERE id = 1
"""

FREEZE_SQL = """
WITH head AS (SELECT last_seq, last_hash FROM inatrade_auditchainhead WHERE id = 1 FOR UPDATE),
sp AS (
  UPDATE sugar_import_sugarpermit s SET status = 'frozen', frozen_on = %(frozen_on)s, frozen_period = %(period)s,
    frozen_until = %(frozen_until)s
  WHERE s.status = 'active' AND s.valid_from <= %(last_day)s AND s.valid_until >= %(period)s
    AND NOT EXISTS (SELECT 1 FROM sugar_import_monthlyreport r WHERE r.sugar_permit_id = s.id AND r.period = %(period)s)
  RETURNING s.id, s.permit_id, s.company_id, s.number),
p AS (
  UPDATE permits_permit p SET status = 'frozen', status_reason = %(reason)s, status_changed_at = %(created)s
  FROM sp, permits_permit old
  WHERE p.id = sp.permit_id AND old.id = p.id AND p.status IN ('valid', 'awaiting_signature')
  RETURNING p.id, old.status AS from_state, p.holder_id, p.number, p.kind, p.valid_from, p.valid_until,
    p.current_version_id),
events AS (
  INSERT INTO permits_inswoutboxevent (id, permit_id, event, payload, state, attempts, next_attempt_at, last_error,
    created_at)
  SELECT gen_random_uuid(), p.id, 'frozen', jsonb_build_object('event', 'frozen', 'permit_number', p.number,
    'kind', p.kind, 'holder_npwp', c.npwp, 'holder_nib', c.nib, 'valid_from', to_char(p.valid_from, 'YYYY-MM-DD'),
    'valid_until', to_char(p.valid_until, 'YYYY-MM-DD'), 'status', 'frozen', 'version', v.version_no,
    'lines', coalesce(v.content->'lines', '[]'), 'pdf_sha256', v.sha256, 'pdf_url', %(pdf_url)s || p.number || '/pdf'),
    'pending', 0, %(created)s, '', %(created)s
  FROM p JOIN permits_permitversion v ON v.id = p.current_version_id JOIN accounts_company c ON c.id = p.holder_id),
notice AS (
  INSERT INTO inatrade_outgoingemail (id, created_at, template, "to", subject, body, attachments, state, attempts,
    last_error, next_attempt_at)
  SELECT gen_random_uuid(), %(created)s, 'sugar_permit_frozen', %(to)s::jsonb, %(subject)s,
    replace(%(body)s, '@@NUMBERS@@', string_agg(sp.number, ', ' ORDER BY sp.number COLLATE "C")), '[]', 'pending', 0,
    '', %(created)s
  FROM sp GROUP BY sp.company_id),
canon_in AS (
  SELECT row_number() OVER (ORDER BY k, id) AS n, * FROM (
    SELECT 1 AS k, sp.id, sp.company_id, 'sugar_import.sugarpermit' AS object_type, sp.id::text AS object_id,
      sp.number AS label, 'sugar_permit.freeze' AS action, 'active' AS from_state, 'frozen' AS to_state, %(data)s AS data
    FROM sp
    UNION ALL
    SELECT 2, p.id, p.holder_id, 'permits.permit', p.id::text, p.number, 'permit.freeze', p.from_state::text, 'frozen',
      '{}' FROM p) u),
""" + AUDIT_CTES

REVOKE_IDLE_SQL = """
WITH head AS (SELECT last_seq, last_hash FROM inatrade_auditchainhead WHERE id = 1 FOR UPDATE),
u AS (
  UPDATE accounts_user SET access_status = 'revoked'
  WHERE role = 'importer' AND access_status = 'active' AND coalesce(last_used_at, access_granted_at, date_joined) < %(before)s
  RETURNING id, email, company_id, username),
revocations AS (
  INSERT INTO accounts_revocation (user_id, company_id, reason_code, note, revoked_by_id, revoked_at)
  SELECT id, company_id, 'inactive', %(note)s, NULL, %(created)s FROM u),
notices AS (
  INSERT INTO inatrade_outgoingemail (id, created_at, template, "to", subject, body, attachments, state, attempts,
    last_error, next_attempt_at)
  SELECT gen_random_uuid(), %(created)s, 'access_revoked_inactive', jsonb_build_array(email), %(subject)s, %(body)s,
    '[]', 'pending', 0, '', %(created)s FROM u WHERE email <> ''),
canon_in AS (
  SELECT row_number() OVER (ORDER BY id) AS n, company_id, 'accounts.user' AS object_type, id::text AS object_id,
    username AS label, 'user.revoke_access_inactive' AS action, 'active' AS from_state, 'revoked' AS to_state,
    '{"as_of":' || to_json(%(as_of)s::text) || '}' AS data
  FROM u),
""" + AUDIT_CTES

WARN_SQL = """
UPDATE accounts_user SET inactivity_warned_at = %(today)s
WHERE role = 'importer' AND access_status = 'active'
  AND coalesce(last_used_at, access_granted_at, date_joined) < %(warn_before)s
  AND coalesce(last_used_at, access_granted_at, date_joined) >= %(before)s
  AND (inactivity_warned_at IS NULL OR inactivity_warned_at < coalesce(last_used_at, access_granted_at, date_joined))
"""


def run_sql(*statements):
    with connection.cursor() as cursor:
        cursor.execute(chain_aggregate_sql())
        for sql, params in statements:
            cursor.execute(sql, params)


def freeze_sql(as_of: dt.date):
    from django.conf import settings
    from django.urls import reverse

    from accounts.models import AccessStatus, Company, Role, User
    from inatrade.notifications import _SEPARATOR, _render
    from sugar_import.models import SugarPermit
    from sugar_import.services import REACTIVATION_WINDOW, report_deadline
    from sugar_import.services.common import rule_days

    # The scenario: one month due (the PIs were issued the month before ``as_of``'s), one company.
    period = (as_of.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    company = Company.objects.get(pk=SugarPermit.objects.values("company_id")[:1])
    users = User.objects.filter(company=company, role=Role.IMPORTER, access_status=AccessStatus.ACTIVE).order_by("pk")
    to = sorted({company.email, *users.values_list("email", flat=True)} - {""})
    language = (users.values_list("preferred_language", flat=True).first() or "id")
    other = "en" if language == "id" else "id"
    context = {"company": company.name, "numbers": ["@@NUMBERS@@"], **rule_days(), "as_of": as_of.isoformat()}
    subject, body = _render("sugar_permit_frozen", context, language)
    now = _now_ms()
    frozen_on = report_deadline(period) + dt.timedelta(days=1)
    params = {
        "frozen_on": frozen_on, "period": period, "frozen_until": frozen_on + REACTIVATION_WINDOW,
        "last_day": as_of.replace(day=1) - dt.timedelta(days=1),
        "reason": f"Laporan realisasi {period:%Y-%m} tidak disampaikan (Pasal 18 ayat (1)).",
        "data": f'{{"period":"{period:%Y-%m}"}}', "created": now, "created_iso": now.isoformat(timespec="microseconds"),
        "pdf_url": settings.SITE_URL + reverse("permit-pdf", kwargs={"number": "N"})[:-len("N/pdf")],
        "to": json.dumps(to), "subject": subject, "body": body + _SEPARATOR + _render("sugar_permit_frozen", context, other)[1],
    }
    return lambda: run_sql((FREEZE_SQL, params))


def revoke_idle_sql(as_of: dt.date):
    from django.utils.translation import gettext as _

    from accounts.services.access import INACTIVITY_MONTHS, WARNING_DAYS, _start_of, add_months
    from inatrade.notifications import _SEPARATOR, _render

    subject, body = _render("access_revoked_inactive", {"as_of": as_of}, "id")
    created = _now_ms()
    before = _start_of(add_months(as_of, -INACTIVITY_MONTHS) + dt.timedelta(days=1))
    revoke = {
        "before": before, "note": _("Tidak digunakan 6 bulan berturut-turut sampai %(day)s.") % {"day": as_of.isoformat()},
        "created": created, "created_iso": created.isoformat(timespec="microseconds"), "as_of": as_of.isoformat(),
        "reason": "inactive", "subject": subject, "body": body + _SEPARATOR + _render("access_revoked_inactive", {"as_of": as_of}, "en")[1],
    }
    warn = {"today": _start_of(as_of), "before": before,
            "warn_before": _start_of(add_months(as_of + dt.timedelta(days=WARNING_DAYS), -INACTIVITY_MONTHS) + dt.timedelta(days=1))}
    return lambda: run_sql((REVOKE_IDLE_SQL, revoke), (WARN_SQL, warn))


# The comparators of earlier runs, timed for reference only.
BARE_FREEZE_SQL = (
    "UPDATE sugar_import_sugarpermit SET status = 'frozen', frozen_on = %s WHERE status = 'active' AND valid_from <= %s "
    "AND valid_until >= %s AND NOT EXISTS (SELECT 1 FROM sugar_import_monthlyreport r WHERE r.sugar_permit_id = "
    "sugar_import_sugarpermit.id AND r.period = %s)")
BARE_REVOKE_SQL = ("UPDATE accounts_user SET access_status = 'revoked' WHERE role = 'importer' AND access_status = 'active' "
                   "AND COALESCE(last_used_at, access_granted_at, date_joined) < %s")

SLA_SQL = ("UPDATE workspace_casestep SET overdue_notified_at = now() WHERE finished_at IS NULL AND due_date < %s "
           "AND overdue_notified_at IS NULL")


def cases(n):
    from accounts.models import Role
    from accounts.services.access import inactivity_revocation
    from inatrade.models import AuditChainHead
    from tests.permits.content import sugar_pi_content
    from sugar_import.models import Purpose, SugarType
    from sugar_import.services import monthly_report_freeze
    from tests.factories import CompanyFactory, UserFactory
    from tests.workspace import bulk
    from workspace.services import sla_sweep

    AuditChainHead.objects.get_or_create(id=1)
    idle = dt.datetime(2026, 1, 5, 9, tzinfo=WIB)
    started = dt.datetime(2026, 3, 2, 9, tzinfo=WIB)

    def sugar():
        company = CompanyFactory()
        owner = UserFactory(role=Role.IMPORTER, company=company)
        lines = [{"hs_code": "1701.14.00", "description": f"GKM lot L{i:03d}", "volume_tonnes": "1000.250",
                  "origin_country": "Thailand", "port_of_discharge": "Tanjung Priok"} for i in range(1, 4)]
        content = sugar_pi_content(holder=company, application_number="PI-GULA/2026/05/000001",
                                   application_date=dt.date(2026, 5, 20), sugar_type="Gula Kristal Mentah (GKM)",
                                   purpose="bahan baku industri", lines=lines)
        bulk.sugar_permits(company=company, user=owner, purpose=Purpose.objects.get(code="industry"),
                           sugar_type=SugarType.objects.get(code="GKM"), prefix="B", valid_until=dt.date(2026, 12, 31),
                           issued=[(dt.date(2026, 6, 1), "10")] * n, signed_content=content)

    def importers():
        UserFactory(role=Role.DIRECTOR)
        bulk.idle_importers(company=CompanyFactory(), n=n, last_used_at=idle, prefix="Z")

    def steps():
        UserFactory(role=Role.DIRECTOR, email="direktur@kemendag.go.id")
        bulk.overdue_steps(n=n, started_at=started, prefix=1)

    def sla_sql():
        with connection.cursor() as cursor:
            cursor.execute(SLA_SQL, [dt.date(2026, 3, 5)])

    def bare(sql, params):
        def run():
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
        return run

    freeze_day, idle_day = dt.date(2026, 7, 16), dt.date(2026, 9, 1)
    everything = ("sugar permits", "permits", "users", "warned", "case steps", "audit", "insw", "e-mails", "revocations",
                  "chain head", "audit rows", "insw payloads", "e-mail texts", "revocation rows")
    return [
        ("monthly_report_freeze", sugar, lambda: monthly_report_freeze(as_of=freeze_day), lambda: freeze_sql(freeze_day)(),
         bare(BARE_FREEZE_SQL, [dt.date(2026, 7, 16), dt.date(2026, 6, 30), dt.date(2026, 6, 1), dt.date(2026, 6, 1)]),
         everything, "UPDATE of the PIs and of their permits, INSW events, audit rows with the hash chain, notice"),
        ("inactivity_revocation", importers, lambda: inactivity_revocation(as_of=idle_day), lambda: revoke_idle_sql(idle_day)(),
         bare(BARE_REVOKE_SQL, [dt.datetime(2026, 3, 2, tzinfo=WIB)]),
         everything, "UPDATE of the users, revocation rows, one e-mail and one audit row each, warning UPDATE"),
        ("sla_sweep", steps, lambda: sla_sweep(as_of=dt.date(2026, 3, 5)), sla_sql, None, ("case steps",),
         "UPDATE of the steps (its e-mails and audit row do not grow with the rows)"),
    ]


def write_results(text: str) -> None:
    from benchmarks.results_file import write_section

    write_section("PERF-03", "periodic jobs over many candidates", text)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of the job and of the SQL at --rows (the best counts)")
    parser.add_argument("--only", help="run only this job (the results file is then not written)")
    args = parser.parse_args()
    from django.core.management import call_command

    if connection.vendor != "postgresql":
        sys.exit("PERF-03 is measured on PostgreSQL (the hand-written SQL is PostgreSQL's): set DATABASE_URL")
    call_command("migrate", verbosity=0)
    lines = [
        f"Run {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC on {connection.vendor} "
        f"({connection.settings_dict['NAME']}); candidates built by bulk_create (each PI with a signed current "
        f"version); job and SQL each in a rolled-back transaction on vacuumed tables, taking turns {args.repeat} times "
        f"at {args.rows:,} (best time of each), checked to leave the same rows and a valid audit chain.",
        "",
        "The comparator is the hand-written SQL that writes what the job writes (see the script's docstring), "
        "not the bare status UPDATE of earlier runs (2026-11-22: `monthly_report_freeze` 49.05 s vs 2.81 s, "
        "`inactivity_revocation` 23.17 s vs 1.75 s); that UPDATE is still timed, in the last column, for reference: "
        "it leaves out the audit rows, INSW events, revocation rows and e-mails the rules require.",
        "", f"| job | queries at {args.small:,} | queries at {args.rows:,} | job (s) at {args.rows:,} | hand-written SQL (s) "
            "| ratio | result | the SQL writes | for reference: the bare status UPDATE (s) and job / it |",
        "|---|---:|---:|---:|---:|---:|---|---|---:|",
    ]
    for name, _build, job, sql, bare, compared, writes in cases(args.rows):
        if args.only and name != args.only:
            continue
        same_footprint(lambda: cases_build(name, args.small), job, sql, compared)
        q_small, _t = measure(lambda: cases_build(name, args.small), {"job": job})
        runs = {"job": job, "sql": sql, **({"bare": bare} if bare else {})}
        q_large, best = measure(lambda: cases_build(name, args.rows), runs, repeat=args.repeat)
        ratio = best["job"] / best["sql"]
        target = TARGETS.get(name, TARGET)
        ok = q_small == q_large and ratio <= target
        bare_text = f"{best['bare']:.2f} ({best['job'] / best['bare']:.2f}×)" if bare else "(the same)"
        lines.append(f"| `{name}` | {q_small} | {q_large} | {best['job']:.2f} | {best['sql']:.2f} | {ratio:.2f} | "
                     f"{'PASS' if ok else 'FAIL'} (≤ {target}) | {writes} | {bare_text} |")
        print(lines[-1], flush=True)
    text = "\n".join(lines)
    print(text)
    if not args.only:
        write_results(text)
    else:
        replace_row(args.only, lines[-1])


def replace_row(name: str, row: str) -> None:
    """With --only: that job's row of the PERF-03 table in results/latest.md, when there is one."""
    from benchmarks.results_file import LATEST

    if not LATEST.exists():
        return
    text = LATEST.read_text()
    start = text.find("## PERF-03")
    end = text.find("\n## ", start + 1) if start >= 0 else -1
    end = len(text) if end < 0 else end
    section = text[start:end] if start >= 0 else ""
    lines = section.split("\n")
    for i, line in enumerate(lines):
        if line.startswith(f"| `{name}` |"):
            lines[i] = row
            LATEST.write_text(text[:start] + "\n".join(lines) + text[end:])
            return


def cases_build(name, n):
    for case_name, build, *_rest in cases(n):
        if case_name == name:
            return build()


if __name__ == "__main__":
    main()

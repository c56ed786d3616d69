"""Blocking and revoking access rights (HA-10, HA-12, HA-13)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import calendar
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import USER_ACCESS, AccessStatus, ApiToken, Revocation, RevocationReason, Role, User
from inatrade import bulksql
from inatrade.db import retry_on_db_conflict
from inatrade.errors import DomainError, RuleViolation
from inatrade.events import emit_many
from inatrade.notifications import email_queue, email_queue_many

INACTIVITY_MONTHS = 6  # P123 Pasal 15(1)a
WARNING_DAYS = 14


@retry_on_db_conflict
def user_report_lost_credentials(*, user: User) -> None:
    """HA-10 (P123 Lampiran III): the user reports their credentials lost or stolen; the
    account is blocked at once and the administrators (Tim Pengelola) are told."""
    with transaction.atomic():
        # The row lock serialises a concurrent report or revocation: the second is refused.
        locked = USER_ACCESS.lock(user.pk)
        USER_ACCESS.apply(locked, "block_access", actor=locked, company=user.company)
        ApiToken.revoke_all([user.pk])  # the lost credentials include any API token
        context = {"name": user.get_full_name() or user.username, "username": user.username,
                   "company": user.company.name if user.company else "", "reported_at": timezone.localtime()}
        if settings.ADMIN_NOTIFICATION_EMAILS:
            email_queue(template="credentials_lost_admin", to=list(settings.ADMIN_NOTIFICATION_EMAILS), context=context)
        if user.email:
            email_queue(template="credentials_lost_user", to=user.email, context=context, language=user.preferred_language)
    user.access_status = AccessStatus.BLOCKED


@retry_on_db_conflict
def user_revoke(*, user: User, actor: User, reason_code: str, note: str = "") -> Revocation:
    """HA-12 (P123 Pasal 15): revoke an importer's access right with a reason; the owner is
    e-mailed. Their applications stay in the database, readable by officers."""
    if actor.role not in (Role.ADMINISTRATOR, Role.DIRECTOR):
        raise DomainError(_("Hanya Direktur atau Tim Pengelola yang dapat mencabut Hak Akses."), code="permission_denied", status=403)
    if reason_code not in RevocationReason.values:
        raise RuleViolation(_("Alasan pencabutan tidak dikenal."), fields={"reason_code": [_("Pilih alasan pencabutan.")]})
    if user.role != Role.IMPORTER:
        raise RuleViolation(_("Hanya Hak Akses pelaku usaha yang dapat dicabut di sini."), code="not_an_access_holder")
    with transaction.atomic():
        locked = USER_ACCESS.lock(user.pk, queryset=User.objects.select_related("company"))
        USER_ACCESS.apply(locked, "revoke_access", actor=actor, company=locked.company,
                          reason=f"{reason_code}: {note}".strip(": "))
        ApiToken.revoke_all([locked.pk])
        revocation = Revocation.objects.create(
            user=locked, company=locked.company, reason_code=reason_code, note=note, revoked_by=actor
        )
        if locked.email:
            email_queue(
                template="access_revoked",
                to=locked.email,
                context={"name": locked.get_full_name() or locked.username, "username": locked.username,
                         "reason": str(RevocationReason(reason_code).label), "note": note},
                language=locked.preferred_language,
            )
    user.access_status = AccessStatus.REVOKED
    return revocation


def add_months(day: date, months: int) -> date:
    """``day`` moved by calendar months, clamped to the month's last day (31 Aug − 6 = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@retry_on_db_conflict
def inactivity_revocation(*, as_of: date) -> dict:
    """HA-12(a)/HA-13, the ``inactivity_revocation`` job: revoke every importer whose last use
    (a login or an authenticated API call; the approval when never used) is 6 months or more
    before ``as_of``; warn, once, everyone who reaches that point within 14 days.

    Set-based (PERF-03): the idle holders are selected with their rows locked, then moved by
    ``USER_ACCESS.apply_bulk`` (one compare-and-set ``UPDATE ... RETURNING``, one batch of
    audit rows ``user.revoke_access_inactive``). Race: two workers, or a catch-up run, at once:
    the second waits for the row locks, finds the rows changed and changes nothing, so one
    revocation and one notice per owner. The revocation rows in one ``INSERT ... SELECT``; the
    notices queued one per owner (an address is never shown to another company), in one INSERT.
    """
    revoke_before = _start_of(add_months(as_of, -INACTIVITY_MONTHS) + timedelta(days=1))
    warn_before = _start_of(add_months(as_of + timedelta(days=WARNING_DAYS), -INACTIVITY_MONTHS) + timedelta(days=1))
    now = timezone.now()
    table = User._meta.db_table
    last_use = "COALESCE(last_used_at, access_granted_at, date_joined)"
    holders = f"role = %s AND access_status = %s AND {last_use} < %s"

    def at(value):
        return bulksql.db_value(User, "last_used_at", value)

    summary = {"revoked": 0, "warned": 0}
    with transaction.atomic():
        idle = bulksql.execute(
            # Locked in id order (docs/decisions/0010), so that a login's update waits for the job.
            f"SELECT id FROM {table} WHERE {holders} ORDER BY id{' FOR NO KEY UPDATE' if bulksql.is_postgresql() else ''}",
            [Role.IMPORTER, AccessStatus.ACTIVE, at(revoke_before)],
        )
        changed = USER_ACCESS.apply_bulk(
            [pk for (pk,) in idle], "revoke_access_inactive", reason=RevocationReason.INACTIVE, data={"as_of": as_of},
            label_column="username", company_column="company_id", extra_returning=["email", "preferred_language"],
        )
        due = [(row["id"], row["company_id"], row["email"], row["preferred_language"]) for row in changed]
        if due:
            summary["revoked"] = len(due)
            ApiToken.revoke_all(pk for pk, _c, _email, _lang in due)
            note = _("Tidak digunakan 6 bulan berturut-turut sampai %(day)s.") % {"day": as_of.isoformat()}
            bulksql.execute(
                f"INSERT INTO {Revocation._meta.db_table} (user_id, company_id, reason_code, note, revoked_by_id, revoked_at) "
                f"SELECT r.user_id, r.company_id, %s, %s, NULL, %s FROM {bulksql.rows_from([('user_id', 'int'), ('company_id', 'int')])}",
                [RevocationReason.INACTIVE, note, bulksql.db_value(Revocation, "revoked_at", now),
                 bulksql.json_param([[pk, company_id] for pk, company_id, _email, _lang in due])],
            )
            # One message per owner (never one message listing other companies' addresses), in
            # the owner's language.
            context = {"as_of": as_of}
            email_queue_many([{"template": "access_revoked_inactive", "to": email, "context": context, "language": language}
                              for _pk, _c, email, language in due if email])
        # Warn once: not yet warned since the last use. The stamp is the job's day, so a
        # catch-up run compares right.
        warned = bulksql.execute(
            f"UPDATE {table} SET inactivity_warned_at = %s WHERE {holders} AND {last_use} >= %s "
            f"AND (inactivity_warned_at IS NULL OR inactivity_warned_at < {last_use}) RETURNING id, email, {last_use}, preferred_language",
            [at(_start_of(as_of)), Role.IMPORTER, AccessStatus.ACTIVE, at(warn_before), at(revoke_before)],
        )
        if warned:
            warned.sort()
            summary["warned"] = len(warned)
            messages, events = [], []
            for pk, email, used, language in warned:
                used = timezone.localtime(bulksql.from_db(User, "last_used_at", used)).date()
                events.append({"event": "access.expiring", "user_id": pk, "key": f"access.expiring:{pk}:{used}", "payload": {"last_use": used.isoformat(), "revoke_on": add_months(used, INACTIVITY_MONTHS).isoformat()}})
                if email:
                    messages.append({"template": "access_inactivity_warning", "to": email, "language": language,
                                     "context": {"revoke_on": add_months(used, INACTIVITY_MONTHS), "last_use": used}})
            email_queue_many(messages)
            emit_many(events)  # webhooks: access.expiring
    return summary

"""What every sugar_import service shares: the module clock, the roles, the rule constants
(one place each, rendered everywhere), the company notices and small helpers.

Legal source: Permendag 14/2020 on sugar imports (P14), Permendag 123/2015 (P123).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AccessStatus, Company, Role, User
from accounts.selectors import company_recipients
from inatrade import bulksql
from inatrade.errors import DomainError, RuleViolation
from inatrade.notifications import email_queue, email_queue_many
from inatrade.workdays import local_date

REGULATION = "Peraturan Menteri Perdagangan Nomor 14 Tahun 2020 tentang Ketentuan Impor Gula"
PERMIT_KIND = "sugar_pi"
DECIDERS = (Role.DIRECTOR_GENERAL,)
# Issue 15, item 8: who checks an importer's uploaded Rekomendasi against the signed PDF: the
# technical agency that issues them, UPTP I (which checks documents against originals) and the
# Director General who relies on them.
RECOMMENDATION_VERIFIERS = (Role.AGENCY, Role.COUNTER_OFFICER, Role.DIRECTOR_GENERAL)
CHECKERS = (Role.COUNTER_OFFICER, Role.DIRECTOR_GENERAL)
SANCTION_BLOCK = relativedelta(years=1)  # P14 Pasal 21
REACTIVATION_WINDOW = relativedelta(months=1)  # P14 Pasal 18(2), 19(1)c
# The importer's monthly report is due by settings.SUGAR_REPORT_DAY of the next month (P14
# Pasal 16(2)); read it through report_day(). The reminder (AUD-03) opens this many days
# before that day, so its window moves with the report day and never collapses.
REMINDER_LEAD_DAYS = 5
# P14 Pasal 17: the surveyor's own monthly report has its own deadline (a different rule,
# which need not follow the importer's report day).
SURVEYOR_REPORT_DAY = 15
SURVEYOR_MISSED_REPORTS = 2  # P14 Pasal 32(1)b



class NotFound(DomainError):
    code = "not_found"
    status = 404
    default_message = "Tidak ditemukan."


def _now() -> datetime:
    """The clock of sugar_import's services (tests and the demo move it: patch
    ``sugar_import.services.common._now``)."""
    return timezone.now()


def now() -> datetime:
    return _now()


def today() -> date:
    return local_date(_now())


def report_day() -> int:
    """The day of the next month by which a monthly report is due (P14 Pasal 16(2))."""
    return settings.SUGAR_REPORT_DAY


def reminder_day() -> int:
    """The first day of the reminder window (AUD-03): REMINDER_LEAD_DAYS before the report day."""
    return max(1, report_day() - REMINDER_LEAD_DAYS)


def rule_days() -> dict:
    """The days of the reporting rules, for pages and e-mails (never retyped in a template)."""
    return {"report_day": report_day(), "surveyor_report_day": SURVEYOR_REPORT_DAY}


def tonnes(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.001"))


def tonnes_or_zero(value) -> Decimal:
    """A volume as entered, or 0 where it is not a number (refused by the caller's checks)."""
    try:
        return tonnes(value)
    except Exception:  # noqa: BLE001 - any malformed input is a zero volume, refused later
        return Decimal("0")


def fmt_tonnes(value) -> str:
    """1.250,500 (Indonesian grouping) for the letter."""
    text = f"{tonnes(value):,.3f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def month_start(day: date) -> date:
    return day.replace(day=1)


def report_deadline(period: date) -> date:
    """The report day of the month after ``period`` (P14 Pasal 16(2))."""
    return month_start(period) + relativedelta(months=1, day=report_day())


def surveyor_report_deadline(period: date) -> date:
    """The surveyor's deadline for ``period`` (P14 Pasal 17)."""
    return month_start(period) + relativedelta(months=1, day=SURVEYOR_REPORT_DAY)


def due_periods(as_of: date, first: date, deadline=report_deadline) -> list[date]:
    """Months from ``first`` whose ``deadline`` has passed by ``as_of`` (the day itself is
    still in time)."""
    periods, month = [], month_start(first)
    while deadline(month) < as_of:
        periods.append(month)
        month += relativedelta(months=1)
    return periods


def parse_period(value: str) -> date:
    try:
        year, month = (int(part) for part in str(value).split("-"))
        return date(year, month, 1)
    except (ValueError, TypeError) as exc:
        raise RuleViolation(_("Periode harus berbentuk YYYY-MM."), code="invalid_period", fields={"period": ["YYYY-MM"]}) from exc


def assert_role(user, roles, message=None) -> None:
    if not (user and user.is_authenticated and user.has_active_access and user.role in roles):
        raise DomainError(message or _("Peran Anda tidak diizinkan melakukan tindakan ini."), code="permission_denied", status=403)


def require_reason(reason: str) -> str:
    """A refusal, return or rejection states its reason (P14 Pasal 4(2))."""
    if not (reason or "").strip():
        raise RuleViolation(_("Alasan wajib diisi."), code="reason_required", fields={"reason": [_("Wajib diisi.")]})
    return reason.strip()


def refuse_with_reason(*, machine, pk, verb: str, actor, roles, reason: str, fields, outcome: str, notice: str,
                       context, queryset=None, company=lambda obj: obj.company):
    """The one shape of a return or a rejection (P14 Pasal 4(2)): the role, a stated reason,
    the locked row moved by ``verb`` with ``fields(reason)`` set beside its state, the case's
    step closed (the clock stops, SLA-02) and the company told (``context(obj, reason)``)."""
    from workspace.services import case_step_finish

    assert_role(actor, roles)
    reason = require_reason(reason)
    with transaction.atomic():
        obj = machine.lock(pk, queryset=queryset)
        values = fields(reason)
        for name, value in values.items():
            setattr(obj, name, value)
        holder = company(obj)
        machine.apply(obj, verb, actor=actor, reason=reason, company=holder, update_fields=list(values))
        case_step_finish(case=obj, outcome=outcome, at=values.get("decided_at"))
        notify(holder, notice, context(obj, reason))
    return obj


def check_line_count(lines) -> None:
    """At most APPLICATION_MAX_LINES tariff lines per application or amendment (issue 15): a
    real application has a handful; thousands would only load the database and the letter."""
    limit = settings.APPLICATION_MAX_LINES
    if lines and len(lines) > limit:
        raise RuleViolation(
            _("Terlalu banyak pos: paling banyak %(max)s pos per permohonan.") % {"max": limit},
            code="too_many_lines", fields={"lines": [_("Paling banyak %(max)s pos.") % {"max": limit}]},
        )


def notify(company: Company, template: str, context: dict) -> None:
    """One notice to the company's recipients (accounts.selectors.company_recipients)."""
    recipients = company_recipients(company)
    if recipients.emails:
        email_queue(template=template, to=recipients.emails, language=recipients.language,
                    context={"company": company.name, **rule_days(), **context})


def batch_notify(permits: list[tuple], template: str, context: dict) -> int:
    """One e-mail per company, listing its PIs, all queued in one INSERT (batched: queries do
    not grow with the rows nor with the companies). ``permits``: (pk, company_id, number).

    The recipients are those of ``accounts.selectors.company_recipients`` (the company's
    address and its active importers, in the first one's language), read for every company
    at once."""
    if not permits:
        return 0
    by_company: dict[int, list[str]] = {}
    for _pk, company_id, number in permits:
        by_company.setdefault(company_id, []).append(number)
    from django.db.models.expressions import RawSQL

    companies, emails = {}, {}
    company_ids = RawSQL(bulksql.ids_select(), [bulksql.json_param(list(by_company))])
    for company_id, name, email in Company.objects.filter(pk__in=company_ids).values_list("pk", "name", "email"):
        companies[company_id], emails[company_id] = name, {email} - {""}
    users = User.objects.filter(company_id__in=company_ids, role=Role.IMPORTER, access_status=AccessStatus.ACTIVE,
                                is_active=True)
    langs: dict[int, str] = {}
    for company_id, email, lang in users.order_by("pk").values_list("company_id", "email", "preferred_language"):
        if email:
            emails[company_id].add(email)
        langs.setdefault(company_id, lang or "id")
    messages = [
        {"template": template, "to": sorted(emails[company_id]), "language": langs.get(company_id, "id"),
         "context": {"company": companies[company_id], "numbers": sorted(numbers), **rule_days(), **context}}
        for company_id, numbers in by_company.items() if emails[company_id]
    ]
    email_queue_many(messages)
    return len(messages)

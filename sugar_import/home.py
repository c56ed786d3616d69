"""Beranda of an importer, for sugar: the monthly reports due (P14 Pasal 16), the frozen PIs
and how to unfreeze them (Pasal 18), the applications waiting for the importer (drafts and
returned ones). Three queries whatever the number of PIs and applications."""

from __future__ import annotations

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import Role
from inatrade.home import HomeItem, HomeSection
from inatrade.workdays import today
from sugar_import.models import ApplicationStatus, SugarApplication, SugarPermitStatus
from sugar_import.selectors import permit_list

SHOWN = 5


def _day(value) -> str:
    return date_format(value, "j F Y")


def _month(value) -> str:
    return date_format(value, "F Y")


def sections(user) -> list[HomeSection]:
    if user.role != Role.IMPORTER or not user.company_id:
        return []
    from sugar_import.services import month_start, report_deadline, report_periods

    as_of = today()
    permits = list(
        permit_list(user=user).filter(status__in=[SugarPermitStatus.ACTIVE, SugarPermitStatus.FROZEN])
        .prefetch_related("reports")
    )
    due, frozen = [], []
    for sp in permits:
        reported = {r.period for r in sp.reports.all()}
        url = reverse("sugar-permit", args=[sp.number])
        for period in report_periods(sp):
            if period <= month_start(as_of) and period not in reported:
                deadline = report_deadline(period)
                late = deadline < as_of
                hint = (_("terlambat sejak %(day)s") if late else _("paling lambat %(day)s")) % {"day": _day(deadline)}
                due.append((deadline, HomeItem(
                    text=_("Laporan realisasi %(month)s · PI %(number)s") % {"month": _month(period), "number": sp.number},
                    url=f"{url}#report-form", hint=hint, tone="bad" if late else ("warn" if (deadline - as_of).days <= 5 else ""),
                )))
        if sp.status == SugarPermitStatus.FROZEN:
            how = _("Sampaikan laporan realisasi %(month)s sebelum %(day)s; PI aktif kembali begitu laporan diterima (Pasal 18).") % {
                "month": _month(sp.frozen_period) if sp.frozen_period else "—",
                "day": _day(sp.frozen_until) if sp.frozen_until else "—",
            }
            frozen.append(HomeItem(text=_("PI %(number)s dibekukan") % {"number": sp.number}, url=f"{url}#report-form", hint=how, tone="bad"))
    due.sort(key=lambda pair: pair[0])
    waiting = list(
        SugarApplication.objects.filter(company_id=user.company_id, status__in=[ApplicationStatus.DRAFT, ApplicationStatus.RETURNED])
        .select_related("purpose").order_by("-pk")[:SHOWN + 1]
    )
    application_items = [
        HomeItem(
            text=f"{a.reference} · {a.purpose.label}",
            url=reverse("sugar-application", args=[a.pk]),
            hint=_("dikembalikan untuk perbaikan: %(reason)s") % {"reason": a.return_reason} if a.status == ApplicationStatus.RETURNED
            else _("draf: lengkapi dokumen lalu ajukan"),
            tone="warn" if a.status == ApplicationStatus.RETURNED else "",
        )
        for a in waiting[:SHOWN]
    ]
    sections = [
        HomeSection(key="reports-due", order=10, title=_("Laporan realisasi yang harus disampaikan"), count=len(due),
                    items=[item for _d, item in due[:SHOWN]], empty=_("Tidak ada laporan yang jatuh tempo."),
                    tone="bad" if any(item.tone == "bad" for _d, item in due) else ""),
        HomeSection(key="applications-waiting", order=30, title=_("Permohonan PI gula menunggu Anda"), count=len(application_items),
                    items=application_items, empty=_("Tidak ada draf atau permohonan yang dikembalikan."),
                    more_url=reverse("sugar-home"), more_label=_("Semua permohonan dan PI gula")),
    ]
    if frozen:
        sections.insert(1, HomeSection(key="frozen", order=20, title=_("PI dibekukan: cara mengaktifkan kembali"),
                                       count=len(frozen), items=frozen, tone="bad"))
    return sections

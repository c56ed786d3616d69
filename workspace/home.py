"""Beranda of officers: how much waits for me, and what is overdue (SLA-03); for directors,
the decisions waiting. Two queries whatever the size of the list (a count and one page)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Role
from inatrade.home import HomeItem, HomeSection
from inatrade.workdays import today
from workspace import selectors
from workspace.cases import step_url

DECIDERS = (Role.DIRECTOR, Role.DIRECTOR_GENERAL)
SHOWN = 5


def sections(user) -> list[HomeSection]:
    if not user.is_officer:
        return []
    as_of = today()
    steps = selectors.work_list(user=user, as_of=as_of)
    pending = steps.count()
    overdue_qs = steps.filter(due_date__lt=as_of)
    overdue = overdue_qs.count()
    rows = selectors.annotate_days_left(list(steps[:SHOWN]), as_of=as_of)
    items = []
    for row in rows:
        if row.overdue:
            hint = ngettext("terlambat %(n)s hari kerja", "terlambat %(n)s hari kerja", -row.days_left) % {"n": -row.days_left}
            tone = "bad"
        elif row.days_left is not None:
            hint = ngettext("%(n)s hari kerja lagi", "%(n)s hari kerja lagi", row.days_left) % {"n": row.days_left}
            tone = "warn" if row.days_left <= 1 else ""
        else:
            hint, tone = _("tanpa batas waktu"), ""
        items.append(HomeItem(text=f"{row.reference} · {row.party_name} · {row.step.label}", url=step_url(row), hint=hint, tone=tone))
    work_list = reverse("work-list")
    decider = user.role in DECIDERS
    result = [
        HomeSection(
            key="pending", order=10,
            title=_("Keputusan menunggu Anda") if decider else _("Menunggu tindakan Anda"),
            count=pending, items=items, empty=_("Tidak ada pekerjaan yang menunggu."),
            more_url=work_list, more_label=_("Buka daftar kerja"),
        ),
        HomeSection(
            key="overdue", order=11, title=_("Lewat batas waktu"), count=overdue, tone="bad" if overdue else "",
            more_url=f"{work_list}?overdue=true" if overdue else "", more_label=_("Lihat yang terlambat"),
        ),
    ]
    return result

"""Beranda of an importer, for its API: a frozen API and how to have it reactivated (API-09),
the re-registration coming due (API-07), API applications still in draft. Two queries."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import Role
from api_registry.models import ApiApplication, ApiStatus, ApplicationStatus
from api_registry.selectors import api_current_for_company
from inatrade.home import HomeItem, HomeSection
from inatrade.workdays import today

REREGISTRATION_NOTICE = timedelta(days=60)


def sections(user) -> list[HomeSection]:
    if user.role != Role.IMPORTER or not user.company_id:
        return []
    as_of = today()
    my_api = reverse("api-my")
    items = []
    api = api_current_for_company(company=user.company)
    if api is not None and api.status == ApiStatus.FROZEN:
        items.append(HomeItem(
            text=_("API %(number)s dibekukan sejak %(day)s") % {"number": api.number, "day": date_format(api.frozen_on, "j F Y") if api.frozen_on else "—"},
            url=my_api, tone="bad",
            hint=_("Penuhi kewajiban yang menjadi alasan pembekuan (misalnya laporan triwulan), lalu ajukan pengaktifan kembali di halaman API saya."),
        ))
    if api is not None and api.status == ApiStatus.ACTIVE and api.reregistration_due and api.reregistration_due <= as_of + REREGISTRATION_NOTICE:
        items.append(HomeItem(
            text=_("Daftar ulang API %(number)s jatuh tempo %(day)s") % {"number": api.number, "day": date_format(api.reregistration_due, "j F Y")},
            url=my_api, tone="bad" if api.reregistration_due < as_of else "warn",
            hint=_("Daftar ulang setiap 5 tahun (Pasal 15 Permendag 27/2025)."),
        ))
    drafts = ApiApplication.objects.filter(company_id=user.company_id, status=ApplicationStatus.DRAFT).order_by("-pk")[:5]
    for application in drafts:
        items.append(HomeItem(text=_("Permohonan API %(ref)s masih draf") % {"ref": application.reference},
                              url=reverse("api-application", args=[application.pk]), hint=_("lengkapi lalu ajukan")))
    if not items:
        return []
    return [HomeSection(key="api", order=25, title=_("API perusahaan"), items=items, more_url=my_api, more_label=_("API saya"),
                        tone="bad" if any(i.tone == "bad" for i in items) else "")]

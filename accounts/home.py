"""Beranda, the account: access that expires soon. An importer's Hak Akses is revoked after
6 months without use (HA-12(a), P123 Pasal 15(1)a); every password must be changed after
PASSWORD_MAX_AGE_DAYS (HA-09). No query: the user row is already loaded."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.services.access import INACTIVITY_MONTHS, WARNING_DAYS
from inatrade.home import HomeItem, HomeSection

PASSWORD_NOTICE_DAYS = 14


def sections(user) -> list[HomeSection]:
    from dateutil.relativedelta import relativedelta

    now = timezone.now()
    items = []
    if user.password_changed_at:
        expires = user.password_changed_at + timedelta(days=settings.PASSWORD_MAX_AGE_DAYS)
        if expires - now <= timedelta(days=PASSWORD_NOTICE_DAYS):
            items.append(HomeItem(
                text=_("Kata sandi Anda berlaku sampai %(day)s") % {"day": date_format(timezone.localtime(expires), "j F Y")},
                url=reverse("password_change"), hint=_("Ganti sekarang agar tidak terhenti saat masuk."), tone="warn",
            ))
    if user.role == Role.IMPORTER:
        last_use = user.last_used_at or user.access_granted_at or user.date_joined
        if last_use:
            ends = last_use + relativedelta(months=INACTIVITY_MONTHS)
            if ends - now <= timedelta(days=WARNING_DAYS):
                items.append(HomeItem(
                    text=_("Hak Akses dicabut bila tidak digunakan sampai %(day)s") % {"day": date_format(timezone.localtime(ends), "j F Y")},
                    hint=_("Masuk atau gunakan API INATRADE sebelum tanggal itu."), tone="warn",
                ))
    if not items:
        return []
    return [HomeSection(key="access", order=40, title=_("Akses yang segera berakhir"), items=items, tone="warn")]

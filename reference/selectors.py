"""Reads of the reference data.

The Kab/Kota of a company's domicile chooses its API issuer (API-03) and the region digits
of its API number (API-05). The accounts app asks for it at registration and in the admin,
and reads the table only through these functions (decision record 0003).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from inatrade.text import is_digits
from reference.models import Regency


def regency_for_code(*, code: str) -> Regency | None:
    """The Kab/Kota of a four-digit Kemendagri code, with its province; None if unknown."""
    if not code or len(code) != 4 or not is_digits(code):
        return None
    return Regency.objects.select_related("province").filter(code=code).first()


def regency_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Every Kab/Kota grouped by province, for a ``<select>`` with one ``<optgroup>`` each:
    provinces by name, Kab/Kota in Kemendagri order (Kabupaten, then Kota). One query."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for code, name, province in Regency.objects.order_by("province__name", "code").values_list(
        "code", "name", "province__name"
    ):
        groups.setdefault(province, []).append((code, f"{name} ({code})"))
    return list(groups.items())


def regency_list(*, province: str = "", search: str = "") -> QuerySet[Regency]:
    """The Kab/Kota with their province, in Kemendagri order; ``province`` a two-digit code,
    ``search`` part of the name (case-insensitive) or the start of the code."""
    qs = Regency.objects.select_related("province").order_by("code")
    if province:
        qs = qs.filter(province_id=province)
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(code__startswith=search))
    return qs

"""Which issued permits an official reads (issue 15, item 6: officer scope).

The permits app knows no feature app (style.md habit 14): each feature app registers, for the
permit kinds it issues, a function giving the permits an official of a role and jurisdiction
handles (``Q()`` all of them, a ``Q`` a part, ``None`` none). The list, the PDF download in the
browser and the PDF download in the API all ask ``permit_officer_filter``, so an officer sees
the same permits everywhere; a role no feature app admits sees none."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Q

ScopeFn = Callable[[object], "Q | None"]

_SCOPES: dict[str, ScopeFn] = {}


def register_permit_scope(*, kinds: tuple[str, ...], scope: ScopeFn) -> None:
    for kind in kinds:
        _SCOPES[kind] = scope


def permit_officer_filter(user) -> Q:
    """The permits ``user`` reads as an official: the union over the kinds of what each
    kind's app admits. Matches nothing when no app admits the user."""
    allowed = Q(pk__in=[])
    by_scope: dict[ScopeFn, list[str]] = {}
    for kind, scope in _SCOPES.items():
        by_scope.setdefault(scope, []).append(kind)
    for scope, kinds in by_scope.items():
        q = scope(user)
        if q is not None:
            allowed |= Q(kind__in=kinds) & q
    return allowed

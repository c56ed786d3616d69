"""One paginator for every list of the project, HTML and API (PERF-02).

Django's ``Paginator`` counts every matching row (``COUNT(*)``) before it reads a page. Over
100,000 matching rows that count is a sequential scan of ~16 ms, ten times the page itself,
and no index helps when every row matches. ``CappedPaginator`` counts exactly up to
``settings.LIST_COUNT_CAP`` rows and no further, as large ticketing and search systems do:
``COUNT(*)`` over the ordering-free query limited to cap + 1 rows (one query, as before). Above
the cap ``count`` is the cap and ``count_capped`` is true; the pages past the cap answer as a
page past the end does (``page()`` raises ``EmptyPage``, ``get_page()`` gives the last page).
See docs/decisions/0009-capped-list-counts.md."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.utils.functional import cached_property


def count_cap() -> int:
    return settings.LIST_COUNT_CAP


class CappedPaginator(Paginator):
    def __init__(self, object_list, per_page, orphans=0, allow_empty_first_page=True, *, cap: int | None = None):
        super().__init__(object_list, per_page, orphans, allow_empty_first_page)
        self.cap = count_cap() if cap is None else cap

    @cached_property
    def counted(self) -> int:
        """How many rows there are, counted up to cap + 1 at most (more than the cap: capped)."""
        return count_up_to(self.object_list, self.cap + 1)

    @cached_property
    def count(self) -> int:
        return min(self.counted, self.cap)

    @property
    def count_capped(self) -> bool:
        return self.counted > self.cap

    @property
    def last_possible_page(self) -> int:
        """No page past the cap exists: a larger ``?page=`` is past the end before any query
        (a huge number would otherwise become an OFFSET the database refuses: issue 15)."""
        return self.cap // max(int(self.per_page), 1) + 1


def count_up_to(object_list, limit: int) -> int:
    """``min(len(object_list), limit)`` without counting past ``limit``: for a queryset
    ``SELECT COUNT(*) FROM (SELECT … LIMIT limit)`` with the ordering cleared (else Postgres
    sorts every row first); an object with ``count_up_to(limit)`` (``PermitRows``) answers itself."""
    if hasattr(object_list, "order_by") and hasattr(object_list, "query"):
        return object_list.order_by()[:limit].count()
    if hasattr(object_list, "count_up_to"):
        return object_list.count_up_to(limit)
    return min(len(object_list), limit)

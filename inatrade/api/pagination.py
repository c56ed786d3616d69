from django.core.paginator import Paginator
from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """api.md: ?page=N&page_size=M (max 100) → {count, next, previous, results}."""

    page_size_query_param = "page_size"
    max_page_size = 100


class OnePassPaginator(Paginator):
    """Django's paginator over rows that are read a page at a time together with the total:
    ``object_list.page(limit, offset)`` returns ``(rows, total)`` from one SQL statement, so a
    page costs one query instead of ``COUNT`` and then ``SELECT`` (PERF-04). ``object_list``
    also has ``count()`` and slicing, used as Django's paginator uses them when the total is
    needed first (``?page=last``) or the page asked for is past the end (404)."""

    def page(self, number):
        if "count" not in self.__dict__:  # not yet counted (?page=last counts first)
            try:
                wanted = int(number)
            except (TypeError, ValueError):
                wanted = 0  # Django's own checks below answer it
            if wanted >= 1:
                rows, total = self.object_list.page(self.per_page, (wanted - 1) * self.per_page)
                if rows or wanted == 1:
                    self.count = total if rows else 0  # fills the cached property
                    return self._get_page(rows, wanted, self)
        return super().page(number)


class OnePassPagination(PageNumberPagination):
    """The same pages, links and errors as ``PageNumberPagination``, over an object with
    ``page(limit, offset)`` (e.g. ``sugar_import.selectors.PermitRows``) instead of a queryset."""

    django_paginator_class = OnePassPaginator

from django.core.paginator import EmptyPage
from rest_framework import pagination
from rest_framework.response import Response

from inatrade.pagination import CappedPaginator


class PageNumberPagination(pagination.PageNumberPagination):
    """api.md: ?page=N&page_size=M (max 100) → {count, count_capped, next, previous, results}.

    ``count`` is exact up to ``settings.LIST_COUNT_CAP``; above it ``count`` is the cap and
    ``count_capped`` is true (PERF-02, ``inatrade.pagination``). A page past the cap is a
    page past the end: 404."""

    page_size_query_param = "page_size"
    max_page_size = 100
    django_paginator_class = CappedPaginator

    def get_paginated_response(self, data):
        return Response({
            "count": self.page.paginator.count,
            "count_capped": self.page.paginator.count_capped,
            "next": self.get_next_link(),
            "previous": self.get_previous_link(),
            "results": data,
        })

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        properties = response["properties"]
        response["properties"] = {
            "count": {**properties["count"], "description": "exact up to the cap (LIST_COUNT_CAP); the cap when count_capped"},
            "count_capped": {"type": "boolean", "example": False, "description": "true when there are more rows than count"},
            **{key: value for key, value in properties.items() if key != "count"},
        }
        response["required"] = [*response.get("required", ["count", "results"]), "count_capped"]
        return response


class OnePassPaginator(CappedPaginator):
    """The capped paginator over rows that are read a page at a time together with the total:
    ``object_list.page(limit, offset, count_limit)`` returns ``(rows, total)`` from one SQL
    statement, so a page costs one query instead of ``COUNT`` and then ``SELECT`` (PERF-04);
    the total is counted up to ``count_limit`` (cap + 1) rows only (PERF-02). ``object_list``
    also has ``count_up_to()`` and slicing, used as Django's paginator uses them when the
    total is needed first (``?page=last``) or the page asked for is past the end (404)."""

    def page(self, number):
        if "counted" not in self.__dict__:  # not yet counted (?page=last counts first)
            try:
                wanted = int(number)
            except (TypeError, ValueError):
                wanted = 0  # Django's own checks below answer it
            if wanted > self.last_possible_page:
                raise EmptyPage(self.error_messages["no_results"])  # never an OFFSET the database refuses
            if wanted >= 1:
                offset = (wanted - 1) * self.per_page
                rows, total = self.object_list.page(self.per_page, offset, self.cap + 1)
                if rows or wanted == 1:
                    self.counted = total if rows else 0  # fills the cached property
                    self.validate_number(wanted)  # past the cap: EmptyPage, as past the end
                    return self._get_page(rows[: max(self.count - offset, 0)], wanted, self)
        return super().page(number)


class OnePassPagination(PageNumberPagination):
    """The same pages, links and errors as ``PageNumberPagination``, over an object with
    ``page(limit, offset, count_limit)`` (e.g. ``sugar_import.selectors.PermitRows``)
    instead of a queryset."""

    django_paginator_class = OnePassPaginator

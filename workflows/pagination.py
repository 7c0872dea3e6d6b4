"""Pagination without counting the list (#18): the API's (``?page=`` and
``?page_size=``, at most 500 rows a page) and the pages' (``UncountedPage``).

A page reads its rows and one more, to know whether a next page exists, so that page 1
of a list costs the same at 10 rows and at 50,000: ``COUNT(*)`` over the whole
filtered table is what grew with the years. ``count`` is still in every response, as
the exact total when the page itself shows it (the last page: the rows before it and
its own) or when asked for with ``?count=true``; otherwise it is ``null``.
"""

import math
from collections import OrderedDict

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

TRUE = ("1", "true", "yes")


class UncountedPage:
    """A page of an HTML list without counting the list: its rows and one more, to know
    whether a next page exists, so that page 1 costs the same at 10 rows and at 50,000
    (#18). It answers what a template asks of Django's ``Page`` (``number``,
    ``has_next``, ``previous_page_number``...) but has no ``paginator``: the page shows
    "Page N" with previous and next links, not the number of pages.

    ``rows`` is a queryset or anything with ``__getitem__(slice)`` and ``count()``. A
    page number that is not a number, or below 1, is page 1; a page past the end (a
    stale link after rows were removed or filtered away) is the last page: that case
    alone counts the list, to find it."""

    size = 50
    paginator = None

    def __init__(self, rows, number, *, size: int | None = None) -> None:
        if size is not None:
            self.size = size
        try:
            self.number = max(int(number or 1), 1)
        except (TypeError, ValueError):
            self.number = 1
        found = self._read(rows)
        if not found and self.number > 1:
            self.number = max(math.ceil(rows.count() / self.size), 1)
            found = self._read(rows)
        self.object_list = found[: self.size]
        self._has_next = len(found) > self.size

    def _read(self, rows) -> list:
        start = (self.number - 1) * self.size
        return list(rows[start : start + self.size + 1])

    def has_next(self) -> bool:
        return self._has_next

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self._has_next or self.number > 1

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)


class Pagination(BasePagination):
    page_size = 50
    page_query_param = "page"
    page_size_query_param = "page_size"
    count_query_param = "count"
    max_page_size = 500
    invalid_page_message = _("Invalid page.")

    def get_page_size(self, request) -> int:
        try:
            size = int(request.query_params[self.page_size_query_param])
        except (KeyError, ValueError):
            return self.page_size
        return min(size, self.max_page_size) if size > 0 else self.page_size

    def _page_number(self, request) -> int:
        raw = request.query_params.get(self.page_query_param) or "1"
        if raw == "last":  # the page-number paginator's word; needs a count here
            raise NotFound(self.invalid_page_message)
        try:
            number = int(raw)
        except ValueError:
            raise NotFound(self.invalid_page_message) from None
        if number < 1:
            raise NotFound(self.invalid_page_message)
        return number

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        size = self.get_page_size(request)
        self.number = self._page_number(request)
        start = (self.number - 1) * size
        rows = list(queryset[start : start + size + 1])
        if self.number > 1 and not rows:
            raise NotFound(self.invalid_page_message)
        self.has_next = len(rows) > size
        rows = rows[:size]
        if not self.has_next:
            self.count = start + len(rows)
        elif request.query_params.get(self.count_query_param, "").lower() in TRUE:
            self.count = queryset.count()
        else:
            self.count = None
        return rows

    def get_next_link(self) -> str | None:
        if not self.has_next:
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.page_query_param, self.number + 1)

    def get_previous_link(self) -> str | None:
        if self.number == 1:
            return None
        url = self.request.build_absolute_uri()
        if self.number == 2:
            return remove_query_param(url, self.page_query_param)
        return replace_query_param(url, self.page_query_param, self.number - 1)

    def get_paginated_response(self, data):
        return Response(
            OrderedDict(
                [
                    ("count", self.count),
                    ("next", self.get_next_link()),
                    ("previous", self.get_previous_link()),
                    ("results", data),
                ]
            )
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["count", "results"],
            "properties": {
                "count": {
                    "type": "integer",
                    "nullable": True,
                    "example": 123,
                    "description": (
                        "The number of rows of the whole list: given on the last page, "
                        "or on any page with ?count=true; null otherwise (the list is "
                        "not counted, so that a page costs the same at any size)."
                    ),
                },
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "A page number within the paginated result set.",
                "schema": {"type": "integer"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Rows a page (default {self.page_size}, "
                f"at most {self.max_page_size}).",
                "schema": {"type": "integer"},
            },
            {
                "name": self.count_query_param,
                "required": False,
                "in": "query",
                "description": "true: count the whole list (costs a COUNT over it).",
                "schema": {"type": "boolean"},
            },
        ]

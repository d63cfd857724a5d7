"""Cursor pagination: querysets with DRF's own; the selectors' lists with an opaque cursor over
their order (a figure list is computed whole by its selector, as the page computes it, and
sliced; the cursor keeps clients from depending on page numbers)."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.utils.urls import remove_query_param, replace_query_param

MAX_PAGE_SIZE = 500


class IdCursorPagination(CursorPagination):
    ordering = ("id",)
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE


class RowCursorPagination(CursorPagination):
    """Register rows in the editor's order."""

    ordering = ("position", "id")
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE


class ScreeningCursor(CursorPagination):
    """The review page's order (best score first, then name and list reference): the cursor keeps
    its place by score, ties by offset."""

    ordering = ("-score", "name_key", "entry__reference")
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE


class ListCursor:
    """A slice of an ordered list, with links to the next and previous slices."""

    cursor_param = "cursor"

    def __init__(self, default_size: int = 200) -> None:
        self.default_size = default_size

    def paginate(self, items: list[Any], request: Request) -> tuple[list[Any], str | None, str | None]:
        size = self._size(request)
        start = self._offset(request)
        page = items[start : start + size]
        url = request.build_absolute_uri()
        nxt = replace_query_param(url, self.cursor_param, self._encode(start + size)) if start + size < len(items) else None
        if start <= 0:
            prev = None
        elif start - size <= 0:
            prev = remove_query_param(url, self.cursor_param)
        else:
            prev = replace_query_param(url, self.cursor_param, self._encode(start - size))
        return page, nxt, prev

    def _size(self, request: Request) -> int:
        try:
            size = int(request.query_params.get("page_size", self.default_size))
        except (TypeError, ValueError):
            size = self.default_size
        return min(max(size, 1), MAX_PAGE_SIZE)

    def _offset(self, request: Request) -> int:
        raw = request.query_params.get(self.cursor_param)
        if not raw:
            return 0
        try:
            value = json.loads(base64.urlsafe_b64decode(raw.encode("ascii") + b"==="))
            offset = int(value["o"])
        except (ValueError, TypeError, KeyError, UnicodeError, binascii.Error, json.JSONDecodeError):
            raise exceptions.NotFound(_("Invalid cursor.")) from None
        if not 0 <= offset <= 10**7:
            raise exceptions.NotFound(_("Invalid cursor."))
        return offset

    @staticmethod
    def _encode(offset: int) -> str:
        return base64.urlsafe_b64encode(json.dumps({"o": offset}).encode()).decode().rstrip("=")

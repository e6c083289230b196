"""Pagination: page numbers in the workbench, cursors in the public feed."""

from __future__ import annotations

from typing import Any

from rest_framework import exceptions
from rest_framework.pagination import CursorPagination, PageNumberPagination


class PagePagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200


class PublicCursorPagination(CursorPagination):
    """Newest first; a cursor stays valid while new ratings are published."""

    ordering = ("-published_at", "-pk")
    page_size_query_param = "page_size"
    max_page_size = 200

    def decode_cursor(self, request: Any) -> Any:
        try:
            return super().decode_cursor(request)
        except exceptions.NotFound:
            raise exceptions.ValidationError(
                {self.cursor_query_param: ["This cursor is not valid; start from the first page."]}
            ) from None

"""Request body parsers: DRF's, with the one way its JSON parser fails that is not a 400."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser turns malformed JSON into a 400 but lets Python's RecursionError
    through: a body of 100,000 nested brackets (a few hundred kilobytes, well under the
    upload limit) was a 500. It is malformed input like any other."""

    def parse(
        self,
        stream: Any,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - the document is nested too deeply.") from None

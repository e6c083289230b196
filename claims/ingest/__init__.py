"""Turning what a user gives us -- an uploaded file, an HTML page, a URL -- into article text
plus metadata. Plain Python (no Django): the service layer calls it and stores the result.

``IngestedDocument.text`` is stored verbatim and claim offsets point into it, so every path
here returns text that is already final (NFC, ``\\n`` line endings).
"""

from __future__ import annotations

from ._fetch import fetch_url
from ._html import from_html
from ._model import DEFAULT_MAX_BYTES, IngestedDocument, IngestError
from ._text import decode_text
from ._upload import from_upload

__all__ = [
    "DEFAULT_MAX_BYTES",
    "IngestError",
    "IngestedDocument",
    "decode_text",
    "fetch_url",
    "from_html",
    "from_upload",
]

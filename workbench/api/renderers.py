"""The API's JSON renderer: DRF's, made safe for what a client may send back to itself."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rest_framework import renderers


class _EscapedJSONRenderer(renderers.JSONRenderer):
    ensure_ascii = True


class JSONRenderer(renderers.JSONRenderer):
    """DRF writes UTF-8 JSON; a lone surrogate cannot be encoded as UTF-8. JSON lets a client
    send one ("\\ud800"), and an error message that quotes the value ('"\\ud800" is not a valid
    choice.') then failed to render: a 500 page instead of the 400. Such a document is
    written with \\u escapes instead, which JSON allows; every other is unchanged."""

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        try:
            return super().render(data, accepted_media_type, renderer_context)
        except UnicodeEncodeError:
            return _EscapedJSONRenderer().render(data, accepted_media_type, renderer_context)

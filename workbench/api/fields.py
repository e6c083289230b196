"""Serializer fields the API's input serializers share."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers


class TextField(serializers.CharField):
    """Text, and only text. DRF's CharField turns the number 12345 into "12345": a client that
    sends a number where a comment, an article or an address belongs has mixed up its fields,
    and storing the digits would hide that. Labels and usernames, which may be numbers, keep
    the ordinary CharField."""

    default_error_messages = {"invalid": "Not a valid string: send text."}

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)

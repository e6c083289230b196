"""Reading a request's body, the same way in every endpoint of both apps."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from rest_framework.request import Request


def valid(serializer_class: type[Any], request: Request) -> dict[str, Any]:
    """The body, checked by the input serializer: a 400 naming the fields when it is wrong."""
    serializer = serializer_class(data=request.data, context={"request": request})
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def renamed(exc: ValidationError, names: dict[str, str]) -> ValidationError:
    """The services name a field as the model does; the API may call it differently."""
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError(
        {names.get(field, field): errors for field, errors in exc.error_dict.items()}
    )

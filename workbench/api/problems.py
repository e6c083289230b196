"""Errors have one format: RFC 9457 problem details (``application/problem+json``).

``type``, ``title``, ``status``, ``detail``, ``instance`` and a short ``code``; ``errors``
(field → messages) on a 400 and ``current_version`` on a 409 when the object has one. The
services' exceptions are mapped here and nowhere else: Django's ``ValidationError`` → 400,
``PermissionDenied`` → 403, ``Http404`` → 404, ``claims.errors.Conflict`` (stale version,
transition not allowed) → 409.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.signals import got_request_exception
from django.http import Http404, HttpRequest
from rest_framework import exceptions, serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView, set_rollback

from claims.errors import Conflict, StaleVersion, TransitionNotAllowed

PROBLEM_MEDIA_TYPE = "application/problem+json"

# code → (title, what it means). The ``type`` of a problem is the URL of its entry here,
# served by ``ProblemTypeView`` so that a person who meets one can look it up.
PROBLEM_TYPES: dict[str, tuple[str, str]] = {
    "validation-error": (
        "Your request is not valid.",
        "Some fields are missing or wrong; `errors` lists the messages for each field. "
        "Nothing was changed.",
    ),
    "parse-error": ("The request body could not be read.", "Send well-formed JSON."),
    "not-authenticated": (
        "Authentication required.",
        "Sign in, or send a personal API token as `Authorization: Token <key>`.",
    ),
    "authentication-failed": (
        "The credentials are not valid.",
        "The token is unknown, expired or revoked, or the account is inactive.",
    ),
    "permission-denied": (
        "You may not do this.",
        "Your role does not allow this action; `detail` says why.",
    ),
    "not-found": (
        "Not found.",
        "There is no such object, or you may not see it.",
    ),
    "gone": (
        "This rating was retracted.",
        "The verdict was withdrawn by the newsroom; its text is no longer published.",
    ),
    "method-not-allowed": ("Method not allowed.", "See `Allow` for the methods this URL takes."),
    "not-acceptable": ("Not acceptable.", "This URL answers in JSON."),
    "unsupported-media-type": (
        "Unsupported media type.",
        "Send JSON (`application/json`), or a form/multipart body where a file is uploaded.",
    ),
    "payload-too-large": (
        "The request body is too large.",
        "Articles are limited in size (WORKBENCH_ARTICLE_MAX_BYTES); send a smaller one.",
    ),
    "bad-request": ("The request could not be understood.", "See `detail`."),
    "stale-version": (
        "Someone else changed this since you loaded it.",
        "Your change was based on an older version; `current_version` is the version now. "
        "Reload, check, and make your change again.",
    ),
    "transition-not-allowed": (
        "The workflow does not allow this now.",
        "The claim's status does not allow this action; `detail` says why.",
    ),
    "conflict": ("This conflicts with the object's current state.", "`detail` says why."),
    "throttled": (
        "Too many requests.",
        "Wait the number of seconds in `Retry-After` before trying again.",
    ),
    "error": ("The request failed.", "See `detail`."),
}


def problem_type_url(code: str, request: HttpRequest | None = None) -> str:
    path = f"/api/problems/{code}"
    return request.build_absolute_uri(path) if request is not None else path


def problem(
    request: HttpRequest | None,
    status: int,
    code: str,
    detail: str,
    **extra: Any,
) -> dict[str, Any]:
    title = PROBLEM_TYPES.get(code, PROBLEM_TYPES["error"])[0]
    body: dict[str, Any] = {
        "type": problem_type_url(code, request),
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.get_full_path() if request is not None else "",
        "code": code,
    }
    body.update({k: v for k, v in extra.items() if v is not None})
    return body


def problem_response(
    request: HttpRequest | None, status: int, code: str, detail: str, **extra: Any
) -> Response:
    return Response(
        problem(request, status, code, detail, **extra),
        status=status,
        content_type=PROBLEM_MEDIA_TYPE,
    )


def _flatten(errors: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF and Django errors nest (a list field's item 2 → {"types": {2: [...]}}); problem
    details carry one flat mapping, with dotted paths, so that every client reads it alike."""
    flat: dict[str, list[str]] = {}
    non_field = api_settings.NON_FIELD_ERRORS_KEY
    if isinstance(errors, dict):
        for key, value in errors.items():
            name = non_field if key in ("__all__", None) else str(key)
            path = f"{prefix}.{name}" if prefix else name
            for sub, messages in _flatten(value, path).items():
                flat.setdefault(sub, []).extend(messages)
    elif isinstance(errors, list | tuple):
        if all(not isinstance(e, dict | list | tuple) for e in errors):
            flat[prefix or non_field] = [str(e) for e in errors]
        else:
            for i, value in enumerate(errors):
                if value in ({}, [], None):
                    continue
                for sub, messages in _flatten(value, f"{prefix}.{i}" if prefix else str(i)).items():
                    flat.setdefault(sub, []).extend(messages)
    else:
        flat[prefix or non_field] = [str(errors)]
    return flat


def _django_errors(exc: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return _flatten(exc.message_dict)
    return _flatten(list(exc.messages))


def _summary(errors: dict[str, list[str]]) -> str:
    non_field = api_settings.NON_FIELD_ERRORS_KEY
    parts = []
    for field, messages in errors.items():
        for message in messages:
            parts.append(message if field == non_field else f"{field}: {message}")
    return " ".join(parts[:3]) or "The request is not valid."


_API_CODES = {
    exceptions.NotAuthenticated: "not-authenticated",
    exceptions.AuthenticationFailed: "authentication-failed",
    exceptions.PermissionDenied: "permission-denied",
    exceptions.NotFound: "not-found",
    exceptions.MethodNotAllowed: "method-not-allowed",
    exceptions.NotAcceptable: "not-acceptable",
    exceptions.UnsupportedMediaType: "unsupported-media-type",
    exceptions.Throttled: "throttled",
    exceptions.ParseError: "parse-error",
}


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's EXCEPTION_HANDLER: every error the API returns, as RFC 9457 problem details."""
    request = context.get("request")
    if isinstance(exc, Conflict):
        code = (
            "stale-version"
            if isinstance(exc, StaleVersion)
            else "transition-not-allowed"
            if isinstance(exc, TransitionNotAllowed)
            else "conflict"
        )
        set_rollback()
        return problem_response(
            request, 409, code, exc.message, current_version=exc.current_version
        )
    if isinstance(exc, DjangoValidationError):
        errors = _django_errors(exc)
        set_rollback()
        return problem_response(request, 400, "validation-error", _summary(errors), errors=errors)
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        set_rollback()
        return problem_response(request, 400, "validation-error", _summary(errors), errors=errors)
    if isinstance(exc, RequestDataTooBig):
        set_rollback()
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return problem_response(
            request,
            413,
            "payload-too-large",
            f"The request body is larger than the {limit / 1_048_576:.0f} MB the API accepts.",
        )
    if isinstance(exc, SuspiciousOperation):
        set_rollback()
        return problem_response(request, 400, "bad-request", str(exc) or "Bad request.")
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(*(exc.args or ("Not found.",)))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(*(exc.args or ("You may not do this.",)))
    if not isinstance(exc, exceptions.APIException):
        return _server_error(exc, request)
    set_rollback()
    code = next((c for cls, c in _API_CODES.items() if isinstance(exc, cls)), "error")
    detail = exc.detail if isinstance(exc.detail, str) else _summary(_flatten(exc.detail))
    response = problem_response(request, exc.status_code, code, str(detail))
    auth_header = getattr(exc, "auth_header", None)
    if auth_header:
        response["WWW-Authenticate"] = auth_header
    wait = getattr(exc, "wait", None)
    if wait is not None:
        response["Retry-After"] = str(max(1, int(wait + 0.999)))
    return response


def _server_error(exc: Exception, request: Any) -> Response | None:
    """A bug. While developing, Django's traceback page; otherwise the error is logged and
    signalled as Django would (so error trackers see it) and the client still gets problem
    details, not an HTML page."""
    if settings.DEBUG or request is None:
        return None
    django_request = getattr(request, "_request", request)
    got_request_exception.send(sender=None, request=django_request)
    logging.getLogger("django.request").error(
        "Internal Server Error: %s",
        django_request.path,
        exc_info=exc,
        extra={"status_code": 500, "request": django_request},
    )
    set_rollback()
    response = problem_response(
        request, 500, "error", "Something went wrong on our side; the error was logged."
    )
    # Logged with its traceback above: Django need not log it again.
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response


class ProblemTypeView(APIView):
    """What a problem ``type`` means (the URL in every error's ``type``)."""

    permission_classes = (AllowAny,)
    authentication_classes = ()
    schema = None  # documentation, not an endpoint of the API

    def get(self, request: Request, code: str) -> Response:
        if code not in PROBLEM_TYPES:
            raise exceptions.NotFound("There is no such problem type.")
        title, description = PROBLEM_TYPES[code]
        return Response(
            {"type": problem_type_url(code, request), "title": title, "description": description}
        )


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details."""

    type = serializers.CharField(help_text="URL of the problem type's explanation.")
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField(help_text="What went wrong, for a person to read.")
    instance = serializers.CharField(help_text="The path of the request.")
    code = serializers.CharField(help_text="The problem type's short name, for scripts.")
    errors = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="400 only: messages for each field (dotted paths for nested fields).",
    )
    current_version = serializers.IntegerField(
        required=False, help_text="409 only: the object's version now."
    )

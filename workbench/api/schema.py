"""The OpenAPI schema: drf-spectacular plus the error responses every operation can give."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from drf_spectacular.openapi import AutoSchema
from rest_framework.permissions import AllowAny

from workbench.api.problems import PROBLEM_MEDIA_TYPE, ProblemSerializer

_ERROR_DESCRIPTIONS = {
    "400": "Invalid input; `errors` lists the messages for each field. Nothing was changed.",
    "401": "Not signed in: send `Authorization: Token <key>`.",
    "403": "Signed in, but your role does not allow this; `detail` says why.",
    "404": "No such object, or you may not see it.",
    "409": "A stale `version` (see `current_version`) or a move the workflow does not allow.",
    "413": "The request body is too large.",
    "415": "Unsupported request media type.",
    "429": "Throttled; retry after `Retry-After` seconds.",
}

_HEADER_DOCS = {
    "401": {"WWW-Authenticate": {"schema": {"type": "string"}, "description": "`Token`."}},
    "429": {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait."}},
}


class ProblemAutoSchema(AutoSchema):
    """drf-spectacular's schema plus the error responses each operation can give, all as
    problem details, so that the documented responses are the real ones."""

    def _is_public(self) -> bool:
        return any(isinstance(p, AllowAny) for p in self.view.get_permissions())

    def _error_codes(self) -> Iterable[str]:
        codes = {"429"}
        public = self._is_public()
        has_body = self.method in ("POST", "PUT", "PATCH")
        has_query = any(p.get("in") == "query" for p in self._get_parameters())
        if not public:
            codes |= {"401", "403", "404"}
            if self.method in ("POST", "PUT", "PATCH", "DELETE"):
                codes.add("409")
        elif "{" in self.path:
            codes.add("404")
        if has_body or has_query:
            codes.add("400")
        if has_body:
            codes |= {"413", "415"}
        return sorted(codes)

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code in self._error_codes():
            if code in responses:
                continue
            body = self._get_response_for_code(
                ProblemSerializer, code, media_types=[PROBLEM_MEDIA_TYPE], direction=direction
            )
            body["description"] = _ERROR_DESCRIPTIONS[code]
            if code in _HEADER_DOCS:
                body["headers"] = _HEADER_DOCS[code]
            responses[code] = body
        return responses

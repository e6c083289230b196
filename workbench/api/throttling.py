"""Throttling: anonymous clients per IP address, signed-in clients per token.

Rates are ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["anon"|"token"]`` (set from the
environment in settings); ``None`` turns a throttle off.
"""

from __future__ import annotations

from typing import Any

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle


class _ConfiguredRateThrottle(SimpleRateThrottle):
    """Reads its rate from the settings on every request (DRF reads it once, at import), so
    that a deployment or a test can change the rates without a restart."""

    def get_rate(self) -> str | None:
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope or "")
        return str(rate) if rate is not None else None


class AnonymousThrottle(_ConfiguredRateThrottle):
    """Anonymous clients (the public feed), counted per IP address."""

    scope = "anon"

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        if request.user and request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class TokenThrottle(_ConfiguredRateThrottle):
    """Signed-in clients, counted per token (each script its own budget), or per user for the
    web UI's session."""

    scope = "token"

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        if not (request.user and request.user.is_authenticated):
            return None
        digest = getattr(request.auth, "digest", None)
        ident = f"token-{digest[:40]}" if digest else f"user-{request.user.pk}"
        return self.cache_format % {"scope": self.scope, "ident": ident}

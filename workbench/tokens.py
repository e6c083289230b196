"""Personal API tokens: created and revoked by their owner, on the profile page and with
``manage.py create_api_token``.

django-rest-knox stores only a digest of each token; the key itself exists once, in the
response that creates it, and is shown that once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from knox.models import AuthToken

MAX_TOKENS_PER_USER = 20


def create_token(user: Any, *, expires_in: dt.timedelta | None = None) -> tuple[AuthToken, str]:
    """A new token for ``user``: (the stored record, the key to give them once).

    Without ``expires_in`` the token lives as long as settings say (REST_KNOX["TOKEN_TTL"]:
    no expiry unless the deployment sets one)."""
    if expires_in is None:
        return AuthToken.objects.create(user=user)
    return AuthToken.objects.create(user=user, expiry=expires_in)


def user_tokens(user: Any) -> list[AuthToken]:
    return list(AuthToken.objects.filter(user=user).order_by("-created"))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    """The list of the user's tokens; POST creates one and shows its key, once."""
    new_key = None
    if request.method == "POST":
        if AuthToken.objects.filter(user=request.user).count() >= MAX_TOKENS_PER_USER:
            messages.error(
                request, f"You have {MAX_TOKENS_PER_USER} tokens; revoke one you no longer use."
            )
            return redirect("account-tokens")
        _, new_key = create_token(request.user)
    ttl = getattr(settings, "REST_KNOX", {}).get("TOKEN_TTL")
    return render(
        request,
        "account/tokens.html",
        {"tokens": user_tokens(request.user), "new_key": new_key, "ttl": ttl},
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest) -> HttpResponse:
    """Revoke one of the user's own tokens, named by its prefix (never another's)."""
    prefix = request.POST.get("token_key", "")
    deleted, _ = AuthToken.objects.filter(user=request.user, token_key=prefix).delete()
    if deleted:
        messages.success(request, f"Token {prefix}… revoked: it no longer works.")
    else:
        messages.error(request, "That token does not exist, or was already revoked.")
    return redirect("account-tokens")

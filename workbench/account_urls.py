"""The user's own account pages: personal API tokens."""

from __future__ import annotations

from django.urls import path

from workbench import tokens

urlpatterns = [
    path("tokens/", tokens.token_list, name="account-tokens"),
    path("tokens/revoke/", tokens.token_revoke, name="account-token-revoke"),
]

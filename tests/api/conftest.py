"""API clients for the personas, authenticated the way scripts are: a personal token."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from workbench.tokens import create_token


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    # Throttles count in the cache; every test starts with a clean slate.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def client_for() -> Callable[[Any], APIClient]:
    def make(user: Any = None) -> APIClient:
        client = APIClient()
        if user is not None:
            _, key = create_token(user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return client

    return make


@pytest.fixture
def anon_api() -> APIClient:
    return APIClient()


@pytest.fixture
def reviewer_api(client_for, reviewer) -> APIClient:
    return client_for(reviewer)


@pytest.fixture
def second_reviewer_api(client_for, second_reviewer) -> APIClient:
    return client_for(second_reviewer)


@pytest.fixture
def editor_api(client_for, editor) -> APIClient:
    return client_for(editor)


@pytest.fixture
def second_editor_api(client_for, second_editor) -> APIClient:
    return client_for(second_editor)


@pytest.fixture
def outsider_api(client_for, outsider) -> APIClient:
    return client_for(outsider)


@pytest.fixture
def people(reviewer, editor, second_editor) -> dict[str, Any]:
    return {"reviewer": reviewer, "editor": editor, "second_editor": second_editor}


def problem(response: Any) -> dict[str, Any]:
    """The body of an error response, after checking it is RFC 9457 problem details."""
    assert response["Content-Type"].startswith("application/problem+json"), response.content
    body = response.json()
    assert {"type", "title", "status", "detail", "instance", "code"} <= set(body)
    assert body["status"] == response.status_code
    return body


@pytest.fixture
def indexed_noop(monkeypatch):
    """The matcher's hook after an import, which these tests do not exercise."""
    monkeypatch.setattr("claims.matching.index_factchecks", lambda ids: None)

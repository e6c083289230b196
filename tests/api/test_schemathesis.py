"""Schemathesis over the whole schema, against the app itself (WSGI, no server): every
operation, anonymously and with an editor's token, with generated valid and invalid input.
No server error, and every response (status, content type, headers, body) as documented.

Kept quick on purpose: a few examples per operation, which CI runs on every push.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from claims.ingest import IngestError
from claims.models import ClaimStatus
from tests.factories import ArticleFactory, ClaimFactory, ClaimSourceFactory, UserFactory
from tests.workflow import advance
from workbench.tokens import create_token

S = ClaimStatus
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


def examples(n: int) -> hypothesis_settings:
    return hypothesis_settings(
        max_examples=n,
        deadline=None,
        derandomize=True,  # the same cases on every run: a failure can be replayed
        database=None,
        suppress_health_check=list(HealthCheck),
    )


# The app and its schema, loaded once at collection. Plain HTTP to any host name, whatever
# the deployment's settings (middleware reads them when the app is built).
with override_settings(ALLOWED_HOSTS=["*"], SECURE_SSL_REDIRECT=False):
    APP = WSGIHandler()
    # With a token: every phase, including the coverage phase's boundary and invalid values.
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", APP)
    # Anonymous requests to the workbench stop at the 401 whatever the input: random examples
    # are enough there, and the coverage phase would only repeat the 401 hundreds of times.
    anonymous_schema = schemathesis.openapi.from_wsgi(
        "/api/schema/?format=json",
        APP,
        config=schemathesis.Config.from_dict({"phases": {"coverage": {"enabled": False}}}),
    )

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_process(settings, monkeypatch):
    # Django's test client does the same: the test's transaction must survive each request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    settings.ALLOWED_HOSTS = ["*"]
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": None, "token": None},
    }

    def offline(url: str, **kwargs: Any) -> Any:
        raise IngestError(f"Could not fetch {url}: no network in the tests.")

    monkeypatch.setattr("claims.ingest.fetch_url", offline)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _people() -> dict[str, Any]:
    return {
        "reviewer": UserFactory(username="alice", roles=["reviewer"]),
        "editor": UserFactory(username="erin", roles=["editor"]),
        "second_editor": UserFactory(username="frank", roles=["editor"]),
    }


def _claims(statuses: tuple[str, ...], people: dict[str, Any]) -> None:
    article = ArticleFactory()
    for status in statuses:
        claim: Any = ClaimFactory(article=article)
        claim = advance(claim, status, **people)
        ClaimSourceFactory(claim=claim)


@pytest.fixture
def world():
    """Something to find: claims in several statuses (ids from 1), with sources."""
    people = _people()
    _claims((S.NEW, S.IN_REVIEW, S.PROPOSED, S.PUBLISHED, S.CORRECTED, S.RETRACTED), people)
    return people


@pytest.fixture
def public_world():
    """What the public endpoints show: a published, a corrected and a retracted rating."""
    _claims((S.PUBLISHED, S.CORRECTED, S.RETRACTED), _people())


@pytest.fixture
def editor_token(world):
    return create_token(world["editor"])[1]


@anonymous_schema.parametrize()
@examples(10)
def test_every_operation_anonymously(case, public_world):
    case.call_and_validate(checks=CHECKS)


@schema.parametrize()
@examples(10)
def test_every_operation_with_a_token(case, editor_token):
    case.call_and_validate(headers={"Authorization": f"Token {editor_token}"}, checks=CHECKS)

"""The hostile corpus through the API: every case tagged for a field goes to every endpoint
that takes that field, and every raw body to every endpoint that reads one.

A bad input is a 4xx problem (``application/problem+json``) with a ``detail`` a person can
read and, for a field, ``errors`` naming it; the database is the same row for row afterwards
(``db_fingerprint``). Text that only looks dangerous (markup, template and SQL syntax,
right-to-left and combining characters, emoji) is stored exactly and comes back as JSON data.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import override_settings
from rest_framework.test import APIClient

from annotations import services as notes
from annotations.models import Annotation, ClaimSource, Comment, Rating
from claims import services
from claims.models import Article, Claim, ClaimStatus
from tests.api.conftest import _fresh_throttle_counts, problem  # noqa: F401
from tests.factories import ClaimFactory, UserFactory
from tests.hostile.corpus import (
    ARTICLE_FILE,
    ARTICLE_TEXT,
    CLAIM_TYPES,
    CONTENT_TYPE,
    DATE,
    FIGURES,
    JSON_BODY,
    LABEL,
    NUMBER,
    OFFSET,
    TEXT_FIELD,
    URL,
    Case,
    cases,
    oversized_text,
)
from tests.hostile.fingerprint import changed, db_fingerprint
from tests.workflow import advance
from workbench.tokens import create_token

pytestmark = pytest.mark.django_db


# --- where each kind of value goes --------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """One field of one endpoint. ``body(value, ids)`` is a request that is valid but for the
    value; ``as_`` is who sends it (alice reviews the claim; erin wrote its verdict)."""

    name: str
    method: str
    url: str
    body: Callable[[Any, dict[str, Any]], dict[str, Any]]
    fields: frozenset[str]  # the error may name any of these
    as_: str = "alice"
    skip: frozenset[str] = frozenset()  # cases that are valid here (an optional field)
    statuses: frozenset[int] = frozenset({400})


def target(
    name: str,
    method: str,
    url: str,
    body: Callable[[Any, dict[str, Any]], Any],
    *fields: str,
    as_: str = "alice",
    skip: tuple[str, ...] = (),
    statuses: tuple[int, ...] = (400,),
) -> Target:
    return Target(
        name, method, url, body, frozenset(fields), as_, frozenset(skip), frozenset(statuses)
    )


# Empty and blank are valid for an optional field: "no title", "no comment".
OPTIONAL = ("empty", "only whitespace")
# A version that no object has is someone else's newer one: 409 with current_version.
VERSION = (400, 409)

CLAIM = "/api/v1/claims/{claim}/"
PROPOSED = "/api/v1/claims/{proposed}/"


TARGETS: dict[str, list[Target]] = {
    ARTICLE_TEXT: [
        target("article text", "POST", "/api/v1/articles/", lambda v, ids: {"text": v}, "text"),
    ],
    TEXT_FIELD: [
        target("comment", "POST", CLAIM + "comments/", lambda v, ids: {"body": v}, "body"),
        target(
            "rating justification",
            "POST",
            CLAIM + "ratings/",
            lambda v, ids: {"label": "false", "justification": v, "version": 0},
            "justification",
        ),
        target(
            "verdict summary",
            "POST",
            CLAIM + "propose/",
            lambda v, ids: {
                "label": "false",
                "summary": v,
                "justification": "Data.",
                "version": ids["version"],
            },
            "summary",
            as_="erin",  # reviewers propose only once they have rated
        ),
        target(
            "reason to dismiss",
            "POST",
            CLAIM + "dismiss/",
            lambda v, ids: {"reason": v, "version": ids["version"]},
            "reason",
        ),
        target(
            "reason to send back",
            "POST",
            PROPOSED + "request-changes/",
            lambda v, ids: {"reason": v, "version": ids["proposed_version"]},
            "reason",
            as_="erin",
        ),
        target(
            "amended summary",
            "PATCH",
            "/api/v1/verdicts/{verdict}/",
            lambda v, ids: {"version": ids["verdict_version"], "summary": v},
            "summary",
            as_="erin",
        ),
        target(
            "annotation comment",
            "POST",
            CLAIM + "annotations/",
            lambda v, ids: {
                "start": ids["start"],
                "end": ids["end"],
                "label": "figure",
                "comment": v,
            },
            "comment",
            skip=OPTIONAL,
        ),
        target(
            "source title",
            "POST",
            CLAIM + "sources/",
            lambda v, ids: {"url": "https://example.org/t", "title": v},
            "title",
            skip=OPTIONAL,
        ),
        target(
            "source publisher",
            "POST",
            CLAIM + "sources/",
            lambda v, ids: {"url": "https://example.org/p", "publisher": v},
            "publisher",
            skip=OPTIONAL,
        ),
        target(
            "source excerpt",
            "POST",
            CLAIM + "sources/",
            lambda v, ids: {"url": "https://example.org/e", "excerpt": v},
            "excerpt",
            skip=OPTIONAL,
        ),
        target(
            "speaker",
            "PATCH",
            CLAIM,
            lambda v, ids: {"version": ids["version"], "speaker": v},
            "speaker",
            skip=OPTIONAL,
        ),
    ],
    OFFSET: [
        target(
            "new claim's start",
            "POST",
            "/api/v1/claims/",
            lambda v, ids: {
                "article": ids["article"],
                "start": v,
                "end": ids["end"],
                "types": ["event"],
            },
            "start",
            "end",
        ),
        target(
            "new claim's end",
            "POST",
            "/api/v1/claims/",
            lambda v, ids: {
                "article": ids["article"],
                "start": ids["start"],
                "end": v,
                "types": ["event"],
            },
            "start",
            "end",
        ),
        target(
            "claim's start",
            "PATCH",
            CLAIM,
            lambda v, ids: {"version": ids["version"], "start": v},
            "start",
            "end",
        ),
        target(
            "claim's end",
            "PATCH",
            CLAIM,
            lambda v, ids: {"version": ids["version"], "end": v},
            "start",
            "end",
        ),
        target(
            "annotation's start",
            "POST",
            CLAIM + "annotations/",
            lambda v, ids: {"start": v, "end": ids["end"], "label": "figure"},
            "start",
            "end",
        ),
        target(
            "annotation's end",
            "POST",
            CLAIM + "annotations/",
            lambda v, ids: {"start": ids["start"], "end": v, "label": "figure"},
            "start",
            "end",
        ),
        target(
            "split point",
            "POST",
            CLAIM + "split/",
            lambda v, ids: {"version": ids["version"], "at": v},
            "at",
        ),
    ],
    NUMBER: [
        target(
            "confidence",
            "POST",
            CLAIM + "ratings/",
            lambda v, ids: {
                "label": "false",
                "justification": "Data.",
                "confidence": v,
                "version": 0,
            },
            "confidence",
        ),
        target(
            "claim version",
            "PATCH",
            CLAIM,
            lambda v, ids: {"version": v, "speaker": "A"},
            "version",
            skip=("zero confidence",),
            statuses=VERSION,
        ),
        target(
            "version to dismiss",
            "POST",
            CLAIM + "dismiss/",
            lambda v, ids: {"version": v, "reason": "Opinion."},
            "version",
            skip=("zero confidence",),
            statuses=VERSION,
        ),
        target(
            "annotation version",
            "PATCH",
            "/api/v1/annotations/{annotation}/",
            lambda v, ids: {"version": v, "comment": "Again."},
            "version",
            skip=("zero confidence",),
            statuses=VERSION,
        ),
        # 0 means "my first rating": valid for alice, who has not rated yet. null is refused:
        # the version is required.
        target(
            "rating version",
            "POST",
            CLAIM + "ratings/",
            lambda v, ids: {"label": "false", "justification": "Data.", "version": v},
            "version",
            skip=("zero confidence",),
            statuses=VERSION,
        ),
    ],
    LABEL: [
        target(
            "rating label",
            "POST",
            CLAIM + "ratings/",
            lambda v, ids: {"label": v, "justification": "Data.", "version": 0},
            "label",
        ),
        target(
            "annotation label",
            "POST",
            CLAIM + "annotations/",
            lambda v, ids: {"start": ids["start"], "end": ids["end"], "label": v},
            "label",
        ),
        target(
            "verdict label",
            "POST",
            CLAIM + "propose/",
            lambda v, ids: {
                "label": v,
                "summary": "No.",
                "justification": "Data.",
                "version": ids["version"],
            },
            "label",
            as_="erin",  # reviewers propose only once they have rated
        ),
    ],
    URL: [
        target("source address", "POST", CLAIM + "sources/", lambda v, ids: {"url": v}, "url"),
        target(
            "archived copy",
            "POST",
            CLAIM + "sources/",
            lambda v, ids: {"url": "https://example.org/a", "archive_url": v},
            "archive_url",
            "url",
            skip=OPTIONAL,
        ),
        # Refused before anything is fetched: no request leaves the machine.
        target(
            "page to import",
            "POST",
            "/api/v1/articles/from-url/",
            lambda v, ids: {"source_url": v},
            "source_url",
        ),
        target(
            "article's address",
            "POST",
            "/api/v1/articles/",
            lambda v, ids: {"text": "About 30 people marched.", "source_url": v},
            "source_url",
            skip=OPTIONAL,
        ),
    ],
    DATE: [
        target(
            "claim's date",
            "PATCH",
            CLAIM,
            lambda v, ids: {"version": ids["version"], "date": v},
            "date",
        ),
        target(
            "source's publication",
            "POST",
            CLAIM + "sources/",
            lambda v, ids: {"url": "https://example.org/d", "published": v},
            "published",
        ),
        target(
            "article's publication",
            "POST",
            "/api/v1/articles/",
            lambda v, ids: {"text": "About 30 people marched.", "published": v},
            "published",
        ),
    ],
    CLAIM_TYPES: [
        target(
            "claim's types",
            "PATCH",
            CLAIM,
            lambda v, ids: {"version": ids["version"], "types": v},
            "types",
        ),
        target(
            "new claim's types",
            "POST",
            "/api/v1/claims/",
            lambda v, ids: {
                "article": ids["article"],
                "start": ids["start"],
                "end": ids["end"],
                "types": v,
            },
            "types",
        ),
    ],
    FIGURES: [
        target(
            "claim's figures",
            "PATCH",
            CLAIM,
            lambda v, ids: {"version": ids["version"], "figures": _figures(v)},
            "figures",
        ),
        target(
            "new claim's figures",
            "POST",
            "/api/v1/claims/",
            lambda v, ids: {
                "article": ids["article"],
                "start": ids["start"],
                "end": ids["end"],
                "types": ["casualty"],
                "figures": _figures(v),
            },
            "figures",
        ),
    ],
}


def _figures(value: Any) -> Any:
    return value if isinstance(value, list) else [{"value": value}]


# Every endpoint that reads a JSON body, with who may use it.
BODY_ENDPOINTS: list[tuple[str, str, str]] = [
    ("POST", "/api/v1/articles/", "alice"),
    ("POST", "/api/v1/articles/from-url/", "alice"),
    ("POST", "/api/v1/claims/", "alice"),
    ("POST", "/api/v1/claims/merge/", "alice"),
    ("PATCH", CLAIM, "alice"),
    ("POST", CLAIM + "split/", "alice"),
    ("POST", CLAIM + "assign/", "erin"),
    ("POST", CLAIM + "unassign/", "erin"),
    ("POST", CLAIM + "propose/", "erin"),  # alice proposes only once she has rated
    ("POST", CLAIM + "dismiss/", "alice"),
    ("POST", PROPOSED + "approve/", "frank"),
    ("POST", PROPOSED + "request-changes/", "erin"),
    ("POST", "/api/v1/claims/{published}/correct/", "erin"),
    ("POST", "/api/v1/claims/{published}/retract/", "erin"),
    ("POST", "/api/v1/claims/{dismissed}/reopen/", "erin"),
    ("PATCH", "/api/v1/verdicts/{verdict}/", "erin"),
    ("POST", CLAIM + "annotations/", "alice"),
    ("PATCH", "/api/v1/annotations/{annotation}/", "alice"),
    ("POST", CLAIM + "comments/", "alice"),
    ("POST", CLAIM + "sources/", "alice"),
    ("POST", CLAIM + "ratings/", "alice"),
]


# --- the scene ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def scene(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Any]:
    """Made once for the module, in a transaction rolled back at its end; each test runs in
    a savepoint inside it, so what an accepted request stores is gone for the next test."""
    with (
        django_db_blocker.unblock(),
        transaction.atomic(),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
    ):
        people = {
            name: UserFactory(username=name, roles=[role])
            for name, role in (("alice", "reviewer"), ("erin", "editor"), ("frank", "editor"))
        }
        clients = {}
        for name, user in people.items():
            client = APIClient()
            client.credentials(HTTP_AUTHORIZATION=f"Token {create_token(user)[1]}")
            clients[name] = client
        yield _ids(people["alice"], people["erin"], people["frank"]), clients
        transaction.set_rollback(True)


@pytest.fixture
def ids(scene: Any, db: None) -> dict[str, Any]:
    return scene[0]


@pytest.fixture
def api(scene: Any, db: None) -> dict[str, APIClient]:
    return scene[1]


def _ids(reviewer, editor, second_editor):  # untyped: factories, to mypy, are not models
    """alice reviews a claim erin assigned to her (with her annotation on it); erin wrote the
    verdict on a proposed claim; a published and a dismissed claim for the editors' actions."""
    people = {"reviewer": reviewer, "editor": editor, "second_editor": second_editor}
    claim = advance(ClaimFactory(), ClaimStatus.IN_REVIEW, **people)
    annotation = notes.annotation_create(
        actor=reviewer, claim=claim, start=claim.start, end=claim.end, label="figure"
    )
    proposed = advance(ClaimFactory(), ClaimStatus.PROPOSED, **people)
    published = advance(ClaimFactory(), ClaimStatus.PUBLISHED, **people)
    dismissed = advance(ClaimFactory(), ClaimStatus.DISMISSED, **people)
    verdict = services.current_verdict(proposed)
    return {
        "claim": claim.pk,
        "version": claim.version,
        "article": claim.article_id,
        "start": claim.start,
        "end": claim.end,
        "annotation": annotation.pk,
        "proposed": proposed.pk,
        "proposed_version": proposed.version,
        "verdict": verdict.pk,
        "verdict_version": verdict.version,
        "published": published.pk,
        "dismissed": dismissed.pk,
    }


def send(client: APIClient, method: str, url: str, body: Any, content_type: str) -> Any:
    return client.generic(method, url, body, content_type=content_type)


def refused(
    client: APIClient,
    method: str,
    url: str,
    body: Any,
    *,
    content_type: str = "application/json",
    statuses: frozenset[int] = frozenset({400}),
    fields: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """Send, expect a 4xx problem with a detail (naming one of ``fields``), and no change."""
    if not isinstance(body, bytes | str):
        body = json.dumps(body)
    before = db_fingerprint()
    response = send(client, method, url, body, content_type)
    after = db_fingerprint()
    where = f"{method} {url} {str(body)[:80]!r}"
    assert response.status_code in statuses, (where, response.status_code, response.content[:300])
    assert after == before, f"{where} changed the database: {changed(before, after)}"
    answer = problem(response)
    assert answer["detail"].strip(), where
    if fields and answer["code"] == "validation-error":
        named = {key.split(".")[0] for key in answer["errors"]}
        assert named & fields, (where, answer["errors"])
    return answer


def value_of(case: Case) -> Any:
    if case.name == "oversized article":
        return oversized_text(settings.ARTICLE_MAX_BYTES)
    return case.value


def exercised(surface: str) -> list[tuple[Target, Case]]:
    return [(t, c) for t in TARGETS[surface] for c in cases(surface) if c.name not in t.skip]


def field_params() -> list[Any]:
    """One test per surface and case; it sends the case to every field of that surface."""
    return [
        pytest.param(surface, case, id=f"{surface}-{case.name}")
        for surface in TARGETS
        for case in cases(surface)
        if any(case.name not in t.skip for t in TARGETS[surface])
    ]


# --- fields ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("surface", "case"), field_params())
def test_each_field_refuses_each_bad_value(surface: str, case: Case, ids, api):
    for target in TARGETS[surface]:
        if case.name in target.skip:
            continue
        url = target.url.format(**ids)
        body = target.body(value_of(case), ids)
        refused(
            api[target.as_],
            target.method,
            url,
            body,
            statuses=target.statuses,
            fields=target.fields,
        )


# --- files ----------------------------------------------------------------------------------


@pytest.mark.parametrize("case", cases(ARTICLE_FILE), ids=[c.name for c in cases(ARTICLE_FILE)])
def test_an_upload_refuses_each_bad_file(case: Case, api):
    data = value_of(case)
    data = data if isinstance(data, bytes) else str(data).encode("utf-8", "surrogatepass")
    before = db_fingerprint()
    response = api["alice"].post(
        "/api/v1/articles/upload/",
        {"file": SimpleUploadedFile("article.txt", data)},
        format="multipart",
    )
    assert response.status_code == 400, response.content[:300]
    assert db_fingerprint() == before
    assert problem(response)["errors"]["file"]


# --- bodies ---------------------------------------------------------------------------------


def raw_body(case: Case) -> tuple[bytes, str]:
    if case.name == "oversized article":
        # Over the upload limit as a whole request, not only as an article.
        text = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
        return json.dumps({"text": text, "body": text}).encode(), "application/json"
    if isinstance(case.value, tuple):
        content_type, body = case.value
        return body, content_type
    return case.value, "application/json"


BODY_STATUS = {"oversized article": 413, "plain text body": 415, "XML body": 415}


@pytest.mark.parametrize(
    "case",
    cases(JSON_BODY) + cases(CONTENT_TYPE),
    ids=[c.name for c in cases(JSON_BODY) + cases(CONTENT_TYPE)],
)
def test_every_endpoint_that_reads_a_body_refuses_each_bad_one(case: Case, ids, api):
    body, content_type = raw_body(case)
    status = BODY_STATUS.get(case.name, 400)
    for method, url, who in BODY_ENDPOINTS:
        answer = refused(
            api[who],
            method,
            url.format(**ids),
            body,
            content_type=content_type,
            statuses=frozenset({status}),
        )
        if status == 400:
            assert answer["code"] in ("parse-error", "validation-error"), (url, answer)


# --- odd but valid text: stored exactly, sent back as data ----------------------------------


def _json_back(response: Any) -> Any:
    # JSON, which a browser does not sniff as a page: no markup in it is ever run.
    assert response["Content-Type"] == "application/json", response["Content-Type"]
    assert response["X-Content-Type-Options"] == "nosniff"
    return response.json()


@pytest.mark.parametrize(
    "case",
    cases(ARTICLE_TEXT, accepted=True),
    ids=[c.name for c in cases(ARTICLE_TEXT, accepted=True)],
)
def test_an_article_with_odd_but_valid_text_is_stored_exactly(case: Case, api):
    response = api["alice"].post("/api/v1/articles/", {"text": case.value}, format="json")
    assert response.status_code == 201, response.content[:300]
    body = _json_back(response)
    assert body["text"] == case.value
    assert Article.objects.get(pk=body["id"]).text == case.value


@pytest.mark.parametrize(
    "case",
    cases(TEXT_FIELD, accepted=True),
    ids=[c.name for c in cases(TEXT_FIELD, accepted=True)],
)
def test_odd_but_valid_text_in_every_field_is_stored_exactly(case: Case, ids, api):
    alice, text = api["alice"], case.value
    claim = f"/api/v1/claims/{ids['claim']}/"

    comment = _json_back(alice.post(claim + "comments/", {"body": text}, format="json"))
    assert comment["body"] == text == Comment.objects.get(pk=comment["id"]).body

    note = _json_back(
        alice.post(
            claim + "annotations/",
            {"start": ids["start"], "end": ids["end"], "label": "date", "comment": text},
            format="json",
        )
    )
    assert note["comment"] == text == Annotation.objects.get(pk=note["id"]).comment

    use = _json_back(
        alice.post(
            claim + "sources/",
            {
                "url": "https://example.org/odd",
                "title": text,
                "publisher": text[:200],
                "excerpt": text,
            },
            format="json",
        )
    )
    stored = ClaimSource.objects.select_related("source").get(pk=use["id"])
    assert (stored.source.title, stored.excerpt) == (text, text)

    rated = _json_back(
        alice.post(
            claim + "ratings/",
            {"label": "false", "justification": text, "version": 0},
            format="json",
        )
    )
    assert rated["own"]["justification"] == text
    assert Rating.objects.get(pk=rated["own"]["id"]).justification == text

    edited = _json_back(
        alice.patch(claim, {"version": ids["version"], "speaker": text[:200]}, format="json")
    )
    assert edited["speaker"] == text[:200] == Claim.objects.get(pk=ids["claim"]).speaker

    proposed = _json_back(
        alice.post(
            claim + "propose/",
            {
                "label": "false",
                "summary": text,
                "justification": text,
                "version": Claim.objects.get(pk=ids["claim"]).version,
            },
            format="json",
        )
    )
    assert proposed["verdict"]["summary"] == proposed["verdict"]["justification"] == text


# --- how much of the corpus the API meets ---------------------------------------------------


def test_the_api_meets_at_least_thirty_bad_inputs():
    per_surface = {s: {c.name for _, c in exercised(s)} for s in TARGETS}
    per_surface[ARTICLE_FILE] = {c.name for c in cases(ARTICLE_FILE)}
    per_surface[JSON_BODY] = {c.name for c in cases(JSON_BODY)}
    per_surface[CONTENT_TYPE] = {c.name for c in cases(CONTENT_TYPE)}
    every = set().union(*per_surface.values())
    assert len(every) >= 30, sorted(every)
    # Every surface the corpus has reaches the API.
    assert all(per_surface.values()), per_surface

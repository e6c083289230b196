"""The hostile corpus through the web forms, posted as a browser posts them (CSRF enforced).

Every form of the workbench that takes a value of a kind the corpus has gets each case that
a form can carry: the import (paste, upload, web address), adding a claim, editing one (its
figures too), annotating, commenting, adding a source, rating, proposing and every workflow
reason. A refusal is a 400 (or a 409 for a version nobody has) with the message on the page,
and the database is the same row for row (``db_fingerprint``). Markup, template and SQL
syntax, right-to-left text and emoji are stored exactly and shown escaped.

A form body is text, so some cases do not exist here: a number or a list where text belongs
is the text "12345" or its last item (valid), a lone surrogate cannot be encoded in a body
(the bytes of one are decoded as U+FFFD, as a browser would), and an object has no form.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, override_settings
from django.utils.html import escape

from annotations import services as notes
from annotations.models import Annotation, ClaimSource, Comment, Rating
from claims import services
from claims.models import Article, Claim, ClaimStatus
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
    SCRIPT,
    TEXT_FIELD,
    URL,
    Case,
    cases,
    oversized_text,
)
from tests.hostile.fingerprint import changed, db_fingerprint
from tests.workflow import advance

pytestmark = pytest.mark.django_db

SKIP = object()  # a case a form body cannot carry


def form_value(case: Case) -> Any:
    """What a browser would send for the case, or SKIP."""
    if case.name == "oversized article":
        return oversized_text(settings.ARTICLE_MAX_BYTES)
    value = case.value
    if isinstance(value, dict) or case.name in ("number instead of text", "list instead of text"):
        return SKIP
    if isinstance(value, list):
        if any(isinstance(v, dict | list) for v in value):
            return SKIP
        value = [str(v) for v in value]
        return SKIP if any(_has_surrogate(v) for v in value) else value
    if value is None:
        return ""
    if isinstance(value, str):
        return SKIP if _has_surrogate(value) else value
    return str(value)


def _has_surrogate(text: str) -> bool:
    return any("\ud800" <= ch <= "\udfff" for ch in text)


# --- where each kind of value goes --------------------------------------------------------------


@dataclass(frozen=True)
class FormTarget:
    """One field of one form: ``data(value, ids)`` is a submission valid but for the value."""

    name: str
    url: str
    data: Callable[[Any, dict[str, Any]], dict[str, Any]]
    form: str  # where the page keeps the bound form: "text_form", "add_form", "forms.<name>"
    as_: str = "alice"
    skip: frozenset[str] = frozenset()
    statuses: frozenset[int] = frozenset({400})


def ft(
    name: str,
    url: str,
    data: Callable[[Any, dict[str, Any]], dict[str, Any]],
    form: str,
    *,
    as_: str = "alice",
    skip: tuple[str, ...] = (),
    statuses: tuple[int, ...] = (400,),
) -> FormTarget:
    return FormTarget(name, url, data, form, as_, frozenset(skip), frozenset(statuses))


OPTIONAL = ("empty", "only whitespace", "null")
VERSION = (400, 409)
IMPORT = "/articles/import/"


def act(action: str, claim: str = "claim") -> str:
    return "/claims/{" + claim + "}/" + action + "/"


def paste(**fixed: Any) -> Callable[[Any, dict[str, Any]], dict[str, Any]]:
    return lambda v, ids: (
        {
            "source": "paste",
            "paste-text": "About 30 people marched.",
            **{f"paste-{k}": x for k, x in fixed.items()},
        }
        | v
    )


def edit(field: str) -> Callable[[Any, dict[str, Any]], dict[str, Any]]:
    def data(v: Any, ids: dict[str, Any]) -> dict[str, Any]:
        values: dict[str, Any] = {
            "edit-version": ids["version"],
            "edit-start": ids["start"],
            "edit-end": ids["end"],
            "edit-types": "casualty",
            "edit-speaker": "the ministry",
            **FIGURES_NONE,
        }
        values[f"edit-{field}"] = v
        return values

    return data


FIGURES_NONE = {
    "fig-TOTAL_FORMS": 0,
    "fig-INITIAL_FORMS": 0,
    "fig-MIN_NUM_FORMS": 0,
    "fig-MAX_NUM_FORMS": 20,
}


def figure(v: Any, ids: dict[str, Any]) -> dict[str, Any]:
    fig = v[0] if isinstance(v, list) and v and isinstance(v[0], dict) else {"value": v}
    value = fig.get("value")
    text = "-".join(str(x) for x in value) if isinstance(value, list) else str(value)
    return edit("speaker")("the ministry", ids) | {
        "fig-TOTAL_FORMS": 1,
        "fig-INITIAL_FORMS": 0,
        "fig-MIN_NUM_FORMS": 0,
        "fig-MAX_NUM_FORMS": 20,
        "fig-0-value": text,
        "fig-0-hedge": fig.get("hedge", "exact"),
        "fig-0-counted": "soldiers",
        "fig-0-side": "",
    }


def add(field: str) -> Callable[[Any, dict[str, Any]], dict[str, Any]]:
    def data(v: Any, ids: dict[str, Any]) -> dict[str, Any]:
        values = {"add-start": ids["start"], "add-end": ids["end"], "add-types": "event"}
        values[f"add-{field}"] = v
        return values

    return data


def source(field: str) -> Callable[[Any, dict[str, Any]], dict[str, Any]]:
    def data(v: Any, ids: dict[str, Any]) -> dict[str, Any]:
        values = {
            "source-url": "https://example.org/report",
            "source-stance": "context",
            "source-kind": "secondary",
        }
        values[f"source-{field}"] = v
        return values

    return data


def annotate(field: str) -> Callable[[Any, dict[str, Any]], dict[str, Any]]:
    def data(v: Any, ids: dict[str, Any]) -> dict[str, Any]:
        values = {
            "annotate-start": ids["start"],
            "annotate-end": ids["end"],
            "annotate-label": "figure",
        }
        values[f"annotate-{field}"] = v
        return values

    return data


def rate(field: str) -> Callable[[Any, dict[str, Any]], dict[str, Any]]:
    def data(v: Any, ids: dict[str, Any]) -> dict[str, Any]:
        values = {
            "rate-version": 0,
            "rate-label": "false",
            "rate-justification": "Data.",
            "rate-confidence": 3,
        }
        values[f"rate-{field}"] = v
        return values

    return data


def propose(field: str) -> Callable[[Any, dict[str, Any]], dict[str, Any]]:
    def data(v: Any, ids: dict[str, Any]) -> dict[str, Any]:
        values = {
            "propose-version": ids["version"],
            "propose-label": "false",
            "propose-summary": "No.",
            "propose-justification": "Data.",
        }
        values[f"propose-{field}"] = v
        return values

    return data


def reason(prefix: str, claim: str, field: str = "reason") -> Callable[..., dict[str, Any]]:
    return lambda v, ids: {f"{prefix}-version": ids[f"{claim}_version"], f"{prefix}-{field}": v}


ADD = "/articles/{article}/claims/add/"

TARGETS: dict[str, list[FormTarget]] = {
    ARTICLE_TEXT: [
        ft(
            "pasted article",
            IMPORT,
            lambda v, ids: {"source": "paste", "paste-text": v},
            "text_form",
        ),
    ],
    TEXT_FIELD: [
        ft("comment", act("comment"), lambda v, ids: {"comment-body": v}, "forms.comment"),
        ft("rating justification", act("rate"), rate("justification"), "forms.rate"),
        ft("verdict summary", act("propose"), propose("summary"), "forms.propose", as_="erin"),
        ft(
            "verdict justification",
            act("propose"),
            propose("justification"),
            "forms.propose",
            as_="erin",
        ),
        ft("reason to dismiss", act("dismiss"), reason("dismiss", "claim"), "forms.dismiss"),
        ft(
            "reason to send back",
            act("request_changes", "proposed"),
            reason("request_changes", "proposed"),
            "forms.request_changes",
            as_="erin",
        ),
        ft(
            "correction note",
            act("correct", "published"),
            reason("correct", "published", "note"),
            "forms.correct",
            as_="erin",
        ),
        ft(
            "reason to retract",
            act("retract", "published"),
            reason("retract", "published"),
            "forms.retract",
            as_="erin",
        ),
        ft(
            "annotation comment",
            act("annotate"),
            annotate("comment"),
            "forms.annotate",
            skip=OPTIONAL,
        ),
        ft("source title", act("source"), source("title"), "forms.source", skip=OPTIONAL),
        ft("source publisher", act("source"), source("publisher"), "forms.source", skip=OPTIONAL),
        ft("source excerpt", act("source"), source("excerpt"), "forms.source", skip=OPTIONAL),
        ft("speaker", act("edit"), edit("speaker"), "forms.edit", skip=OPTIONAL),
        ft("new claim's speaker", ADD, add("speaker"), "add_form", skip=OPTIONAL),
        ft(
            "article title",
            IMPORT,
            lambda v, ids: paste()({"paste-title": v}, ids),
            "text_form",
            skip=OPTIONAL,
        ),
    ],
    OFFSET: [
        ft("new claim's start", ADD, add("start"), "add_form"),
        ft("new claim's end", ADD, add("end"), "add_form"),
        ft("claim's start", act("edit"), edit("start"), "forms.edit"),
        ft("claim's end", act("edit"), edit("end"), "forms.edit"),
        ft("annotation's start", act("annotate"), annotate("start"), "forms.annotate"),
        ft("annotation's end", act("annotate"), annotate("end"), "forms.annotate"),
        ft(
            "split point",
            act("split"),
            lambda v, ids: {"split-version": ids["version"], "split-at": v},
            "forms.split",
        ),
    ],
    NUMBER: [
        ft("confidence", act("rate"), rate("confidence"), "forms.rate"),
        # 0 is "my first rating": valid for alice, who has not rated.
        ft(
            "rating version",
            act("rate"),
            rate("version"),
            "forms.rate",
            skip=("zero confidence",),
            statuses=VERSION,
        ),
        ft("claim version", act("edit"), edit("version"), "forms.edit", statuses=VERSION),
        ft(
            "version to dismiss",
            act("dismiss"),
            lambda v, ids: {"dismiss-version": v, "dismiss-reason": "Opinion."},
            "forms.dismiss",
            statuses=VERSION,
        ),
        ft(
            "version to approve",
            act("approve", "proposed"),
            lambda v, ids: {"approve-version": v},
            "forms.approve",
            as_="frank",
            statuses=VERSION,
        ),
    ],
    LABEL: [
        ft("rating label", act("rate"), rate("label"), "forms.rate"),
        ft("annotation label", act("annotate"), annotate("label"), "forms.annotate"),
        ft("verdict label", act("propose"), propose("label"), "forms.propose", as_="erin"),
    ],
    URL: [
        ft("source address", act("source"), source("url"), "forms.source"),
        ft("archived copy", act("source"), source("archive_url"), "forms.source", skip=OPTIONAL),
        # Refused before anything is fetched: no request leaves the machine.
        ft("page to import", IMPORT, lambda v, ids: {"source": "web", "web-url": v}, "url_form"),
        ft(
            "article's address",
            IMPORT,
            lambda v, ids: paste()({"paste-url": v}, ids),
            "text_form",
            skip=OPTIONAL,
        ),
    ],
    DATE: [
        ft("claim's date", act("edit"), edit("date"), "forms.edit"),
        ft("new claim's date", ADD, add("date"), "add_form"),
        ft("source's publication", act("source"), source("published"), "forms.source"),
        ft(
            "article's publication",
            IMPORT,
            lambda v, ids: paste()({"paste-published": v}, ids),
            "text_form",
        ),
    ],
    CLAIM_TYPES: [
        # One checkbox ticked is a string in a form: "types as a string" is valid here.
        ft("claim's types", act("edit"), edit("types"), "forms.edit", skip=("types as a string",)),
        ft("new claim's types", ADD, add("types"), "add_form", skip=("types as a string",)),
    ],
    FIGURES: [
        # A figure is typed in a text box: "12" is how anyone enters one.
        ft("claim's figure", act("edit"), figure, "forms.edit", skip=("figure as text",)),
    ],
}


# --- the scene ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def scene(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Any]:
    """Made once for the module, in a transaction rolled back at its end; each test runs in a
    savepoint inside it. Clients check CSRF as a browser's requests are checked."""
    with (
        django_db_blocker.unblock(),
        transaction.atomic(),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
    ):
        people: dict[str, Any] = {
            name: UserFactory(username=name, roles=[role])
            for name, role in (("alice", "reviewer"), ("erin", "editor"), ("frank", "editor"))
        }
        clients = {}
        for name, user in people.items():
            client = Client(enforce_csrf_checks=True)
            client.force_login(user)
            client.get("/articles/import/")  # the page sets the CSRF cookie
            clients[name] = client
        yield _ids(people["alice"], people["erin"], people["frank"]), clients
        transaction.set_rollback(True)


def _ids(reviewer, editor, second_editor):  # untyped: factories, to mypy, are not models
    people = {"reviewer": reviewer, "editor": editor, "second_editor": second_editor}
    claim = advance(ClaimFactory(), ClaimStatus.IN_REVIEW, **people)
    note = notes.annotation_create(
        actor=reviewer, claim=claim, start=claim.start, end=claim.end, label="figure"
    )
    proposed = advance(ClaimFactory(), ClaimStatus.PROPOSED, **people)
    published = advance(ClaimFactory(), ClaimStatus.PUBLISHED, **people)
    return {
        "claim": claim.pk,
        "version": claim.version,
        "claim_version": claim.version,
        "article": claim.article_id,
        "start": claim.start,
        "end": claim.end,
        "annotation": note.pk,
        "annotation_version": note.version,
        "proposed": proposed.pk,
        "proposed_version": proposed.version,
        "published": published.pk,
        "published_version": published.version,
    }


@pytest.fixture
def ids(scene: Any, db: None) -> dict[str, Any]:
    return scene[0]


@pytest.fixture
def web(scene: Any, db: None) -> dict[str, Client]:
    return scene[1]


def token(client: Client) -> str:
    return client.cookies[settings.CSRF_COOKIE_NAME].value


def post(
    client: Client, url: str, data: Any, *, content_type: str | None = None, multipart: bool = False
) -> Any:
    if multipart:
        return client.post(url, {**data, "csrfmiddlewaretoken": token(client)})  # type: ignore[dict-item]
    if content_type is not None:  # a raw body: the token goes in the header, as htmx sends it
        return client.generic(
            "POST", url, data, content_type=content_type, HTTP_X_CSRFTOKEN=token(client)
        )
    body = urlencode({**data, "csrfmiddlewaretoken": token(client)}, doseq=True)  # type: ignore[dict-item]
    return client.generic("POST", url, body, content_type="application/x-www-form-urlencoded")


def shown_errors(response: Any, form: str) -> list[str]:
    """The messages the page shows for the form: its field and form errors, or the refusal."""
    context = response.context
    if context is None:
        return []
    found: list[str] = []
    if form.startswith("forms."):
        bound = (context.get("forms") or {}).get(form.split(".", 1)[1])
    else:
        bound = context.get(form)
    if bound is not None and bound.is_bound:
        found += [m for messages in bound.errors.values() for m in messages]
    if context.get("refusal"):
        found.append(context["refusal"])
    return found


def refused(
    client: Client,
    url: str,
    data: Any,
    form: str,
    *,
    statuses: frozenset[int] = frozenset({400}),
    multipart: bool = False,
) -> None:
    before = db_fingerprint()
    response = post(client, url, data, multipart=multipart)
    after = db_fingerprint()
    where = f"POST {url} {str(data)[:100]!r}"
    assert response.status_code in statuses, (where, response.status_code)
    assert after == before, f"{where} changed the database: {changed(before, after)}"
    messages = shown_errors(response, form)
    assert messages, f"{where}: the page shows no error for {form}"
    page = response.content.decode()
    assert any(escape(m) in page for m in messages), (where, messages)


# --- fields ---------------------------------------------------------------------------------


def exercised(surface: str, rounds: int = 1) -> list[tuple[FormTarget, Case]]:
    """Each case to ``rounds`` of the forms that take it, in turn, and each form at least one
    case. (The API gets every case in every field: a request there costs a few milliseconds,
    a refused form redraws the whole page. The forms check the shape of what is typed; the
    services, which both call, check the rest.)"""
    targets = TARGETS[surface]
    takes = {
        t.name: [c for c in cases(surface) if c.name not in t.skip and form_value(c) is not SKIP]
        for t in targets
    }
    chosen: list[tuple[FormTarget, Case]] = []
    for k, case in enumerate(cases(surface)):
        takers = [t for t in targets if case in takes[t.name]]
        for j in range(min(rounds, len(takers))):
            chosen.append((takers[(k + j) % len(takers)], case))
    for t in targets:
        if takes[t.name] and not any(pair[0] is t for pair in chosen):
            chosen.append((t, takes[t.name][0]))
    return chosen


@pytest.mark.parametrize(
    ("target", "case"),
    [pytest.param(t, c, id=f"{t.name}-{c.name}") for s in TARGETS for t, c in exercised(s)],
)
def test_each_form_field_refuses_each_bad_value(target: FormTarget, case: Case, ids, web):
    data = target.data(form_value(case), ids)
    refused(web[target.as_], target.url.format(**ids), data, target.form, statuses=target.statuses)


@pytest.mark.parametrize("case", cases(ARTICLE_FILE), ids=[c.name for c in cases(ARTICLE_FILE)])
def test_the_upload_form_refuses_each_bad_file(case: Case, web):
    data = form_value(case) if case.name == "oversized article" else case.value
    data = data.encode() if isinstance(data, str) else data
    refused(
        web["alice"],
        IMPORT,
        {"source": "upload", "upload-file": SimpleUploadedFile("article.txt", data)},
        "upload_form",
        multipart=True,
    )


# --- bodies a form does not read ------------------------------------------------------------

FORMS_FOR_BODIES = [act("comment"), act("dismiss"), IMPORT, ADD]


@pytest.mark.parametrize(
    "case",
    cases(JSON_BODY) + cases(CONTENT_TYPE),
    ids=[c.name for c in cases(JSON_BODY) + cases(CONTENT_TYPE)],
)
def test_a_body_a_form_cannot_read_is_a_400_and_changes_nothing(case: Case, ids, web):
    if case.name == "oversized article":
        # A form body over the upload limit: Django refuses it before any view (400).
        body = urlencode({"comment-body": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)})
        content_type = "application/x-www-form-urlencoded"
    elif isinstance(case.value, tuple):
        content_type, body = case.value
    else:
        content_type, body = "application/json", case.value
    for url in FORMS_FOR_BODIES:
        before = db_fingerprint()
        response = post(web["alice"], url.format(**ids), body, content_type=content_type)
        assert response.status_code == 400, (url, response.status_code)
        assert db_fingerprint() == before


# --- CSRF -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        IMPORT,
        ADD,
        act("comment"),
        act("rate"),
        act("source"),
        act("annotate"),
        act("dismiss"),
        "/claims/{claim}/annotations/{annotation}/edit/",
        "/accounts/tokens/",
    ],
)
def test_a_form_posted_without_the_csrf_token_is_refused_and_changes_nothing(url, ids, web):
    before = db_fingerprint()
    response = web["alice"].post(url.format(**ids), {"comment-body": "Hello."})
    assert response.status_code == 403
    assert "CSRF" in response.content.decode()
    assert db_fingerprint() == before


# --- odd but valid text: stored exactly, shown escaped --------------------------------------


def page_text(page: str) -> str:
    """What a reader sees: tags dropped, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def assert_escaped(page: str, text: str) -> None:
    assert escape(text) in page or text in page_text(page), text[:60]
    for raw in (SCRIPT, "<script>document.title", "<img src=x onerror"):
        assert raw not in page, raw


@pytest.mark.parametrize(
    "case",
    cases(ARTICLE_TEXT, accepted=True),
    ids=[c.name for c in cases(ARTICLE_TEXT, accepted=True)],
)
def test_a_pasted_article_with_odd_but_valid_text_is_stored_and_shown_escaped(case, web):
    response = post(web["alice"], IMPORT, {"source": "paste", "paste-text": case.value})
    assert response.status_code == 302, response.status_code
    article = Article.objects.get(pk=int(response["Location"].strip("/").split("/")[-1]))
    # The form stores browser line endings as \n, like every other import path.
    assert article.text == case.value.replace("\r\n", "\n")
    page = web["alice"].get(response["Location"]).content.decode()
    for line in article.text.splitlines():
        if line.strip():
            assert line in page_text(page), line
    assert_escaped(page, article.text.splitlines()[0])


@pytest.mark.parametrize(
    "case",
    cases(TEXT_FIELD, accepted=True),
    ids=[c.name for c in cases(TEXT_FIELD, accepted=True)],
)
def test_odd_but_valid_text_in_every_form_is_stored_exactly_and_shown_escaped(case, ids, web):
    alice, text = web["alice"], case.value
    claim_id = ids["claim"]

    def ok(action: str, data: dict[str, Any]) -> None:
        response = post(alice, f"/claims/{claim_id}/{action}/", data)
        assert response.status_code == 302, (action, response.status_code)

    ok("comment", {"comment-body": text})
    ok("annotate", annotate("comment")(text, ids))
    ok(
        "source",
        source("title")(text, ids)
        | {"source-excerpt": text, "source-url": "https://example.org/odd"},
    )
    ok("rate", rate("justification")(text, ids))
    ok("edit", edit("speaker")(text[:200], ids))
    claim = Claim.objects.get(pk=claim_id)
    ok(
        "propose",
        propose("summary")(text[:2000], {**ids, "version": claim.version})
        | {"propose-justification": text},
    )

    assert Comment.objects.get(claim_id=claim_id, body=text)
    assert Annotation.objects.get(claim_id=claim_id, comment=text)
    use = ClaimSource.objects.select_related("source").get(source__url="https://example.org/odd")
    assert (use.source.title, use.excerpt) == (text, text)
    assert Rating.objects.get(claim_id=claim_id).justification == text
    assert Claim.objects.get(pk=claim_id).speaker == text[:200]
    verdict = services.current_verdict(Claim.objects.get(pk=claim_id))
    assert verdict is not None and verdict.justification == text

    for url in (f"/claims/{claim_id}/", f"/claims/{claim_id}/review/"):
        page = alice.get(url).content.decode()
        assert_escaped(page, text)


# --- how much of the corpus the forms meet --------------------------------------------------


def test_the_forms_meet_at_least_thirty_bad_inputs():
    per_surface = {s: {c.name for _, c in exercised(s)} for s in TARGETS}
    per_surface[ARTICLE_FILE] = {c.name for c in cases(ARTICLE_FILE)}
    per_surface[JSON_BODY] = {c.name for c in cases(JSON_BODY)}
    per_surface[CONTENT_TYPE] = {c.name for c in cases(CONTENT_TYPE)}
    every = set().union(*per_surface.values())
    assert len(every) >= 30, sorted(every)
    assert all(per_surface.values()), per_surface

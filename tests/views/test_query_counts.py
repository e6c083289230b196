"""Each page renders in a fixed number of queries, however many claims there are: measured
with 3 claims, then asserted with pytest-django's query assertion after growing to 30."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotations import services as notes
from claims import services
from claims.models import ClaimStatus
from tests.factories import ArticleFactory, ClaimFactory
from tests.workflow import advance

pytestmark = pytest.mark.django_db
S = ClaimStatus
SENTENCE = "At least {n} soldiers were killed on Sunday, the ministry said. "
SIZES = (3, 30)


@pytest.fixture
def world(reviewer, second_reviewer, editor, second_editor):
    text = "Clashes\n\n" + "".join(SENTENCE.format(n=n + 2) for n in range(max(SIZES)))
    article = ArticleFactory(text=text)
    people = {"reviewer": reviewer, "editor": editor, "second_editor": second_editor}
    made = []

    def grow(to: int) -> None:
        while len(made) < to:
            n = len(made)
            start = text.index(SENTENCE.format(n=n + 2))
            claim = ClaimFactory(
                article=article,
                start=start,
                end=start + len(SENTENCE.format(n=n + 2)) - 1,
                figures=[
                    {"value": n + 2, "hedge": "at_least", "counted": "soldiers", "side": "Armenia"}
                ],
            )
            # A mix of states, so that every list on every page grows with the claims.
            target = (S.PUBLISHED, S.PROPOSED, S.IN_REVIEW)[n % 3]
            if target != S.PUBLISHED:
                services.claim_assign(actor=editor, claim=claim, reviewer=second_reviewer)
            advance(claim, target, **people)
            if target == S.IN_REVIEW:
                notes.rating_submit(
                    actor=second_reviewer,
                    claim=claim,
                    label="true",
                    justification="Matches the report.",
                )
            made.append(claim)

    grow(SIZES[0])
    selected = made[1]  # proposed: a verdict, ratings, assignments
    notes.annotation_create(
        actor=reviewer,
        claim=selected,
        start=selected.start,
        end=selected.start + 8,
        label="figure",
        comment="Hedge.",
    )
    notes.source_attach(
        actor=reviewer,
        claim=selected,
        url="https://example.org/src",
        published="2020-07-20",
        stance="refutes",
    )
    parent = notes.comment_add(actor=reviewer, claim=selected, body="First.")
    notes.comment_add(actor=editor, claim=selected, body="Reply.", parent=parent)
    published = made[0]
    return {"article": article, "grow": grow, "selected": selected, "published": published}


def pages(world, who="reviewer"):
    article, selected, published = world["article"], world["selected"], world["published"]
    editors_only = {
        "agreement": (reverse("agreement"), {}),
        "agreement of an article": (reverse("agreement") + f"?article={article.pk}", {}),
    }
    return (editors_only if who == "editor" else {}) | {
        "dashboard": (reverse("dashboard"), {}),
        "articles": (reverse("article-list"), {}),
        "import": (reverse("article-import"), {}),
        "reader": (reverse("article-detail", args=[article.pk]), {}),
        "claim": (reverse("claim-detail", args=[selected.pk]), {}),
        "panel": (
            reverse("claim-detail", args=[selected.pk]),
            {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "claim-panel"},
        ),
        "review": (reverse("claim-review", args=[selected.pk]), {}),
        "search": (reverse("search") + "?q=soldiers", {}),
        "figures": (reverse("article-figures", args=[article.pk]), {}),
        "all figures": (reverse("contested-figures"), {}),
        "public list": (reverse("public-ratings"), {}),
        "public verdict": (reverse("public-rating", args=[published.pk]), {}),
    }


def measure(client, url, headers):
    client.get(url, **headers)  # warm up: the session, the organisation row
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **headers)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize("who", ["editor", "reviewer"])
def test_every_page_makes_the_same_number_of_queries_for_3_and_30_claims(
    client, world, who, request, django_assert_num_queries
):
    client.force_login(request.getfixturevalue(who))
    small = {name: measure(client, url, h) for name, (url, h) in pages(world, who).items()}
    world["grow"](SIZES[1])
    for name, (url, headers) in pages(world, who).items():
        client.get(url, **headers)
        with django_assert_num_queries(small[name]):
            response = client.get(url, **headers)
        assert response.status_code == 200, name
    # Keep the numbers honest: a page that grew a query per item would have failed above;
    # these ceilings catch a page that quietly became expensive. The claim page and the
    # panel include "Checked before?" (4 queries: claims without a vector, the match index's
    # high-water mark, the matched claims, their verdicts; a 5th when fact-checks match; and 1
    # for the reviewers' decisions on those matches) and, for editors, "Same claim elsewhere"
    # (1 query: near-identical claims of other articles to group) and a correction
    # waiting for approval on a published claim (1).
    assert small["reader"] <= 25 and small["claim"] <= 35 and small["dashboard"] <= 12, small
    assert small["panel"] <= 33 and small["review"] <= 33, small
    if who == "editor":
        assert small["agreement"] <= 10 and small["agreement of an article"] <= 11, small
    print(who, small)


def test_the_big_world_really_is_bigger(client, world, editor):
    world["grow"](SIZES[1])
    client.force_login(editor)
    body = client.get(reverse("article-detail", args=[world["article"].pk])).content.decode()
    assert body.count('class="claim-tag') == SIZES[1]
    public = client.get(reverse("public-ratings")).content.decode()
    assert public.count('class="verdict-item"') == SIZES[1] // 3


def test_checked_before_costs_the_claim_pages_exactly_three_queries(
    client, world, editor, monkeypatch
):
    """The world's claims are worded alike and a third are published, so every claim page
    shows similar published claims: three queries (the index's high-water mark, the claims,
    their verdicts), the same for 3 and 30 claims (above). The look for public claims
    without a vector runs at most every RECHECK_SECONDS, here on the first page."""
    from claims import selectors

    client.force_login(editor)
    surfaces = {n: pages(world, "editor")[n] for n in ("claim", "panel", "review")}
    body = client.get(surfaces["panel"][0], **surfaces["panel"][1]).content.decode()
    assert f"/ratings/{world['published'].pk}/" in body  # the block has something to show
    with_block = {n: measure(client, url, h) for n, (url, h) in surfaces.items()}
    monkeypatch.setattr(selectors, "checked_before", lambda claim, **kw: [])
    without = {n: measure(client, url, h) for n, (url, h) in surfaces.items()}
    assert {n: with_block[n] - without[n] for n in surfaces} == {n: 3 for n in surfaces}

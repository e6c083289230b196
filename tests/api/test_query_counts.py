"""Every list reads in a fixed number of queries, whatever the page size or the number of
items: the same count for a page of 2 and a page of 12."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations import services as notes
from claims import services
from claims.models import ClaimStatus, Organisation
from tests.factories import ArticleFactory, ClaimFactory, ClaimSourceFactory, UserFactory
from tests.workflow import advance, correct

S = ClaimStatus
pytestmark = pytest.mark.django_db
N = 12


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
    assert response.status_code == 200, (url, response.content)
    return len(captured)


@pytest.fixture
def lots(people, reviewer, second_reviewer, editor):
    """N published claims, each with a source the verdict relies on, and N claims in review
    with two ratings apart, comments and annotations."""
    org = Organisation.current()
    org.show_reviewer_names = True
    org.save()
    article = ArticleFactory()
    published = []
    for _ in range(N):
        claim = advance(ClaimFactory(article=ArticleFactory()), S.IN_REVIEW, **people)
        use = ClaimSourceFactory(claim=claim)
        services.claim_propose(
            actor=editor,
            claim=claim,
            label="false",
            summary="s",
            justification="j",
            source_ids=[use.source_id],
        )
        services.claim_approve(actor=people["second_editor"], claim=claim)
        services.claim_publish(actor=people["second_editor"], claim=claim)
        published.append(claim)
    reviewing = []
    for _ in range(N):
        claim = ClaimFactory(article=article)
        services.claim_assign(actor=editor, claim=claim, reviewer=reviewer)
        services.claim_assign(actor=editor, claim=claim, reviewer=second_reviewer)
        notes.rating_submit(actor=reviewer, claim=claim, label="true", justification="j")
        notes.rating_submit(actor=second_reviewer, claim=claim, label="false", justification="j")
        reviewing.append(claim)
    one = reviewing[0]
    for i in range(N):
        notes.comment_add(actor=reviewer, claim=one, body=f"c{i}")
        notes.annotation_create(
            actor=reviewer, claim=one, start=one.start, end=one.end, label="figure"
        )
        ClaimSourceFactory(claim=one, added_by=UserFactory())
    return {"published": published, "reviewing": reviewing, "article": article, "one": one}


PAGED = [
    "/api/v1/claims/",
    "/api/v1/claims/?status=in_review",
    "/api/v1/articles/",
    "/api/v1/sources/",
    "/api/v1/agreement/disagreements/",
    "/api/v1/published/",
    "/api/v1/published/?type=casualty",
]


@pytest.mark.parametrize("url", PAGED)
def test_a_list_costs_the_same_queries_for_any_page_size(
    editor_api, lots, url, django_assert_num_queries
):
    joiner = "&" if "?" in url else "?"
    small = queries(editor_api, f"{url}{joiner}page_size=2")
    with django_assert_num_queries(small):
        response = editor_api.get(f"{url}{joiner}page_size={3 * N}")
    assert len(response.json()["results"]) >= N


def test_the_public_feed_is_cheap(anon_api, lots, django_assert_num_queries):
    # The validators with the labels and the organisation, the page, its sources, and the
    # people (the organisation shows reviewers' names).
    with django_assert_num_queries(4):
        anon_api.get(f"/api/v1/published/?page_size={N}")


def claim_with(k, people, second_reviewer):
    """A proposed claim with k comments, annotations, sources and contributors, and one
    rating (k == 1) or two."""
    claim = advance(ClaimFactory(article=ArticleFactory()), S.IN_REVIEW, **people)
    notes.rating_submit(actor=people["reviewer"], claim=claim, label="false", justification="j")
    if k > 1:
        services.claim_assign(actor=people["editor"], claim=claim, reviewer=second_reviewer)
        notes.rating_submit(actor=second_reviewer, claim=claim, label="true", justification="j")
    for i in range(k):
        notes.comment_add(actor=people["reviewer"], claim=claim, body=f"c{i}")
        notes.annotation_create(
            actor=people["reviewer"], claim=claim, start=claim.start, end=claim.end, label="figure"
        )
        ClaimSourceFactory(claim=claim, added_by=UserFactory())
    services.claim_propose(
        actor=people["editor"], claim=claim, label="false", summary="s", justification="j"
    )
    for i in range(k - 1):
        services.verdict_amend(
            actor=people["second_editor"],
            verdict=claim.verdicts.get(),
            expected_version=claim.verdicts.get().version,
            summary=f"s{i}",
        )
    return claim


@pytest.mark.parametrize(
    "path",
    ["annotations/", "comments/", "sources/", "ratings/", "history/", "verdicts/", ""],
)
def test_a_claims_parts_cost_the_same_queries_however_many_there_are(
    editor_api, people, second_reviewer, path, django_assert_num_queries
):
    few = claim_with(1, people, second_reviewer)
    many = claim_with(N, people, second_reviewer)
    small = queries(editor_api, f"/api/v1/claims/{few.pk}/{path}")
    with django_assert_num_queries(small):
        editor_api.get(f"/api/v1/claims/{many.pk}/{path}")


def test_an_articles_detail_costs_the_same_queries_however_many_claims(
    editor_api, lots, django_assert_num_queries
):
    small_article = ArticleFactory()
    ClaimFactory(article=small_article)
    small = queries(editor_api, f"/api/v1/articles/{small_article.pk}/")
    with django_assert_num_queries(small):
        editor_api.get(f"/api/v1/articles/{lots['article'].pk}/")


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_exports_cost_the_same_queries_for_any_number_of_rows(
    anon_api, lots, people, fmt, django_assert_num_queries
):
    one_article = lots["published"][0].article_id
    small = queries(anon_api, f"/api/v1/published/export.{fmt}?article={one_article}")
    with django_assert_num_queries(small):
        response = anon_api.get(f"/api/v1/published/export.{fmt}")
        body = b"".join(response.streaming_content)
    assert body.count(b"\n") >= N


def test_a_published_detail_with_versions_is_cheap(
    anon_api, lots, people, django_assert_num_queries
):
    claim = lots["published"][0]
    for i in range(3):
        correct(claim, proposer=people["second_editor"], approver=people["editor"], note=f"n{i}")
    # Its editions with the validators, the labels and the organisation; the current one's
    # sources; the people.
    with django_assert_num_queries(3):
        response = anon_api.get(f"/api/v1/published/{claim.pk}/")
    assert len(response.json()["versions"]) == 4

"""The public feed reads its rows with SQL written by hand (``claims.selectors.published_page``,
``published_rating``, ``public_state``) and pages them with DRF's cursor pagination over
that query, for speed. The references stay the ORM's: ``PublishedFilterSet.filter_queryset``
over ``published_verdicts()`` (the exports use it) and DRF's ``CursorPagination`` over that
queryset. These tests hold the feed to the same rows, in the same order, with the same
``next`` and ``previous`` links, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any
from urllib.parse import quote

import pytest
from django.test import RequestFactory
from django.utils import timezone
from rest_framework.request import Request

from claims import selectors, services
from claims.api.filters import PublishedFilterSet
from claims.models import ClaimStatus, Organisation, RatingLabel, Verdict
from tests.api.conftest import problem
from tests.factories import ArticleFactory, ClaimFactory
from tests.workflow import advance
from workbench.api.pagination import PublicCursorPagination

S = ClaimStatus
pytestmark = pytest.mark.django_db

NOON = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def feed(people):
    """Published ratings with speakers, types, articles and labels to filter on, publication
    times on both sides of midnight in Yerevan (UTC+4), and three published at the same
    instant, which cursors can only tell apart by an offset. Also a corrected, a retracted
    and an unpublished claim."""
    first, second = ArticleFactory(title="Ceasefire talks"), ArticleFactory(title="Elections")
    speakers = [
        "Defence Ministry",
        "The president",
        "50% of voters",
        "under_score",
        "Ödön Ünal",
        "the ministry",
        "",
        "Defence ministry spokesman",
    ]
    claims = []
    for i, speaker in enumerate(speakers):
        claim = ClaimFactory(
            article=first if i % 2 else second,
            speaker=speaker,
            types=["quote"] if i % 3 == 0 else ["casualty", "event"],
        )
        claims.append(advance(claim, S.CORRECTED if i == 5 else S.PUBLISHED, **people))
    times = [
        NOON,
        NOON,
        NOON,  # a tie
        NOON - dt.timedelta(hours=13),  # 23:00 UTC on the 9th: the 10th in Yerevan
        NOON - dt.timedelta(hours=17),  # 19:00 UTC on the 9th: the 9th in Yerevan
        NOON + dt.timedelta(days=1),
        NOON - dt.timedelta(days=3),
        NOON + dt.timedelta(minutes=5),
    ]
    for claim, when in zip(claims, times, strict=True):
        Verdict.objects.filter(claim=claim, state="published").update(published_at=when)
    Verdict.objects.filter(claim=claims[1], state="published").update(
        label=RatingLabel.objects.get(slug="true")
    )
    advance(ClaimFactory(article=first, speaker="Defence Ministry"), S.RETRACTED, **people)
    advance(ClaimFactory(article=first, speaker="Defence Ministry"), S.APPROVED, **people)
    return {"claims": claims, "articles": (first, second)}


def orm_ids(query: str) -> list[int]:
    """The feed's claims for ``query`` as the ORM filter set and DRF's pagination give them."""
    request = Request(RequestFactory().get(f"/api/v1/published/?{query}"))
    filterset = PublishedFilterSet(
        request.query_params, queryset=selectors.published_verdicts(), request=request
    )
    assert filterset.is_valid(), filterset.errors
    pagination = PublicCursorPagination()
    page: list[Any] | None = pagination.paginate_queryset(filterset.qs, request)
    assert page is not None
    return [verdict.claim_id for verdict in page]


def listed(client, query: str) -> list[int]:
    response = client.get(f"/api/v1/published/?{query}")
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


QUERIES = [
    "",
    "label=true",
    "label=mostly-false",
    "label=no-such-label",
    "type=quote",
    "type=casualty",
    "speaker=defence",
    "speaker=MINISTRY",
    "speaker=50%25",
    "speaker=%25",
    "speaker=_",
    "speaker=under_",
    "speaker=%C3%B6d%C3%B6n",
    "speaker=%C3%96d%C3%B6n",
    "since=2026-03-10",
    "until=2026-03-09",
    "since=2026-03-09&until=2026-03-10",
    "since=0001-01-01",
    "until=9999-12-31",
    "q=ministry",
    "q=soldiers killed",
    "q=nothing-like-this",
    "type=casualty&speaker=ministry&since=2026-03-01",
]


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("zone", ["UTC", "Asia/Yerevan"])
def test_the_feed_lists_what_the_orm_filter_set_lists(anon_api, feed, settings, query, zone):
    settings.TIME_ZONE = zone
    assert listed(anon_api, f"{query}&page_size=200") == orm_ids(f"{query}&page_size=200")


def test_the_feed_filters_by_article(anon_api, feed):
    for article in feed["articles"]:
        query = f"article={article.pk}"
        assert listed(anon_api, query) == orm_ids(query) != []


def test_days_are_the_current_time_zones(anon_api, feed, settings):
    late = feed["claims"][3].pk  # 23:00 UTC on 9 March
    settings.TIME_ZONE = "UTC"
    assert late in listed(anon_api, "until=2026-03-09")
    settings.TIME_ZONE = "Asia/Yerevan"
    assert late not in listed(anon_api, "until=2026-03-09")
    assert late in listed(anon_api, "since=2026-03-10&until=2026-03-10")


def pages(client, url: str, direction: str) -> list[tuple[list[int], str | None, str | None]]:
    """Every page from ``url`` following ``direction`` links: ids, next, previous."""
    seen = []
    while url:
        body = client.get(url).json()
        seen.append(([item["id"] for item in body["results"]], body["next"], body["previous"]))
        url = body[direction]
    return seen


def orm_pages(url: str, direction: str) -> list[tuple[list[int], str | None, str | None]]:
    seen = []
    while url:
        request = Request(RequestFactory().get(url))
        pagination = PublicCursorPagination()
        page = pagination.paginate_queryset(selectors.published_verdicts(), request)
        assert page is not None
        following = pagination.get_next_link(), pagination.get_previous_link()
        seen.append(([verdict.claim_id for verdict in page], *following))
        url = (following[0] if direction == "next" else following[1]) or ""
    return seen


@pytest.mark.parametrize("size", [1, 2, 3, 5])
def test_cursors_links_and_ties_are_drf_paginations(anon_api, feed, size):
    start = f"http://testserver/api/v1/published/?page_size={size}"
    forward = pages(anon_api, start, "next")
    assert forward == orm_pages(start, "next")
    assert sorted(i for ids, _, _ in forward for i in ids) == sorted(orm_ids("page_size=200"))
    back = pages(anon_api, forward[-1][2], "previous")
    assert back == orm_pages(forward[-1][2], "previous")
    # Turning back in the middle of the tie (an offset cursor) too.
    middle = forward[len(forward) // 2]
    if middle[1]:
        assert pages(anon_api, middle[1], "previous") == orm_pages(middle[1], "previous")


def cursor(text: str) -> str:
    return quote(base64.b64encode(text.encode()).decode())


@pytest.mark.parametrize("position", ["garbage", "", "2026-13-01", "99999-01-01 00:00"])
def test_a_cursor_at_no_time_is_a_400(anon_api, feed, position):
    response = anon_api.get(f"/api/v1/published/?cursor={cursor(f'p={position}')}")
    assert response.status_code == 400
    # The ORM's own message for a value that is not a time stamp.
    assert f"“{position}” value has" in problem(response)["detail"]


@pytest.mark.parametrize(
    "raw",
    [
        "o=3&p=2026-03-10 12:00:00%2B00:00",
        "r=1&p=2026-03-10 12:00:00%2B00:00",
        "o=2",
        "r=1&o=1&p=2026-03-09 20:00:00%2B04:00",
    ],
)
def test_a_hand_made_cursor_pages_as_drf_does(anon_api, feed, raw):
    url = f"http://testserver/api/v1/published/?page_size=2&cursor={cursor(raw)}"
    assert pages(anon_api, url, "next") == orm_pages(url, "next")


def test_the_validators_need_one_query_and_see_every_change(
    anon_api, feed, people, django_assert_num_queries
):
    Organisation.current()
    with django_assert_num_queries(1):
        state = selectors.public_state()
    assert state.count == 9  # the published, the corrected and the retracted
    assert [label[1] for label in state.labels] == list(
        RatingLabel.objects.order_by("pk").values_list("slug", flat=True)
    )
    assert state.organisation == Organisation.current()
    claim = feed["claims"][0]
    services.claim_retract(actor=people["second_editor"], claim=claim, reason="r")
    after = selectors.public_state()
    assert after.last_changed > state.last_changed and after.count == state.count
    assert selectors.public_state(claim.pk).status == S.RETRACTED
    assert selectors.public_state(2**63).status is None


def test_the_organisation_is_made_on_first_use(anon_api, feed):
    Organisation.objects.all().delete()
    response = anon_api.get("/api/v1/published/")
    assert response.status_code == 200
    assert response.json()["results"][0]["claimreview"]["author"]["name"] == "Claim Workbench"
    assert Organisation.objects.count() == 1


def test_times_are_aware_and_as_the_orm_reads_them(feed):
    (row,) = selectors.published_page(selectors.FeedFilters(), limit=1)
    verdict = Verdict.objects.get(pk=row["id"])
    assert row["published_at"] == verdict.published_at and timezone.is_aware(row["published_at"])
    assert str(row["published_at"]) == str(verdict.published_at)  # a cursor's position
    state, editions = selectors.published_rating(row["claim_id"])
    assert editions[0]["claim__updated_at"] == state.last_changed == verdict.claim.updated_at
    assert editions[0]["claim__types"] == verdict.claim.types

"""The public feed's JSON is built by plain functions over values (claims.api.public's
``published_items`` and ``published_detail``), for speed; the DRF serializers that document
the feed stay the reference. These tests hold the two to the same bytes, over the cases the
JSON branches on."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import prefetch_related_objects
from django.test import RequestFactory
from django.utils import timezone
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request

from claims import selectors, services
from claims.api.public import (
    PublishedDetailSerializer,
    PublishedItemSerializer,
    published_detail,
    published_items,
)
from claims.models import ClaimStatus, Organisation, RatingLabel, Verdict
from tests.factories import ArticleFactory, ClaimFactory, ClaimSourceFactory, SourceFactory
from tests.workflow import advance, correct

S = ClaimStatus
pytestmark = pytest.mark.django_db


@pytest.fixture
def varied(people):
    """Published ratings that take every branch of the item and its ClaimReview."""
    plain = advance(ClaimFactory(article=ArticleFactory()), S.IN_REVIEW, **people)
    relied = ClaimSourceFactory(
        claim=plain,
        stance="refutes",
        excerpt="Ten died.",
        source__title="b report",
        source__published=dt.date(2031, 1, 1),
    )
    other = ClaimSourceFactory(
        claim=plain, stance="", excerpt="", source__title="A Report", source__published=None
    )
    services.claim_propose(
        actor=people["editor"],
        claim=plain,
        label="false",
        summary="s" * 200,
        justification="j",
        source_ids=[relied.source_id, other.source_id],
    )
    services.claim_approve(actor=people["second_editor"], claim=plain)
    services.claim_publish(actor=people["second_editor"], claim=plain)
    # A source the verdict relies on that the claim has no record of using: no stance.
    Verdict.objects.get(claim=plain, state="published").sources.add(SourceFactory(title="c"))

    bare_article = ArticleFactory(url="", outlet="", published=None)
    unspoken = advance(
        ClaimFactory(article=bare_article, speaker="", date=None), S.PUBLISHED, **people
    )
    outlet_article = ArticleFactory(outlet="Example News", published=dt.date(2020, 7, 18))
    by_outlet = advance(
        ClaimFactory(article=outlet_article, speaker="", types=["event", "quote"]),
        S.PUBLISHED,
        **people,
    )
    ministry = advance(
        ClaimFactory(speaker="Defence Ministry", date=dt.date(2020, 7, 16)), S.PUBLISHED, **people
    )
    corrected = advance(ClaimFactory(speaker="Nikol Pashinyan"), S.PUBLISHED, **people)
    correct(
        corrected,
        proposer=people["second_editor"],
        approver=people["editor"],
        label="misleading",
        summary="Out of context.",
        note="New footage.",
    )
    return [plain, unspoken, by_outlet, ministry, corrected]


def request_for(path):
    return Request(RequestFactory().get(path, HTTP_HOST="testserver"))


def reference_page(request, organisation):
    """The feed as the serializers build it, from model instances."""
    verdicts = list(
        selectors.published_verdicts().select_related("author", "approved_by", "published_by")
    )
    prefetch_related_objects(verdicts, "sources", "claim__claim_sources")
    context = {"request": request, "organisation": organisation}
    return PublishedItemSerializer(verdicts, many=True, context=context).data


def fast_page(request, organisation):
    rows = selectors.published_page(selectors.FeedFilters(), limit=100)
    return published_items(rows, request, organisation, selectors.public_state())


def rendered(data):
    return JSONRenderer().render(data)


@pytest.mark.parametrize("show_names", [False, True])
def test_the_fast_feed_writes_the_serializers_bytes(varied, show_names):
    org = Organisation.current()
    org.show_reviewer_names = show_names
    org.logo_url = "https://example.org/logo.png" if show_names else ""
    org.save()
    request = request_for("/api/v1/published/")
    reference = reference_page(request, org)
    assert len(reference) == 5
    assert rendered(fast_page(request, org)) == rendered(reference)


def test_the_fast_feed_writes_times_in_the_current_time_zone(varied, settings):
    settings.TIME_ZONE = "Asia/Yerevan"
    org = Organisation.current()
    request = request_for("/api/v1/published/")
    fast = fast_page(request, org)
    assert fast[0]["published_at"].endswith("+04:00")
    assert rendered(fast) == rendered(reference_page(request, org))


def test_the_fast_feed_shows_a_renamed_label_at_once(varied):
    RatingLabel.objects.filter(slug="false").update(name="Wrong", alternate_name="Wrong")
    org = Organisation.current()
    request = request_for("/api/v1/published/")
    fast = fast_page(request, org)
    assert {item["rating"]["name"] for item in fast} >= {"Wrong"}
    assert rendered(fast) == rendered(reference_page(request, org))


@pytest.mark.parametrize("which", range(5))
def test_the_fast_detail_writes_the_serializers_bytes(varied, which):
    claim = varied[which]
    org = Organisation.current()
    org.show_reviewer_names = True
    org.save()
    request = request_for(f"/api/v1/published/{claim.pk}/")
    state, editions = selectors.published_rating(claim.pk)
    shown = [v for v in editions if v["state"] in ("published", "superseded")]
    fast = published_detail(shown, request, org, state)

    versions = [
        v
        for v in Verdict.objects.filter(claim=claim)
        .select_related("claim__article", "label__scale", "author", "approved_by", "published_by")
        .order_by("-edition")
        if v.state in (Verdict.State.PUBLISHED, Verdict.State.SUPERSEDED)
    ]
    current = next(v for v in versions if v.state == Verdict.State.PUBLISHED)
    prefetch_related_objects([current], "sources", "claim__claim_sources")
    context = {"request": request, "organisation": org, "versions": versions}
    reference = PublishedDetailSerializer(current, context=context).data
    assert rendered(fast) == rendered(reference)
    assert len(fast["versions"]) == (2 if which == 4 else 1)


def test_a_retracted_rating_has_no_fast_detail(varied, people):
    claim = varied[3]
    services.claim_retract(actor=people["second_editor"], claim=claim, reason="r")
    state, editions = selectors.published_rating(claim.pk)
    assert state.status == S.RETRACTED
    assert [v["state"] for v in editions] == ["retracted"]
    assert editions[0]["retracted_at"] <= timezone.now()
    shown = [v for v in editions if v["state"] in ("published", "superseded")]
    request = request_for(f"/api/v1/published/{claim.pk}/")
    assert published_detail(shown, request, Organisation.current(), state) is None


def test_an_unpublished_claim_has_no_published_rating(claim, people):
    assert selectors.published_rating(claim.pk) is None
    assert selectors.published_rating(advance(claim, S.APPROVED, **people).pk) is None


# --- the response cache (WORKBENCH_PUBLIC_API_RESPONSE_CACHE) ------------------------------


def headers(response):
    return {k: v for k, v in response.items() if k not in ("Date",)}


@pytest.mark.parametrize(
    "path", ["/api/v1/published/", "/api/v1/published/?label=misleading", "detail"]
)
def test_a_cached_answer_is_the_same_bytes_and_headers_for_fewer_queries(
    anon_api, varied, settings, path, django_assert_num_queries
):
    path = f"/api/v1/published/{varied[4].pk}/" if path == "detail" else path
    built = anon_api.get(path)
    settings.PUBLIC_API_RESPONSE_CACHE_SECONDS = 60
    stored = anon_api.get(path)
    validators = 1  # the public state, labels and organisation (or the rating's rows)
    with django_assert_num_queries(validators):
        kept = anon_api.get(path)
    assert kept.status_code == stored.status_code == built.status_code == 200
    assert kept.content == stored.content == built.content
    assert headers(kept) == headers(stored) == headers(built)


def test_a_cached_feed_changes_as_soon_as_something_is_published(
    anon_api, varied, settings, people
):
    settings.PUBLIC_API_RESPONSE_CACHE_SECONDS = 60
    before = anon_api.get("/api/v1/published/").json()["results"]
    assert anon_api.get("/api/v1/published/").json()["results"] == before
    new = advance(ClaimFactory(), S.PUBLISHED, **people)
    after = anon_api.get("/api/v1/published/").json()["results"]
    assert [i["id"] for i in after] == [new.pk] + [i["id"] for i in before]


def test_a_cached_rating_is_gone_as_soon_as_it_is_retracted(anon_api, varied, settings, people):
    settings.PUBLIC_API_RESPONSE_CACHE_SECONDS = 60
    path = f"/api/v1/published/{varied[0].pk}/"
    assert anon_api.get(path).status_code == anon_api.get(path).status_code == 200
    services.claim_retract(actor=people["second_editor"], claim=varied[0], reason="r")
    assert anon_api.get(path).status_code == 410


def test_a_cached_page_is_kept_apart_for_another_media_type(anon_api, varied, settings):
    settings.PUBLIC_API_RESPONSE_CACHE_SECONDS = 60
    compact = anon_api.get("/api/v1/published/", HTTP_ACCEPT="application/json")
    indented = anon_api.get("/api/v1/published/", HTTP_ACCEPT="application/json; indent=2")
    assert b"\n  " in indented.content and b"\n" not in compact.content
    again = anon_api.get("/api/v1/published/", HTTP_ACCEPT="application/json")
    assert again.content == compact.content

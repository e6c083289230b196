"""Full-text search over claims: text, speaker and article title, kept current."""

from __future__ import annotations

import pytest
from django.db import connection

from claims import services
from claims.models import Article, Claim
from claims.selectors import ClaimFilters, filter_claims, search_claims
from tests.scale.helpers import claims_in, on_postgresql

pytestmark = pytest.mark.django_db


def found(query: str) -> list[str]:
    return [c.text for c in search_claims(Claim.objects.all(), query)]


@pytest.fixture
def claims():
    first = claims_in(
        [
            "At least 12 soldiers were killed in Tovuz on Sunday.",
            "The ministry denied that a drone attack took place.",
        ],
        title="Border clashes in the Caucasus",
    )
    second = claims_in(["Unemployment fell to 12.5 percent in March."], title="Jobs report")
    Claim.objects.filter(pk=first[1].pk).update(speaker="Sushan Stepanyan")
    return first + second


def test_it_finds_claims_by_a_word_of_their_text(claims):
    assert found("soldiers") == [claims[0].text]
    assert found("unemployment") == [claims[2].text]


def test_it_finds_claims_by_their_speaker(claims):
    assert found("Stepanyan") == [claims[1].text]


def test_it_finds_claims_by_their_articles_title(claims):
    assert set(found("Caucasus")) == {claims[0].text, claims[1].text}


def test_every_word_must_match(claims):
    assert found("soldiers Caucasus") == [claims[0].text]
    assert found("soldiers unemployment") == []


def test_an_empty_query_leaves_the_claims_as_they_were(claims):
    qs = Claim.objects.all()
    assert search_claims(qs, "   ") is qs


def test_filters_and_search_combine(claims):
    filters = ClaimFilters(q="Caucasus", article=claims[0].article_id)
    qs = filter_claims(Claim.objects.all(), filters)
    assert {c.pk for c in qs} == {claims[0].pk, claims[1].pk}


def test_an_edited_claim_is_found_by_its_new_words_only(claims, reviewer):
    claim = claims[1]
    services.claim_update(
        actor=reviewer, claim=claim, expected_version=claim.version, speaker="Artsrun Hovhannisyan"
    )
    assert found("Hovhannisyan") == [claim.text]
    assert found("Stepanyan") == []


def test_a_retitled_article_is_found_by_its_new_title(claims):
    article = Article.objects.get(pk=claims[2].article_id)
    article.title = "Labour market figures"
    article.save()
    assert found("labour") == [claims[2].text]
    assert found("jobs") == []


@pytest.mark.skipif(not on_postgresql(), reason="stemming and ranking are PostgreSQL's")
def test_postgresql_stems_words_and_ranks_text_above_title(db):
    in_title, in_text = claims_in(
        ["Several hundred people were evacuated.", "Wildfires burned near the coast."],
        title="Wildfire season",
    )
    results = list(search_claims(Claim.objects.all(), "wildfire"))
    assert [c.pk for c in results] == [in_text.pk, in_title.pk]
    assert results[0].search_rank > results[1].search_rank


@pytest.mark.skipif(not on_postgresql(), reason="the GIN index is PostgreSQL's")
def test_the_search_uses_the_gin_index(claims):
    qs = search_claims(Claim.objects.all(), "soldiers")
    with connection.cursor() as cursor:
        # A handful of rows: make the planner show whether it *can* use the index.
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = qs.explain()
    assert "claims_claim_search_vector_gin" in plan


@pytest.mark.skipif(not on_postgresql(), reason="the vector is PostgreSQL's")
def test_the_vector_is_written_by_the_database_not_by_python(claims):
    vector = Claim.objects.values_list("search_vector", flat=True).get(pk=claims[1].pk)
    assert "'stepanyan':" in vector and "'caucasus':" in vector

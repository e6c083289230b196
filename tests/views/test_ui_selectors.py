"""The selectors added for the web pages: search of articles and speakers, the reviewers an
editor can assign, contested figures between claims."""

from __future__ import annotations

import pytest

from claims import selectors
from claims.models import Article, Claim
from tests.factories import ArticleFactory, ClaimFactory

pytestmark = pytest.mark.django_db


def test_search_articles_matches_every_word_of_title_byline_or_outlet():
    wanted = ArticleFactory(title="Border clashes in the Caucasus", outlet="WSWS")
    ArticleFactory(title="Budget talks")
    found = list(selectors.search_articles(Article.objects.all(), "caucasus clashes"))
    assert found == [wanted]
    assert list(selectors.search_articles(Article.objects.all(), "wsws")) == [wanted]
    assert not selectors.search_articles(Article.objects.all(), "   ").exists()


def test_search_speakers_counts_active_claims_per_speaker(article):
    ClaimFactory(article=article, speaker="Kerim Veliyev")
    ClaimFactory(article=article, speaker="Kerim Veliyev")
    ClaimFactory(article=article, speaker="Dmitry Peskov")
    ClaimFactory(article=article, speaker="Kerim Veliyev", superseded=True)
    assert selectors.search_speakers("veliyev") == [{"speaker": "Kerim Veliyev", "claims": 2}]
    assert selectors.search_speakers("") == []


def test_reviewers_are_people_with_the_review_role(reviewer, second_reviewer, editor, outsider):
    names = [u.username for u in selectors.reviewers()]
    assert set(names) == {"alice", "bob", "erin"}  # editors review too; oscar has no role


def test_contested_between_claims_needs_two_claims_and_puts_casualties_first(sample_article):
    groups = selectors.contested_between_claims(Claim.objects.filter(article=sample_article))
    assert groups, "the sample's two Armenian casualty counts disagree"
    first = groups[0]
    assert (first.counted, first.side) == ("soldier", "Armenia")
    assert sorted(i.value for i in first.claims) == [4, 100]
    assert {i.speaker for i in first.claims} >= {"Kerim Veliyev"}
    for group in groups:
        assert len({i.claim.pk for i in group.claims}) > 1

""" "More sentences": the sentences below the threshold, and promoting one to a claim."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from claims import selectors, services
from claims.errors import Conflict
from claims.extraction import CLAIM_THRESHOLD, rank
from claims.models import Claim, ClaimHistory
from claims.services import article_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(sample_text, editor):
    return article_import(actor=editor, text=sample_text).article


def below(article):
    return selectors.more_sentences(article, list(article.claims.active()))


def test_more_sentences_are_the_uncovered_sentences_below_the_threshold_best_first(imported):
    rest = below(imported)
    assert rest
    assert [r.score for r in rest] == sorted((r.score for r in rest), reverse=True)
    assert all(not r.claim and r.score < CLAIM_THRESHOLD for r in rest)
    spans = [(c.start, c.end) for c in imported.claims.active()]
    assert not any(s < r.end and r.start < e for r in rest for s, e in spans)
    every = rank(imported.text, published=imported.published)
    assert len(rest) == sum(
        1 for r in every if not r.claim and not any(s < r.end and r.start < e for s, e in spans)
    )


def test_a_promoted_sentence_keeps_the_machines_verdict(imported, reviewer):
    top = next(r for r in below(imported) if r.types)
    claim = services.claim_promote(actor=reviewer, article=imported, start=top.start, end=top.end)
    assert claim.origin == Claim.Origin.PROMOTED
    assert claim.text == imported.text[top.start : top.end]
    assert claim.score == pytest.approx(top.score) and claim.score < CLAIM_THRESHOLD
    assert claim.machine["claim"] is False and claim.machine["reason"] == top.reason
    assert claim.types == top.types
    history = ClaimHistory.objects.get(claim=claim)
    assert history.action == "added" and history.actor == reviewer
    assert (top.start, top.end) not in {(r.start, r.end) for r in below(imported)}
    # Re-running extraction leaves a person's claim alone.
    services.article_extract_claims(article_id=imported.pk)
    claim.refresh_from_db()
    assert claim.origin == Claim.Origin.PROMOTED and claim.score == pytest.approx(top.score)


def test_the_person_gives_the_types_when_the_engine_gave_none(imported, reviewer):
    untyped = next(r for r in below(imported) if not r.types)
    with pytest.raises(ValidationError, match="claim type"):
        services.claim_promote(
            actor=reviewer, article=imported, start=untyped.start, end=untyped.end
        )
    assert not Claim.objects.filter(origin=Claim.Origin.PROMOTED).exists()
    claim = services.claim_promote(
        actor=reviewer,
        article=imported,
        start=untyped.start,
        end=untyped.end,
        types=["event"],
    )
    assert claim.types == ["event"]


def test_promoting_what_is_not_a_free_sentence_is_refused_and_changes_nothing(imported, reviewer):
    count = Claim.objects.count()
    existing = imported.claims.active().first()
    with pytest.raises(Conflict):
        services.claim_promote(
            actor=reviewer, article=imported, start=existing.start, end=existing.end
        )
    top = below(imported)[0]
    with pytest.raises(ValidationError, match="not one of the article's sentences"):
        services.claim_promote(actor=reviewer, article=imported, start=top.start + 1, end=top.end)
    assert Claim.objects.count() == count


def test_only_those_who_edit_claims_may_promote(imported, outsider):
    top = below(imported)[0]
    with pytest.raises(PermissionDenied):
        services.claim_promote(
            actor=outsider, article=imported, start=top.start, end=top.end, types=["event"]
        )
    assert not Claim.objects.filter(origin=Claim.Origin.PROMOTED).exists()


def test_the_article_page_lists_more_sentences_and_promotes_one(client, imported, reviewer):
    client.force_login(reviewer)
    page = client.get(reverse("article-detail", args=[imported.pk]))
    rest = below(imported)
    html = page.content.decode()
    assert page.status_code == 200 and 'id="more-sentences"' in html
    assert f"{len(rest)} below the threshold" in html
    top = next(r for r in rest if r.types)
    response = client.post(
        reverse("claim-promote", args=[imported.pk]),
        {"start": top.start, "end": top.end, "types": top.types},
    )
    claim = Claim.objects.get(origin=Claim.Origin.PROMOTED)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("claim-detail", args=[claim.pk]))
    again = client.post(
        reverse("claim-promote", args=[imported.pk]),
        {"start": top.start, "end": top.end, "types": top.types},
    )
    assert again.status_code == 302 and "#more-sentences" in again["Location"]
    assert Claim.objects.filter(origin=Claim.Origin.PROMOTED).count() == 1

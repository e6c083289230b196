"""A claim retracted, reopened, proposed again and published again: the public pages show
the new rating, say that an earlier one was retracted and when, and never show the
retracted verdict's text, nor the editions it had corrected."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse

from claims import services
from claims.models import ClaimStatus, Verdict
from tests.factories import ClaimFactory
from tests.workflow import advance

pytestmark = pytest.mark.django_db
S = ClaimStatus

# What tests/workflow.py's advance() writes into edition 1 (and a correction, edition 2).
FIRST = ("The figure is inflated.", "Ministry data show fewer deaths.")
CORRECTION = ("The figure is false.", "The ministry revised its figure.")
RETRACTION_REASON = "Source withdrawn."
NEW = ("Re-checked: four soldiers died.", "The Armenian casualty report of 20 July.")


def rate_again(claim, editor, second_editor):
    services.claim_reopen(actor=editor, claim=claim, reason="New evidence.")
    services.claim_propose(
        actor=editor, claim=claim, label="false", summary=NEW[0], justification=NEW[1]
    )
    services.claim_approve(actor=second_editor, claim=claim)
    services.claim_publish(actor=second_editor, claim=claim)
    claim.refresh_from_db()
    return claim


@pytest.fixture
def people(reviewer, editor, second_editor):
    return {"reviewer": reviewer, "editor": editor, "second_editor": second_editor}


@pytest.fixture
def republished(claim, people, editor, second_editor):
    """Edition 1 published then retracted; edition 2 published."""
    claim = advance(claim, S.RETRACTED, **people)
    return rate_again(claim, editor, second_editor)


@pytest.fixture
def republished_after_correction(article, people, editor, second_editor):
    """Edition 1 published, corrected by edition 2, which was retracted; edition 3 published."""
    claim = advance(ClaimFactory(article=article), S.CORRECTED, **people)
    services.claim_retract(actor=second_editor, claim=claim, reason=RETRACTION_REASON)
    return rate_again(claim, editor, second_editor)


def test_the_setup_is_what_it_says(republished, republished_after_correction):
    assert dict(republished.verdicts.values_list("edition", "state")) == {
        1: Verdict.State.RETRACTED,
        2: Verdict.State.PUBLISHED,
    }
    assert dict(republished_after_correction.verdicts.values_list("edition", "state")) == {
        1: Verdict.State.SUPERSEDED,
        2: Verdict.State.RETRACTED,
        3: Verdict.State.PUBLISHED,
    }
    assert republished.status == republished_after_correction.status == S.PUBLISHED


def test_public_page_shows_the_new_rating_and_not_the_retracted_text(client, republished):
    response = client.get(reverse("public-rating", args=[republished.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert NEW[0] in body and NEW[1] in body
    for retracted_text in (*FIRST, RETRACTION_REASON, "Mostly false"):
        assert retracted_text not in body, retracted_text
    assert "This fact check was retracted" not in body
    retracted_on = republished.verdicts.get(edition=1).retracted_at
    assert (
        f"An earlier rating of this claim was retracted on "
        f'<time datetime="{retracted_on.isoformat()}">{retracted_on:%-d %B %Y}</time>' in body
    )
    assert "Correction history" not in body and "version 2" not in body


def test_public_page_carries_claimreview_for_the_new_rating(client, republished):
    body = client.get(reverse("public-rating", args=[republished.pk])).content.decode()
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', body, re.S)
    assert match, "a claim published again is published: it has its ClaimReview"
    document = json.loads(match.group(1))
    assert document["reviewRating"]["alternateName"] == "False"
    assert FIRST[0] not in match.group(1)


def test_editions_a_retraction_withdrew_stay_withdrawn_after_a_new_rating(
    client, republished_after_correction
):
    claim = republished_after_correction
    body = client.get(reverse("public-rating", args=[claim.pk])).content.decode()
    assert NEW[0] in body
    for withdrawn in (*FIRST, *CORRECTION, RETRACTION_REASON):
        assert withdrawn not in body, withdrawn
    assert "Correction history" not in body
    assert "An earlier rating of this claim was retracted on" in body


def test_a_retracted_claim_shows_no_text_of_the_editions_it_withdrew(
    client, claim, people, second_editor
):
    claim = advance(claim, S.CORRECTED, **people)
    services.claim_retract(actor=second_editor, claim=claim, reason=RETRACTION_REASON)
    body = client.get(reverse("public-rating", args=[claim.pk])).content.decode()
    assert "This fact check was retracted" in body and RETRACTION_REASON in body
    for withdrawn in (*FIRST, *CORRECTION):
        assert withdrawn not in body, withdrawn
    assert "Correction history" not in body and "application/ld+json" not in body


def test_public_list_shows_the_new_rating_once_and_never_the_retracted_one(
    client, republished, republished_after_correction
):
    body = client.get(reverse("public-ratings")).content.decode()
    for claim in (republished, republished_after_correction):
        assert body.count(f'href="/ratings/{claim.pk}/"') == 1
    assert body.count(NEW[0]) == 2
    for withdrawn in (*FIRST, *CORRECTION):
        assert withdrawn not in body, withdrawn
    # A new rating after a retraction is not a correction.
    assert "· corrected" not in body
    only_mostly_false = client.get(reverse("public-ratings"), {"rating": "mostly-false"})
    assert f"/ratings/{republished.pk}/" not in only_mostly_false.content.decode()

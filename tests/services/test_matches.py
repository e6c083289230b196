"""Reviewers confirm or reject the matches shown under "Checked before?", and attach a
confirmed fact-check as a source."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from annotations import services as notes
from annotations.models import ClaimSource, Source
from claims import services
from claims.errors import Conflict, StaleVersion
from claims.models import ClaimHistory, ClaimStatus, FactCheck, MatchDecision
from tests.factories import ArticleFactory, ClaimFactory
from tests.workflow import advance

pytestmark = pytest.mark.django_db
A = ClaimHistory.Action
D = MatchDecision.Decision


@pytest.fixture
def factcheck(db):
    return FactCheck.objects.create(
        publisher="Full Fact",
        external_id="ff-12",
        url="https://fullfact.org/economy/unemployment/",
        claim_text="Unemployment fell to 3.5%.",
        title="Did unemployment fall to 3.5%?",
        rating_text="Correct, but the rate is for May",
        published=dt.date(2020, 6, 1),
    )


def test_a_reviewer_confirms_a_fact_check_with_the_score_shown(claim, reviewer, factcheck):
    made = services.match_confirm(
        actor=reviewer,
        claim=claim,
        factcheck=factcheck,
        score=0.91234,
        explanation={"why": "same figure"},
    )
    assert (made.decision, made.actor, made.score, made.version) == (
        D.CONFIRMED,
        reviewer,
        0.91234,
        1,
    )
    assert made.explanation == {"why": "same figure"} and made.ref == "ff-12"
    row = ClaimHistory.objects.get(claim=claim, action=A.MATCH_CONFIRMED)
    assert row.actor == reviewer
    assert row.changes == {
        "ref": "ff-12",
        "factcheck": factcheck.pk,
        "publisher": "Full Fact",
        "score": 0.91234,
    }
    claim.refresh_from_db()
    assert claim.version == 1  # a decision about a match is not an edit of the claim


def test_confirming_again_changes_nothing_and_rejecting_changes_the_answer(
    claim, reviewer, second_reviewer, factcheck
):
    first = services.match_confirm(actor=reviewer, claim=claim, factcheck=factcheck.pk)
    again = services.match_confirm(actor=second_reviewer, claim=claim, factcheck=factcheck.pk)
    assert again.pk == first.pk and again.actor == reviewer and again.version == 1
    assert ClaimHistory.objects.filter(action=A.MATCH_CONFIRMED).count() == 1
    rejected = services.match_reject(
        actor=second_reviewer, claim=claim, factcheck=factcheck, expected_version=1
    )
    assert rejected.pk == first.pk
    assert (rejected.decision, rejected.actor, rejected.version) == (D.REJECTED, second_reviewer, 2)
    assert MatchDecision.objects.count() == 1
    row = ClaimHistory.objects.get(action=A.MATCH_REJECTED)
    assert row.changes["previous"] == D.CONFIRMED


def test_a_decision_based_on_an_old_version_is_refused(claim, reviewer, editor, factcheck):
    services.match_confirm(actor=reviewer, claim=claim, factcheck=factcheck)
    services.match_reject(actor=editor, claim=claim, factcheck=factcheck, expected_version=1)
    with pytest.raises(StaleVersion):
        services.match_confirm(actor=reviewer, claim=claim, factcheck=factcheck, expected_version=1)
    assert MatchDecision.objects.get().decision == D.REJECTED


def test_one_of_our_claims_can_be_the_match(claim, reviewer, editor, second_editor):
    other = advance(
        ClaimFactory(article=ArticleFactory()),
        ClaimStatus.PUBLISHED,
        reviewer=reviewer,
        editor=editor,
        second_editor=second_editor,
    )
    made = services.match_reject(actor=reviewer, claim=claim, matched_claim=other, score="0.4")
    assert made.ref == f"claim:{other.pk}" and made.score == 0.4
    assert (
        ClaimHistory.objects.get(claim=claim, action=A.MATCH_REJECTED).changes["claim"] == other.pk
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "not both"),
        ({"factcheck": 1, "matched_claim": 1}, "not both"),
        ({"factcheck": 999_999}, "no fact-check"),
        ({"factcheck": "x"}, "not an id"),
        ({"matched_claim": 999_999}, "no claim"),
        ({"factcheck": "FC", "score": "high"}, "must be a number"),
        ({"factcheck": "FC", "score": "nan"}, "must be a number"),
        ({"factcheck": "FC", "explanation": ["why"]}, "must be an object"),
    ],
)
def test_bad_input_is_a_clear_error_that_changes_nothing(
    claim, reviewer, factcheck, kwargs, message
):
    kwargs = {k: (factcheck.pk if v == "FC" else v) for k, v in kwargs.items()}
    with pytest.raises(ValidationError, match=message):
        services.match_confirm(actor=reviewer, claim=claim, **kwargs)
    assert not MatchDecision.objects.exists()
    assert not ClaimHistory.objects.filter(action=A.MATCH_CONFIRMED).exists()


def test_a_claim_is_not_its_own_match(claim, reviewer):
    with pytest.raises(ValidationError, match="itself"):
        services.match_confirm(actor=reviewer, claim=claim, matched_claim=claim)


def test_people_without_a_role_cannot_decide(claim, outsider, factcheck):
    with pytest.raises(PermissionDenied, match="Only reviewers and editors"):
        services.match_confirm(actor=outsider, claim=claim, factcheck=factcheck)
    assert not MatchDecision.objects.exists()


# --- attaching a confirmed fact-check as a source ----------------------------------------------


def test_a_confirmed_fact_check_is_attached_as_a_source(claim, reviewer, factcheck):
    made = services.match_confirm(actor=reviewer, claim=claim, factcheck=factcheck)
    use = notes.match_attach(actor=reviewer, decision=made, stance="supports")
    source = use.source
    assert source.url == factcheck.url and source.publisher == "Full Fact"
    assert source.title == factcheck.title and source.published == dt.date(2020, 6, 1)
    assert source.kind == Source.Kind.SECONDARY
    assert use.stance == "supports" and use.added_by == reviewer
    assert use.excerpt == "Full Fact rated it: Correct, but the rate is for May"
    made.refresh_from_db()
    assert made.attached_at is not None
    added = ClaimHistory.objects.get(claim=claim, action=A.SOURCE_ADDED)
    assert added.changes["url"] == factcheck.url


def test_a_rejected_or_undecided_match_is_not_attached(claim, reviewer, factcheck):
    made = services.match_reject(actor=reviewer, claim=claim, factcheck=factcheck)
    with pytest.raises(Conflict, match="Only a confirmed match"):
        notes.match_attach(actor=reviewer, decision=made)
    assert not ClaimSource.objects.exists()


def test_a_fact_check_without_a_url_or_one_of_our_claims_is_not_attached(
    claim, reviewer, editor, second_editor
):
    bare = FactCheck.objects.create(publisher="Snopes", external_id="7", claim_text="X.")
    made = services.match_confirm(actor=reviewer, claim=claim, factcheck=bare)
    with pytest.raises(ValidationError, match="no url"):
        notes.match_attach(actor=reviewer, decision=made)
    ours = ClaimFactory(article=ArticleFactory())
    made = services.match_confirm(actor=reviewer, claim=claim, matched_claim=ours)
    with pytest.raises(ValidationError, match="another organisation"):
        notes.match_attach(actor=reviewer, decision=made)
    assert not ClaimSource.objects.exists()


def test_attaching_twice_is_a_conflict(claim, reviewer, factcheck):
    made = services.match_confirm(actor=reviewer, claim=claim, factcheck=factcheck)
    notes.match_attach(actor=reviewer, decision=made)
    with pytest.raises(Conflict, match="already attached"):
        notes.match_attach(actor=reviewer, decision=made)
    assert ClaimSource.objects.count() == 1


def test_nothing_is_attached_to_a_closed_claim(claim, reviewer, factcheck):
    made = services.match_confirm(actor=reviewer, claim=claim, factcheck=factcheck)
    services.claim_dismiss(actor=reviewer, claim=claim, reason="Not check-worthy.")
    with pytest.raises(Conflict):
        notes.match_attach(actor=reviewer, decision=made)
    assert not ClaimSource.objects.exists()

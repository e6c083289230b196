"""Review work on a claim: edits by people, annotations, comments, sources, blind ratings."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from annotations import services as notes
from annotations.models import Annotation, ClaimSource, Comment, Rating, Source
from annotations.selectors import disagreements, ratings_for, widest_disagreements
from claims import services
from claims.errors import Conflict, StaleVersion, TransitionNotAllowed
from claims.models import Claim, ClaimHistory, ClaimStatus, RatingLabel
from tests.factories import ClaimFactory, UserFactory
from tests.workflow import advance

S = ClaimStatus
pytestmark = pytest.mark.django_db


# --- claims edited by people ---------------------------------------------------------------


def test_reviewer_corrects_a_claim_and_the_machine_original_stays(claim, reviewer):
    claim.machine = {"speaker": "the ministry", "types": ["casualty"]}
    claim.save()
    services.claim_update(
        actor=reviewer,
        claim=claim,
        expected_version=1,
        speaker="Defence Ministry",
        types=["quantity", "casualty"],
        date="2020-07-12",
        figures=[{"value": 12, "hedge": "at_least", "counted": "soldiers", "side": "Azerbaijan"}],
    )
    claim.refresh_from_db()
    assert claim.speaker == "Defence Ministry"
    assert claim.types == ["casualty", "quantity"]  # canonical order
    assert claim.date == dt.date(2020, 7, 12)
    assert claim.origin == Claim.Origin.EDITED
    assert claim.machine == {"speaker": "the ministry", "types": ["casualty"]}
    edit = ClaimHistory.objects.get(claim=claim, action="edited")
    assert edit.changes["speaker"] == {"from": "the ministry", "to": "Defence Ministry"}


def test_changing_the_span_recomputes_text_and_quote_selector(claim, reviewer):
    text = claim.article.text
    start = text.index("Officials denied")
    end = text.index("the report.") + len("the report.")
    services.claim_update(actor=reviewer, claim=claim, expected_version=1, start=start, end=end)
    claim.refresh_from_db()
    assert claim.text == "Officials denied the report."
    assert text[start - len(claim.prefix) : start] == claim.prefix
    assert text[end : end + len(claim.suffix)] == claim.suffix
    assert len(claim.prefix) == 32


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"start": 5, "end": 3}, "after the start"),
        ({"start": -1}, "negative"),
        ({"end": 10_000_000}, "characters long"),
        ({"start": "x"}, "whole numbers"),
        ({"types": []}, "at least one"),
        ({"types": ["rumour"]}, "Unknown claim type"),
        ({"figures": [{"value": "many"}]}, "must be a number"),
        ({"figures": [{"value": 3, "hedge": "roughly"}]}, "hedge must be"),
        ({"figures": [{"value": [9, 3]}]}, "low is above"),
        ({"date": "18 July"}, "YYYY-MM-DD"),
        ({"speaker": "x" * 201}, "too long"),
    ],
)
def test_bad_claim_edits_are_refused_and_change_nothing(claim, reviewer, changes, message):
    before = Claim.objects.values().get(pk=claim.pk)
    with pytest.raises(ValidationError, match=message):
        services.claim_update(actor=reviewer, claim=claim, expected_version=1, **changes)
    assert Claim.objects.values().get(pk=claim.pk) == before
    assert not ClaimHistory.objects.filter(claim=claim).exists()


def test_published_claim_cannot_be_edited(claim, reviewer, editor, second_editor):
    claim = advance(
        claim, S.PUBLISHED, reviewer=reviewer, editor=editor, second_editor=second_editor
    )
    with pytest.raises(TransitionNotAllowed):
        services.claim_update(
            actor=reviewer, claim=claim, expected_version=claim.version, speaker="x"
        )


def test_add_a_claim_by_selecting_text(article, reviewer):
    start = article.text.index("About 30,000")
    end = article.text.index("capital.") + len("capital.")
    claim = services.claim_add(
        actor=reviewer, article=article, start=start, end=end, types=["quantity", "event"]
    )
    assert claim.text == "About 30,000 people marched in the capital."
    assert claim.origin == Claim.Origin.ADDED and claim.machine is None
    assert ClaimHistory.objects.filter(claim=claim, action="added").exists()


def test_adding_a_claim_past_the_end_of_the_text_is_refused(article, reviewer):
    with pytest.raises(ValidationError, match="characters long"):
        services.claim_add(
            actor=reviewer, article=article, start=0, end=len(article.text) + 1, types=["event"]
        )
    assert not Claim.objects.exists()


def test_outsider_cannot_add_a_claim(article, outsider):
    with pytest.raises(PermissionDenied):
        services.claim_add(actor=outsider, article=article, start=0, end=5, types=["event"])


def test_split_one_claim_into_two(article, reviewer):
    text = article.text
    start = text.index("At least")
    end = text.index("the report.") + len("the report.")
    claim = ClaimFactory(article=article, start=start, end=end)
    at = text.index("Officials")
    left, right = services.claim_split(actor=reviewer, claim=claim, at=at, expected_version=1)
    assert left.text == "At least 12 soldiers were killed on Sunday, the ministry said."
    assert right.text == "Officials denied the report."
    claim.refresh_from_db()
    assert claim.superseded
    assert set(left.derived_from.all()) == {claim}
    assert list(Claim.objects.active().order_by("start")) == [left, right]


def test_split_outside_the_claim_is_refused(claim, reviewer):
    with pytest.raises(ValidationError, match="Split inside"):
        services.claim_split(actor=reviewer, claim=claim, at=claim.end + 5, expected_version=1)
    claim.refresh_from_db()
    assert not claim.superseded


def test_merge_neighbours(article, reviewer):
    text = article.text
    first = ClaimFactory(article=article)
    second = ClaimFactory(
        article=article,
        start=text.index("Officials"),
        end=text.index("the report.") + len("the report."),
        types=["attribution"],
        speaker="",
        figures=[],
    )
    merged = services.claim_merge(actor=reviewer, claims=[first, second])
    assert merged.text.startswith("At least 12") and merged.text.endswith("the report.")
    assert merged.types == ["casualty", "attribution"]
    assert merged.origin == Claim.Origin.MERGED
    assert set(Claim.objects.filter(superseded=True)) == {first, second}


def test_merge_refuses_claims_that_are_not_neighbours(article, reviewer):
    text = article.text
    first = ClaimFactory(article=article)
    ClaimFactory(article=article, start=text.index("Officials"), end=text.index(" the report."))
    third = ClaimFactory(
        article=article, start=text.index("The president"), end=text.index("respond.") + 8
    )
    with pytest.raises(ValidationError, match="neighbouring"):
        services.claim_merge(actor=reviewer, claims=[first, third])
    assert not Claim.objects.filter(superseded=True).exists()


def test_merge_with_a_stale_version_is_refused(article, reviewer):
    text = article.text
    first = ClaimFactory(article=article)
    second = ClaimFactory(
        article=article, start=text.index("Officials"), end=text.index(" the report.")
    )
    with pytest.raises(StaleVersion):
        services.claim_merge(actor=reviewer, claims=[first, second], expected_versions=[1, 7])


# --- annotations and comments --------------------------------------------------------------


def test_annotation_keeps_offsets_and_quote_selector(claim, reviewer):
    start = claim.start
    annotation = notes.annotation_create(
        actor=reviewer,
        claim=claim,
        start=start,
        end=start + 8,
        label="hedge",
        comment="Hedged count.",
    )
    assert annotation.exact == "At least"
    assert annotation.article == claim.article and annotation.label.slug == "hedge"
    assert claim.article.text.endswith(annotation.suffix) or annotation.suffix
    assert ClaimHistory.objects.filter(claim=claim, action="annotated").exists()


def test_annotation_with_an_unknown_label_is_refused(claim, reviewer):
    with pytest.raises(ValidationError, match="not an annotation label"):
        notes.annotation_create(actor=reviewer, claim=claim, start=0, end=5, label="nonsense")
    assert not Annotation.objects.exists()


def test_only_the_author_or_an_editor_changes_an_annotation(
    claim, reviewer, second_reviewer, editor
):
    annotation = notes.annotation_create(
        actor=reviewer, claim=claim, start=claim.start, end=claim.start + 8, label="hedge"
    )
    with pytest.raises(PermissionDenied):
        notes.annotation_update(
            actor=second_reviewer, annotation=annotation, expected_version=1, comment="mine now"
        )
    notes.annotation_update(actor=editor, annotation=annotation, expected_version=1, comment="ok")
    with pytest.raises(StaleVersion):
        notes.annotation_update(
            actor=reviewer, annotation=annotation, expected_version=1, comment="late"
        )


def test_threaded_comments(claim, reviewer, second_reviewer):
    root = notes.comment_add(actor=reviewer, claim=claim, body="Which ministry?")
    reply = notes.comment_add(actor=second_reviewer, claim=claim, body="Defence.", parent=root)
    assert list(root.replies.all()) == [reply]
    other = ClaimFactory(article=claim.article)
    with pytest.raises(ValidationError, match="on this claim"):
        notes.comment_add(actor=reviewer, claim=other, body="x", parent=root)
    with pytest.raises(ValidationError):
        notes.comment_add(actor=reviewer, claim=claim, body="  ")
    assert Comment.objects.count() == 2


# --- sources -------------------------------------------------------------------------------


def test_the_same_url_on_two_claims_is_one_source(claim, reviewer):
    other = ClaimFactory(article=claim.article)
    notes.source_attach(
        actor=reviewer,
        claim=claim,
        url="https://Example.org/report?utm_source=x#top",
        title="Ministry report",
        stance="refutes",
        kind="primary",
    )
    notes.source_attach(
        actor=reviewer, claim=other, url="https://example.org/report", stance="supports"
    )
    assert Source.objects.count() == 1
    source = Source.objects.get()
    assert source.url == "https://example.org/report"
    assert source.title == "Ministry report" and source.uses.count() == 2


def test_attaching_the_same_source_twice_to_a_claim_is_a_conflict(claim, reviewer):
    notes.source_attach(actor=reviewer, claim=claim, url="https://example.org/a")
    with pytest.raises(Conflict):
        notes.source_attach(actor=reviewer, claim=claim, url="https://example.org/a#x")
    assert ClaimSource.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"url": "javascript:alert(1)"}, "http"),
        ({"url": ""}, "required"),
        ({"url": "https://example.org/", "stance": "loves"}, "Stance"),
        ({"url": "https://example.org/", "kind": "rumour"}, "Kind"),
        ({"url": "https://example.org/", "published": "yesterday"}, "YYYY-MM-DD"),
    ],
)
def test_bad_sources_are_refused(claim, reviewer, fields, message):
    with pytest.raises(ValidationError, match=message):
        notes.source_attach(actor=reviewer, claim=claim, **fields)
    assert not Source.objects.exists()


def test_source_published_after_the_claim_is_flagged(claim, reviewer):
    claim.date = dt.date(2020, 7, 14)
    claim.save()
    later = notes.source_attach(
        actor=reviewer, claim=claim, url="https://example.org/later", published="2020-08-01"
    )
    earlier = notes.source_attach(
        actor=reviewer, claim=claim, url="https://example.org/early", published="2020-07-10"
    )
    assert later.published_after_claim is True
    assert earlier.published_after_claim is False


def test_a_source_a_verdict_relies_on_cannot_be_removed(claim, reviewer, editor):
    use = notes.source_attach(actor=reviewer, claim=claim, url="https://example.org/data")
    services.claim_assign(actor=editor, claim=claim, reviewer=reviewer)
    services.claim_propose(
        actor=editor,
        claim=claim,
        label="false",
        summary="s",
        justification="j",
        source_ids=[use.source_id],
    )
    with pytest.raises(Conflict, match="relies on"):
        notes.source_detach(actor=reviewer, claim_source=use)
    assert ClaimSource.objects.filter(pk=use.pk).exists()


def test_a_verdict_cannot_cite_a_source_the_claim_does_not_have(claim, reviewer, editor):
    stranger = Source.objects.create(url="https://example.org/x", created_by=editor)
    services.claim_assign(actor=editor, claim=claim, reviewer=reviewer)
    with pytest.raises(ValidationError, match="not among"):
        services.claim_propose(
            actor=editor,
            claim=claim,
            label="false",
            summary="s",
            justification="j",
            source_ids=[stranger.pk],
        )
    claim.refresh_from_db()
    assert claim.status == S.IN_REVIEW


# --- ratings -------------------------------------------------------------------------------


@pytest.fixture
def in_review(claim, editor, reviewer, second_reviewer):
    services.claim_assign(actor=editor, claim=claim, reviewer=reviewer)
    services.claim_assign(actor=editor, claim=claim, reviewer=second_reviewer)
    claim.refresh_from_db()
    return claim


def test_only_assigned_reviewers_rate(in_review, outsider, editor):
    with pytest.raises(PermissionDenied, match="assigned"):
        notes.rating_submit(actor=editor, claim=in_review, label="true", justification="j")
    with pytest.raises(PermissionDenied):
        notes.rating_submit(actor=outsider, claim=in_review, label="true", justification="j")
    assert not Rating.objects.exists()


def test_ratings_are_blind_until_you_rate(in_review, reviewer, second_reviewer, editor):
    notes.rating_submit(actor=reviewer, claim=in_review, label="false", justification="No.")
    before = ratings_for(second_reviewer, in_review)
    assert before.visible == [] and before.hidden_count == 1 and "blind" in before.blind_reason
    assert [r.label.slug for r in ratings_for(editor, in_review).visible] == ["false"]
    notes.rating_submit(actor=second_reviewer, claim=in_review, label="true", justification="Yes.")
    after = ratings_for(second_reviewer, in_review)
    assert sorted(r.label.slug for r in after.visible) == ["false", "true"]
    assert after.hidden_count == 0


def test_a_reviewer_revises_their_rating_with_the_version(in_review, reviewer):
    rating = notes.rating_submit(
        actor=reviewer, claim=in_review, label="false", justification="No."
    )
    revised = notes.rating_submit(
        actor=reviewer,
        claim=in_review,
        label="mostly-false",
        justification="Mostly not.",
        expected_version=1,
    )
    assert revised.pk == rating.pk and revised.version == 2
    with pytest.raises(StaleVersion):
        notes.rating_submit(
            actor=reviewer, claim=in_review, label="true", justification="x", expected_version=1
        )
    assert Rating.objects.get().label.slug == "mostly-false"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"label": "pants-on-fire", "justification": "j"}, "not a label"),
        ({"label": "true", "justification": ""}, "justification is required"),
        ({"label": "true", "justification": "j", "confidence": 9}, "1 to 5"),
        ({"label": "true", "justification": "j", "confidence": "high"}, "1 to 5"),
    ],
)
def test_bad_ratings_are_refused(in_review, reviewer, fields, message):
    with pytest.raises(ValidationError, match=message):
        notes.rating_submit(actor=reviewer, claim=in_review, **fields)
    assert not Rating.objects.exists()


def test_no_rating_on_a_new_claim(claim, reviewer):
    claim.assignments.create(reviewer=reviewer, assigned_by=reviewer)  # assigned, still new
    with pytest.raises(TransitionNotAllowed):
        notes.rating_submit(actor=reviewer, claim=claim, label="true", justification="j")


def test_ratings_two_steps_apart_flag_a_disagreement(in_review, reviewer, second_reviewer):
    notes.rating_submit(actor=reviewer, claim=in_review, label="true", justification="j")
    notes.rating_submit(
        actor=second_reviewer, claim=in_review, label="mostly-true", justification="j"
    )
    assert not disagreements(Claim.objects.all()).exists()
    notes.rating_submit(
        actor=second_reviewer,
        claim=in_review,
        label="half-true",
        justification="j",
        expected_version=1,
    )
    assert list(disagreements(Claim.objects.all())) == [in_review]


def test_non_ordinal_labels_do_not_count_as_steps(in_review, reviewer, second_reviewer):
    notes.rating_submit(actor=reviewer, claim=in_review, label="true", justification="j")
    notes.rating_submit(
        actor=second_reviewer, claim=in_review, label="unverifiable", justification="j"
    )
    assert not disagreements(Claim.objects.all()).exists()


def test_the_widest_disagreements_are_those_of_disagreements_cut_to_the_limit(article):
    """The dashboard's read (spreads over the ratings, then the claims kept) gives the same
    claims, in the same order, with the same figures as ``disagreements``."""
    labels = {label.slug: label for label in RatingLabel.objects.all()}
    people = [UserFactory() for _ in range(3)]
    given = [
        ["true", "false"],  # 4 steps
        ["true", "half-true", "unverifiable"],  # 2, and a non-ordinal rating counted
        ["mostly-true", "mostly-false"],  # 2
        ["true", "mostly-true"],  # 1: not a disagreement
        ["misleading", "true", "unverifiable"],  # one ordinal value: no spread
        ["half-true", "false", "true"],  # 4
        [],
        ["mostly-false", "true"],  # 3, but replaced by a split
    ]
    for slugs in given:
        claim = ClaimFactory(article=article, status=S.IN_REVIEW)
        for person, slug in zip(people, slugs, strict=False):
            Rating.objects.create(claim=claim, reviewer=person, label=labels[slug])
    Claim.objects.filter(pk=claim.pk).update(superseded=True)

    def figures(claims: Any) -> list[tuple[Any, ...]]:
        fields = ("pk", "rating_count", "rating_high", "rating_low", "rating_spread")
        return [tuple(getattr(c, f) for f in fields) for c in claims]

    for limit in (1, 3, 50):
        claims = Claim.objects.active().select_related("article")
        expected = disagreements(claims).order_by("-rating_spread", "pk")[:limit]
        assert figures(list(widest_disagreements(claims, limit=limit))) == figures(expected)
    assert [c.rating_spread for c in widest_disagreements(claims, limit=50)] == [4, 4, 2, 2]

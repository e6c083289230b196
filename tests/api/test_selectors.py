"""The selectors and the predicate added for the API, on their own."""

from __future__ import annotations

import pytest
from django.http import Http404

from annotations.permissions import can_view_agreement
from annotations.selectors import (
    annotation_for_user,
    claim_source_for_user,
    search_sources,
    source_for_user,
)
from claims import services
from claims.models import ClaimStatus
from claims.selectors import public_state, verdict_for_user
from tests.factories import ClaimFactory, ClaimSourceFactory, SourceFactory
from tests.workflow import advance

S = ClaimStatus
pytestmark = pytest.mark.django_db


def test_verdict_for_user_is_404_for_people_without_a_role(claim, people, outsider, reviewer):
    claim = advance(claim, S.PROPOSED, **people)
    verdict = services.current_verdict(claim)
    assert verdict_for_user(reviewer, verdict.pk) == verdict
    for who, pk in [(outsider, verdict.pk), (reviewer, 0), (reviewer, "x"), (reviewer, 2**70)]:
        with pytest.raises(Http404):
            verdict_for_user(who, pk)


def test_single_record_selectors_hide_from_outsiders(claim, reviewer, outsider):
    from annotations import services as notes

    annotation = notes.annotation_create(
        actor=reviewer, claim=claim, start=claim.start, end=claim.end, label="figure"
    )
    use = ClaimSourceFactory(claim=claim)
    assert annotation_for_user(reviewer, annotation.pk) == annotation
    assert claim_source_for_user(reviewer, use.pk) == use
    assert source_for_user(reviewer, use.source_id) == use.source
    for read, pk in [
        (annotation_for_user, annotation.pk),
        (claim_source_for_user, use.pk),
        (source_for_user, use.source_id),
    ]:
        with pytest.raises(Http404):
            read(outsider, pk)


def test_public_state_moves_with_every_publish_correction_and_retraction(claim, people):
    empty = public_state()
    assert (empty.count, empty.last_changed) == (0, None)
    claim = advance(claim, S.PUBLISHED, **people)
    published = public_state()
    assert published.count == 1 and published.last_changed == claim.updated_at
    assert public_state(claim.pk).status == S.PUBLISHED
    services.claim_retract(actor=people["second_editor"], claim=claim, reason="r")
    retracted = public_state()
    assert retracted.last_changed > published.last_changed
    assert public_state(claim.pk).status == S.RETRACTED
    assert public_state(ClaimFactory().pk).status is None  # not public at all


def test_search_sources_matches_every_word_and_counts_claims():
    first = SourceFactory(url="https://gov.example/casualties", title="Casualty report")
    SourceFactory(url="https://news.example/other", title="Other")
    ClaimSourceFactory(source=first)
    ClaimSourceFactory(source=first)
    found = list(search_sources("gov casualty"))
    assert [(s.pk, s.claims) for s in found] == [(first.pk, 2)]
    assert search_sources(None).count() == 2


def test_only_editors_view_agreement(reviewer, editor, outsider, anonymous):
    assert can_view_agreement(editor)
    for who in (reviewer, outsider, anonymous):
        decision = can_view_agreement(who)
        assert not decision and "editors" in decision.reason


@pytest.mark.parametrize(
    ("editions", "current", "retracted", "shown"),
    [
        ([(1, "published")], 1, None, (1,)),
        ([(1, "superseded"), (2, "published")], 2, None, (2, 1)),
        ([(1, "superseded"), (2, "retracted")], None, 2, ()),
        ([(1, "superseded"), (2, "retracted"), (3, "published")], 3, None, (3,)),
        ([(1, "retracted"), (2, "superseded"), (3, "published")], 3, None, (3, 2)),
        ([(1, "retracted"), (2, "proposed")], None, 1, ()),
        ([(1, "approved")], None, None, ()),
    ],
)
def test_public_editions_never_show_what_a_retraction_withdrew(editions, current, retracted, shown):
    from claims.selectors import public_editions

    rule = public_editions(editions)
    assert (rule.current, rule.retracted, rule.shown) == (current, retracted, shown)

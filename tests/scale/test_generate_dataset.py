"""generate_dataset writes what the services would have written, only faster."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter, defaultdict
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from annotations.models import ClaimSource, Rating
from claims.models import PUBLIC_STATUSES, Article, Claim, ClaimHistory, ClaimStatus, Verdict

pytestmark = pytest.mark.django_db

S = ClaimStatus
A = ClaimHistory.Action
UNTIL = dt.date(2026, 6, 30)
# History actions that go through the services' _move and so bump the claim's version.
MOVES = {
    A.ASSIGNED,
    A.PROPOSED,
    A.APPROVED,
    A.CHANGES_REQUESTED,
    A.PUBLISHED,
    A.CORRECTED,
    A.RETRACTED,
    A.DISMISSED,
}


def generate(**options: Any) -> str:
    out = StringIO()
    defaults = {"articles": 5, "claims_per_article": 10, "seed": 7, "until": UNTIL}
    call_command("generate_dataset", **{**defaults, **options}, stdout=out)
    return out.getvalue()


@pytest.fixture
def dataset() -> str:
    return generate()


def test_it_creates_the_articles_and_claims_asked_for(dataset):
    assert Article.objects.count() == 5
    assert Claim.objects.count() == 50
    assert Counter(Claim.objects.values_list("article_id", flat=True)).most_common()[-1][1] == 10
    assert "Generated 5 articles and 50 claims (seed 7) in" in dataset


def test_every_workflow_state_is_present(dataset):
    assert set(Claim.objects.values_list("status", flat=True)) == set(S.values)


def test_claims_point_at_their_text_in_the_article(dataset):
    for claim in Claim.objects.select_related("article"):
        text = claim.article.text
        assert text[claim.start : claim.end] == claim.text
        assert text[: claim.start].endswith(claim.prefix)
        assert text[claim.end :].startswith(claim.suffix)
        assert claim.article.content_hash  # computed, as Article.save would


def test_each_public_claim_has_exactly_one_current_published_verdict(dataset):
    for claim in Claim.objects.filter(status__in=PUBLIC_STATUSES):
        verdicts = list(claim.verdicts.order_by("edition"))
        assert [v.state for v in verdicts].count(Verdict.State.PUBLISHED) == 1
        assert verdicts[-1].state == Verdict.State.PUBLISHED
        assert verdicts[-1].published_at is not None
        if claim.status == S.CORRECTED:
            assert [v.state for v in verdicts] == ["superseded", "published"]
            assert verdicts[1].corrects_id == verdicts[0].pk
            assert verdicts[1].correction_note


def test_verdict_states_match_claim_states(dataset):
    expected = {
        S.PROPOSED: ["proposed"],
        S.CHANGES_REQUESTED: ["changes_requested"],
        S.APPROVED: ["approved"],
        S.PUBLISHED: ["published"],
        S.CORRECTED: ["superseded", "published"],
        S.RETRACTED: ["retracted"],
        S.NEW: [],
        S.IN_REVIEW: [],
        S.DISMISSED: [],
    }
    for claim in Claim.objects.prefetch_related("verdicts"):
        states = [v.state for v in sorted(claim.verdicts.all(), key=lambda v: v.edition)]
        assert states == expected[claim.status], claim.status


def test_no_one_approves_a_verdict_they_wrote(dataset):
    for verdict in Verdict.objects.exclude(approved_by=None).prefetch_related("contributors"):
        writers = {u.pk for u in verdict.contributors.all()} | {verdict.author_id}
        if verdict.edition == 1:
            assert verdict.approved_by_id not in writers


def test_history_is_a_chain_ending_in_the_claims_status(dataset):
    rows: dict[int, list[ClaimHistory]] = defaultdict(list)
    for row in ClaimHistory.objects.order_by("claim_id", "at", "pk"):
        rows[row.claim_id].append(row)
    for claim in Claim.objects.all():
        history = rows[claim.pk]
        assert history[0].action == A.EXTRACTED
        assert history[0].from_status == S.NEW
        for before, after in itertools.pairwise(history):
            assert after.from_status == before.to_status
            assert after.at >= before.at
        assert history[-1].to_status == claim.status
        assert claim.version == 1 + sum(1 for r in history if r.action in MOVES)


def test_ratings_and_sources_come_from_assigned_reviewers(dataset):
    for rating in Rating.objects.select_related("claim"):
        assert rating.claim.assignments.filter(reviewer=rating.reviewer_id).exists()
    for use in ClaimSource.objects.select_related("claim"):
        assert use.claim.assignments.filter(reviewer=use.added_by_id).exists()
    # Blind rating: ratings only while or after a claim was in review, never on new ones.
    assert not Rating.objects.filter(claim__status__in=[S.NEW, S.DISMISSED]).exists()


def test_the_same_seed_gives_the_same_data_and_another_seed_does_not():
    class Rollback(Exception):
        pass

    def snapshot(seed: int) -> list[tuple[str, str]]:
        try:
            with transaction.atomic():
                generate(seed=seed, articles=2, claims_per_article=5)
                rows = list(Claim.objects.order_by("pk").values_list("text", "status"))
                raise Rollback(rows)
        except Rollback as done:
            return done.args[0]

    first = snapshot(7)
    assert snapshot(7) == first
    assert snapshot(8) != first


def test_generating_the_same_seed_twice_is_refused(dataset):
    with pytest.raises(CommandError, match="already in this database"):
        generate()
    assert Claim.objects.count() == 50

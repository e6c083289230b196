"""The same claim across our articles is grouped by editors and checked once."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from claims import selectors, services
from claims.errors import Conflict, StaleVersion
from claims.models import ClaimGroup, ClaimGroupMember, ClaimHistory, ClaimStatus
from tests.factories import ArticleFactory, ClaimFactory
from tests.workflow import advance

pytestmark = pytest.mark.django_db
A = ClaimHistory.Action


@pytest.fixture
def four(db):
    """The same sentence in four articles."""
    return [ClaimFactory(article=ArticleFactory()) for _ in range(4)]


def full(claim, user):
    """The claim as the claim page loads it."""
    return selectors.claim_for_user(user, claim.pk, full=True)


def test_an_editor_groups_claims_and_each_claims_history_says_so(four, editor):
    group = services.claims_group(actor=editor, claims=four[:2])
    assert group.created_by == editor
    assert sorted(ClaimGroupMember.objects.values_list("claim_id", flat=True)) == sorted(
        c.pk for c in four[:2]
    )
    for c in four[:2]:
        row = ClaimHistory.objects.get(claim=c, action=A.GROUPED)
        assert row.actor == editor
        assert row.changes == {"group": group.pk, "claims": sorted(x.pk for x in four[:2])}


def test_claims_are_added_to_a_group_and_the_summary_counts_articles_and_ratings(
    four, editor, reviewer, second_editor
):
    group = services.claims_group(actor=editor, claims=four[:2])
    again = services.claims_group(actor=editor, claims=four[1:], group=group, expected_version=1)
    assert again.pk == group.pk and again.version == 2
    assert ClaimGroupMember.objects.filter(group=group).count() == 4
    advance(
        four[0],
        ClaimStatus.PUBLISHED,
        reviewer=reviewer,
        editor=editor,
        second_editor=second_editor,
    )
    view = selectors.claim_group_of(full(four[2], editor))
    assert view is not None and view.group.pk == group.pk
    assert (view.articles, view.rated) == (4, 1)
    assert view.summary == "appears in 4 articles, rated once"


def test_summary_wording():
    view = selectors.ClaimGroupView(group=None, claims=[])
    assert view.summary == "appears in 0 articles, not rated yet"


def test_adding_what_is_already_there_changes_nothing(four, editor):
    group = services.claims_group(actor=editor, claims=four[:2])
    same = services.claims_group(actor=editor, claims=four[:2], group=group)
    assert same.version == 1
    assert ClaimHistory.objects.filter(action=A.GROUPED).count() == 2


def test_a_claim_in_another_group_is_refused(four, editor):
    services.claims_group(actor=editor, claims=four[:2])
    with pytest.raises(Conflict, match="already grouped"):
        services.claims_group(actor=editor, claims=[four[1], four[2]])
    assert ClaimGroup.objects.count() == 1
    assert not ClaimGroupMember.objects.filter(claim=four[2]).exists()


def test_a_group_needs_two_claims_that_exist_and_are_not_replaced(four, editor, reviewer):
    with pytest.raises(ValidationError, match="two claims"):
        services.claims_group(actor=editor, claims=[four[0]])
    with pytest.raises(ValidationError, match="two claims"):
        services.claims_group(actor=editor, claims=[four[0], four[0].pk])
    with pytest.raises(ValidationError, match="no claim"):
        services.claims_group(actor=editor, claims=[four[0], 999_999])
    parts = services.claim_split(
        actor=reviewer, claim=four[3], at=four[3].start + 8, expected_version=1
    )
    with pytest.raises(ValidationError, match="replaced"):
        services.claims_group(actor=editor, claims=[four[0], four[3]])
    assert len(parts) == 2 and not ClaimGroup.objects.exists()


def test_a_stale_group_version_is_refused(four, editor, second_editor):
    group = services.claims_group(actor=editor, claims=four[:2])
    services.claims_group(actor=second_editor, claims=[four[2]], group=group, expected_version=1)
    with pytest.raises(StaleVersion):
        services.claims_group(actor=editor, claims=[four[3]], group=group, expected_version=1)


def test_reviewers_cannot_group_or_ungroup(four, reviewer, editor):
    with pytest.raises(PermissionDenied, match="Only editors"):
        services.claims_group(actor=reviewer, claims=four[:2])
    services.claims_group(actor=editor, claims=four[:2])
    with pytest.raises(PermissionDenied, match="Only editors"):
        services.claim_ungroup(actor=reviewer, claim=four[0])
    assert ClaimGroupMember.objects.count() == 2


def test_ungrouping_takes_one_claim_out_with_the_reason(four, editor):
    group = services.claims_group(actor=editor, claims=four[:3])
    services.claim_ungroup(actor=editor, claim=four[2], reason="A different week.")
    assert ClaimGroupMember.objects.filter(group=group).count() == 2
    row = ClaimHistory.objects.get(claim=four[2], action=A.UNGROUPED)
    assert row.reason == "A different week." and row.changes == {"group": group.pk}
    group.refresh_from_db()
    assert group.version == 2


def test_a_group_left_with_one_claim_is_dissolved(four, editor):
    group = services.claims_group(actor=editor, claims=four[:2])
    services.claim_ungroup(actor=editor, claim=four[0])
    assert not ClaimGroup.objects.filter(pk=group.pk).exists()
    assert not ClaimGroupMember.objects.exists()
    for c in four[:2]:
        row = ClaimHistory.objects.get(claim=c, action=A.UNGROUPED)
        assert row.changes == {"group": group.pk, "dissolved": True}


def test_ungrouping_a_claim_that_is_not_grouped_is_a_conflict(four, editor):
    with pytest.raises(Conflict, match="not grouped"):
        services.claim_ungroup(actor=editor, claim=four[0])
    with pytest.raises(ValidationError, match="no claim"):
        services.claim_ungroup(actor=editor, claim=999_999)


# --- suggestions and the dashboard's list ------------------------------------------------------


def test_near_identical_claims_in_other_articles_are_suggested(four, editor, article):
    text = article.text
    different = ClaimFactory(
        article=ArticleFactory(), start=text.index("About"), end=text.index("capital.") + 8
    )
    same_article = ClaimFactory(article=four[0].article, start=four[0].start, end=four[0].end)
    suggested = selectors.same_claim_suggestions(full(four[0], editor))
    ids = [c.pk for c, _ in suggested]
    assert set(ids) == {c.pk for c in four[1:]}
    assert different.pk not in ids and same_article.pk not in ids
    assert all(sim == 1.0 for _, sim in suggested)
    services.claims_group(actor=editor, claims=four[:2])
    again = [c.pk for c, _ in selectors.same_claim_suggestions(full(four[0], editor))]
    assert four[1].pk not in again and four[2].pk in again


def test_the_dashboards_groups_in_one_query(four, editor, django_assert_num_queries):
    services.claims_group(actor=editor, claims=four[:2])
    services.claims_group(actor=editor, claims=four[2:])
    with django_assert_num_queries(1):
        groups = selectors.claim_groups(limit=10)
        summaries = [g.summary for g in groups]
    assert summaries == ["appears in 2 articles, not rated yet"] * 2
    assert [len(g.claims) for g in groups] == [2, 2]

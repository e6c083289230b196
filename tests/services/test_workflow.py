"""The claim workflow: every allowed and every refused move, the four-eyes rule, history."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from claims import services
from claims.errors import Conflict, StaleVersion, TransitionNotAllowed
from claims.models import ClaimHistory, ClaimStatus, Verdict
from tests.factories import ClaimFactory, rating_label
from tests.workflow import advance, correct

S = ClaimStatus
pytestmark = pytest.mark.django_db


@pytest.fixture
def people(reviewer, editor, second_editor):
    return {"reviewer": reviewer, "editor": editor, "second_editor": second_editor}


def run_action(action, claim, people):
    """Perform ``action`` as a person allowed to do it, with valid input."""
    reviewer, editor, second = people["reviewer"], people["editor"], people["second_editor"]
    if action in ("approve_correction", "reject_correction") and services.allowed(
        "correct", claim.status
    ):
        services.claim_correct(actor=second, claim=claim, note="Typo fixed.")
    calls = {
        "assign": lambda: services.claim_assign(actor=editor, claim=claim, reviewer=second),
        "propose": lambda: services.claim_propose(
            actor=editor, claim=claim, label="false", summary="s", justification="j"
        ),
        "approve": lambda: services.claim_approve(actor=second, claim=claim),
        "request_changes": lambda: services.claim_request_changes(
            actor=second, claim=claim, reason="More sources."
        ),
        "publish": lambda: services.claim_publish(actor=second, claim=claim),
        "correct": lambda: services.claim_correct(actor=second, claim=claim, note="Typo fixed."),
        "approve_correction": lambda: services.claim_approve_correction(actor=editor, claim=claim),
        "reject_correction": lambda: services.claim_reject_correction(
            actor=editor, claim=claim, reason="Not needed."
        ),
        "retract": lambda: services.claim_retract(actor=second, claim=claim, reason="Wrong."),
        "dismiss": lambda: services.claim_dismiss(actor=reviewer, claim=claim, reason="Opinion."),
        "reopen": lambda: services.claim_reopen(actor=editor, claim=claim),
    }
    return calls[action]()


ALL_MOVES = [(action, status) for action in services.TRANSITIONS for status in S.values]


@pytest.mark.parametrize(("action", "status"), ALL_MOVES)
def test_every_move_is_allowed_exactly_when_the_table_says(action, status, claim, people):
    claim = advance(claim, status, **people)
    assert claim.status == status
    history_before = ClaimHistory.objects.filter(claim=claim).count()
    expected = services.TRANSITIONS[action].get(status)
    if expected is None:
        with pytest.raises(TransitionNotAllowed):
            run_action(action, claim, people)
        claim.refresh_from_db()
        assert claim.status == status
        assert ClaimHistory.objects.filter(claim=claim).count() == history_before
    else:
        run_action(action, claim, people)
        claim.refresh_from_db()
        assert claim.status == expected
        last = ClaimHistory.objects.filter(claim=claim).order_by("-pk").first()
        assert (last.from_status, last.to_status) == (status, expected)
        assert last.actor is not None


def test_the_status_field_takes_exactly_the_nine_states():
    assert S.values == [
        "new",
        "in_review",
        "proposed",
        "changes_requested",
        "approved",
        "published",
        "corrected",
        "retracted",
        "dismissed",
    ]


def test_editor_cannot_approve_own_verdict(claim, people, editor):
    claim = advance(claim, S.PROPOSED, **people)
    with pytest.raises(PermissionDenied, match="four-eyes"):
        services.claim_approve(actor=editor, claim=claim)
    claim.refresh_from_db()
    assert claim.status == S.PROPOSED


def test_editor_who_amended_a_verdict_cannot_approve_it(claim, people, second_editor):
    claim = advance(claim, S.PROPOSED, **people)
    verdict = services.current_verdict(claim)
    services.verdict_amend(
        actor=second_editor, verdict=verdict, expected_version=verdict.version, summary="Better."
    )
    with pytest.raises(PermissionDenied, match="four-eyes"):
        services.claim_approve(actor=second_editor, claim=claim)


def test_another_editor_approves_and_publishes(claim, people, second_editor):
    claim = advance(claim, S.PUBLISHED, **people)
    verdict = services.current_verdict(claim)
    assert verdict.state == Verdict.State.PUBLISHED
    assert verdict.approved_by == second_editor
    assert verdict.published_at is not None


def test_nobody_publishes_a_verdict_its_author_approved(claim, people, editor, second_editor):
    claim = advance(claim, S.APPROVED, **people)
    verdict = services.current_verdict(claim)
    # Tamper with the record as a bug elsewhere might: publishing must still refuse.
    Verdict.objects.filter(pk=verdict.pk).update(approved_by=editor)
    with pytest.raises(PermissionDenied, match="four-eyes"):
        services.claim_publish(actor=second_editor, claim=claim)


def test_reviewer_cannot_approve_publish_correct_retract_or_reopen(claim, people, reviewer):
    claim = advance(claim, S.PROPOSED, **people)
    with pytest.raises(PermissionDenied):
        services.claim_approve(actor=reviewer, claim=claim)
    with pytest.raises(PermissionDenied):
        services.claim_request_changes(actor=reviewer, claim=claim, reason="x")
    for name in ("claim_publish",):
        with pytest.raises(PermissionDenied):
            getattr(services, name)(actor=reviewer, claim=claim)
    with pytest.raises(PermissionDenied):
        services.claim_correct(actor=reviewer, claim=claim, note="n")
    with pytest.raises(PermissionDenied):
        services.claim_retract(actor=reviewer, claim=claim, reason="r")
    with pytest.raises(PermissionDenied):
        services.claim_reopen(actor=reviewer, claim=claim)


def test_outsider_can_do_nothing(claim, outsider, reviewer):
    with pytest.raises(PermissionDenied):
        services.claim_assign(actor=outsider, claim=claim, reviewer=outsider)
    with pytest.raises(PermissionDenied):
        services.claim_dismiss(actor=outsider, claim=claim, reason="x")
    with pytest.raises(PermissionDenied):
        services.claim_update(actor=outsider, claim=claim, expected_version=1, speaker="x")
    with pytest.raises(PermissionDenied):
        services.claim_propose(
            actor=outsider, claim=claim, label="true", summary="s", justification="j"
        )
    claim.refresh_from_db()
    assert claim.status == S.NEW and claim.version == 1


def test_reviewer_assigns_only_themself(claim, reviewer, second_reviewer):
    with pytest.raises(PermissionDenied, match="only to themselves"):
        services.claim_assign(actor=reviewer, claim=claim, reviewer=second_reviewer)
    services.claim_assign(actor=reviewer, claim=claim, reviewer=reviewer)
    claim.refresh_from_db()
    assert claim.status == S.IN_REVIEW
    assert list(claim.assignees.all()) == [reviewer]


def test_editor_assigns_several_reviewers(claim, editor, reviewer, second_reviewer):
    services.claim_assign(actor=editor, claim=claim, reviewer=reviewer)
    services.claim_assign(actor=editor, claim=claim, reviewer=second_reviewer)
    assert set(claim.assignees.all()) == {reviewer, second_reviewer}


def test_assigning_someone_without_a_role_is_refused(claim, editor, outsider):
    with pytest.raises(PermissionDenied, match="no reviewer role"):
        services.claim_assign(actor=editor, claim=claim, reviewer=outsider)


def test_assigning_twice_is_a_conflict(claim, editor, reviewer):
    services.claim_assign(actor=editor, claim=claim, reviewer=reviewer)
    with pytest.raises(Conflict, match="already assigned"):
        services.claim_assign(actor=editor, claim=claim, reviewer=reviewer)


def test_unassigning_the_last_reviewer_puts_the_claim_back_to_new(claim, editor, reviewer):
    services.claim_assign(actor=editor, claim=claim, reviewer=reviewer)
    services.claim_unassign(actor=editor, claim=claim, reviewer=reviewer)
    claim.refresh_from_db()
    assert claim.status == S.NEW


def test_assigned_reviewer_may_propose_but_unassigned_one_may_not(
    claim, editor, reviewer, second_reviewer
):
    services.claim_assign(actor=editor, claim=claim, reviewer=reviewer)
    with pytest.raises(PermissionDenied):
        services.claim_propose(
            actor=second_reviewer, claim=claim, label="true", summary="s", justification="j"
        )
    # An assigned reviewer proposes once they have rated (blind review).
    from annotations import services as notes

    notes.rating_submit(actor=reviewer, claim=claim, label="true", justification="j")
    verdict = services.claim_propose(
        actor=reviewer, claim=claim, label="true", summary="s", justification="j"
    )
    assert verdict.author == reviewer


def test_dismiss_needs_a_reason_and_changes_nothing_without_one(claim, reviewer):
    with pytest.raises(ValidationError):
        services.claim_dismiss(actor=reviewer, claim=claim, reason="   ")
    claim.refresh_from_db()
    assert claim.status == S.NEW
    assert not ClaimHistory.objects.filter(claim=claim).exists()


def test_retract_and_request_changes_need_a_reason(claim, people, second_editor):
    proposed = advance(claim, S.PROPOSED, **people)
    with pytest.raises(ValidationError):
        services.claim_request_changes(actor=second_editor, claim=proposed, reason="")
    other = advance(ClaimFactory(article=claim.article), S.PUBLISHED, **people)
    with pytest.raises(ValidationError):
        services.claim_retract(actor=second_editor, claim=other, reason="")


def test_proposal_with_an_unknown_label_is_refused(claim, people, editor):
    claim = advance(claim, S.IN_REVIEW, **people)
    with pytest.raises(ValidationError, match="not a label"):
        services.claim_propose(
            actor=editor, claim=claim, label="pants-on-fire", summary="s", justification="j"
        )
    claim.refresh_from_db()
    assert claim.status == S.IN_REVIEW and not claim.verdicts.exists()


def test_changes_requested_then_proposed_again_reuses_the_verdict(
    claim, people, editor, second_editor
):
    claim = advance(claim, S.CHANGES_REQUESTED, **people)
    verdict = services.claim_propose(
        actor=editor, claim=claim, label="false", summary="Now with data.", justification="j2"
    )
    assert claim.verdicts.count() == 1
    assert verdict.state == Verdict.State.PROPOSED
    assert verdict.label == rating_label("false")
    services.claim_approve(actor=second_editor, claim=claim)


def test_correction_publishes_a_new_version_and_keeps_the_old_one(claim, people, second_editor):
    claim = advance(claim, S.PUBLISHED, **people)
    first = services.current_verdict(claim)
    new = correct(
        claim,
        proposer=second_editor,
        approver=people["editor"],
        note="Ministry revised its count.",
        label="false",
    )
    first.refresh_from_db()
    assert first.state == Verdict.State.SUPERSEDED
    assert new.edition == 2 and new.corrects == first
    assert new.correction_note == "Ministry revised its count."
    assert new.state == Verdict.State.PUBLISHED and new.label.slug == "false"
    assert first.summary == "The figure is inflated."  # old version still readable
    claim.refresh_from_db()
    assert claim.status == S.CORRECTED
    again = correct(claim, proposer=people["editor"], approver=second_editor, note="Second fix.")
    assert again.edition == 3


def test_retraction_keeps_the_reason(claim, people, second_editor):
    claim = advance(claim, S.PUBLISHED, **people)
    verdict = services.claim_retract(actor=second_editor, claim=claim, reason="Source withdrawn.")
    assert verdict.state == Verdict.State.RETRACTED
    assert verdict.retraction_reason == "Source withdrawn."


def test_stale_version_is_refused_and_changes_nothing(claim, reviewer, editor):
    services.claim_update(actor=reviewer, claim=claim, expected_version=1, speaker="Ministry")
    with pytest.raises(StaleVersion) as info:
        services.claim_update(actor=editor, claim=claim, expected_version=1, speaker="Someone")
    assert info.value.current_version == 2
    claim.refresh_from_db()
    assert claim.speaker == "Ministry" and claim.version == 2


def test_stale_version_refuses_a_transition(claim, people, second_editor):
    claim = advance(claim, S.PROPOSED, **people)
    with pytest.raises(StaleVersion):
        services.claim_approve(actor=second_editor, claim=claim, expected_version=1)
    claim.refresh_from_db()
    assert claim.status == S.PROPOSED


def test_second_approval_is_told_who_approved(claim, people, second_editor, reviewer):
    from tests.factories import UserFactory

    third = UserFactory(username="grace", roles=["editor"])
    claim = advance(claim, S.PROPOSED, **people)
    services.claim_approve(actor=second_editor, claim=claim)
    with pytest.raises(TransitionNotAllowed, match="already approved by frank"):
        services.claim_approve(actor=third, claim=claim)


def test_every_change_writes_history_and_history_is_append_only(claim, people):
    claim = advance(claim, S.CORRECTED, **people)
    actions = list(ClaimHistory.objects.filter(claim=claim).values_list("action", flat=True))
    assert actions == [
        "assigned",
        "rated",
        "proposed",
        "approved",
        "published",
        "correction_proposed",
        "corrected",
    ]
    row = ClaimHistory.objects.filter(claim=claim).first()
    row.reason = "rewritten"
    with pytest.raises(ValidationError):
        row.save()
    with pytest.raises(ValidationError):
        row.delete()


def test_history_of_a_rating_does_not_reveal_the_label(claim, people):
    claim = advance(claim, S.PROPOSED, **people)
    rated = ClaimHistory.objects.get(claim=claim, action="rated")
    assert "label" not in rated.changes and "mostly" not in str(rated.changes)


def test_available_actions_explain_refusals(claim, people, editor):
    claim = advance(claim, S.PROPOSED, **people)
    verdict = services.current_verdict(claim)
    actions = services.available_actions(editor, claim, verdict)
    assert set(actions) == {"approve", "request_changes"}
    assert not actions["approve"]
    assert "four-eyes" in actions["approve"].reason
    assert actions["request_changes"]


def test_a_retracted_claim_reopened_gets_a_new_verdict_edition(
    claim, people, editor, second_editor
):
    claim = advance(claim, S.RETRACTED, **people)
    services.claim_reopen(actor=editor, claim=claim, reason="New evidence.")
    verdict = services.claim_propose(
        actor=editor, claim=claim, label="false", summary="Re-checked.", justification="j"
    )
    assert verdict.edition == 2
    services.claim_approve(actor=second_editor, claim=claim)
    services.claim_publish(actor=second_editor, claim=claim)
    states = dict(claim.verdicts.values_list("edition", "state"))
    assert states == {1: Verdict.State.RETRACTED, 2: Verdict.State.PUBLISHED}

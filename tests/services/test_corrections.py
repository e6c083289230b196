"""Corrections under the four-eyes rule: one editor proposes, another approves, and every
edition says truthfully who wrote and who approved it; a retraction alone is one person's."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from claims import services
from claims.errors import TransitionNotAllowed
from claims.models import ClaimHistory, ClaimStatus, Correction, Verdict
from tests.workflow import advance

S = ClaimStatus
pytestmark = pytest.mark.django_db


@pytest.fixture
def people(reviewer, editor, second_editor):
    return {"reviewer": reviewer, "editor": editor, "second_editor": second_editor}


@pytest.fixture
def published(claim, people):
    return advance(claim, S.PUBLISHED, **people)


def test_a_proposed_correction_changes_nothing_public(published, editor):
    before = services.current_verdict(published)
    correction = services.claim_correct(
        actor=editor, claim=published, note="New data.", label="false"
    )
    published.refresh_from_db()
    assert correction.state == Correction.State.PENDING
    assert published.status == S.PUBLISHED
    assert services.current_verdict(published) == before
    assert before.label.slug == "mostly-false" and published.verdicts.count() == 1
    last = ClaimHistory.objects.filter(claim=published).order_by("-pk").first()
    assert last.action == "correction_proposed" and last.actor == editor


def test_editor_cannot_approve_their_own_correction(published, editor):
    services.claim_correct(actor=editor, claim=published, note="New data.", label="false")
    with pytest.raises(PermissionDenied, match="four-eyes"):
        services.claim_approve_correction(actor=editor, claim=published)
    published.refresh_from_db()
    assert published.status == S.PUBLISHED and published.verdicts.count() == 1


def test_a_second_editor_approves_and_the_edition_records_both_truthfully(
    published, editor, second_editor
):
    old = services.current_verdict(published)
    assert old.approved_by == second_editor
    services.claim_correct(actor=editor, claim=published, note="New data.", label="false")
    new = services.claim_approve_correction(actor=second_editor, claim=published)
    old.refresh_from_db()
    assert old.state == Verdict.State.SUPERSEDED
    assert new.edition == 2 and new.corrects == old and new.label.slug == "false"
    # Written by the proposer, approved and published by the second editor: not the
    # original approver copied over.
    assert new.author == editor
    assert new.approved_by == second_editor and new.published_by == second_editor
    assert list(new.contributors.all()) == [editor]
    correction = Correction.objects.get(claim=published)
    assert correction.state == Correction.State.APPROVED and correction.result == new
    assert correction.decided_by == second_editor
    published.refresh_from_db()
    assert published.status == S.CORRECTED
    row = ClaimHistory.objects.filter(claim=published, action="corrected").get()
    assert row.changes["proposed_by"] == editor.username
    assert row.changes["approved_by"] == second_editor.username


def test_rejecting_withdraws_the_proposal_and_keeps_the_published_edition(
    published, editor, second_editor
):
    before = services.current_verdict(published)
    services.claim_correct(actor=editor, claim=published, note="New data.", label="false")
    with pytest.raises(ValidationError):
        services.claim_reject_correction(actor=second_editor, claim=published, reason=" ")
    correction = services.claim_reject_correction(
        actor=second_editor, claim=published, reason="The old figure stands."
    )
    assert correction.state == Correction.State.WITHDRAWN
    assert correction.decision_reason == "The old figure stands."
    assert services.current_verdict(published) == before
    with pytest.raises(TransitionNotAllowed, match="No correction"):
        services.claim_approve_correction(actor=second_editor, claim=published)


def test_one_correction_waits_at_a_time(published, editor, second_editor):
    services.claim_correct(actor=editor, claim=published, note="First.")
    with pytest.raises(TransitionNotAllowed, match="already waiting"):
        services.claim_correct(actor=second_editor, claim=published, note="Second.")
    assert Correction.objects.filter(claim=published).count() == 1


def test_reviewers_can_neither_propose_nor_approve_corrections(published, reviewer, editor):
    with pytest.raises(PermissionDenied):
        services.claim_correct(actor=reviewer, claim=published, note="n")
    services.claim_correct(actor=editor, claim=published, note="n", label="false")
    with pytest.raises(PermissionDenied):
        services.claim_approve_correction(actor=reviewer, claim=published)
    with pytest.raises(PermissionDenied):
        services.claim_reject_correction(actor=reviewer, claim=published, reason="r")


def test_a_retraction_is_one_editors_recorded_as_such_and_withdraws_a_waiting_correction(
    published, editor, second_editor
):
    correction = services.claim_correct(actor=editor, claim=published, note="n", label="false")
    verdict = services.claim_retract(actor=second_editor, claim=published, reason="Hoax source.")
    assert verdict.retracted_by == second_editor and verdict.state == Verdict.State.RETRACTED
    row = ClaimHistory.objects.filter(claim=published, action="retracted").get()
    assert row.changes["four_eyes"] is False
    assert row.changes["withdrawn_correction"] == correction.pk
    correction.refresh_from_db()
    assert correction.state == Correction.State.WITHDRAWN

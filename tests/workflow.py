"""Walk a claim through the real services to a given status, for tests that need one."""

from __future__ import annotations

from typing import Any

from annotations import services as notes
from claims import services
from claims.models import Claim, ClaimStatus

S = ClaimStatus


def advance(claim: Claim, to: str, *, reviewer: Any, editor: Any, second_editor: Any) -> Claim:
    """new → in_review → proposed → approved → published → corrected, or a side branch
    (changes_requested, retracted, dismissed). ``editor`` proposes; ``second_editor`` approves
    and publishes (four-eyes)."""
    if to == S.NEW:
        return claim
    if to == S.DISMISSED:
        services.claim_dismiss(actor=reviewer, claim=claim, reason="Opinion, not a claim.")
        return _fresh(claim)
    services.claim_assign(actor=editor, claim=claim, reviewer=reviewer)
    if to == S.IN_REVIEW:
        return _fresh(claim)
    notes.rating_submit(
        actor=reviewer, claim=claim, label="mostly-false", justification="Official data differ."
    )
    services.claim_propose(
        actor=editor,
        claim=claim,
        label="mostly-false",
        summary="The figure is inflated.",
        justification="Ministry data show fewer deaths.",
    )
    if to == S.PROPOSED:
        return _fresh(claim)
    if to == S.CHANGES_REQUESTED:
        services.claim_request_changes(actor=second_editor, claim=claim, reason="Cite the data.")
        return _fresh(claim)
    services.claim_approve(actor=second_editor, claim=claim)
    if to == S.APPROVED:
        return _fresh(claim)
    services.claim_publish(actor=second_editor, claim=claim)
    if to == S.PUBLISHED:
        return _fresh(claim)
    if to == S.CORRECTED:
        services.claim_correct(
            actor=second_editor,
            claim=claim,
            note="The ministry revised its figure.",
            label="false",
            summary="The figure is false.",
        )
        return _fresh(claim)
    if to == S.RETRACTED:
        services.claim_retract(actor=second_editor, claim=claim, reason="Source withdrawn.")
        return _fresh(claim)
    raise ValueError(to)


def _fresh(claim: Claim) -> Claim:
    claim.refresh_from_db()
    return claim

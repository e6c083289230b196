"""Walk a claim through the real services to a given status, for tests that need one."""

from __future__ import annotations

from typing import Any

from annotations import services as notes
from claims import services
from claims.models import Article, Claim, ClaimStatus
from tests.factories import ClaimFactory

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
        correct(
            claim,
            proposer=second_editor,
            approver=editor,
            note="The ministry revised its figure.",
            label="false",
            summary="The figure is false.",
        )
        return _fresh(claim)
    if to == S.RETRACTED:
        services.claim_retract(actor=second_editor, claim=claim, reason="Source withdrawn.")
        return _fresh(claim)
    raise ValueError(to)


def correct(claim: Claim | int, *, proposer: Any, approver: Any, **fields: Any) -> Any:
    """A correction the way the four-eyes rule has it: one editor proposes, another approves
    (publishing the next edition, which it returns)."""
    services.claim_correct(actor=proposer, claim=claim, **fields)
    return services.claim_approve_correction(actor=approver, claim=claim)


def _fresh(claim: Claim) -> Claim:
    claim.refresh_from_db()
    return claim


def rate(claim: Claim, editor: Any, given: dict[Any, str]) -> None:
    """``given``: {reviewer: label slug}. Assigns each reviewer, then each rates."""
    for who in given:
        services.claim_assign(actor=editor, claim=claim, reviewer=who)
    for who, label in given.items():
        notes.rating_submit(actor=who, claim=claim, label=label, justification="j")


def rate_three_claims(
    article: Article, *, editor: Any, reviewer: Any, second_reviewer: Any
) -> dict[str, Any]:
    """Three claims of the article (casualty; quote; event and quantity) rated by alice and
    bob with ordinal values (5,5), (2,3), (3,3): labels (true, mostly-false, half-true)
    against (true, half-true, half-true). Agreement worked by hand in
    tests/services/test_agreement.py: alpha = 7/9, kappa = 1/2."""
    text = article.text
    casualty = ClaimFactory(article=article, types=["casualty"])
    quote = ClaimFactory(
        article=article,
        types=["quote"],
        start=text.index("The president"),
        end=text.index("respond.") + 8,
    )
    event = ClaimFactory(
        article=article,
        types=["event", "quantity"],
        start=text.index("About"),
        end=text.index("capital.") + 8,
    )
    a, b = reviewer, second_reviewer
    rate(casualty, editor, {a: "true", b: "true"})
    rate(quote, editor, {a: "mostly-false", b: "half-true"})
    rate(event, editor, {a: "half-true", b: "half-true"})
    return {"casualty": casualty, "quote": quote, "event": event}

"""Who may do what: every permission rule of the workbench, in one place.

The HTML views, the DRF permission classes and the services all ask these predicates.
Each returns a ``Decision``, truthy when allowed and carrying the reason when not, so that a
refused action can always say why.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    from claims.models import Claim, Correction, Verdict

    User = AbstractBaseUser | AnonymousUser


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed


ALLOW = Decision(True)


def deny(reason: str) -> Decision:
    return Decision(False, reason)


def _has(user: Any, perm: str) -> bool:
    return bool(
        user is not None and user.is_authenticated and user.is_active and user.has_perm(perm)
    )


def is_reviewer(user: Any) -> bool:
    return _has(user, "claims.review_claim")


def is_editor(user: Any) -> bool:
    return _has(user, "claims.approve_verdict")


def is_staff_member(user: Any) -> bool:
    """Anyone who works in the newsroom's workbench (reviewers, editors)."""
    return is_reviewer(user) or is_editor(user)


def is_assigned(user: Any, claim: Claim) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    cache = getattr(claim, "_prefetched_objects_cache", {})
    if "assignments" in cache:
        return any(a.reviewer_id == user.pk for a in claim.assignments.all())
    return claim.assignments.filter(reviewer_id=user.pk).exists()


# --- seeing things ---------------------------------------------------------------------------


def can_view_workbench(user: Any) -> Decision:
    if not getattr(user, "is_authenticated", False):
        return deny("Sign in to use the workbench.")
    if not is_staff_member(user):
        return deny("Your account has no reviewer or editor role.")
    return ALLOW


# --- working on claims -------------------------------------------------------------------------


def can_import_article(user: Any) -> Decision:
    if not is_staff_member(user):
        return deny("Only reviewers and editors can import articles.")
    return ALLOW


def has_assignees(claim: Claim) -> bool:
    cache = getattr(claim, "_prefetched_objects_cache", {})
    if "assignments" in cache:
        return bool(claim.assignments.all())
    return claim.assignments.exists()


def can_edit_claim(user: Any, claim: Claim | None = None) -> Decision:
    """Correct a claim (span, types, speaker, figures, date), split or merge it; without a
    claim, add claims to an article.

    Editors edit any claim. Reviewers edit claims assigned to them, and claims nobody is
    assigned to yet (sorting out what extraction found before review starts); a claim that
    others review is theirs and the editors' to change."""
    if not is_reviewer(user):
        return deny("Only reviewers and editors can edit claims.")
    if claim is None or is_editor(user) or is_assigned(user, claim) or not has_assignees(claim):
        return ALLOW
    return deny("Only the reviewers assigned to this claim, or an editor, can change it.")


def can_assign_others(user: Any) -> Decision:
    if not _has(user, "claims.assign_claim"):
        return deny("Reviewers can assign claims only to themselves; editors assign others.")
    return ALLOW


def can_assign(user: Any, claim: Claim, reviewer: Any) -> Decision:
    if can_assign_others(user):
        if not is_reviewer(reviewer):
            return deny(f"{reviewer} has no reviewer role.")
        return ALLOW
    if is_reviewer(user) and reviewer is not None and reviewer.pk == user.pk:
        return ALLOW
    return deny("Reviewers can assign claims only to themselves; editors assign others.")


def can_unassign(user: Any, claim: Claim, reviewer: Any) -> Decision:
    if _has(user, "claims.assign_claim"):
        return ALLOW
    if is_reviewer(user) and reviewer is not None and reviewer.pk == user.pk:
        return ALLOW
    return deny("Only editors can take a claim away from another reviewer.")


def can_dismiss(user: Any, claim: Claim) -> Decision:
    if not is_reviewer(user):
        return deny("Only reviewers and editors can dismiss claims.")
    return ALLOW


# --- verdicts ------------------------------------------------------------------------------------


def rated_by(user: Any, claim: Claim) -> bool:
    """Whether the user has submitted a rating of this claim (remembered on the instance).

    Ratings are the annotations app's records, read here through the claim's reverse
    relation (claims never imports annotations)."""
    if not getattr(user, "is_authenticated", False):
        return False
    memo: dict[int, bool] = claim.__dict__.setdefault("_rated_by", {})
    if user.pk not in memo:
        cache = getattr(claim, "_prefetched_objects_cache", {})
        if "ratings" in cache:
            memo[user.pk] = any(r.reviewer_id == user.pk for r in claim.ratings.all())  # type: ignore[attr-defined]
        else:
            memo[user.pk] = claim.ratings.filter(reviewer_id=user.pk).exists()  # type: ignore[attr-defined]
    return memo[user.pk]


BLIND = "Ratings and the proposed verdict are blind: submit your own rating to see them."


def sees_blind_work(user: Any, *, has_rated: bool) -> Decision:
    """Blind review: before their own rating, a reviewer sees neither the others' ratings nor
    a verdict proposed from them. Editors see both (they assign, and approve)."""
    if is_editor(user) or has_rated:
        return ALLOW
    return deny(BLIND)


def can_see_verdict(user: Any, verdict: Verdict) -> Decision:
    """A verdict once published is public; before that it is as blind as the ratings."""
    if verdict.published_at is not None:
        return ALLOW
    return sees_blind_work(user, has_rated=rated_by(user, verdict.claim))


def can_propose(user: Any, claim: Claim) -> Decision:
    """Editors propose on any claim; a reviewer proposes on a claim assigned to them, once
    they have rated it (a verdict drawn from the ratings is blind like them: proposing
    before rating would mean proposing without one's own judgement, or after reading
    others'). Editors may propose without a rating: they see every rating anyway, and a
    second editor approves (the four-eyes rule)."""
    if _has(user, "claims.propose_verdict"):
        return ALLOW
    if is_reviewer(user) and is_assigned(user, claim):
        if not rated_by(user, claim):
            return deny("Submit your own rating of this claim before proposing a verdict.")
        return ALLOW
    return deny("Only editors, or reviewers assigned to this claim, can propose a verdict.")


def can_amend_verdict(user: Any, verdict: Verdict) -> Decision:
    if _has(user, "claims.propose_verdict"):
        return ALLOW
    if verdict.author_id == getattr(user, "pk", None):
        return ALLOW
    return deny("Only the verdict's author or an editor can amend it.")


def _wrote(user: Any, verdict: Verdict) -> bool:
    if verdict.author_id == user.pk:
        return True
    cache = getattr(verdict, "_prefetched_objects_cache", {})
    if "contributors" in cache:
        return any(u.pk == user.pk for u in verdict.contributors.all())
    return verdict.contributors.filter(pk=user.pk).exists()


def can_approve(user: Any, verdict: Verdict | None) -> Decision:
    if not _has(user, "claims.approve_verdict"):
        return deny("Only editors can approve verdicts.")
    if verdict is not None and _wrote(user, verdict):
        return deny("You wrote this verdict: another editor must approve it (four-eyes rule).")
    return ALLOW


def can_request_changes(user: Any, verdict: Verdict | None) -> Decision:
    if not _has(user, "claims.approve_verdict"):
        return deny("Only editors can send a verdict back.")
    return ALLOW


def can_publish(user: Any, verdict: Verdict | None) -> Decision:
    if not _has(user, "claims.publish_verdict"):
        return deny("Only editors can publish verdicts.")
    if verdict is not None:
        if verdict.approved_by_id is None:
            return deny("This verdict has not been approved.")
        if verdict.approved_by_id == verdict.author_id:
            return deny("No other editor approved this verdict (four-eyes rule).")
    return ALLOW


def can_correct(user: Any, claim: Claim) -> Decision:
    if not _has(user, "claims.publish_verdict"):
        return deny("Only editors can correct published verdicts.")
    return ALLOW


def can_approve_correction(user: Any, correction: Correction | None) -> Decision:
    """A correction is published only when an editor other than its proposer approves it.
    (Without a correction: the role alone, as for ``can_approve``.)"""
    if not _has(user, "claims.publish_verdict"):
        return deny("Only editors can approve corrections.")
    if correction is not None and correction.proposed_by_id == user.pk:
        return deny(
            "You proposed this correction: another editor must approve it (four-eyes rule)."
        )
    return ALLOW


def can_reject_correction(user: Any, correction: Correction | None) -> Decision:
    """Any editor may turn a proposed correction down (its proposer may withdraw it)."""
    if not _has(user, "claims.publish_verdict"):
        return deny("Only editors can reject corrections.")
    return ALLOW


def can_retract(user: Any, claim: Claim) -> Decision:
    if not _has(user, "claims.publish_verdict"):
        return deny("Only editors can retract published verdicts.")
    return ALLOW


def can_reopen(user: Any, claim: Claim) -> Decision:
    if not _has(user, "claims.reopen_claim"):
        return deny("Only editors can reopen a claim.")
    return ALLOW


# --- the rating scale ---------------------------------------------------------------------------


def can_change_rating_scale(user: Any) -> Decision:
    """Add and retire rating labels (the admin group, through the admin)."""
    if not _has(user, "claims.change_ratinglabel"):
        return deny("Only administrators of the rating scale change its labels.")
    return ALLOW


# --- checked before: fact-checks, matches and groups --------------------------------------------


def can_import_factchecks(user: Any) -> Decision:
    """Other organisations' fact-checks are what every claim is compared with: editors
    choose what goes in."""
    if not (is_editor(user) or _has(user, "claims.add_factcheck")):
        return deny("Only editors can import fact-checks.")
    return ALLOW


def can_decide_match(user: Any, claim: Claim | None = None) -> Decision:
    """Confirm or reject that a fact-check (or another claim of ours) is the same claim."""
    if not is_reviewer(user):
        return deny("Only reviewers and editors can confirm or reject a match.")
    return ALLOW


def can_group_claims(user: Any) -> Decision:
    """Grouping says claims are one and are checked once: an editor's decision."""
    if not is_editor(user):
        return deny("Only editors can group and ungroup claims.")
    return ALLOW

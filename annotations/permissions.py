"""Who may annotate, comment, add sources and rate; and who sees which ratings.

The same ``Decision`` as ``claims.permissions``: truthy when allowed, with a reason when not.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from claims.permissions import (
    ALLOW,
    Decision,
    deny,
    is_assigned,
    is_editor,
    is_reviewer,
    sees_blind_work,
)

if TYPE_CHECKING:
    from annotations.models import Annotation, ClaimSource, Comment
    from claims.models import Claim


def can_annotate(user: Any, claim: Claim | None = None) -> Decision:
    """Annotate spans, comment, and add sources."""
    if not is_reviewer(user):
        return deny("Only reviewers and editors can annotate, comment and add sources.")
    return ALLOW


def can_change_annotation(user: Any, annotation: Annotation | Comment) -> Decision:
    if getattr(annotation, "author_id", None) == getattr(user, "pk", None) and is_reviewer(user):
        return ALLOW
    if is_editor(user):
        return ALLOW
    return deny("Only its author or an editor can change or remove this.")


def can_remove_source(user: Any, use: ClaimSource) -> Decision:
    """Sources stay their author's: a reviewer removes only a source they added; an editor
    removes anyone's (the service asks them for the reason, which goes into the history)."""
    if not is_reviewer(user):
        return deny("Only reviewers and editors can remove sources.")
    if use.added_by_id == getattr(user, "pk", None) or is_editor(user):
        return ALLOW
    return deny("Only the reviewer who added this source, or an editor, can remove it.")


def can_rate(user: Any, claim: Claim) -> Decision:
    if not is_reviewer(user):
        return deny("Only reviewers can rate claims.")
    if not is_assigned(user, claim):
        return deny("Only reviewers assigned to this claim can rate it.")
    return ALLOW


def can_see_all_ratings(user: Any, claim: Claim, *, has_rated: bool) -> Decision:
    """Blind rating: a reviewer sees the others' ratings only after submitting their own
    (the same rule keeps a proposed verdict blind: claims.permissions.sees_blind_work)."""
    if sees_blind_work(user, has_rated=has_rated):
        return ALLOW
    return deny("Ratings are blind: submit your own rating to see the others'.")


def can_view_agreement(user: Any) -> Decision:
    """Agreement figures name reviewers and pair them up: the editors' view, as on the
    dashboard, so that a reviewer cannot learn from them how others rated before rating."""
    if not is_editor(user):
        return deny("Only editors see agreement between reviewers.")
    return ALLOW

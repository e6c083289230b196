"""Annotations, comments, sources and ratings: every change, each in one transaction.

Like ``claims.services``: keyword-only, the actor always passed, the claim row locked so
these changes serialise with the claim's workflow, and a history row for each.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from annotations import permissions
from annotations.models import Annotation, AnnotationLabel, ClaimSource, Comment, Rating, Source
from claims.errors import Conflict, TransitionNotAllowed
from claims.models import (
    Article,
    Claim,
    ClaimHistory,
    ClaimStatus,
    MatchDecision,
    RatingLabel,
)
from claims.services import (
    OPEN_FOR_NOTES,
    RATEABLE,
    check_span,
    check_version,
    clean_label,
    lock_claim,
    lock_claim_of,
    quote_selector,
    record_history,
    require,
    storable_text,
    whole_number,
)

A = ClaimHistory.Action
MAX_TEXT = 20_000


def _text(value: Any, what: str, *, required: bool = False, limit: int = MAX_TEXT) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError({what: f"The {what} must be text."})
    value = storable_text(value, what).strip()
    if required and not value:
        raise ValidationError({what: f"A {what} is required."})
    if len(value) > limit:
        raise ValidationError({what: f"The {what} is too long ({limit:,} characters at most)."})
    return value


def _open_for_notes(claim: Claim) -> None:
    if claim.status not in OPEN_FOR_NOTES:
        raise TransitionNotAllowed(
            f"The claim is {ClaimStatus(claim.status).label.lower()}; reopen it to work on it."
        )


# --- annotations -------------------------------------------------------------------------------


def _clean_annotation_label(label: AnnotationLabel | int | str) -> AnnotationLabel:
    if isinstance(label, AnnotationLabel):
        return label
    if isinstance(label, bool):
        raise ValidationError({"label": f"{label!r} is not an annotation label."})
    try:
        if isinstance(label, int) or (isinstance(label, str) and label.isdigit()):
            return AnnotationLabel.objects.get(pk=int(label), active=True)
        return AnnotationLabel.objects.get(slug=str(label), active=True)
    except (AnnotationLabel.DoesNotExist, ValueError):
        raise ValidationError({"label": f"{label!r} is not an annotation label."}) from None


def annotation_create(
    *,
    actor: Any,
    claim: Claim | int,
    start: Any,
    end: Any,
    label: AnnotationLabel | int | str,
    comment: str = "",
) -> Annotation:
    """Annotate a span of the claim's article (usually inside the claim)."""
    with transaction.atomic():
        claim = lock_claim(claim)
        require(permissions.can_annotate(actor, claim))
        _open_for_notes(claim)
        article: Article = claim.article
        start_i, end_i = check_span(article, start, end)
        selector = quote_selector(article.text, start_i, end_i)
        annotation = Annotation.objects.create(
            article=article,
            claim=claim,
            start=start_i,
            end=end_i,
            exact=selector["exact"],
            prefix=selector["prefix"],
            suffix=selector["suffix"],
            label=_clean_annotation_label(label),
            comment=_text(comment, "comment"),
            author=actor,
        )
        record_history(
            claim=claim,
            actor=actor,
            action=A.ANNOTATED,
            changes={
                "annotation": annotation.pk,
                "label": annotation.label.slug,
                "start": start_i,
                "end": end_i,
            },
        )
        return annotation


def annotation_update(
    *,
    actor: Any,
    annotation: Annotation | int,
    expected_version: int | None,
    label: AnnotationLabel | int | str | None = None,
    comment: str | None = None,
) -> Annotation:
    pk = annotation.pk if isinstance(annotation, Annotation) else int(annotation)
    with transaction.atomic():
        claim = lock_claim_of(Annotation, pk, f"There is no annotation {pk}.")
        annotation = Annotation.objects.select_for_update().get(pk=pk)
        require(permissions.can_change_annotation(actor, annotation))
        check_version(annotation, expected_version, "annotation")  # type: ignore[arg-type]
        _open_for_notes(claim)
        if label is not None:
            annotation.label = _clean_annotation_label(label)
        if comment is not None:
            annotation.comment = _text(comment, "comment")
        annotation.version += 1
        annotation.updated_at = timezone.now()
        annotation.save()
        record_history(
            claim=claim,
            actor=actor,
            action=A.ANNOTATED,
            changes={"annotation": annotation.pk, "edited": True},
        )
        return annotation


# --- comments ----------------------------------------------------------------------------------


def comment_add(
    *, actor: Any, claim: Claim | int, body: str, parent: Comment | int | None = None
) -> Comment:
    """A comment on a claim, or a reply to another comment on the same claim."""
    with transaction.atomic():
        claim = lock_claim(claim)
        require(permissions.can_annotate(actor, claim))
        parent_obj = None
        if parent is not None:
            parent_id = parent.pk if isinstance(parent, Comment) else parent
            parent_obj = Comment.objects.filter(pk=parent_id, claim=claim).first()
            if parent_obj is None:
                raise ValidationError({"parent": "You can only reply to a comment on this claim."})
        comment = Comment.objects.create(
            claim=claim, parent=parent_obj, author=actor, body=_text(body, "comment", required=True)
        )
        record_history(
            claim=claim, actor=actor, action=A.COMMENTED, changes={"comment": comment.pk}
        )
        return comment


# --- sources -----------------------------------------------------------------------------------

TRACKING_PARAMS = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid")


def normalise_url(url: Any) -> str:
    """One source per page: scheme and host lower-cased, fragment and tracking parameters
    dropped, so the same page cited twice is recognised."""
    url = _text(url, "url", required=True, limit=2000)
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise ValidationError(
            {"url": "Give a full web address starting with http:// or https://."}
        ) from None
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    port = parts.port
    if port and not (
        (parts.scheme == "http" and port == 80) or (parts.scheme == "https" and port == 443)
    ):
        host = f"{host}:{port}"
    query = urlencode(
        [
            (k, v)
            for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if not k.lower().startswith(TRACKING_PARAMS)
        ]
    )
    return urlunsplit((parts.scheme.lower(), host, parts.path or "/", query, ""))


def _date(value: Any, what: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError({what: "Give the date as YYYY-MM-DD."}) from None


def source_attach(
    *,
    actor: Any,
    claim: Claim | int,
    url: str,
    title: str = "",
    publisher: str = "",
    published: Any = None,
    accessed: Any = None,
    archive_url: str = "",
    kind: str = Source.Kind.SECONDARY,
    excerpt: str = "",
    stance: str = ClaimSource.Stance.CONTEXT,
) -> ClaimSource:
    """Add a source to a claim. A URL already known is the same source, linked again; its
    record is completed where empty but never overwritten."""
    with transaction.atomic():
        claim = lock_claim(claim)
        require(permissions.can_annotate(actor, claim))
        _open_for_notes(claim)
        if kind not in Source.Kind.values:
            raise ValidationError({"kind": f"Kind must be one of {', '.join(Source.Kind.values)}."})
        if stance not in ClaimSource.Stance.values:
            raise ValidationError(
                {"stance": f"Stance must be one of {', '.join(ClaimSource.Stance.values)}."}
            )
        archive = normalise_url(archive_url) if archive_url else ""
        published_on = _date(published, "published")
        if published_on and published_on > timezone.localdate() + dt.timedelta(days=1):
            raise ValidationError({"published": "The publication date is in the future."})
        fields: dict[str, Any] = {
            "title": _text(title, "title", limit=500),
            "publisher": _text(publisher, "publisher", limit=200),
            "published": published_on,
            "accessed": _date(accessed, "accessed") or timezone.localdate(),
            "archive_url": archive,
            "kind": kind,
        }
        source, created = Source.objects.select_for_update().get_or_create(
            url=normalise_url(url), defaults={**fields, "created_by": actor}
        )
        if not created:
            blanks = {
                k: v for k, v in fields.items() if v and not getattr(source, k) and k != "accessed"
            }
            if blanks:
                for k, v in blanks.items():
                    setattr(source, k, v)
                source.save(update_fields=list(blanks))
        if ClaimSource.objects.filter(claim=claim, source=source).exists():
            raise Conflict("That source is already attached to this claim.")
        use = ClaimSource.objects.create(
            claim=claim,
            source=source,
            excerpt=_text(excerpt, "excerpt"),
            stance=stance,
            added_by=actor,
        )
        record_history(
            claim=claim,
            actor=actor,
            action=A.SOURCE_ADDED,
            changes={"source": source.pk, "url": source.url, "stance": stance},
        )
        return use


def source_detach(*, actor: Any, claim_source: ClaimSource | int, reason: str = "") -> None:
    """Take a source off a claim. Its author may; an editor may take anyone's, and must say
    why: the reason is in the claim's history with who had added it."""
    pk = claim_source.pk if isinstance(claim_source, ClaimSource) else int(claim_source)
    with transaction.atomic():
        claim = lock_claim_of(ClaimSource, pk, f"There is no such source on a claim ({pk}).")
        use = ClaimSource.objects.select_related("source", "added_by").get(pk=pk)
        require(permissions.can_remove_source(actor, use))
        why = _text(reason, "reason", limit=2000)
        if use.added_by_id != getattr(actor, "pk", None) and not why:
            raise ValidationError(
                {"reason": "Say why you remove someone else's source: it goes in the history."}
            )
        _open_for_notes(claim)
        if use.source.verdicts.filter(claim=claim).exists():
            raise Conflict("A verdict on this claim relies on that source; it cannot be removed.")
        use.delete()
        record_history(
            claim=claim,
            actor=actor,
            action=A.SOURCE_REMOVED,
            reason=why,
            changes={
                "source": use.source_id,
                "url": use.source.url,
                "added_by": use.added_by.get_username(),
            },
        )


# --- ratings -----------------------------------------------------------------------------------


def rating_submit(
    *,
    actor: Any,
    claim: Claim | int,
    label: RatingLabel | int | str,
    justification: str,
    confidence: Any = Rating.Confidence.MEDIUM,
    expected_version: int | None = None,
) -> Rating:
    """Submit (or revise) the actor's own rating. The history says that a rating was given,
    never which: others must not learn it before rating themselves."""
    with transaction.atomic():
        claim = lock_claim(claim)
        require(permissions.can_rate(actor, claim))
        if claim.status not in RATEABLE:
            raise TransitionNotAllowed(
                f"Ratings are given while a claim is in review; this one is "
                f"{ClaimStatus(claim.status).label.lower()}."
            )
        label_obj = clean_label(label)
        justification = _text(justification, "justification", required=True)
        confidence_i = whole_number(
            confidence, "confidence", "Confidence must be a number from 1 to 5."
        )
        if confidence_i not in Rating.Confidence.values:
            raise ValidationError({"confidence": "Confidence must be a number from 1 to 5."})
        rating = Rating.objects.select_for_update().filter(claim=claim, reviewer=actor).first()
        now = timezone.now()
        if rating is None:
            if expected_version not in (None, 0):
                raise Conflict("Your rating was removed since you loaded the page.")
            rating = Rating.objects.create(
                claim=claim,
                reviewer=actor,
                label=label_obj,
                justification=justification,
                confidence=confidence_i,
                submitted_at=now,
                updated_at=now,
            )
            revised = False
        else:
            check_version(rating, expected_version, "rating")  # type: ignore[arg-type]
            rating.label, rating.justification, rating.confidence = (
                label_obj,
                justification,
                confidence_i,
            )
            rating.version += 1
            rating.updated_at = now
            rating.save()
            revised = True
        record_history(
            claim=claim,
            actor=actor,
            action=A.RATED,
            changes={"rating": rating.pk, "revised": revised},
        )
        return rating


# --- a confirmed fact-check, attached as a source ------------------------------------------------


def match_attach(
    *,
    actor: Any,
    decision: MatchDecision | int,
    stance: str = ClaimSource.Stance.CONTEXT,
    excerpt: str = "",
) -> ClaimSource:
    """Attach another organisation's fact-check, confirmed as the same claim, to the claim as
    a source: its url, publisher, title and date, and (unless an excerpt is given) what the
    publisher rated it. A source like any other afterwards, added by the actor."""
    pk = decision.pk if isinstance(decision, MatchDecision) else int(decision)
    with transaction.atomic():
        claim = lock_claim_of(MatchDecision, pk, f"There is no match decision {pk}.")
        found = (
            MatchDecision.objects.select_for_update(of=("self",))
            .select_related("factcheck")
            .get(pk=pk)
        )
        require(permissions.can_annotate(actor, claim))
        if found.decision != MatchDecision.Decision.CONFIRMED:
            raise Conflict("Only a confirmed match can be attached as a source.")
        fc = found.factcheck
        if fc is None:
            raise ValidationError("Only another organisation's fact-check is attached as a source.")
        if not fc.url:
            raise ValidationError("This fact-check has no url to cite.")
        if not excerpt and fc.rating_text:
            excerpt = f"{fc.publisher} rated it: {fc.rating_text}"
        published = fc.published
        if published and published > timezone.localdate():
            published = None  # a date in the future is the file's mistake, not the source's
        use = source_attach(
            actor=actor,
            claim=claim,
            url=fc.url,
            title=(fc.title or fc.claim_text)[:500],
            publisher=fc.publisher[:200],
            published=published,
            kind=Source.Kind.SECONDARY,
            excerpt=excerpt,
            stance=stance,
        )
        found.attached_at = timezone.now()
        found.save(update_fields=["attached_at"])
        return use

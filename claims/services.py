"""Every change to articles, claims and verdicts, and the one table of workflow moves.

Each public function is keyword-only, takes the ``actor`` (``None`` only for the machine),
runs in one transaction, locks the claim row, checks the move against ``TRANSITIONS`` and the
actor's permission, and appends to the claim's history. The HTML views and the API both call
these functions; nothing else changes ``Claim.status``.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from claims import permissions
from claims.errors import Conflict, StaleVersion, TransitionNotAllowed
from claims.models import (
    Article,
    Claim,
    ClaimAssignment,
    ClaimGroup,
    ClaimGroupMember,
    ClaimHistory,
    ClaimStatus,
    ClaimType,
    Correction,
    FactCheck,
    MatchDecision,
    RatingLabel,
    RatingScale,
    Verdict,
    content_hash,
)

log = logging.getLogger(__name__)

S = ClaimStatus
A = ClaimHistory.Action

# The workflow: for each action, the statuses it may start from and where it leads.
TRANSITIONS: dict[str, dict[str, str]] = {
    "assign": {
        S.NEW: S.IN_REVIEW,
        S.IN_REVIEW: S.IN_REVIEW,
        S.CHANGES_REQUESTED: S.CHANGES_REQUESTED,
    },
    "propose": {S.IN_REVIEW: S.PROPOSED, S.CHANGES_REQUESTED: S.PROPOSED},
    "approve": {S.PROPOSED: S.APPROVED},
    "request_changes": {S.PROPOSED: S.CHANGES_REQUESTED, S.APPROVED: S.CHANGES_REQUESTED},
    "publish": {S.APPROVED: S.PUBLISHED},
    # A correction is proposed (the published edition stays public), then approved by a
    # second editor, which publishes it as the next edition, or rejected.
    "correct": {S.PUBLISHED: S.PUBLISHED, S.CORRECTED: S.CORRECTED},
    "approve_correction": {S.PUBLISHED: S.CORRECTED, S.CORRECTED: S.CORRECTED},
    "reject_correction": {S.PUBLISHED: S.PUBLISHED, S.CORRECTED: S.CORRECTED},
    "retract": {S.PUBLISHED: S.RETRACTED, S.CORRECTED: S.RETRACTED},
    "dismiss": {S.NEW: S.DISMISSED, S.IN_REVIEW: S.DISMISSED, S.CHANGES_REQUESTED: S.DISMISSED},
    "reopen": {S.DISMISSED: S.NEW, S.RETRACTED: S.IN_REVIEW},
}

# Statuses in which the claim itself (span, types, speaker, figures, date) may be changed.
EDITABLE = frozenset({S.NEW, S.IN_REVIEW, S.CHANGES_REQUESTED})
# Statuses in which assigned reviewers may submit or revise their rating.
RATEABLE = frozenset({S.IN_REVIEW, S.CHANGES_REQUESTED})
# Statuses in which annotations, comments and sources may be added.
OPEN_FOR_NOTES = frozenset(set(S) - {S.DISMISSED, S.RETRACTED})

QUOTE_CONTEXT = 32
HEDGES = ("exact", "at_least", "more_than", "less_than", "nearly", "about")


# --- plumbing ----------------------------------------------------------------------------------


def require(decision: permissions.Decision) -> None:
    if not decision:
        raise PermissionDenied(decision.reason)


def lock_claim(claim: Claim | int) -> Claim:
    pk = claim.pk if isinstance(claim, Claim) else claim
    try:
        return Claim.objects.select_for_update().select_related("article").get(pk=pk)
    except Claim.DoesNotExist:
        raise ValidationError(f"There is no claim {pk}.") from None


def lock_claim_of(model: type[Model], pk: int, missing: str) -> Claim:
    """Lock the claim that a verdict, annotation or source link belongs to, before the row
    itself: the claim is always locked first, so these changes serialise with its workflow."""
    claim_id = model._default_manager.filter(pk=pk).values_list("claim_id", flat=True).first()
    if claim_id is None:
        raise ValidationError(missing)
    return lock_claim(claim_id)


def check_version(obj: Claim | Verdict, expected: int | None, what: str = "claim") -> None:
    if expected is not None and int(expected) != obj.version:
        raise StaleVersion(
            f"This {what} was changed by someone else since you loaded it "
            f"(your version {expected}, current version {obj.version}). "
            "Reload it and make your change again.",
            current_version=obj.version,
        )


def _target(claim: Claim, action: str) -> str:
    moves = TRANSITIONS[action]
    if claim.status not in moves:
        raise TransitionNotAllowed(
            f"Cannot {action.replace('_', ' ')} a claim that is "
            f"{ClaimStatus(claim.status).label.lower()}.",
            current_version=claim.version,
        )
    return moves[claim.status]


def allowed(action: str, status: str) -> bool:
    return status in TRANSITIONS.get(action, {})


def record_history(
    *,
    claim: Claim,
    actor: Any,
    action: str,
    from_status: str | None = None,
    to_status: str | None = None,
    reason: str = "",
    changes: dict[str, Any] | None = None,
) -> ClaimHistory:
    """Append one row to a claim's history. Other apps' services call this too."""
    return ClaimHistory.objects.create(
        claim=claim,
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        from_status=from_status or claim.status,
        to_status=to_status or claim.status,
        reason=reason,
        changes=changes or {},
    )


def _save_claim(claim: Claim, actor: Any, fields: Iterable[str]) -> None:
    claim.version += 1
    claim.updated_at = timezone.now()
    claim.updated_by = actor if getattr(actor, "pk", None) else None
    claim.save(update_fields=[*fields, "version", "updated_at", "updated_by"])


def _move(
    claim: Claim,
    *,
    actor: Any,
    action: str,
    to: str,
    reason: str = "",
    changes: dict[str, Any] | None = None,
) -> None:
    previous = claim.status
    claim.status = to
    _save_claim(claim, actor, ["status"])
    record_history(
        claim=claim,
        actor=actor,
        action=action,
        from_status=previous,
        to_status=to,
        reason=reason,
        changes=changes,
    )


_WHOLE_NUMBER = re.compile(r"\s*[+-]?[0-9]+\s*")


def whole_number(value: Any, field: str, message: str) -> int:
    """A whole number from a form (text), JSON or Python, or a ValidationError.

    ``int()`` alone would turn True into 1 and 3.7 into 3 without a word, and raise
    OverflowError for infinity; all three are a client's mistake, refused like any other.
    """
    if isinstance(value, bool):
        raise ValidationError({field: message})
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():  # 12.0 from JSON; never inf or nan
        return int(value)
    if isinstance(value, str) and _WHOLE_NUMBER.fullmatch(value):
        return int(value)
    raise ValidationError({field: message})


def storable_text(value: str, what: str) -> str:
    """Refuse what no database column can hold: NUL characters (PostgreSQL refuses them)
    and unpaired surrogates (JSON's "\\ud800" decodes to one; they are not encodable)."""
    if "\x00" in value:
        raise ValidationError({what: f"The {what.replace('_', ' ')} contains a NUL character."})
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationError(
            {
                what: f"The {what.replace('_', ' ')} contains characters that are not valid "
                "Unicode (unpaired surrogates)."
            }
        ) from None
    return value


def _required_text(value: str | None, what: str) -> str:
    if value is not None and not isinstance(value, str):
        raise ValidationError({what: f"The {what.replace('_', ' ')} must be text."})
    text = storable_text((value or "").strip(), what)
    if not text:
        raise ValidationError({what: f"A {what.replace('_', ' ')} is required."})
    return text


def quote_selector(text: str, start: int, end: int) -> dict[str, str]:
    """W3C TextQuoteSelector: the exact text with some context either side."""
    return {
        "exact": text[start:end],
        "prefix": text[max(0, start - QUOTE_CONTEXT) : start],
        "suffix": text[end : end + QUOTE_CONTEXT],
    }


def check_span(article: Article, start: Any, end: Any) -> tuple[int, int]:
    """Offsets checked against the stored text; bad offsets are a clear error."""
    start_i = whole_number(start, "start", "Offsets must be whole numbers.")
    end_i = whole_number(end, "end", "Offsets must be whole numbers.")
    length = len(article.text)
    if start_i < 0 or end_i < 0:
        raise ValidationError({"start": "Offsets cannot be negative."})
    if end_i > length:
        raise ValidationError({"end": f"The article is only {length} characters long."})
    if end_i <= start_i:
        raise ValidationError({"end": "The end must come after the start."})
    if not article.text[start_i:end_i].strip():
        raise ValidationError({"start": "The selected text is empty."})
    return start_i, end_i


# --- articles ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    article: Article
    created: bool


def article_import(
    *,
    actor: Any,
    text: str,
    title: str | None = None,
    byline: str | None = None,
    outlet: str | None = None,
    url: str | None = None,
    published: dt.date | None = None,
    source_format: str = Article.Format.TEXT,
    extract: bool = True,
) -> ImportResult:
    """Store an article exactly as received and queue the extraction of its claims.

    The same text imported twice is recognised by its hash and not stored again.
    """
    from claims.extraction import detect_metadata

    if actor is not None:
        require(permissions.can_import_article(actor))
    if not isinstance(text, str):
        raise ValidationError({"text": "The article text must be text."})
    if "\x00" in text:
        raise ValidationError({"text": "The article text contains NUL bytes; is it a binary file?"})
    storable_text(text, "text")
    if not text.strip():
        raise ValidationError({"text": "The article is empty."})
    size = len(text.encode("utf-8"))
    if size > settings.ARTICLE_MAX_BYTES:
        raise ValidationError(
            {"text": f"The article is {size:,} bytes; the limit is {settings.ARTICLE_MAX_BYTES:,}."}
        )

    with transaction.atomic():
        existing = Article.objects.filter(content_hash=content_hash(text)).first()
        if existing is not None:
            return ImportResult(existing, False)
        meta = detect_metadata(text)
        article = Article(
            title=(title or meta.title or _fallback_title(text))[:500],
            byline=(byline or meta.byline or "")[:300],
            outlet=(outlet or "")[:200],
            url=url or "",
            published=published or meta.published,
            text=text,
            source_format=source_format,
            imported_by=actor if getattr(actor, "pk", None) else None,
        )
        article.full_clean(exclude=["content_hash", "text"])
        article.save()
        if extract:
            # Inside the transaction: with the database queue the task row commits together
            # with the article; with the immediate backend the claims do.
            from claims.tasks import extract_article_claims

            extract_article_claims.enqueue(article.pk)
    article.refresh_from_db()
    return ImportResult(article, True)


def _import_document(*, actor: Any, document: Any) -> ImportResult:
    return article_import(
        actor=actor,
        text=document.text,
        title=document.title,
        byline=document.byline,
        outlet=document.outlet,
        url=document.url,
        published=document.published,
        source_format=document.source_format,
    )


def article_import_upload(*, actor: Any, data: bytes, filename: str) -> ImportResult:
    """Import an uploaded .txt, .md or .html file. Unreadable files are a ValidationError."""
    from claims.ingest import IngestError, from_upload

    if actor is not None:
        require(permissions.can_import_article(actor))
    try:
        document = from_upload(data, filename, max_bytes=settings.ARTICLE_MAX_BYTES)
    except IngestError as exc:
        raise ValidationError({"file": exc.message}) from None
    return _import_document(actor=actor, document=document)


def article_import_url(*, actor: Any, url: str) -> ImportResult:
    """Fetch a web page, keep its main text and metadata, and import it."""
    from claims.ingest import IngestError, fetch_url

    if actor is not None:
        require(permissions.can_import_article(actor))
    try:
        document = fetch_url(
            url,
            timeout=settings.ARTICLE_FETCH_TIMEOUT,
            max_bytes=settings.ARTICLE_MAX_BYTES,
            allow_private_addresses=settings.ARTICLE_FETCH_ALLOW_PRIVATE,
        )
    except IngestError as exc:
        raise ValidationError({"url": exc.message}) from None
    return _import_document(actor=actor, document=document)


def _fallback_title(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            line = line.strip()
            return line if len(line) <= 120 else line[:119] + "…"
    return "Untitled article"


def article_extract_claims(*, article_id: int) -> int:
    """Run the extraction engine on an article and store what it finds.

    Never duplicates a claim and never overwrites one a person has touched: a machine claim
    is refreshed only while it is still new and untouched, and no machine claim is stored
    where it would overlap a person's claim. Returns the number of claims created.
    """
    from claims.extraction import extract

    article = Article.objects.get(pk=article_id)
    Article.objects.filter(pk=article_id).update(
        extraction_status=Article.Extraction.RUNNING, extraction_error=""
    )
    try:
        found = extract(article.text, published=article.published)
    except Exception as exc:  # the engine must never leave an article stuck "running"
        log.exception("Extraction failed for article %s", article_id)
        Article.objects.filter(pk=article_id).update(
            extraction_status=Article.Extraction.FAILED,
            extraction_error=f"Extraction failed: {exc.__class__.__name__}: {exc}"[:2000],
        )
        return 0

    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article_id)
        existing = list(article.claims.all())
        by_span = {(c.start, c.end): c for c in existing}
        touched = [c for c in existing if _touched_by_person(c)]
        created: list[Claim] = []
        for item in found:
            machine = item.to_dict()
            current = by_span.get((item.start, item.end))
            if current is not None:
                if not _touched_by_person(current) and current.machine != machine:
                    _apply_machine(current, machine, article.text)
                    current.save()
                continue
            if any(c.start < item.end and item.start < c.end for c in touched):
                continue
            claim = Claim(article=article, origin=Claim.Origin.EXTRACTED)
            _apply_machine(claim, machine, article.text)
            created.append(claim)
        # Both backends return primary keys from bulk inserts (RETURNING).
        Claim.objects.bulk_create(created)
        ClaimHistory.objects.bulk_create(
            ClaimHistory(
                claim=c,
                actor=None,
                action=A.EXTRACTED,
                from_status=c.status,
                to_status=c.status,
                changes={"score": c.score, "types": c.types},
            )
            for c in created
        )
        Article.objects.filter(pk=article_id).update(
            extraction_status=Article.Extraction.DONE, extracted_at=timezone.now()
        )
    return len(created)


def _touched_by_person(claim: Claim) -> bool:
    return (
        claim.origin != Claim.Origin.EXTRACTED
        or claim.superseded
        or claim.status != S.NEW
        or claim.version > 1
    )


def _apply_machine(claim: Claim, machine: dict[str, Any], text: str) -> None:
    claim.start, claim.end = machine["start"], machine["end"]
    selector = quote_selector(text, claim.start, claim.end)
    claim.text, claim.prefix, claim.suffix = (
        selector["exact"],
        selector["prefix"],
        selector["suffix"],
    )
    claim.types = list(machine.get("types") or [])
    claim.score = min(1.0, max(0.0, float(machine.get("score") or 0.0)))
    claim.cues = list(machine.get("cues") or [])
    claim.reason = (machine.get("reason") or "")[:500]
    claim.speaker = (machine.get("speaker") or "")[:200]
    claim.figures = list(machine.get("figures") or [])
    date = machine.get("date")
    claim.date = dt.date.fromisoformat(date) if isinstance(date, str) else date
    claim.machine = machine


# --- claims edited by people ------------------------------------------------------------------

EDITABLE_FIELDS = ("start", "end", "types", "speaker", "figures", "date")


def clean_types(value: Any) -> list[str]:
    if not isinstance(value, list | tuple) or not value:
        raise ValidationError({"types": "Give at least one claim type."})
    unknown = [t for t in value if t not in ClaimType.values]
    if unknown:
        raise ValidationError(
            {"types": f"Unknown claim type {unknown[0]!r}; use {', '.join(ClaimType.values)}."}
        )
    return [t for t in ClaimType.values if t in value]  # canonical order, no duplicates


def clean_figures(value: Any) -> list[dict[str, Any]]:
    if value in (None, ""):
        return []
    if not isinstance(value, list):
        raise ValidationError({"figures": "Figures must be a list."})
    cleaned = []
    for i, fig in enumerate(value):
        if not isinstance(fig, dict):
            raise ValidationError({"figures": f"Figure {i + 1} must be an object."})
        number = fig.get("value")
        numbers = number if isinstance(number, list) else [number]
        if not (1 <= len(numbers) <= 2) or not all(
            isinstance(n, int | float) and not isinstance(n, bool) and abs(n) < 1e15
            for n in numbers
        ):
            raise ValidationError(
                {"figures": f"Figure {i + 1}: the value must be a number or a [low, high] range."}
            )
        if len(numbers) == 2 and numbers[0] > numbers[1]:  # type: ignore[operator]
            raise ValidationError(
                {"figures": f"Figure {i + 1}: the range's low is above its high."}
            )
        hedge = fig.get("hedge", "exact")
        if hedge not in HEDGES:
            raise ValidationError(
                {"figures": f"Figure {i + 1}: the hedge must be one of {', '.join(HEDGES)}."}
            )
        counted = fig.get("counted") or ""
        side = fig.get("side") or None
        if not isinstance(counted, str) or (side is not None and not isinstance(side, str)):
            raise ValidationError({"figures": f"Figure {i + 1}: counted and side must be text."})
        cleaned.append(
            {
                "value": number,
                "hedge": hedge,
                "counted": counted[:200],
                "side": side[:200] if side else None,
            }
            | ({"unit": str(fig["unit"])[:50]} if fig.get("unit") else {})
            | ({"text": str(fig["text"])[:200]} if fig.get("text") else {})
        )
    return cleaned


def clean_date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError({"date": "Give the date as YYYY-MM-DD."}) from None


def clean_speaker(value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError({"speaker": "The speaker must be text."})
    value = storable_text(value.strip(), "speaker")
    if len(value) > 200:
        raise ValidationError(
            {"speaker": "The speaker's name is too long (200 characters at most)."}
        )
    return value


def _claim_values(claim: Claim) -> dict[str, Any]:
    return {
        "start": claim.start,
        "end": claim.end,
        "types": claim.types,
        "speaker": claim.speaker,
        "figures": claim.figures,
        "date": claim.date.isoformat() if claim.date else None,
    }


def claim_update(
    *, actor: Any, claim: Claim | int, expected_version: int | None, **changes: Any
) -> Claim:
    """A person corrects a claim. Their version wins from now on; the machine's stays on record."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(f"These fields cannot be edited: {', '.join(sorted(unknown))}.")
    with transaction.atomic():
        claim = lock_claim(claim)
        require(permissions.can_edit_claim(actor, claim))
        check_version(claim, expected_version)
        if claim.superseded:
            raise Conflict("This claim was split or merged; edit the claims that replaced it.")
        if claim.status not in EDITABLE:
            raise TransitionNotAllowed(
                f"A claim that is {ClaimStatus(claim.status).label.lower()} cannot be edited."
            )
        before = _claim_values(claim)
        if "start" in changes or "end" in changes:
            start, end = check_span(
                claim.article, changes.get("start", claim.start), changes.get("end", claim.end)
            )
            selector = quote_selector(claim.article.text, start, end)
            claim.start, claim.end = start, end
            claim.text, claim.prefix, claim.suffix = (
                selector["exact"],
                selector["prefix"],
                selector["suffix"],
            )
        if "types" in changes:
            claim.types = clean_types(changes["types"])
        if "speaker" in changes:
            claim.speaker = clean_speaker(changes["speaker"])
        if "figures" in changes:
            claim.figures = clean_figures(changes["figures"])
        if "date" in changes:
            claim.date = clean_date(changes["date"])
        after = _claim_values(claim)
        diff = {k: {"from": before[k], "to": after[k]} for k in after if before[k] != after[k]}
        if not diff:
            return claim
        if claim.origin == Claim.Origin.EXTRACTED:
            claim.origin = Claim.Origin.EDITED
        _save_claim(
            claim,
            actor,
            [
                "start",
                "end",
                "text",
                "prefix",
                "suffix",
                "types",
                "speaker",
                "figures",
                "date",
                "origin",
            ],
        )
        record_history(claim=claim, actor=actor, action=A.EDITED, changes=diff)
        return claim


def claim_add(
    *,
    actor: Any,
    article: Article | int,
    start: Any,
    end: Any,
    types: Sequence[str],
    speaker: str = "",
    figures: Any = None,
    date: Any = None,
) -> Claim:
    """A person adds a claim by selecting text in the article."""
    require(permissions.can_edit_claim(actor))
    with transaction.atomic():
        article = Article.objects.select_for_update().get(
            pk=article.pk if isinstance(article, Article) else article
        )
        start_i, end_i = check_span(article, start, end)
        selector = quote_selector(article.text, start_i, end_i)
        claim = Claim.objects.create(
            article=article,
            start=start_i,
            end=end_i,
            text=selector["exact"],
            prefix=selector["prefix"],
            suffix=selector["suffix"],
            types=clean_types(list(types)),
            speaker=clean_speaker(speaker),
            figures=clean_figures(figures),
            date=clean_date(date),
            score=1.0,
            cues=["added_by_person"],
            reason="Added by a person.",
            origin=Claim.Origin.ADDED,
            updated_by=actor,
        )
        record_history(claim=claim, actor=actor, action=A.ADDED, changes=_claim_values(claim))
        return claim


def claim_promote(
    *,
    actor: Any,
    article: Article | int,
    start: Any,
    end: Any,
    types: Sequence[str] | None = None,
) -> Claim:
    """A person makes a claim of a sentence the engine left below its threshold ("more
    sentences" on the article page). The engine is asked again, on the stored text, so the
    sentence and the machine's verdict on it (score, cues, reason, speaker, figures, date)
    are the engine's own, kept in ``machine``; the person gives the types when the engine
    gave none. A sentence that already has a claim over it is refused."""
    from claims.extraction import rank

    require(permissions.can_edit_claim(actor))
    with transaction.atomic():
        article = Article.objects.select_for_update().get(
            pk=article.pk if isinstance(article, Article) else article
        )
        start_i, end_i = check_span(article, start, end)
        sentence = next(
            (
                r
                for r in rank(article.text, published=article.published)
                if (r.start, r.end) == (start_i, end_i)
            ),
            None,
        )
        if sentence is None:
            raise ValidationError({"start": "That is not one of the article's sentences."})
        if sentence.claim:
            raise Conflict("That sentence is already above the threshold: it is a claim.")
        if article.claims.filter(start__lt=end_i, end__gt=start_i, superseded=False).exists():
            raise Conflict("A claim already covers that sentence.")
        machine = sentence.to_dict()
        claim = Claim(article=article, origin=Claim.Origin.PROMOTED, updated_by=actor)
        _apply_machine(claim, machine, article.text)
        claim.types = clean_types(list(types) if types else claim.types)
        claim.save()
        record_history(claim=claim, actor=actor, action=A.ADDED, changes=_claim_values(claim))
        return claim


def _copy_assignments(source: Iterable[Claim], target: Claim, actor: Any) -> None:
    reviewers = {a.reviewer_id for c in source for a in c.assignments.all()}
    ClaimAssignment.objects.bulk_create(
        ClaimAssignment(claim=target, reviewer_id=r, assigned_by=actor) for r in sorted(reviewers)
    )


def _status_after_restructure(claims: Iterable[Claim]) -> str:
    statuses = {c.status for c in claims}
    return S.IN_REVIEW if statuses & {S.IN_REVIEW, S.CHANGES_REQUESTED} else S.NEW


def claim_split(
    *, actor: Any, claim: Claim | int, at: Any, expected_version: int | None
) -> tuple[Claim, Claim]:
    """Split a claim in two at an offset of the article inside the claim's span."""
    with transaction.atomic():
        claim = lock_claim(claim)
        require(permissions.can_edit_claim(actor, claim))
        check_version(claim, expected_version)
        if claim.superseded:
            raise Conflict("This claim was already split or merged.")
        if claim.status not in EDITABLE:
            raise TransitionNotAllowed(
                f"A claim that is {ClaimStatus(claim.status).label.lower()} cannot be split."
            )
        at_i = whole_number(at, "at", "The split point must be a whole number.")
        # Checked before the text is indexed with it: an offset past the end of the article
        # would be an IndexError, not a refusal.
        if not claim.start < at_i < claim.end:
            raise ValidationError({"at": "Split inside the claim, leaving text on both sides."})
        text = claim.article.text
        left_end = at_i
        while left_end > claim.start and text[left_end - 1].isspace():
            left_end -= 1
        right_start = at_i
        while right_start < claim.end and text[right_start].isspace():
            right_start += 1
        if not (claim.start < left_end and right_start < claim.end):
            raise ValidationError({"at": "Split inside the claim, leaving text on both sides."})
        status = _status_after_restructure([claim])
        parts = []
        for start, end in ((claim.start, left_end), (right_start, claim.end)):
            selector = quote_selector(text, start, end)
            part = Claim.objects.create(
                article=claim.article,
                start=start,
                end=end,
                text=selector["exact"],
                prefix=selector["prefix"],
                suffix=selector["suffix"],
                types=claim.types,
                speaker=claim.speaker,
                figures=[],
                date=claim.date,
                score=claim.score,
                cues=claim.cues,
                reason=claim.reason,
                origin=Claim.Origin.SPLIT,
                status=status,
                updated_by=actor,
            )
            part.derived_from.add(claim)
            _copy_assignments([claim], part, actor)
            record_history(
                claim=part,
                actor=actor,
                action=A.SPLIT,
                from_status=status,
                to_status=status,
                changes={"split_from": claim.pk},
            )
            parts.append(part)
        claim.superseded = True
        _save_claim(claim, actor, ["superseded"])
        record_history(
            claim=claim,
            actor=actor,
            action=A.SPLIT,
            changes={"into": [p.pk for p in parts], "at": at_i},
        )
        return parts[0], parts[1]


def claim_merge(
    *, actor: Any, claims: Sequence[Claim | int], expected_versions: Sequence[int] | None = None
) -> Claim:
    """Merge neighbouring claims of one article into one spanning them all."""
    ids = [c.pk if isinstance(c, Claim) else int(c) for c in claims]
    if len(set(ids)) < 2:
        raise ValidationError({"claims": "Choose at least two different claims to merge."})
    require(permissions.can_edit_claim(actor))
    with transaction.atomic():
        locked = list(
            Claim.objects.select_for_update().filter(pk__in=ids).order_by("start", "end", "pk")
        )
        if len(locked) != len(set(ids)):
            raise ValidationError({"claims": "Some of those claims do not exist."})
        if expected_versions is not None:
            wanted = dict(zip(ids, expected_versions, strict=False))
            for c in locked:
                check_version(c, wanted.get(c.pk))
        if len({c.article_id for c in locked}) > 1:
            raise ValidationError({"claims": "Only claims of the same article can be merged."})
        for c in locked:
            require(permissions.can_edit_claim(actor, c))
            if c.superseded:
                raise Conflict(f"Claim {c.pk} was already split or merged.")
            if c.status not in EDITABLE:
                raise TransitionNotAllowed(
                    f"Claim {c.pk} is {ClaimStatus(c.status).label.lower()} and cannot be merged."
                )
        start, end = locked[0].start, max(c.end for c in locked)
        between = (
            Claim.objects.active()
            .filter(article_id=locked[0].article_id, start__lt=end, end__gt=start)
            .exclude(pk__in=ids)
        )
        if between.exists():
            raise ValidationError({"claims": "Only neighbouring claims can be merged."})
        article = locked[0].article
        selector = quote_selector(article.text, start, end)
        status = _status_after_restructure(locked)
        merged = Claim.objects.create(
            article=article,
            start=start,
            end=end,
            text=selector["exact"],
            prefix=selector["prefix"],
            suffix=selector["suffix"],
            types=clean_types(sorted({t for c in locked for t in c.types}) or ["event"]),
            speaker=next((c.speaker for c in locked if c.speaker), ""),
            figures=[f for c in locked for f in c.figures],
            date=next((c.date for c in locked if c.date), None),
            score=max(c.score for c in locked),
            cues=sorted({q for c in locked for q in c.cues}),
            reason="; ".join(dict.fromkeys(c.reason for c in locked if c.reason))[:500],
            origin=Claim.Origin.MERGED,
            status=status,
            updated_by=actor,
        )
        merged.derived_from.add(*locked)
        _copy_assignments(locked, merged, actor)
        record_history(
            claim=merged,
            actor=actor,
            action=A.MERGED,
            from_status=status,
            to_status=status,
            changes={"merged_from": [c.pk for c in locked]},
        )
        for c in locked:
            c.superseded = True
            _save_claim(c, actor, ["superseded"])
            record_history(claim=c, actor=actor, action=A.MERGED, changes={"into": merged.pk})
        return merged


# --- assignment --------------------------------------------------------------------------------


def claim_assign(
    *, actor: Any, claim: Claim | int, reviewer: Any, expected_version: int | None = None
) -> Claim:
    """Assign a reviewer (an editor assigns anyone, a reviewer themself)."""
    with transaction.atomic():
        claim = lock_claim(claim)
        require(permissions.can_assign(actor, claim, reviewer))
        check_version(claim, expected_version)
        target = _target(claim, "assign")
        if ClaimAssignment.objects.filter(claim=claim, reviewer=reviewer).exists():
            raise Conflict(f"{reviewer} is already assigned to this claim.")
        ClaimAssignment.objects.create(claim=claim, reviewer=reviewer, assigned_by=actor)
        _move(
            claim,
            actor=actor,
            action=A.ASSIGNED,
            to=target,
            changes={"reviewer": reviewer.get_username()},
        )
        return claim


def claim_unassign(
    *, actor: Any, claim: Claim | int, reviewer: Any, expected_version: int | None = None
) -> Claim:
    with transaction.atomic():
        claim = lock_claim(claim)
        require(permissions.can_unassign(actor, claim, reviewer))
        check_version(claim, expected_version)
        if claim.status not in EDITABLE:
            raise TransitionNotAllowed("Assignments change only while a claim is under review.")
        deleted, _ = ClaimAssignment.objects.filter(claim=claim, reviewer=reviewer).delete()
        if not deleted:
            raise Conflict(f"{reviewer} is not assigned to this claim.")
        to = claim.status
        if claim.status == S.IN_REVIEW and not claim.assignments.exists():
            to = S.NEW
        _move(
            claim,
            actor=actor,
            action=A.UNASSIGNED,
            to=to,
            changes={"reviewer": reviewer.get_username()},
        )
        return claim


# --- verdicts ----------------------------------------------------------------------------------


def current_verdict(claim: Claim) -> Verdict | None:
    """The latest edition that is not superseded by a correction."""
    return claim.verdicts.exclude(state=Verdict.State.SUPERSEDED).order_by("-edition").first()


def _update_verdict(verdict: Verdict, **fields: Any) -> None:
    """Change a verdict: every change bumps its version, so edits based on an older one fail."""
    for name, value in fields.items():
        setattr(verdict, name, value)
    verdict.version += 1
    verdict.updated_at = timezone.now()
    verdict.save()


def _working_verdict(claim: Claim) -> Verdict:
    verdict = current_verdict(claim)
    if verdict is None:
        raise TransitionNotAllowed("This claim has no verdict yet.")
    return Verdict.objects.select_for_update().get(pk=verdict.pk)


def refuse_retired(label: RatingLabel) -> RatingLabel:
    """A retired label stays on what has it, and is given to nothing new."""
    if label.retired_at is not None:
        raise ValidationError(
            {"label": f"The label {label.name} is retired: choose one of the current labels."}
        )
    return label


def clean_label(label: RatingLabel | int | str | None) -> RatingLabel:
    """The label a rating or a verdict may take: one of the default scale's current labels,
    given as the label itself, its pk or its slug. The one place this rule is written:
    ratings (annotations.services) and verdicts both call it."""
    scale = RatingScale.default()
    if isinstance(label, bool):
        raise ValidationError({"label": f"{label!r} is not a label of the rating scale."})
    if isinstance(label, RatingLabel):
        if label.scale_id != scale.pk:
            raise ValidationError({"label": "That label is not on the organisation's scale."})
        return refuse_retired(label)
    try:
        if isinstance(label, int) or (isinstance(label, str) and label.isdigit()):
            return refuse_retired(scale.labels.get(pk=int(label)))
        return refuse_retired(scale.labels.get(slug=str(label)))
    except (RatingLabel.DoesNotExist, ValueError):
        raise ValidationError({"label": f"{label!r} is not a label of the rating scale."}) from None


def rating_label_retire(*, actor: Any, label: RatingLabel | int) -> RatingLabel:
    """Offer a label for no new rating or verdict; those that have it keep it, unchanged.

    How a label in use is replaced: it never changes (``RatingLabel.save`` refuses), it is
    retired and a new one added. Retiring again changes nothing."""
    pk = label.pk if isinstance(label, RatingLabel) else int(label)
    require(permissions.can_change_rating_scale(actor))
    with transaction.atomic():
        try:
            found = RatingLabel.objects.select_for_update().get(pk=pk)
        except RatingLabel.DoesNotExist:
            raise ValidationError(f"There is no rating label {pk}.") from None
        if found.retired_at is None:
            found.retired_at = timezone.now()
            found.save(update_fields=["retired_at"])
        return found


def _set_sources(verdict: Verdict, claim: Claim, source_ids: Iterable[int] | None) -> None:
    if source_ids is None:
        return
    ids = {int(i) for i in source_ids}
    linked = set(claim.claim_sources.filter(source_id__in=ids).values_list("source_id", flat=True))
    missing = ids - linked
    if missing:
        raise ValidationError(
            {"sources": f"Source {min(missing)} is not among this claim's sources."}
        )
    verdict.sources.set(ids)


def claim_propose(
    *,
    actor: Any,
    claim: Claim | int,
    label: RatingLabel | int | str,
    summary: str,
    justification: str,
    source_ids: Iterable[int] | None = None,
    expected_version: int | None = None,
) -> Verdict:
    """Propose a verdict to the editors (again, after changes were requested)."""
    with transaction.atomic():
        claim = lock_claim(claim)
        require(permissions.can_propose(actor, claim))
        check_version(claim, expected_version)
        target = _target(claim, "propose")
        label_obj = clean_label(label)
        summary = _required_text(summary, "summary")
        justification = _required_text(justification, "justification")
        verdict = current_verdict(claim)
        if verdict is not None and verdict.state == Verdict.State.CHANGES_REQUESTED:
            _update_verdict(
                verdict,
                label=label_obj,
                summary=summary,
                justification=justification,
                state=Verdict.State.PROPOSED,
                approved_by=None,
                approved_at=None,
            )
        else:
            # A claim reopened after a retraction gets a new edition; the retracted one stays.
            edition = (verdict.edition + 1) if verdict is not None else 1
            verdict = Verdict.objects.create(
                claim=claim,
                edition=edition,
                label=label_obj,
                summary=summary,
                justification=justification,
                author=actor,
                state=Verdict.State.PROPOSED,
            )
        verdict.contributors.add(actor)
        _set_sources(verdict, claim, source_ids)
        _move(
            claim,
            actor=actor,
            action=A.PROPOSED,
            to=target,
            changes={"verdict": verdict.pk, "label": label_obj.name},
        )
        return verdict


def verdict_amend(
    *,
    actor: Any,
    verdict: Verdict | int,
    expected_version: int | None,
    label: RatingLabel | int | str | None = None,
    summary: str | None = None,
    justification: str | None = None,
    source_ids: Iterable[int] | None = None,
) -> Verdict:
    """Amend a proposed verdict. Whoever amends it becomes one of its writers (four-eyes)."""
    pk = verdict.pk if isinstance(verdict, Verdict) else int(verdict)
    with transaction.atomic():
        claim = lock_claim_of(Verdict, pk, f"There is no verdict {pk}.")
        verdict = Verdict.objects.select_for_update().get(pk=pk)
        require(permissions.can_amend_verdict(actor, verdict))
        check_version(verdict, expected_version, "verdict")
        if verdict.state not in (Verdict.State.PROPOSED, Verdict.State.CHANGES_REQUESTED):
            raise TransitionNotAllowed(
                f"A verdict that is {Verdict.State(verdict.state).label.lower()} cannot be amended;"
                " correct it instead."
            )
        changes: dict[str, Any] = {}
        if label is not None:
            new_label = clean_label(label)
            if new_label != verdict.label:
                changes["label"] = {"from": verdict.label.name, "to": new_label.name}
                verdict.label = new_label
        if summary is not None:
            verdict.summary = _required_text(summary, "summary")
            changes["summary"] = True
        if justification is not None:
            verdict.justification = _required_text(justification, "justification")
            changes["justification"] = True
        _set_sources(verdict, claim, source_ids)
        _update_verdict(verdict)
        verdict.contributors.add(actor)
        _save_claim(claim, actor, [])
        record_history(
            claim=claim, actor=actor, action=A.AMENDED, changes={"verdict": verdict.pk, **changes}
        )
        return verdict


def claim_approve(
    *, actor: Any, claim: Claim | int, expected_version: int | None = None
) -> Verdict:
    with transaction.atomic():
        claim = lock_claim(claim)
        require(permissions.can_approve(actor, None))
        check_version(claim, expected_version)
        if claim.status == S.APPROVED:
            verdict = current_verdict(claim)
            who = verdict.approved_by if verdict else None
            raise TransitionNotAllowed(
                f"This verdict was already approved{f' by {who}' if who else ''}.",
                current_version=claim.version,
            )
        target = _target(claim, "approve")
        verdict = _working_verdict(claim)
        require(permissions.can_approve(actor, verdict))
        _update_verdict(
            verdict, state=Verdict.State.APPROVED, approved_by=actor, approved_at=timezone.now()
        )
        _move(claim, actor=actor, action=A.APPROVED, to=target, changes={"verdict": verdict.pk})
        return verdict


def claim_request_changes(
    *, actor: Any, claim: Claim | int, reason: str, expected_version: int | None = None
) -> Verdict:
    with transaction.atomic():
        claim = lock_claim(claim)
        require(permissions.can_request_changes(actor, None))
        check_version(claim, expected_version)
        target = _target(claim, "request_changes")
        reason = _required_text(reason, "reason")
        verdict = _working_verdict(claim)
        _update_verdict(
            verdict, state=Verdict.State.CHANGES_REQUESTED, approved_by=None, approved_at=None
        )
        _move(
            claim,
            actor=actor,
            action=A.CHANGES_REQUESTED,
            to=target,
            reason=reason,
            changes={"verdict": verdict.pk},
        )
        return verdict


def claim_publish(
    *, actor: Any, claim: Claim | int, expected_version: int | None = None
) -> Verdict:
    with transaction.atomic():
        claim = lock_claim(claim)
        require(permissions.can_publish(actor, None))
        check_version(claim, expected_version)
        target = _target(claim, "publish")
        verdict = _working_verdict(claim)
        require(permissions.can_publish(actor, verdict))
        _update_verdict(
            verdict, state=Verdict.State.PUBLISHED, published_by=actor, published_at=timezone.now()
        )
        _move(claim, actor=actor, action=A.PUBLISHED, to=target, changes={"verdict": verdict.pk})
        transaction.on_commit(partial(_index_for_matching, claim.pk))
        return verdict


def _index_for_matching(pk: int) -> None:
    """A published claim's vector for "checked before?", after the commit. A failure here
    never undoes the publication: the matcher catches up with claims it has no vector of."""
    from claims import matching

    try:
        matching.index_claims([pk])
    except Exception:
        log.exception("Could not index claim %s for matching", pk)


def pending_correction(claim: Claim) -> Correction | None:
    """The correction waiting for a second editor, if any (at most one: a constraint)."""
    cache = getattr(claim, "_prefetched_objects_cache", {})
    if "corrections" in cache:
        return next(
            (c for c in claim.corrections.all() if c.state == Correction.State.PENDING), None
        )
    # Asked by several checks while one page or response is made: one query per claim object.
    if not hasattr(claim, "_pending_correction"):
        claim._pending_correction = (  # type: ignore[attr-defined]
            claim.corrections.filter(state=Correction.State.PENDING)
            .select_related("label", "proposed_by")
            .first()
        )
    return claim._pending_correction  # type: ignore[attr-defined]


def _locked_pending(claim: Claim) -> Correction:
    correction = (
        Correction.objects.select_for_update()
        .select_related("label", "verdict")
        .filter(claim=claim, state=Correction.State.PENDING)
        .first()
    )
    if correction is None:
        raise TransitionNotAllowed(
            "No correction is waiting for approval.", current_version=claim.version
        )
    return correction


def claim_correct(
    *,
    actor: Any,
    claim: Claim | int,
    note: str,
    label: RatingLabel | int | str | None = None,
    summary: str | None = None,
    justification: str | None = None,
    source_ids: Iterable[int] | None = None,
    expected_version: int | None = None,
) -> Correction:
    """Propose a correction of the published verdict. Nothing public changes until another
    editor approves it (``claim_approve_correction``): the four-eyes rule holds for
    corrections as for first verdicts."""
    with transaction.atomic():
        claim = lock_claim(claim)
        require(permissions.can_correct(actor, claim))
        check_version(claim, expected_version)
        _target(claim, "correct")
        if pending_correction(claim) is not None:
            raise TransitionNotAllowed(
                "A correction of this verdict is already waiting for approval: approve or "
                "reject it first.",
                current_version=claim.version,
            )
        note = _required_text(note, "note")
        old = _working_verdict(claim)
        new_label = clean_label(label) if label is not None else old.label
        ids: list[int] | None = None
        if source_ids is not None:
            ids = sorted({int(i) for i in source_ids})
            linked = set(
                claim.claim_sources.filter(source_id__in=ids).values_list("source_id", flat=True)
            )
            if missing := set(ids) - linked:
                raise ValidationError(
                    {"sources": f"Source {min(missing)} is not among this claim's sources."}
                )
        correction = Correction.objects.create(
            claim=claim,
            verdict=old,
            label=new_label,
            summary=_required_text(summary, "summary") if summary is not None else old.summary,
            justification=(
                _required_text(justification, "justification")
                if justification is not None
                else old.justification
            ),
            note=note,
            source_ids=ids,
            proposed_by=actor,
        )
        changes: dict[str, Any] = {"correction": correction.pk, "corrects": old.pk}
        if new_label != old.label:
            changes["label"] = {"from": old.label.name, "to": new_label.name}
        _save_claim(claim, actor, [])
        record_history(
            claim=claim, actor=actor, action=A.CORRECTION_PROPOSED, reason=note, changes=changes
        )
        return correction


def claim_approve_correction(
    *, actor: Any, claim: Claim | int, expected_version: int | None = None
) -> Verdict:
    """A second editor approves the proposed correction: it is published as the next
    edition, written by its proposer and approved by this editor; the old one is kept,
    marked as corrected."""
    with transaction.atomic():
        claim = lock_claim(claim)
        require(permissions.can_correct(actor, claim))
        check_version(claim, expected_version)
        target = _target(claim, "approve_correction")
        correction = _locked_pending(claim)
        require(permissions.can_approve_correction(actor, correction))
        old = _working_verdict(claim)
        if old.pk != correction.verdict_id:
            raise TransitionNotAllowed(
                "The verdict changed since this correction was proposed; reject it and "
                "propose it again.",
                current_version=claim.version,
            )
        now = timezone.now()
        new = Verdict(
            claim=claim,
            edition=old.edition + 1,
            label=correction.label,
            summary=correction.summary,
            justification=correction.justification,
            state=Verdict.State.PUBLISHED,
            author=correction.proposed_by,
            approved_by=actor,
            approved_at=now,
            published_by=actor,
            published_at=now,
            corrects=old,
            correction_note=correction.note,
        )
        _update_verdict(old, state=Verdict.State.SUPERSEDED)
        new.save()
        new.contributors.add(correction.proposed_by)
        if correction.source_ids is None:
            new.sources.set(old.sources.all())
        else:
            _set_sources(new, claim, correction.source_ids)
        correction.state = Correction.State.APPROVED
        correction.result = new
        correction.decided_by = actor
        correction.decided_at = now
        correction.save(update_fields=["state", "result", "decided_by", "decided_at"])
        changes: dict[str, Any] = {
            "verdict": new.pk,
            "corrects": old.pk,
            "correction": correction.pk,
            "proposed_by": correction.proposed_by.get_username(),
            "approved_by": actor.get_username(),
        }
        if new.label_id != old.label_id:
            changes["label"] = {"from": old.label.name, "to": new.label.name}
        _move(
            claim,
            actor=actor,
            action=A.CORRECTED,
            to=target,
            reason=correction.note,
            changes=changes,
        )
        return new


def claim_reject_correction(
    *, actor: Any, claim: Claim | int, reason: str, expected_version: int | None = None
) -> Correction:
    """Turn a proposed correction down: it is kept, withdrawn, with the reason; the published
    edition stays as it was."""
    with transaction.atomic():
        claim = lock_claim(claim)
        require(permissions.can_correct(actor, claim))
        check_version(claim, expected_version)
        _target(claim, "reject_correction")
        reason = _required_text(reason, "reason")
        correction = _locked_pending(claim)
        require(permissions.can_reject_correction(actor, correction))
        _withdraw(correction, actor=actor, reason=reason)
        _save_claim(claim, actor, [])
        record_history(
            claim=claim,
            actor=actor,
            action=A.CORRECTION_REJECTED,
            reason=reason,
            changes={"correction": correction.pk},
        )
        return correction


def _withdraw(correction: Correction, *, actor: Any, reason: str) -> None:
    correction.state = Correction.State.WITHDRAWN
    correction.decided_by = actor
    correction.decided_at = timezone.now()
    correction.decision_reason = reason
    correction.save(update_fields=["state", "decided_by", "decided_at", "decision_reason"])


def claim_retract(
    *, actor: Any, claim: Claim | int, reason: str, expected_version: int | None = None
) -> Verdict:
    """Retract the published verdict at once. The one urgent change a single editor may
    make: recorded as such (``four_eyes: false``), with who made it; a correction waiting
    for approval is withdrawn with it."""
    with transaction.atomic():
        claim = lock_claim(claim)
        require(permissions.can_retract(actor, claim))
        check_version(claim, expected_version)
        target = _target(claim, "retract")
        reason = _required_text(reason, "reason")
        verdict = _working_verdict(claim)
        pending = (
            Correction.objects.select_for_update()
            .filter(claim=claim, state=Correction.State.PENDING)
            .first()
        )
        changes: dict[str, Any] = {"verdict": verdict.pk, "four_eyes": False}
        if pending is not None:
            _withdraw(pending, actor=actor, reason=f"Retracted: {reason}")
            changes["withdrawn_correction"] = pending.pk
        _update_verdict(
            verdict,
            state=Verdict.State.RETRACTED,
            retracted_at=timezone.now(),
            retracted_by=actor,
            retraction_reason=reason,
        )
        _move(claim, actor=actor, action=A.RETRACTED, to=target, reason=reason, changes=changes)
        return verdict


def claim_dismiss(
    *, actor: Any, claim: Claim | int, reason: str, expected_version: int | None = None
) -> Claim:
    with transaction.atomic():
        claim = lock_claim(claim)
        require(permissions.can_dismiss(actor, claim))
        check_version(claim, expected_version)
        target = _target(claim, "dismiss")
        reason = _required_text(reason, "reason")
        _move(claim, actor=actor, action=A.DISMISSED, to=target, reason=reason)
        return claim


def claim_reopen(
    *, actor: Any, claim: Claim | int, reason: str = "", expected_version: int | None = None
) -> Claim:
    with transaction.atomic():
        claim = lock_claim(claim)
        require(permissions.can_reopen(actor, claim))
        check_version(claim, expected_version)
        target = _target(claim, "reopen")
        _move(claim, actor=actor, action=A.REOPENED, to=target, reason=reason.strip())
        return claim


# --- what a person may do next -----------------------------------------------------------------

ACTION_LABELS = {
    "assign": "Assign",
    "propose": "Propose verdict",
    "approve": "Approve",
    "request_changes": "Request changes",
    "publish": "Publish",
    "correct": "Propose a correction",
    "approve_correction": "Approve the correction",
    "reject_correction": "Reject the correction",
    "retract": "Retract",
    "dismiss": "Dismiss",
    "reopen": "Reopen",
}


def action_permission(
    actor: Any, claim: Claim, action: str, verdict: Verdict | None = None
) -> permissions.Decision:
    """Whether the actor's role lets them take a workflow action on this claim at all,
    whatever its status and whatever they send with it (assigning: themself). The API asks
    before it reads a request's body, so that a person who may not act is told that (403)
    rather than what their body lacks; the service still checks everything, under the lock.
    """
    checks = {
        "assign": lambda: permissions.can_assign(actor, claim, actor),
        "unassign": lambda: permissions.can_unassign(actor, claim, actor),
        "propose": lambda: permissions.can_propose(actor, claim),
        "approve": lambda: permissions.can_approve(actor, verdict),
        "request_changes": lambda: permissions.can_request_changes(actor, verdict),
        "publish": lambda: permissions.can_publish(actor, verdict),
        "correct": lambda: permissions.can_correct(actor, claim),
        "approve_correction": lambda: permissions.can_approve_correction(
            actor, pending_correction(claim) if permissions.can_correct(actor, claim) else None
        ),
        "reject_correction": lambda: permissions.can_reject_correction(actor, None),
        "retract": lambda: permissions.can_retract(actor, claim),
        "dismiss": lambda: permissions.can_dismiss(actor, claim),
        "reopen": lambda: permissions.can_reopen(actor, claim),
    }
    return checks[action]()


def available_actions(actor: Any, claim: Claim, verdict: Verdict | None = None) -> dict[str, Any]:
    """For each workflow action allowed from the claim's status: whether the actor may, and why
    not. Pages and the API use it to show buttons; the services still check everything."""
    if claim.superseded:
        return {}
    return {
        action: action_permission(actor, claim, action, verdict)
        for action in ACTION_LABELS
        if allowed(action, claim.status) and _applies(actor, claim, action)
    }


def _applies(actor: Any, claim: Claim, action: str) -> bool:
    """Deciding on a correction is on offer only to editors, while one waits."""
    if action not in ("approve_correction", "reject_correction"):
        return True
    return bool(permissions.can_correct(actor, claim)) and pending_correction(claim) is not None


# --- checked before: reviewers confirm or reject matches ------------------------------------------


def _match_ref(
    claim: Claim, factcheck: Any, matched_claim: Any
) -> tuple[FactCheck | None, Claim | None]:
    """The fact-check or the claim of ours that was offered as a match: exactly one."""
    if (factcheck is None) == (matched_claim is None):
        raise ValidationError("Name the match: a fact-check or one of our claims, not both.")
    if factcheck is not None:
        pk = factcheck.pk if isinstance(factcheck, FactCheck) else factcheck
        found = FactCheck.objects.filter(pk=_id(pk, "factcheck")).first()
        if found is None:
            raise ValidationError({"factcheck": f"There is no fact-check {pk}."})
        return found, None
    pk = matched_claim.pk if isinstance(matched_claim, Claim) else matched_claim
    other = Claim.objects.filter(pk=_id(pk, "claim")).first()
    if other is None:
        raise ValidationError({"claim": f"There is no claim {pk}."})
    if other.pk == claim.pk:
        raise ValidationError({"claim": "A claim cannot be a match of itself."})
    return None, other


def _id(value: Any, what: str) -> int:
    if isinstance(value, bool):
        raise ValidationError({what: f"{value!r} is not an id."})
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError({what: f"{value!r} is not an id."}) from None
    if not 0 < number < 2**63:
        raise ValidationError({what: f"{value!r} is not an id."})
    return number


def _score(value: Any) -> float | None:
    if value in (None, ""):
        return None
    try:
        score = float(value)
    except (TypeError, ValueError):
        raise ValidationError({"score": "The score must be a number."}) from None
    if score != score or score in (float("inf"), float("-inf")):
        raise ValidationError({"score": "The score must be a number."})
    return round(score, 6)


def _decide_match(
    *,
    actor: Any,
    claim: Claim | int,
    decision: str,
    factcheck: FactCheck | int | str | None,
    matched_claim: Claim | int | str | None,
    score: Any,
    explanation: dict[str, Any] | None,
    expected_version: int | None,
) -> MatchDecision:
    with transaction.atomic():
        claim = lock_claim(claim)
        require(permissions.can_decide_match(actor, claim))
        fc, other = _match_ref(claim, factcheck, matched_claim)
        if explanation is not None and not isinstance(explanation, dict):
            raise ValidationError({"explanation": "The explanation must be an object."})
        shown = _score(score)
        existing = (
            MatchDecision.objects.select_for_update()
            .filter(claim=claim, factcheck=fc, matched_claim=other)
            .first()
        )
        now = timezone.now()
        previous = ""
        if existing is None:
            if expected_version not in (None, 0):
                raise Conflict("That decision was removed since you loaded the page.")
            made = MatchDecision.objects.create(
                claim=claim,
                factcheck=fc,
                matched_claim=other,
                decision=decision,
                score=shown,
                explanation=explanation or {},
                actor=actor,
                at=now,
            )
        else:
            check_version(existing, expected_version, "decision")  # type: ignore[arg-type]
            if existing.decision == decision:
                return existing  # said already: nothing changes, nothing to record
            previous = existing.decision
            existing.decision = decision
            existing.actor = actor
            existing.at = now
            existing.score = shown
            existing.explanation = explanation or {}
            existing.version += 1
            existing.save()
            made = existing
        record_history(
            claim=claim,
            actor=actor,
            action=(
                A.MATCH_CONFIRMED
                if decision == MatchDecision.Decision.CONFIRMED
                else A.MATCH_REJECTED
            ),
            changes={
                "ref": made.ref,
                **({"factcheck": fc.pk, "publisher": fc.publisher} if fc else {}),
                **({"claim": other.pk} if other else {}),
                "score": shown,
                **({"previous": previous} if previous else {}),
            },
        )
        return made


def match_confirm(
    *,
    actor: Any,
    claim: Claim | int,
    factcheck: FactCheck | int | str | None = None,
    matched_claim: Claim | int | str | None = None,
    score: Any = None,
    explanation: dict[str, Any] | None = None,
    expected_version: int | None = None,
) -> MatchDecision:
    """A reviewer says the match offered under "Checked before?" is the same claim. One
    decision per (claim, match): confirming again changes nothing; confirming a rejected
    match changes the answer, and both answers stay in the history."""
    return _decide_match(
        actor=actor,
        claim=claim,
        decision=MatchDecision.Decision.CONFIRMED,
        factcheck=factcheck,
        matched_claim=matched_claim,
        score=score,
        explanation=explanation,
        expected_version=expected_version,
    )


def match_reject(
    *,
    actor: Any,
    claim: Claim | int,
    factcheck: FactCheck | int | str | None = None,
    matched_claim: Claim | int | str | None = None,
    score: Any = None,
    explanation: dict[str, Any] | None = None,
    expected_version: int | None = None,
) -> MatchDecision:
    """A reviewer says the match is not the same claim. A source attached from it earlier
    stays (remove it from the sources if it should go)."""
    return _decide_match(
        actor=actor,
        claim=claim,
        decision=MatchDecision.Decision.REJECTED,
        factcheck=factcheck,
        matched_claim=matched_claim,
        score=score,
        explanation=explanation,
        expected_version=expected_version,
    )


# --- the same claim in several of our articles: groups ---------------------------------------


def _lock_claims(ids: Iterable[int]) -> list[Claim]:
    # Always in the order of their keys, so two editors grouping overlapping claims wait for
    # each other rather than deadlock.
    wanted = sorted(set(ids))
    found = list(Claim.objects.select_for_update().filter(pk__in=wanted).order_by("pk"))
    missing = sorted(set(wanted) - {c.pk for c in found})
    if missing:
        raise ValidationError({"claims": f"There is no claim {missing[0]}."})
    return found


def claims_group(
    *,
    actor: Any,
    claims: Sequence[Claim | int],
    group: ClaimGroup | int | None = None,
    expected_version: int | None = None,
) -> ClaimGroup:
    """Say that these claims are one claim, made in several articles, to be checked once:
    a new group of two or more, or these added to ``group``. A claim already in another group
    is refused (ungroup it first); one already in this group is left as it is."""
    ids = [_id(c.pk if isinstance(c, Claim) else c, "claims") for c in claims]
    with transaction.atomic():
        require(permissions.can_group_claims(actor))
        target: ClaimGroup | None = None
        if group is not None:
            gid = _id(group.pk if isinstance(group, ClaimGroup) else group, "group")
            target = ClaimGroup.objects.select_for_update().filter(pk=gid).first()
            if target is None:
                raise ValidationError({"group": f"There is no group {gid}."})
            check_version(target, expected_version, "group")  # type: ignore[arg-type]
        locked = _lock_claims(ids)
        members = {
            m.claim_id: m
            for m in ClaimGroupMember.objects.select_for_update().filter(claim__in=locked)
        }
        for c in locked:
            if c.superseded:
                raise ValidationError(
                    {"claims": f"Claim {c.pk} was replaced by a split or merge; group its parts."}
                )
            member = members.get(c.pk)
            if member is not None and (target is None or member.group_id != target.pk):
                raise Conflict(
                    f"Claim {c.pk} is already grouped with other claims; ungroup it first."
                )
        new = [c for c in locked if c.pk not in members]
        if target is None:
            if len(locked) < 2:
                raise ValidationError({"claims": "A group needs two claims or more."})
            target = ClaimGroup.objects.create(created_by=actor)
        elif not new:
            return target
        else:
            target.version += 1
            target.save(update_fields=["version"])
        now = timezone.now()
        ClaimGroupMember.objects.bulk_create(
            [ClaimGroupMember(claim=c, group=target, added_by=actor, added_at=now) for c in new]
        )
        everyone = sorted(
            ClaimGroupMember.objects.filter(group=target).values_list("claim_id", flat=True)
        )
        for c in new:
            record_history(
                claim=c,
                actor=actor,
                action=A.GROUPED,
                changes={"group": target.pk, "claims": everyone},
            )
        return target


def claim_ungroup(*, actor: Any, claim: Claim | int, reason: str = "") -> None:
    """Take a claim out of its group (it was not the same claim after all). A group left with
    one claim is no group: it is dissolved, and that claim's history says so too."""
    pk = _id(claim.pk if isinstance(claim, Claim) else claim, "claim")
    with transaction.atomic():
        require(permissions.can_group_claims(actor))
        member = ClaimGroupMember.objects.filter(claim_id=pk).first()
        if member is None:
            if not Claim.objects.filter(pk=pk).exists():
                raise ValidationError(f"There is no claim {pk}.")
            raise Conflict("This claim is not grouped with any other.")
        group = ClaimGroup.objects.select_for_update().get(pk=member.group_id)
        ids = list(ClaimGroupMember.objects.filter(group=group).values_list("claim_id", flat=True))
        if pk not in ids:
            raise Conflict("This claim was ungrouped meanwhile.")
        locked = {c.pk: c for c in _lock_claims(ids)}
        why = storable_text((reason or "").strip(), "reason")
        leaving = [pk] if len(ids) > 2 else sorted(ids)
        ClaimGroupMember.objects.filter(claim_id__in=leaving).delete()
        for cid in leaving:
            record_history(
                claim=locked[cid],
                actor=actor,
                action=A.UNGROUPED,
                reason=why,
                changes={"group": group.pk, **({"dissolved": True} if len(leaving) > 1 else {})},
            )
        if len(leaving) > 1:
            group.delete()
        else:
            group.version += 1
            group.save(update_fields=["version"])

"""The article reader's text: the stored article split at claim boundaries, escaped, as HTML.

Built in Python rather than in a template because whitespace matters here: the text is shown
with ``white-space: pre-wrap`` and every character must stay exactly where the offsets say,
so the browser can map a selection back to offsets into the stored string. Each text piece
carries ``data-o``, the offset (in code points, as Python counts) of its first character.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from claims.models import ClaimStatus, ClaimType

# When a claim has several types, the one that colours its highlight: the type a fact-checker
# most needs to notice comes first.
TYPE_PRIORITY = (
    ClaimType.CASUALTY,
    ClaimType.QUANTITY,
    ClaimType.QUOTE,
    ClaimType.ATTRIBUTION,
    ClaimType.EVENT,
)


def primary_type(types: Iterable[str]) -> str:
    given = set(types or ())
    return next((t.value for t in TYPE_PRIORITY if t in given), "event")


@dataclass
class Segment:
    start: int
    end: int
    text: str
    # Claims covering this piece, innermost (shortest) first: a click selects the innermost.
    claims: list[Any] = field(default_factory=list)


def segments(text: str, claims: Sequence[Any]) -> list[Segment]:
    """Split ``text`` at every claim boundary. Claims may overlap (people can add a claim over
    another): each piece lists every claim covering it, so nothing is hidden."""
    length = len(text)
    spans = [c for c in claims if 0 <= c.start < c.end <= length]
    cuts = {0, length}
    for c in spans:
        cuts.add(c.start)
        cuts.add(c.end)
    points = sorted(cuts)
    pieces: list[Segment] = []
    # Claims sorted by start; a sweep keeps the covering set without an n*m scan.
    by_start = sorted(spans, key=lambda c: (c.start, c.end, c.pk))
    active: list[Any] = []
    i = 0
    for a, b in pairwise(points):
        while i < len(by_start) and by_start[i].start <= a:
            active.append(by_start[i])
            i += 1
        active = [c for c in active if c.end > a]
        covering = sorted(
            (c for c in active if c.start <= a and c.end >= b),
            key=lambda c: (c.end - c.start, c.pk),
        )
        pieces.append(Segment(a, b, text[a:b], covering))
    return pieces


def claim_numbers(claims: Sequence[Any]) -> dict[int, int]:
    """Claims numbered 1, 2, ... in reading order, as the reader and the panel show them."""
    ordered = sorted(claims, key=lambda c: (c.start, c.end, c.pk))
    return {c.pk: n for n, c in enumerate(ordered, start=1)}


def render_article(text: str, claims: Sequence[Any], *, selected: int | None = None) -> SafeString:
    """The article's text as HTML with every claim a highlighted link, coloured by type and
    marked with its state. Everything from the article is escaped: its text is untrusted."""
    numbers = claim_numbers(claims)
    last_piece: dict[int, int] = {}
    pieces = segments(text, claims)
    for index, piece in enumerate(pieces):
        for c in piece.claims:
            last_piece[c.pk] = index
    seen: set[int] = set()
    out: list[str] = []
    for index, piece in enumerate(pieces):
        body = escape(piece.text)
        if not piece.claims:
            lead = len(piece.text) - len(piece.text.lstrip()) if index == 0 else 0
            if 0 < lead < len(piece.text):
                # Blank lines before the first word would show as an empty gap: kept (every
                # character must stay addressable) but not displayed.
                out.append(f'<span data-o="0" class="lead-ws">{escape(piece.text[:lead])}</span>')
                body = escape(piece.text[lead:])
            out.append(f'<span data-o="{piece.start + lead}">{body}</span>')
            continue
        claim = piece.claims[0]
        classes = [
            "claim",
            f"t-{primary_type(claim.types)}",
            f"s-{claim.status}",
        ]
        if len(claim.types) > 1:
            classes.append("multi")
        if len(piece.claims) > 1:
            classes.append("overlap")
        if selected is not None and any(c.pk == selected for c in piece.claims):
            classes.append("is-selected")
        url = reverse("claim-detail", args=[claim.pk])
        attrs = [
            f'class="{" ".join(classes)}"',
            f'href="{url}"',
            f'hx-get="{url}"',
            'hx-push-url="true"',
            f'data-claim="{claim.pk}"',
            f'data-claims="{" ".join(str(c.pk) for c in piece.claims)}"',
            f'data-o="{piece.start}"',
        ]
        if claim.pk not in seen:
            seen.add(claim.pk)
            attrs.append(f'id="claim-{claim.pk}" data-first="{numbers[claim.pk]}"')
        out.append(f"<a {' '.join(attrs)}>{body}</a>")
        for c in piece.claims:
            if last_piece.get(c.pk) == index:
                out.append(_tag(c, numbers[c.pk], anchor=c.pk not in seen))
    return mark_safe("".join(out))  # every piece of article text is escaped above


def _tag(claim: Any, number: int, *, anchor: bool) -> str:
    """The claim's number after its last character, coloured by state. A claim hidden under
    another one's highlight is reached through its tag, which then also takes the anchor."""
    url = reverse("claim-detail", args=[claim.pk])
    state = escape(ClaimStatus(claim.status).label)
    extra = f' id="claim-{claim.pk}"' if anchor else ' tabindex="-1"'
    return (
        f'<a class="claim-tag s-{claim.status}" href="{url}" hx-get="{url}" hx-push-url="true"'
        f' data-tag="{claim.pk}" data-n="{number}"{extra}>{number}'
        f'<span class="visually-hidden"> (claim {number}, {state})</span></a>'
    )

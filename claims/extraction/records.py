"""The values the engine hands out. Frozen so a caller can't edit a result by accident."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# Canonical order of claim types: callers compare lists, so the order must never vary.
TYPE_ORDER: tuple[str, ...] = ("casualty", "quantity", "quote", "attribution", "event")
HEDGES: tuple[str, ...] = ("exact", "at_least", "more_than", "less_than", "nearly", "about")

Number = int | float


@dataclass(frozen=True, slots=True)
class Figure:
    """A number in a claim: its value (or ``[low, high]``), hedge, and what it counts."""

    value: Number | list[Number]
    hedge: str
    counted: str
    side: str | None = None
    unit: str | None = None
    text: str = ""

    def to_dict(self) -> dict[str, object]:
        return {
            "value": list(self.value) if isinstance(self.value, list) else self.value,
            "hedge": self.hedge,
            "counted": self.counted,
            "side": self.side,
            "unit": self.unit,
            "text": self.text,
        }


@dataclass(frozen=True, slots=True)
class ExtractedClaim:
    """One sentence the engine judged, check-worthy unless ``claim`` is false;
    ``text == original[start:end]`` always holds."""

    start: int
    end: int
    text: str
    types: list[str]
    score: float
    cues: list[str]
    reason: str
    speaker: str | None = None
    figures: list[Figure] = field(default_factory=list)
    date: dt.date | None = None
    claim: bool = True  # above the threshold; rank() also gives the sentences below it

    def to_dict(self) -> dict[str, object]:
        return {
            "claim": self.claim,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "types": list(self.types),
            "score": self.score,
            "cues": list(self.cues),
            "reason": self.reason,
            "speaker": self.speaker,
            "figures": [f.to_dict() for f in self.figures],
            "date": self.date.isoformat() if self.date else None,
        }


@dataclass(frozen=True, slots=True)
class ArticleMetadata:
    """What the head of a plain-text article says about itself."""

    title: str | None
    byline: str | None
    published: dt.date | None
    body_start: int

    def to_dict(self) -> dict[str, object]:
        return {
            "title": self.title,
            "byline": self.byline,
            "published": self.published.isoformat() if self.published else None,
            "body_start": self.body_start,
        }

"""Calendar dates named in a sentence, resolved against the publication date.

* A weekday ("on Tuesday", "Tuesday night", "since Sunday") is the latest such day on or
  before publication; "last Sunday" is strictly before it; "next Friday", or a weekday after
  "will"/"is due"/"scheduled", is the first such day after it.
* "yesterday", "today", "tonight", "last night", "tomorrow" are relative to publication.
* "July 16", "16 July", "Sept. 11" without a year take the year that puts them nearest the
  publication date; with a year ("July 16, 2020") or in ISO form they need no publication date.
* A year alone ("in 2016") or a month alone ("in September") is not a day: no date.
"""

# ruff: noqa: RUF001 - curly quotes, apostrophes and dashes are the text this module reads
from __future__ import annotations

import datetime as dt
import re
from functools import cache

from claims.extraction.lexicon import MONTHS, WEEKDAYS

_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
)
_ISO_PART = r"(?P<iso>\b(?P<iy>\d{4})-(?P<im>\d{2})-(?P<id>\d{2})\b)"
_MONTH_DAY_PART = (
    r"(?P<md>\b(?P<m1>" + _MONTH + r")\s+(?P<d1>\d{1,2})(?:st|nd|rd|th)?\b(?!:|\.\d|,\d)"
    r"(?:,?\s+(?P<y1>\d{4})\b)?)"
    r"|(?P<dm>\b(?P<d2>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>" + _MONTH + r")"
    r"(?:,?\s+(?P<y2>\d{4})\b)?)"
)
_WEEKDAY_PART = (
    r"(?P<wd>\b(?:(?P<mod>[Ll]ast|[Tt]his|[Nn]ext|[Pp]ast)\s+)?(?P<day>Monday|Tuesday|Wednesday"
    r"|Thursday|Friday|Saturday|Sunday)(?:’s|'s)?\b)"
)
_RELATIVE_PART = (
    r"(?P<rel>\b(?:[Yy]esterday|[Tt]oday|[Tt]onight|[Tt]omorrow|[Ll]ast night|[Tt]his morning"
    r"|[Ee]arlier today)\b)"
)
# The same groups, never matching: a variant without a part still has all its group names.
_NEVER = {
    "iso": r"(?P<iso>(?!)(?P<iy>)(?P<im>)(?P<id>))",
    "month": r"(?P<md>(?!)(?P<m1>)(?P<d1>)(?P<y1>))|(?P<dm>(?!)(?P<d2>)(?P<m2>)(?P<y2>))",
    "weekday": r"(?P<wd>(?!)(?P<mod>)(?P<day>))",
    "relative": r"(?P<rel>(?!))",
}


@cache
def _date_pattern(iso: bool, month: bool, weekday: bool, relative: bool) -> re.Pattern[str]:
    """Only the alternatives the sentence can match: one regex with all of them costs 45 us
    a sentence, most of it trying month names at every position of sentences without one."""
    return re.compile(
        "|".join(
            (
                _ISO_PART if iso else _NEVER["iso"],
                _MONTH_DAY_PART if month else _NEVER["month"],
                _WEEKDAY_PART if weekday else _NEVER["weekday"],
                _RELATIVE_PART if relative else _NEVER["relative"],
            )
        )
    )


_DATE = _date_pattern(True, True, True, True)
# Named days that are not the last such weekday: "Super Tuesday", "Black Friday".
_NAMED_DAY = re.compile(
    r"(?:Super|Black|Good|Easter|Bloody|Cyber|Ash|Holy|Maundy|Palm|Giving|Shrove)\s+\Z"
)
_FUTURE = re.compile(
    r"\b(?:will|shall|'ll|is due|are due|scheduled|is set to|are set to|plans? to|is expected"
    r"|are expected|upcoming|ahead of|next)\b"
)
HAS_DATE = re.compile(
    r"day\b|\d|[Yy]esterday|[Tt]oday|[Tt]onight|[Tt]omorrow|[Ll]ast night|[Tt]his morning"
)


_RELATIVE_WORDS = frozenset(["yesterday", "today", "tonight", "tomorrow", "night", "morning"])
_DATE_WORDS = frozenset([*MONTHS, *WEEKDAYS, *_RELATIVE_WORDS])
_ISO = re.compile(r"\d-\d")


def find_date(
    sentence: str,
    published: dt.date | None,
    avoid: list[tuple[int, int]] | None = None,
    words: set[str] | None = None,
) -> tuple[dt.date | None, str | None]:
    """The first calendar day the sentence names, as ``(date, surface text)``.

    ``avoid`` are spans (quotations) whose dates count only when nothing outside them does.
    ``words``, the sentence's lower-cased words if the caller has them, only saves time.
    """
    pattern = _DATE
    if words is not None:
        digits = "<d>" in words
        iso = digits and _ISO.search(sentence) is not None
        month = digits and not words.isdisjoint(MONTHS)
        weekday = not words.isdisjoint(WEEKDAYS)
        relative = not words.isdisjoint(_RELATIVE_WORDS)
        if not (iso or month or weekday or relative):
            return None, None
        pattern = _date_pattern(iso, month, weekday, relative)
    elif not HAS_DATE.search(sentence):
        return None, None
    fallback: tuple[dt.date | None, str | None] = (None, None)
    for m in pattern.finditer(sentence):
        day = _resolve(sentence, m, published)
        if day is None:
            continue
        inside = bool(avoid) and any(a <= m.start() < b for a, b in avoid or ())
        if not inside:
            return day, m.group()
        if fallback[0] is None:
            fallback = (day, m.group())
    return fallback


def _resolve(sentence: str, m: re.Match[str], published: dt.date | None) -> dt.date | None:
    if m.group("iso"):
        return _safe_date(int(m.group("iy")), int(m.group("im")), int(m.group("id")))
    if m.group("md") or m.group("dm"):
        month = MONTHS[(m.group("m1") or m.group("m2")).rstrip(".").lower()]
        day = int(m.group("d1") or m.group("d2"))
        year_text = m.group("y1") or m.group("y2")
        if year_text:
            return _safe_date(int(year_text), month, day)
        if published is None:
            return None
        candidates = [_safe_date(published.year + k, month, day) for k in (-1, 0, 1)]
        real = [c for c in candidates if c is not None]
        return min(real, key=lambda c: abs((c - published).days)) if real else None
    if published is None:
        return None
    if m.group("wd"):
        if _NAMED_DAY.search(sentence, max(0, m.start() - 12), m.start()):
            return None
        target = WEEKDAYS[m.group("day").lower()]
        mod = (m.group("mod") or "").lower()
        back = (published.weekday() - target) % 7
        if mod in ("last", "past"):
            return published - dt.timedelta(days=back or 7)
        ahead = (target - published.weekday()) % 7
        if mod == "next":
            return published + dt.timedelta(days=ahead or 7)
        if _FUTURE.search(sentence, max(0, m.start() - 60), m.start()):
            return published + dt.timedelta(days=ahead)
        return published - dt.timedelta(days=back)
    rel = m.group("rel").lower()
    if rel in ("yesterday", "last night"):
        return published - dt.timedelta(days=1)
    if rel == "tomorrow":
        return published + dt.timedelta(days=1)
    return published


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None

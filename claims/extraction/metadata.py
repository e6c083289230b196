"""Title, byline and publication date from the head of a plain-text article.

Pasted and extracted articles start with a few short lines before the prose: a headline, the
author's name, a date, in some order. We read at most the first ``HEAD_LINES`` non-empty
lines, accept the ones that look like header lines, and stop at the first line of prose;
``body_start`` is where that line begins.
"""

# ruff: noqa: RUF001 - curly quotes, apostrophes and dashes are the text this module reads
from __future__ import annotations

import datetime as dt
import re

from claims.extraction.dates import _MONTH, _safe_date
from claims.extraction.lexicon import MONTHS, word_set
from claims.extraction.records import ArticleMetadata

HEAD_CHARS = 3000
HEAD_LINES = 6

_FULL_DATE = re.compile(
    r"\b(?P<d1>\d{1,2})(?:st|nd|rd|th)?\s+(?P<m1>" + _MONTH + r"),?\s+(?P<y1>\d{4})\b"
    r"|\b(?P<m2>" + _MONTH + r")\s+(?P<d2>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y2>\d{4})\b"
    r"|\b(?P<y3>\d{4})-(?P<m3>\d{1,2})-(?P<d3>\d{1,2})\b"
)
_DATE_LINE_WORDS = word_set(
    """published updated posted last on at am pm a.m. p.m. gmt utc est edt cet cest bst pst pdt
    monday tuesday wednesday thursday friday saturday sunday mon tue wed thu fri sat sun | -
    – — , : date"""
)
_BY = re.compile(r"(?i)^by\s+(?P<who>[^\d\n]{2,80})$")
_NAME_PARTICLES = word_set("de da di del der van von la le al el bin ibn and &")
_TERMINAL = ".!?:;,"


def detect_metadata(text: str) -> ArticleMetadata:
    """Title, byline, publication date and body offset of a plain-text article."""
    if not isinstance(text, str) or not text.strip():
        return ArticleMetadata(None, None, None, 0)
    title: str | None = None
    byline: str | None = None
    published: dt.date | None = None
    lines = _head_lines(text)
    body_start = lines[0][0] if lines else 0
    for index, (start, line) in enumerate(lines):
        is_last = index == len(lines) - 1 and start + len(line) >= len(text.rstrip())
        if is_last:
            break  # a header needs a body after it
        day = _date_line(line)
        author = None if byline else _byline(line, after_title=title is not None)
        if day is not None:
            published = published or day
        elif author:
            byline = author
        elif title is None and index == 0 and _title_like(line):
            title = line
        else:
            body_start = start
            break
        body_start = _next_line_start(text, start + len(line))
    if title is None and byline is None and published is None:
        body_start = lines[0][0] if lines else 0
    return ArticleMetadata(title, byline, published, body_start)


def _head_lines(text: str) -> list[tuple[int, str]]:
    """``(offset, stripped line)`` of the first non-empty lines."""
    out: list[tuple[int, str]] = []
    pos = 0
    limit = min(len(text), HEAD_CHARS)
    while pos < limit and len(out) < HEAD_LINES + 1:
        nl = text.find("\n", pos)
        end = len(text) if nl < 0 else nl
        raw = text[pos:end]
        stripped = raw.strip()
        if stripped:
            out.append((pos + (len(raw) - len(raw.lstrip())), stripped))
        if nl < 0:
            break
        pos = nl + 1
    return out


def _next_line_start(text: str, pos: int) -> int:
    n = len(text)
    while pos < n and text[pos].isspace():
        pos += 1
    return pos


def _date_line(line: str) -> dt.date | None:
    if len(line) > 80:
        return None
    m = _FULL_DATE.search(line)
    if m is None:
        return None
    rest = (line[: m.start()] + " " + line[m.end() :]).lower()
    for word in rest.replace(",", " ").split():
        if word not in _DATE_LINE_WORDS and not re.fullmatch(r"[\d:.apm]+", word):
            return None
    if m.group("y3"):
        return _safe_date(int(m.group("y3")), int(m.group("m3")), int(m.group("d3")))
    month = MONTHS[(m.group("m1") or m.group("m2")).rstrip(".").lower()]
    return _safe_date(
        int(m.group("y1") or m.group("y2")), month, int(m.group("d1") or m.group("d2"))
    )


def _byline(line: str, *, after_title: bool) -> str | None:
    m = _BY.match(line)
    if m:
        return m.group("who").strip(" ,")
    if not after_title or len(line) > 60 or line[-1] in _TERMINAL:
        return None
    words = line.split()
    if not 2 <= len(words) <= 5:
        return None
    for w in words:
        if w.lower() in _NAME_PARTICLES:
            continue
        if not (w[0].isupper() and all(c.isalpha() or c in "-.’'" for c in w)):
            return None
    return line


def _title_like(line: str) -> bool:
    words = line.split()
    if len(line) > 250 or not 2 <= len(words) <= 30:
        return False
    if line[-1] not in _TERMINAL or line[-1] in "?!":
        return True
    # Some sources end headlines with a period; they still capitalise Every Major Word.
    long_words = [w for w in words if len(w) >= 4 and w[0].isalpha()]
    if not long_words:
        return False
    capitalised = sum(1 for w in long_words if w[0].isupper())
    return capitalised / len(long_words) >= 0.7

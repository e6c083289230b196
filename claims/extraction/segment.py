"""Sentence segmentation with offsets into the original text.

One left-to-right pass over the "events" that can matter (terminal punctuation, quote marks,
brackets, line breaks), found with a single linear regex, so the cost is proportional to the
length of the text whatever its shape. Nothing is normalised: every span indexes the text the
caller gave.

Rules, in the order a fact-checker would notice them:

* ``.``, ``!``, ``?`` and ellipses end a sentence only when whitespace and a plausible
  sentence start follow; abbreviations ("4:00 a.m.", "U.S.", "Gen.", "No. 5") and decimals
  do not end one.
* Inside an open quotation or bracket nothing ends a sentence, so a quotation of several
  sentences stays with the words that attribute it. A quote left open (bad input, stray
  straight quote) is given up after ``MAX_OPEN`` characters and its boundaries restored.
* A line break ends a sentence, unless the line stops mid-sentence: no final punctuation and
  a dangling word ("on the"), a trailing comma, a quotation still open, or a next line that
  starts in lower case. That rejoins sentences that a paste split across paragraphs.
* No sentence is longer than ``MAX_SENTENCE`` characters (a run of text without punctuation is
  cut at whitespace), which bounds the cost of everything done per sentence later.
"""

# ruff: noqa: RUF001 - curly quotes, apostrophes and dashes are the text this module reads
from __future__ import annotations

import re
from typing import NamedTuple

from claims.extraction.lexicon import word_set

MAX_OPEN = 1500
MAX_SENTENCE = 3000

# Line breaks (any Unicode line separator) with the blank space that follows them.
_EVENT = re.compile(r"[\n\r\u2028\u2029\x0b\x0c\x85][\s]*|[.!?…]+|[“”\"«»]|[(\[\])]")
_TERMINAL = frozenset(".!?…")
# What may follow terminal punctuation and still belong to the sentence it ends.
_CLOSERS = frozenset("”\"’'»)]*_")
_LINE_END_TERMINAL = frozenset(".!?…:;")
_HSPACE = frozenset(" \t\u00a0\u2009\u202f\u3000")
_BREAK_CHARS = "\n\r\u2028\u2029\x0b\x0c\x85"
_JOINING_PUNCT = frozenset(",-–—(/&")

# Abbreviations that stand before a name: never the end of a sentence.
_TITLES = word_set(
    """mr mrs ms messrs dr gen col lt sgt capt cpt cmdr adm maj brig gov sen rep reps rev prof
    st mt ft pres supt hon atty amb insp cpl pvt fr sr jr"""
)
# Abbreviations that stand before a number.
_BEFORE_NUMBER = word_set(
    """no nos vol vols art arts fig figs p pp ch sec para op jan feb mar apr jun jul aug sep
    sept oct nov dec"""
)
# Abbreviations that may end a sentence: they do only when a typical first word follows.
_AMBIGUOUS = word_set(
    """inc corp co ltd llc plc etc vs approx est dept univ assn bros ave blvd rd al ca cf jan
    feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun
    u.s u.k u.n e.u a.m p.m e.g i.e d.c n.y l.a"""
)
# Words that typically open a sentence; after an ambiguous abbreviation they mean it ended.
_STARTERS = word_set(
    """the a an he she it they we i you this that these those there here his her its their our
    my but and or so yet in on at as after before when while if although though because
    since however meanwhile moreover still also then now today yesterday what who why how
    where which some many most all no not one two three according despite during for from
    with without by to under among both each every such other others more officials police
    authorities nevertheless instead thus later earlier last"""
)
# Words a line cannot end on if the sentence is complete.
_DANGLING = word_set(
    """the a an of to in on at for from with by and or but nor as than that which who whose
    whom is are was were be been being has have had will would can could should may might
    must its their his her our your my this these those into onto upon about over under
    between against during without within through across after before while if because so
    not no very more most such said says including per via whether"""
)


class Sentence(NamedTuple):
    """A sentence span with what the layout says about it."""

    start: int
    end: int
    line_start: bool  # begins a line (or the text)
    line_end: bool  # ends a line (or the text)
    terminal: bool  # ends with terminal punctuation


def segment(text: str) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` into ``text``, in order, whitespace trimmed."""
    return [(s.start, s.end) for s in sentences(text)]


def sentences(text: str) -> list[Sentence]:
    """Sentences with layout flags, for callers that must tell headlines from prose."""
    if not isinstance(text, str) or not text:
        return []
    n = len(text)
    spans: list[Sentence] = []
    start = 0
    for cut in _boundaries(text):
        _emit(text, start, cut, spans)
        start = cut
    _emit(text, start, n, spans)
    return spans


def _emit(text: str, start: int, end: int, out: list[Sentence]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while end - start > MAX_SENTENCE:
        cut = text.rfind(" ", start + MAX_SENTENCE // 2, start + MAX_SENTENCE)
        if cut < 0:
            cut = start + MAX_SENTENCE
        _emit(text, start, cut, out)
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if start >= end:
        return
    prev = start - 1
    while prev >= 0 and text[prev] in _HSPACE:
        prev -= 1
    line_start = prev < 0 or text[prev] in _BREAK_CHARS
    nxt = end
    n = len(text)
    while nxt < n and text[nxt] in _HSPACE:
        nxt += 1
    line_end = nxt >= n or text[nxt] in _BREAK_CHARS
    last = end - 1
    while last > start and text[last] in _CLOSERS:
        last -= 1
    out.append(Sentence(start, end, line_start, line_end, text[last] in _TERMINAL))


def _boundaries(text: str) -> list[int]:
    n = len(text)
    cuts: list[int] = []
    pending: list[int] = []  # boundaries held back while a quote or bracket is open
    in_quote = False
    depth = 0
    opened = -1  # where the current quote/bracket opened
    last_cut = 0
    pos = 0
    search = _EVENT.search
    while pos < n:
        m = search(text, pos)
        if m is None:
            break
        s, e = m.span()
        ch = text[s]
        if (in_quote or depth) and s - opened > MAX_OPEN:
            # An open quote this long is a stray mark, not a quotation: release its cuts.
            cuts.extend(pending)
            pending.clear()
            in_quote, depth = False, 0
        if ch in _TERMINAL:
            k = e
            while k < n and text[k] in _CLOSERS:
                c = text[k]
                if c in '”"»' and in_quote:
                    in_quote = False
                    if not depth:
                        pending.clear()
                elif c in ")]" and depth:
                    depth -= 1
                    if not depth and not in_quote:
                        pending.clear()
                k += 1
            pos = k
            if k >= n or not text[k].isspace():
                continue
            j = k
            while j < n and text[j] in _HSPACE:
                j += 1
            if j >= n or text[j] in _BREAK_CHARS:
                continue  # the line break decides
            if _ends_sentence(text, s, e, j):
                if in_quote or depth:
                    pending.append(k)
                else:
                    cuts.append(k)
                    last_cut = k
            continue
        if ch in _BREAK_CHARS:
            pos = e
            i = s - 1
            while i >= 0 and text[i] in _HSPACE:
                i -= 1
            if i < 0 or e >= n:
                continue
            if _line_continues(text, i, e, in_quote or depth > 0, last_cut):
                continue
            cuts.append(i + 1)
            last_cut = i + 1
            pending.clear()
            in_quote, depth = False, 0
            continue
        pos = e
        if ch in "([":
            if not in_quote and not depth:
                opened = s
            depth += 1
        elif ch in ")]":
            if depth:
                depth -= 1
                if not depth and not in_quote:
                    pending.clear()
        elif _is_opening_quote(text, s):
            if not in_quote:
                if not depth:
                    opened = s
                in_quote = True
        elif in_quote:
            in_quote = False
            if not depth:
                pending.clear()
    return cuts


def _is_opening_quote(text: str, i: int) -> bool:
    ch = text[i]
    if ch in "“«":
        return True
    if ch in "”»":
        return False
    prev = text[i - 1] if i else " "
    return prev.isspace() or prev in "([{-—–/:"


def _ends_sentence(text: str, s: int, e: int, j: int) -> bool:
    """Whether punctuation ``text[s:e]`` ends a sentence, ``j`` being the next visible char."""
    nxt = text[j]
    # Markup and opening quotes/brackets sit before the real first character.
    k = j
    while k < len(text) and k < j + 4 and text[k] in "*_“\"‘'«([":
        k += 1
    first = text[k] if k < len(text) else nxt
    if first.islower():
        return False
    if not first.isalnum():
        return first in "$€£¥" or nxt in "“\"‘'«([*_"
    cluster = text[s:e]
    if cluster != ".":
        return True  # "?", "!", "...": a capital after them starts a sentence
    # Word before the period: letters and inner periods ("a.m", "U.S", "Gen").
    b = s
    while b > 0 and s - b < 12 and (text[b - 1].isalpha() or text[b - 1] == "."):
        b -= 1
    word = text[b:s]
    if not word:
        return True  # "12. Then", ") . The"
    low = word.lower()
    if low in _TITLES:
        return False
    if first.isdigit():
        return low not in _BEFORE_NUMBER
    if "." in word or len(word) == 1 or low in _AMBIGUOUS:
        return _next_word(text, k).lower() in _STARTERS
    return True


def _next_word(text: str, k: int) -> str:
    end = k
    n = len(text)
    while end < n and end - k < 20 and text[end].isalpha():
        end += 1
    return text[k:end]


def _line_continues(text: str, i: int, nxt: int, open_quote: bool, last_cut: int) -> bool:
    """At a line break after ``text[i]``: does the sentence go on at ``text[nxt]``?"""
    k = i
    while k > last_cut and text[k] in _CLOSERS:
        k -= 1
    if text[k] in _LINE_END_TERMINAL:
        return False
    if text[k] in _JOINING_PUNCT:
        return True
    first = text[nxt]
    if first.islower():
        return True
    b = i
    while b > 0 and i - b < 12 and text[b - 1].isalpha():
        b -= 1
    if text[b : i + 1].lower() in _DANGLING:
        return True
    # A quotation still open after a line of real prose continues on the next line.
    return open_quote and i - last_cut >= 40

"""Properties of the extraction engine that must hold for any text at all.

Hostile-input hardening (issue 7): whatever a browser, a script or a pasted file brings
(right-to-left text, combining marks, emoji, NUL and control characters, lines with no
punctuation, unbalanced quotes and brackets), the engine answers without raising, and
every offset it gives indexes the text it was given. Complements test_robustness.py with
what a caller relies on: sentences cover the text, claims are sentences, answers are
deterministic, metadata comes from the text's head. Timing is measured in
bench/linearity.py, never asserted here.
"""

# ruff: noqa: RUF001 - the fragments are news prose and hostile Unicode on purpose

from __future__ import annotations

import datetime as dt
import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claims.extraction import detect_metadata, extract, segment
from claims.extraction.records import HEDGES, TYPE_ORDER

# Reproducible in CI (the same examples on every run); exploring anew on developers' machines.
PROPERTY = settings(
    max_examples=200,
    deadline=None,
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

FRAGMENTS = [
    # news prose and the cues the engine looks for
    "At least 12 soldiers were killed on Sunday, the ministry said. ",
    "“We will respond,” he said. ",
    "The president said: “We will not back down. Never.” ",
    "Officials denied the report. ",
    "About 30,000 people marched on July 16, 2020. ",
    "Mr. Aliyev met Gen. Smith at 4:00 a.m. in the U.S. capital. ",
    "nearly 3.5 million ",
    "more than -5 ",
    "1,000,000,000,000,000,000,000 ",
    "0.000001 ",
    "No. 5 ",
    "(see p. 12) ",
    "[sic] ",
    "... ",
    "…",
    "?! ",
    # layout
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    "\t",
    "\u2028",
    "\u2029",
    "\x0b",
    "\x0c",
    "\x85",
    "\u00a0",
    # quotes and brackets, balanced or not
    '"',
    "“",
    "”",
    "«",
    "»",
    "‘",
    "’",
    "'",
    "(",
    ")",
    "[",
    "]",
    # right-to-left, bidi controls, combining marks, emoji, zero-width, NUL
    "وقالت الوزارة إن 12 جنديا قتلوا. ",
    "המשרד אמר ",
    "\u202e",
    "\u202d",
    "\u200f",
    "\u2066",
    "e\u0301\u0301\u0301",
    "Z\u0351\u0352\u0353\u0354",
    "👍🏽",
    "🇦🇲🇦🇿",
    "👨‍👩‍👧",
    "\u200b",
    "\ufeff",
    "\x00",
    "\x07",
    "\x1b[31m",
    # markup and injection text: plain characters to the engine
    "<script>alert(1)</script>",
    "{{ request.user }}",
    "{% csrf_token %}",
    "'; DROP TABLE claims_claim; --",
    "${jndi:ldap://x}",
]

NEWSY = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), max_size=80).map(
    "".join
)
ANY_TEXT = st.text(max_size=400)  # every Unicode category but surrogates
LONG_LINES = st.builds(
    lambda word, n, sep, tail: sep.join([word] * n) + tail,
    st.sampled_from(["soldiers", "12", "“", "(", "a.", "x" * 50, "مرحبا", "e\u0301"]),
    st.integers(min_value=1, max_value=1500),
    st.sampled_from(["", " ", ", ", ". ", "\n"]),
    st.sampled_from(["", ".", " said the ministry.", "”"]),
)
TEXTS = st.one_of(NEWSY, ANY_TEXT, LONG_LINES)
DATES = st.one_of(st.none(), st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)))


@PROPERTY
@given(TEXTS)
def test_sentences_are_ordered_trimmed_and_cover_every_visible_character(text: str) -> None:
    spans = segment(text)
    covered = [False] * len(text)
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text)
        assert not text[start].isspace() and not text[end - 1].isspace()
        for i in range(start, end):
            covered[i] = True
        previous_end = end
    outside = [c for c, inside in zip(text, covered, strict=True) if not inside]
    assert all(c.isspace() for c in outside), f"text outside every sentence: {outside[:5]!r}"


@PROPERTY
@given(TEXTS, DATES)
def test_claims_are_exact_slices_of_the_text_in_order(text: str, published: dt.date | None) -> None:
    claims = extract(text, published=published)
    sentences = set(segment(text))
    previous_end = 0
    for claim in claims:
        assert previous_end <= claim.start < claim.end <= len(text)
        assert text[claim.start : claim.end] == claim.text
        assert (claim.start, claim.end) in sentences  # a claim is one whole sentence
        previous_end = claim.end


@PROPERTY
@given(TEXTS, DATES)
def test_claims_are_well_formed_records(text: str, published: dt.date | None) -> None:
    for claim in extract(text, published=published):
        assert claim.types and list(claim.types) == [t for t in TYPE_ORDER if t in claim.types]
        assert 0.0 <= claim.score <= 1.0
        assert claim.speaker is None or claim.speaker.strip()
        for figure in claim.figures:
            assert figure.hedge in HEDGES
        # What is stored: JSON without loss (no NaN or infinities).
        record = claim.to_dict()
        assert json.loads(json.dumps(record, allow_nan=False)) == record


@PROPERTY
@given(TEXTS)
def test_extraction_is_deterministic(text: str) -> None:
    assert extract(text) == extract(text)


@PROPERTY
@given(TEXTS)
def test_metadata_comes_from_the_text(text: str) -> None:
    meta = detect_metadata(text)
    assert 0 <= meta.body_start <= len(text)
    head = text[: max(meta.body_start, 1)] if meta.body_start else text
    for found in (meta.title, meta.byline):
        assert found is None or (found.strip() and found in text)
    assert meta.title is None or meta.title in head
    assert meta.published is None or isinstance(meta.published, dt.date)
    json.dumps(meta.to_dict())


# Found by these properties: a number beyond a float's range used to raise OverflowError.
@pytest.mark.parametrize(
    "text",
    [
        "At least " + "9" * 400 + " soldiers were killed, the ministry said.",
        "9" * 300 + " billion people died, he said.",
    ],
)
def test_a_number_beyond_float_range_is_not_an_error(text: str) -> None:
    for claim in extract(text):
        assert text[claim.start : claim.end] == claim.text
        json.dumps(claim.to_dict(), allow_nan=False)

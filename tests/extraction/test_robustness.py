"""Whatever text comes in, the engine answers, with offsets that index that text.

No timing assertions here (the machines are shared and noisy): bench/extraction.py measures
speed and linear scaling. These tests only prove that hostile inputs finish and do not raise.
"""

# ruff: noqa: RUF001 - the test texts are news prose, with curly quotes and dashes

from __future__ import annotations

import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claims.extraction import detect_metadata, extract, segment

NEWSY = st.lists(
    st.sampled_from(
        list(string.ascii_letters + string.digits + " .,;:!?-()[]\"'\n\t$%")
        + list("“”‘’…—–«»İğçé\u00a0\u2028\r")
        + ["a.m.", "U.S.", " said ", " killed ", "At least ", " on Tuesday", "\n\n", "He said: “"]
        + [" soldiers", "Minister ", " according to ", "12,000", "July 16", " who said", ", "]
    ),
    max_size=150,
).map("".join)


def check(text: str) -> None:
    for a, b in segment(text):
        assert 0 <= a < b <= len(text)
    meta = detect_metadata(text)
    assert 0 <= meta.body_start <= len(text)
    previous_end = 0
    for claim in extract(text):
        assert 0 <= claim.start < claim.end <= len(text)
        assert claim.start >= previous_end
        previous_end = claim.end
        assert text[claim.start : claim.end] == claim.text
        assert 0.0 <= claim.score <= 1.0
        assert claim.types
        claim.to_dict()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(NEWSY)
def test_any_newsy_text_gives_valid_claims(text: str) -> None:
    check(text)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_any_unicode_text_gives_valid_claims(text: str) -> None:
    check(text)


@pytest.mark.parametrize("text", ["", " ", "\n\n\t  \r\n", "\u2028\u2029", "\x00\x00"])
def test_empty_or_whitespace_text_has_no_claims(text: str) -> None:
    assert extract(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "word " * 20_000,  # 100 KB "sentence" without punctuation
        "a" * 100_000,
        "1" * 100_000,
        "1," * 50_000,
        "." * 100_000,
        ". A" * 33_000,
        "“" * 50_000 + "”" * 50_000,
        '"' * 100_000,
        "(" * 100_000,
        "\n" * 100_000,
        " " * 100_000,
        "-" * 100_000,
        "$" * 100_000,
        "@" * 50_000 + "a" * 50_000,
        "http://" + "a" * 100_000,
        "[" * 50_000 + "](" * 25_000,
        "He said " * 12_000,
        "At least 12 soldiers were killed on Tuesday, he said. " * 2_000,
    ],
    ids=lambda t: repr(t[:12]),
)
def test_hostile_inputs_finish_without_raising(text: str) -> None:
    check(text)


def test_a_large_article_is_processed(sample_text: str) -> None:
    # About 1.5 MB: the sample article repeated. (bench/extraction.py times 5 MB.)
    text = "\n\n".join([sample_text] * 150)
    claims = extract(text)
    assert len(claims) > 150 * 20
    assert all(text[c.start : c.end] == c.text for c in claims[:: len(claims) // 50])


def test_non_ascii_offsets_are_python_string_indices() -> None:
    text = "İsmail Demir said: “We need unity.” Erdoğan’s aide said 12 soldiers were killed."
    for claim in extract(text):
        assert text[claim.start : claim.end] == claim.text

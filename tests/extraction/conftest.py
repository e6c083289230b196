"""Fixtures for the extraction engine's tests: the sample article and its claims.

The sample is read from claims/samples/ (shipped with the code), never from the workplace's
shared data folder.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from claims.extraction import ExtractedClaim, extract

SAMPLE_PATH = (
    Path(__file__).resolve().parents[2]
    / "claims"
    / "samples"
    / "armenia-azerbaijan-border-clashes-2020-07-18.txt"
)
SAMPLE_PUBLISHED = dt.date(2020, 7, 18)


@pytest.fixture(scope="session")
def sample_text() -> str:
    return SAMPLE_PATH.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def sample_claims(sample_text: str) -> list[ExtractedClaim]:
    # No publication date given: the engine must find it in the article's head.
    return extract(sample_text)


def claim_with(claims: list[ExtractedClaim], fragment: str) -> ExtractedClaim:
    """The one claim whose text contains ``fragment``."""
    found = [c for c in claims if fragment in c.text]
    assert len(found) == 1, f"{len(found)} claims contain {fragment!r}"
    return found[0]


def only_claim(text: str, published: dt.date | None = None) -> ExtractedClaim:
    """The single claim extracted from a short snippet."""
    claims = extract(text, published=published)
    assert len(claims) == 1, [c.text for c in claims]
    return claims[0]

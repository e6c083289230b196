"""Claim extraction engine: plain text in, check-worthy claims out.

Plain Python (no Django, no downloads, no deep-learning framework: the learned sentence
model runs in numpy), so the same code runs in the web app, in a worker, in the tests and in
the benchmarks::

    from claims.extraction import extract, segment, detect_metadata

    claims = extract(article_text, published=datetime.date(2020, 7, 18))
"""

from __future__ import annotations

from claims.extraction.metadata import detect_metadata
from claims.extraction.pipeline import analyse, extract, rank
from claims.extraction.records import ArticleMetadata, ExtractedClaim, Figure
from claims.extraction.scoring import CLAIM_THRESHOLD
from claims.extraction.segment import segment

__all__ = [
    "CLAIM_THRESHOLD",
    "ArticleMetadata",
    "ExtractedClaim",
    "Figure",
    "analyse",
    "detect_metadata",
    "extract",
    "rank",
    "segment",
]

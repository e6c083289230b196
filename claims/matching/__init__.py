"""Matching claims by meaning ("checked before?"). The matcher fills this package.

``index_factchecks`` is called after every import of fact-checks with the primary keys of
the rows created or updated, so that their vectors can be built. Until the matcher is in
place it does nothing.
"""

from __future__ import annotations

from collections.abc import Iterable


def index_factchecks(ids: Iterable[int]) -> None:
    """Build (or rebuild) the search vectors of these fact-checks. A no-op for now."""
    return None

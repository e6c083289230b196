from __future__ import annotations

import pytest


@pytest.fixture
def indexed(monkeypatch):
    """The ids each call of the matcher's hook received, in order."""
    calls: list[list[int]] = []
    monkeypatch.setattr("claims.matching.index_factchecks", lambda ids: calls.append(list(ids)))
    return calls

"""Fixtures for the web workbench's view tests."""

from __future__ import annotations

import pytest

from claims import services
from claims.models import Article

HTMX = {"HTTP_HX_REQUEST": "true"}


def htmx(target: str = "claim-panel") -> dict[str, str]:
    return {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": target}


@pytest.fixture
def sample_article(reviewer, sample_text) -> Article:
    """The sample article, imported and extracted through the real services."""
    result = services.article_import(actor=reviewer, text=sample_text, outlet="WSWS")
    article = result.article
    article.refresh_from_db()
    assert article.extraction_status == Article.Extraction.DONE
    return article


@pytest.fixture
def as_reviewer(client, reviewer):
    client.force_login(reviewer)
    return client


@pytest.fixture
def as_editor(client, editor):
    client.force_login(editor)
    return client

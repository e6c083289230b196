"""Published claims made directly, for tests that need many of them quickly.

The workflow's own tests walk claims through the services (tests/workflow.py); here only the
resulting rows matter, so a claim is stored already published with its verdict.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth.models import User
from django.db import connection
from django.utils import timezone

from claims.models import Article, Claim, ClaimStatus, Verdict
from tests.factories import ArticleFactory, UserFactory, rating_label


def article_of(
    sentences: list[str], *, title: str, **fields: Any
) -> tuple[Article, list[tuple[int, int]]]:
    """An article made of its title and the sentences, and each sentence's offsets in it."""
    head = f"{title}\n\n"
    spans, pos = [], len(head)
    for sentence in sentences:
        spans.append((pos, pos + len(sentence)))
        pos += len(sentence) + 1
    article = ArticleFactory(title=title, text=head + " ".join(sentences) + "\n", **fields)
    return cast(Article, article), spans


def claims_in(
    sentences: list[str],
    *,
    status: str = ClaimStatus.NEW,
    title: str = "An article",
    **article_fields: Any,
) -> list[Claim]:
    """Claims on the sentences of a new article (titles must differ: texts are unique)."""
    article, spans = article_of(sentences, title=title, **article_fields)
    claims = [
        Claim.objects.create(
            article=article,
            start=start,
            end=end,
            text=article.text[start:end],
            types=["event"],
            status=status,
        )
        for start, end in spans
    ]
    if status in (ClaimStatus.PUBLISHED, ClaimStatus.CORRECTED):
        author = cast(User, UserFactory(username="scale-author", roles=["editor"]))
        approver = cast(User, UserFactory(username="scale-approver", roles=["editor"]))
        label = rating_label("false")
        for claim in claims:
            Verdict.objects.create(
                claim=claim,
                label=label,
                summary="s",
                justification="j",
                author=author,
                approved_by=approver,
                state=Verdict.State.PUBLISHED,
                published_by=approver,
                published_at=timezone.now(),
            )
    return claims


def on_postgresql() -> bool:
    return connection.vendor == "postgresql"

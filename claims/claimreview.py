"""schema.org ClaimReview for a published verdict, as Google's Fact Check Tools expect it.

One builder for the public pages' JSON-LD, the public API and the exports.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from claims.models import Claim, Organisation, Verdict


def claimreview(
    verdict: Verdict, *, page_url: str, organisation: Organisation | None = None
) -> dict[str, Any]:
    """``verdict`` must have ``claim__article`` and ``label__scale`` loaded (select_related)."""
    claim: Claim = verdict.claim
    article = claim.article
    label = verdict.label
    return claimreview_of(
        page_url=page_url,
        organisation=organisation or Organisation.current(),
        text=claim.text,
        speaker=claim.speaker,
        date=claim.date,
        article_title=article.title,
        article_url=article.url,
        article_published=article.published,
        outlet=article.outlet,
        alternate_name=label.alternate_name,
        rating_value=label.rating_value,
        best_rating=label.scale.best_rating,
        worst_rating=label.scale.worst_rating,
        summary=verdict.summary,
        published_at=verdict.published_at,
        corrects=verdict.corrects_id is not None,
    )


def claimreview_of(
    *,
    page_url: str,
    organisation: Organisation,
    text: str,
    speaker: str,
    date: dt.date | None,
    article_title: str,
    article_url: str,
    article_published: dt.date | None,
    outlet: str,
    alternate_name: str,
    rating_value: int | None,
    best_rating: int,
    worst_rating: int,
    summary: str,
    published_at: dt.datetime | None,
    corrects: bool,
) -> dict[str, Any]:
    """The document from the values it is made of: the public feed reads them as plain
    values (no model instances), 50 at a time."""
    rating: dict[str, Any] = {"@type": "Rating", "alternateName": alternate_name}
    if rating_value is not None:
        rating |= {
            "ratingValue": rating_value,
            "bestRating": best_rating,
            "worstRating": worst_rating,
        }

    appearance: dict[str, Any] = {"@type": "CreativeWork", "headline": article_title}
    if article_url:
        appearance["url"] = article_url
    if article_published:
        appearance["datePublished"] = article_published.isoformat()
    if outlet:
        appearance["publisher"] = {"@type": "Organization", "name": outlet}

    item: dict[str, Any] = {"@type": "Claim", "appearance": appearance}
    if speaker:
        item["author"] = {"@type": _speaker_type(speaker), "name": speaker}
    elif outlet:
        item["author"] = {"@type": "Organization", "name": outlet}
    day = date or article_published
    if day:
        item["datePublished"] = day.isoformat()

    org = organisation
    author: dict[str, Any] = {"@type": "Organization", "name": org.name, "url": org.url}
    if org.logo_url:
        author["logo"] = {"@type": "ImageObject", "url": org.logo_url}

    document: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": page_url,
        "claimReviewed": text,
        "reviewRating": rating,
        "itemReviewed": item,
        "author": author,
        "datePublished": published_at.date().isoformat() if published_at else None,
        "headline": summary[:110],
    }
    if corrects and published_at:
        document["dateModified"] = published_at.isoformat()
    return document


_BODIES = frozenset(
    (
        "ministry",
        "government",
        "office",
        "agency",
        "party",
        "council",
        "army",
        "forces",
        "parliament",
        "kremlin",
        "reuters",
        "ap",
        "tass",
        "bbc",
        "group",
        "committee",
        "officials",
        "presidency",
        "department",
        "commission",
        "side",
        "organization",
        "organisation",
    )
)


def _speaker_type(name: str) -> str:
    words = {w.strip(".,").lower() for w in name.split()}
    return "Organization" if words & _BODIES else "Person"

"""schema.org ClaimReview for a published verdict, as Google's Fact Check Tools expect it.

One builder for the public pages' JSON-LD, the public API and the exports.
"""

from __future__ import annotations

from typing import Any

from claims.models import Claim, Organisation, Verdict


def claimreview(
    verdict: Verdict, *, page_url: str, organisation: Organisation | None = None
) -> dict[str, Any]:
    """``verdict`` must have ``claim__article`` and ``label__scale`` loaded (select_related)."""
    org = organisation or Organisation.current()
    claim: Claim = verdict.claim
    article = claim.article
    label = verdict.label
    scale = label.scale

    rating: dict[str, Any] = {"@type": "Rating", "alternateName": label.alternate_name}
    if label.rating_value is not None:
        rating |= {
            "ratingValue": label.rating_value,
            "bestRating": scale.best_rating,
            "worstRating": scale.worst_rating,
        }

    appearance: dict[str, Any] = {"@type": "CreativeWork", "headline": article.title}
    if article.url:
        appearance["url"] = article.url
    if article.published:
        appearance["datePublished"] = article.published.isoformat()
    if article.outlet:
        appearance["publisher"] = {"@type": "Organization", "name": article.outlet}

    item: dict[str, Any] = {"@type": "Claim", "appearance": appearance}
    if claim.speaker:
        item["author"] = {"@type": _speaker_type(claim.speaker), "name": claim.speaker}
    elif article.outlet:
        item["author"] = {"@type": "Organization", "name": article.outlet}
    date = claim.date or article.published
    if date:
        item["datePublished"] = date.isoformat()

    author: dict[str, Any] = {"@type": "Organization", "name": org.name, "url": org.url}
    if org.logo_url:
        author["logo"] = {"@type": "ImageObject", "url": org.logo_url}

    published = verdict.published_at
    document: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": page_url,
        "claimReviewed": claim.text,
        "reviewRating": rating,
        "itemReviewed": item,
        "author": author,
        "datePublished": published.date().isoformat() if published else None,
        "headline": verdict.summary[:110],
    }
    if verdict.corrects_id and published:
        document["dateModified"] = published.isoformat()
    return document


_BODIES = (
    "ministry", "government", "office", "agency", "party", "council", "army", "forces",
    "parliament", "kremlin", "reuters", "ap", "tass", "bbc", "group", "committee", "officials",
    "presidency", "department", "commission", "side", "organization", "organisation",
)


def _speaker_type(name: str) -> str:
    words = {w.strip(".,").lower() for w in name.split()}
    return "Organization" if words & set(_BODIES) else "Person"

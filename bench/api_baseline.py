"""The floor for bench/api.py: the public feed's rows as JSON with raw psycopg, no Django.

    DATABASE_URL=postgres://... gunicorn bench.api_baseline:application

``/published/`` (``?label=``, ``?q=``) and ``/published/<claim id>/`` answer with the same
rows and the same JSON as /api/v1/published/ (bench/api.py compares the bodies before it
measures): the claim, its article, the rating, the sources with their stance, the versions on
a detail, and the same ClaimReview document (``claims.claimreview``, written out again here
without Django). What it leaves out is what Django and DRF add: content negotiation,
throttling, ETag/Last-Modified and conditional GET, CORS and security headers, cursors,
problem details. One connection per process, opened after the fork; a page costs three
queries (organisation, rows, sources), a detail four (and the versions).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs

import psycopg

_conn: psycopg.Connection[Any] | None = None
DETAIL = re.compile(r"^/published/(\d+)/$")

ROWS = """
SELECT v.id, v.claim_id, v.edition, v.summary, v.justification, v.published_at,
       v.corrects_id IS NOT NULL, v.correction_note,
       c.text, c.speaker, c.types, c.date, a.title, a.url, a.outlet, a.published,
       l.slug, l.name, l.alternate_name, l.rating_value, l.averitec, s.best_rating,
       s.worst_rating
FROM claims_verdict v
JOIN claims_claim c ON c.id = v.claim_id
JOIN claims_article a ON a.id = c.article_id
JOIN claims_ratinglabel l ON l.id = v.label_id
JOIN claims_ratingscale s ON s.id = l.scale_id
WHERE v.state = 'published' AND c.status IN ('published', 'corrected') {where}
ORDER BY v.published_at DESC, v.id DESC
LIMIT 50
"""

SOURCES = """
SELECT vs.verdict_id, src.url, src.title, src.publisher, src.published, src.accessed,
       src.archive_url, src.kind, cs.stance, coalesce(cs.excerpt, '')
FROM annotations_source_verdicts vs
JOIN annotations_source src ON src.id = vs.source_id
JOIN claims_verdict v ON v.id = vs.verdict_id
LEFT JOIN annotations_claimsource cs ON cs.source_id = src.id AND cs.claim_id = v.claim_id
WHERE vs.verdict_id = ANY(%s)
"""

VERSIONS = """
SELECT v.edition, v.summary, v.published_at, v.correction_note, v.state = 'superseded',
       l.slug, l.name, l.alternate_name, l.rating_value, l.averitec, s.best_rating,
       s.worst_rating
FROM claims_verdict v
JOIN claims_ratinglabel l ON l.id = v.label_id
JOIN claims_ratingscale s ON s.id = l.scale_id
WHERE v.claim_id = %s AND v.state IN ('published', 'superseded')
ORDER BY v.edition DESC
"""


def connection() -> psycopg.Connection[Any]:
    global _conn
    if _conn is None or _conn.closed:
        _conn = psycopg.connect(os.environ["DATABASE_URL"], autocommit=True)
    return _conn


def iso(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def rating(row: tuple[Any, ...]) -> dict[str, Any]:
    slug, name, alternate, value, averitec, best, worst = row
    return {
        "label": slug,
        "name": name,
        "alternate_name": alternate,
        "rating_value": value,
        "best_rating": best,
        "worst_rating": worst,
        "averitec": averitec,
    }


# fmt: off
_BODIES = frozenset((
    "ministry", "government", "office", "agency", "party", "council", "army", "forces",
    "parliament", "kremlin", "reuters", "ap", "tass", "bbc", "group", "committee", "officials",
    "presidency", "department", "commission", "side", "organization", "organisation",
))
# fmt: on


def claimreview(
    row: dict[str, Any], rate: dict[str, Any], page: str, org: tuple[Any, ...]
) -> dict[str, Any]:
    """claims.claimreview.claimreview, on a row."""
    review_rating: dict[str, Any] = {"@type": "Rating", "alternateName": rate["alternate_name"]}
    if rate["rating_value"] is not None:
        review_rating |= {
            "ratingValue": rate["rating_value"],
            "bestRating": rate["best_rating"],
            "worstRating": rate["worst_rating"],
        }
    appearance: dict[str, Any] = {"@type": "CreativeWork", "headline": row["title"]}
    if row["url"]:
        appearance["url"] = row["url"]
    if row["art_published"]:
        appearance["datePublished"] = row["art_published"].isoformat()
    if row["outlet"]:
        appearance["publisher"] = {"@type": "Organization", "name": row["outlet"]}
    item: dict[str, Any] = {"@type": "Claim", "appearance": appearance}
    speaker = row["speaker"]
    if speaker:
        words = {w.strip(".,").lower() for w in speaker.split()}
        kind = "Organization" if words & _BODIES else "Person"
        item["author"] = {"@type": kind, "name": speaker}
    elif row["outlet"]:
        item["author"] = {"@type": "Organization", "name": row["outlet"]}
    day = row["date"] or row["art_published"]
    if day:
        item["datePublished"] = day.isoformat()
    author: dict[str, Any] = {"@type": "Organization", "name": org[0], "url": org[1]}
    if org[2]:
        author["logo"] = {"@type": "ImageObject", "url": org[2]}
    published = row["published_at"]
    document: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": page,
        "claimReviewed": row["text"],
        "reviewRating": review_rating,
        "itemReviewed": item,
        "author": author,
        "datePublished": published.date().isoformat() if published else None,
        "headline": row["summary"][:110],
    }
    if row["corrects"] and published:
        document["dateModified"] = published.isoformat()
    return document


def source_items(sources: list[tuple[Any, ...]], claim_day: Any) -> list[dict[str, Any]]:
    out = []
    for _, url, title, publisher, published, accessed, archive, kind, stance, excerpt in sorted(
        sources, key=lambda s: (s[2].lower(), s[1])
    ):
        out.append(
            {
                "url": url,
                "title": title,
                "publisher": publisher,
                "published": iso(published),
                "accessed": iso(accessed),
                "archive_url": archive,
                "kind": kind,
                "stance": stance,
                "excerpt": excerpt,
                "published_after_claim": bool(published and claim_day and published > claim_day),
            }
        )
    return out


COLUMNS = (
    "vid",
    "claim_id",
    "edition",
    "summary",
    "justification",
    "published_at",
    "corrects",
    "note",
    "text",
    "speaker",
    "types",
    "date",
    "title",
    "url",
    "outlet",
    "art_published",
)


def items(base: str, rows: list[tuple[Any, ...]], org: tuple[Any, ...]) -> list[dict[str, Any]]:
    cur = connection().cursor()
    cur.execute(SOURCES, [[r[0] for r in rows]])
    sources: dict[int, list[tuple[Any, ...]]] = {}
    for source in cur:
        sources.setdefault(source[0], []).append(source)
    out = []
    for values in rows:
        row = dict(zip(COLUMNS, values, strict=False))
        rate = rating(tuple(values[len(COLUMNS) :]))
        claim_id = row["claim_id"]
        claim_day = row["date"] or row["art_published"]
        page = f"{base}/ratings/{claim_id}/"
        out.append(
            {
                "id": claim_id,
                "url": f"{base}/published/{claim_id}/",
                "page_url": page,
                "claim": {
                    "id": claim_id,
                    "text": row["text"],
                    "speaker": row["speaker"],
                    "types": row["types"],
                    "date": iso(row["date"]),
                    "article": {
                        "title": row["title"],
                        "url": row["url"],
                        "outlet": row["outlet"],
                        "published": iso(row["art_published"]),
                    },
                },
                "speaker": row["speaker"],
                "rating": rate,
                "summary": row["summary"],
                "justification": row["justification"],
                "edition": row["edition"],
                "published_at": iso(row["published_at"]),
                "corrected": row["corrects"],
                "correction_note": row["note"],
                "sources": source_items(sources.get(row["vid"], []), claim_day),
                "reviewers": [],
                "claimreview": claimreview(row, rate, page, org),
            }
        )
    return out


def organisation() -> tuple[Any, ...]:
    row = (
        connection()
        .execute("SELECT name, url, logo_url FROM claims_organisation ORDER BY id LIMIT 1")
        .fetchone()
    )
    return row or ("Claim Workbench", "https://example.org/", "")


def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    path = environ.get("PATH_INFO", "")
    base = f"http://{environ.get('HTTP_HOST', 'localhost')}"
    org = organisation()
    if path == "/published/":
        query = parse_qs(environ.get("QUERY_STRING", ""))
        where, params = [], []
        if query.get("label"):
            where.append("AND l.slug = %s")
            params.append(query["label"][0])
        if query.get("q"):
            where.append("AND c.search_vector @@ websearch_to_tsquery('english', %s)")
            params.append(query["q"][0])
        rows = connection().execute(ROWS.format(where=" ".join(where)), params).fetchall()
        body: Any = {"next": None, "previous": None, "results": items(base, rows, org)}
    elif match := DETAIL.match(path):
        claim_id = int(match.group(1))
        rows = connection().execute(ROWS.format(where="AND v.claim_id = %s"), [claim_id]).fetchall()
        if not rows:
            start_response("404 Not Found", [("Content-Type", "application/json")])
            return [b'{"detail": "Not found."}']
        body = items(base, rows, org)[0]
        body["versions"] = [
            {
                "edition": e,
                "label": rating(tuple(label)),
                "summary": s,
                "published_at": iso(p),
                "correction_note": n,
                "corrected": superseded,
            }
            for e, s, p, n, superseded, *label in connection().execute(VERSIONS, [claim_id])
        ]
    else:
        start_response("404 Not Found", [("Content-Type", "application/json")])
        return [b'{"detail": "Not found."}']
    # As DRF's JSONRenderer writes it: compact, UTF-8.
    data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
    start_response(
        "200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(data)))]
    )
    return [data]

"""Reads of ratings and agreement that pages and the API share, in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Max, Min, Q, QuerySet
from django.http import Http404

from annotations.agreement import krippendorff_alpha_ordinal, pairwise_kappas
from annotations.models import Annotation, ClaimSource, Rating, Source
from annotations.permissions import can_see_all_ratings
from claims.models import Claim, ClaimType
from claims.permissions import can_view_workbench

# Ratings two steps or more apart on the ordinal scale are a disagreement for the editor.
DISAGREEMENT_STEPS = 2


def _rating_range(value: str) -> dict[str, Any]:
    """The highest and lowest ordinal rating (labels without a rating value do not count), over
    ``value``, the path to the ratings' ``rating_value``; their difference is the spread."""
    ordinal = Q(**{f"{value}__isnull": False})
    return {"rating_high": Max(value, filter=ordinal), "rating_low": Min(value, filter=ordinal)}


SPREAD = F("rating_high") - F("rating_low")


def with_disagreement(claims: QuerySet[Claim]) -> QuerySet[Claim]:
    """Annotate each claim with its ordinal rating spread and a ``disagreement`` flag."""
    return claims.annotate(
        rating_count=Count("ratings", distinct=True),
        **_rating_range("ratings__label__rating_value"),
    ).annotate(rating_spread=SPREAD)


def disagreements(claims: QuerySet[Claim]) -> QuerySet[Claim]:
    # django-stubs cannot see fields made by annotate() in a later filter().
    return with_disagreement(claims).filter(  # type: ignore[misc]
        rating_spread__gte=DISAGREEMENT_STEPS
    )


def widest_disagreements(claims: QuerySet[Claim], limit: int) -> QuerySet[Claim]:
    """The ``limit`` claims of ``disagreements(claims)`` whose ratings are furthest apart,
    widest first then by pk, annotated as ``with_disagreement`` does. One query.

    The spreads are counted over the ratings alone (grouped by claim_id), and only the claims
    kept are read and grouped with their columns: on 35,000 claims in review, grouping every
    one by all its columns and its article's was most of the editor's dashboard."""
    widest = (
        Rating.objects.filter(claim__in=claims.values("pk"))
        .values("claim_id")
        .annotate(**_rating_range("label__rating_value"))
        .annotate(rating_spread=SPREAD)
        .filter(rating_spread__gte=DISAGREEMENT_STEPS)
        .order_by("-rating_spread", "claim_id")
        .values("claim_id")[:limit]
    )
    return with_disagreement(claims.filter(pk__in=widest)).order_by(  # type: ignore[misc]
        "-rating_spread", "pk"
    )


@dataclass
class RatingsView:
    """What one person may see of a claim's ratings."""

    own: Rating | None
    visible: list[Rating]
    hidden_count: int
    blind_reason: str = ""


def ratings_for(user: Any, claim: Claim, ratings: list[Rating] | None = None) -> RatingsView:
    """Blind rating rule applied: others' ratings only once the user has rated (or is editor).

    Pass ``ratings`` when they are prefetched, so no query is made here."""
    if ratings is None:
        ratings = list(claim.ratings.select_related("label", "reviewer"))
    own = next((r for r in ratings if r.reviewer_id == getattr(user, "pk", None)), None)
    decision = can_see_all_ratings(user, claim, has_rated=own is not None)
    if decision:
        return RatingsView(own=own, visible=ratings, hidden_count=0)
    others = [r for r in ratings if r is not own]
    return RatingsView(
        own=own,
        visible=[own] if own else [],
        hidden_count=len(others),
        blind_reason=decision.reason,
    )


@dataclass
class AgreementReport:
    alpha: float | None
    claims_rated: int
    ratings: int
    per_type: dict[str, float | None] = field(default_factory=dict)
    per_pair: list[dict[str, Any]] = field(default_factory=list)
    per_reviewer: list[dict[str, Any]] = field(default_factory=list)


def agreement(claims: QuerySet[Claim]) -> AgreementReport:
    """Krippendorff's alpha (ordinal labels only) overall and per claim type; Cohen's kappa
    (all labels, nominal) per reviewer pair, and per reviewer the mean over their pairs.
    One query."""
    rows = list(
        Rating.objects.filter(claim__in=claims)
        .values_list(
            "claim_id",
            "claim__types",
            "reviewer_id",
            "reviewer__username",
            "label__slug",
            "label__rating_value",
        )
        .order_by("claim_id", "reviewer_id")
    )
    ordinal: dict[int, list[int]] = defaultdict(list)
    labels: dict[int, dict[str, str]] = defaultdict(dict)
    types: dict[int, list[str]] = {}
    for claim_id, claim_types, _rid, username, slug, value in rows:
        types[claim_id] = claim_types or []
        labels[claim_id][username] = slug
        if value is not None:
            ordinal[claim_id].append(value)
    report = AgreementReport(
        alpha=krippendorff_alpha_ordinal(ordinal.values()),
        claims_rated=len(labels),
        ratings=len(rows),
    )
    for claim_type in ClaimType.values:
        units = [v for cid, v in ordinal.items() if claim_type in types.get(cid, [])]
        if units:
            report.per_type[claim_type] = krippendorff_alpha_ordinal(units)
    kappas = pairwise_kappas(labels)
    per_reviewer: dict[str, list[float]] = defaultdict(list)
    for (a, b), (kappa, n) in kappas.items():
        report.per_pair.append({"reviewers": [a, b], "kappa": kappa, "claims": n})
        if kappa is not None:
            per_reviewer[str(a)].append(kappa)
            per_reviewer[str(b)].append(kappa)
    reviewers = sorted({u for given in labels.values() for u in given})
    for name in reviewers:
        values = per_reviewer.get(name, [])
        report.per_reviewer.append(
            {
                "reviewer": name,
                "claims": sum(1 for given in labels.values() if name in given),
                "mean_kappa": sum(values) / len(values) if values else None,
            }
        )
    return report


# --- single records for the API --------------------------------------------------------------


def annotation_for_user(user: Any, annotation_id: Any) -> Annotation:
    """One annotation on a claim the user may see (404 otherwise)."""
    if not can_view_workbench(user):
        raise Http404("No such annotation.")
    try:
        return Annotation.objects.select_related("label", "author").get(
            pk=int(annotation_id), claim__isnull=False
        )
    except (Annotation.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("No such annotation.") from None


def claim_source_for_user(user: Any, claim_source_id: Any) -> ClaimSource:
    """One source as used on a claim (404 unless the user may see the claim)."""
    if not can_view_workbench(user):
        raise Http404("No such source on a claim.")
    try:
        return ClaimSource.objects.select_related("source", "added_by", "claim__article").get(
            pk=int(claim_source_id)
        )
    except (ClaimSource.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("No such source on a claim.") from None


def source_for_user(user: Any, source_id: Any) -> Source:
    if not can_view_workbench(user):
        raise Http404("No such source.")
    try:
        return Source.objects.get(pk=int(source_id))
    except (Source.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("No such source.") from None


def search_sources(query: str | None) -> QuerySet[Source]:
    """Source records by URL, title or publisher (every word must match), with how many
    claims use each, so that a reviewer finds the record before adding it again."""
    qs = Source.objects.annotate(claims=Count("uses", distinct=True))
    for term in (query or "").split():
        qs = qs.filter(
            Q(url__icontains=term) | Q(title__icontains=term) | Q(publisher__icontains=term)
        )
    return qs.order_by("title", "url", "pk")


# --- agreement broken down by article and by claim type (the editors' agreement page) ---------

# Why an alpha is undefined, so that a page can say so instead of showing a blank.
ALPHA_NO_PAIRS = "pairs"  # no claim has two ratings on the ordinal scale
ALPHA_NO_VARIATION = "variation"  # every ordinal rating has the same value


@dataclass
class AlphaFigure:
    """Krippendorff's alpha (ordinal) over some claims, what it rests on, and, when it is
    undefined, why (``ALPHA_NO_PAIRS`` or ``ALPHA_NO_VARIATION``; empty when defined)."""

    alpha: float | None
    claims_rated: int
    ratings: int
    undefined: str = ""


@dataclass
class ArticleAgreement(AlphaFigure):
    article_id: int = 0
    title: str = ""


@dataclass
class AgreementBreakdown:
    overall: AlphaFigure
    per_article: list[ArticleAgreement]  # articles with ratings, most recently imported first
    per_type: dict[str, AlphaFigure]  # claim types with ratings, in ClaimType order


def alpha_gap(units: list[list[int]]) -> str:
    """Why ``krippendorff_alpha_ordinal(units)`` is None, or "" when it is not: it needs a
    claim with two ordinal values, and some variation among the values that pair up."""
    pairable = [u for u in units if len(u) >= 2]
    if not pairable:
        return ALPHA_NO_PAIRS
    if len({v for u in pairable for v in u}) < 2:
        return ALPHA_NO_VARIATION
    return ""


def _alpha_figure(claim_ids: set[int], ratings: int, units: list[list[int]]) -> AlphaFigure:
    return AlphaFigure(
        alpha=krippendorff_alpha_ordinal(units),
        claims_rated=len(claim_ids),
        ratings=ratings,
        undefined=alpha_gap(units),
    )


def agreement_breakdown(claims: QuerySet[Claim]) -> AgreementBreakdown:
    """Alpha per article and per claim type over ``claims``, with the counts behind each and
    why a figure is undefined. One query, however many articles: a page never calls
    ``agreement`` once per article. Alpha here is computed exactly as in ``agreement``."""
    rows = (
        Rating.objects.filter(claim__in=claims)
        .values_list(
            "claim_id",
            "claim__article_id",
            "claim__article__title",
            "claim__article__imported_at",
            "claim__types",
            "label__rating_value",
        )
        .order_by("claim_id", "pk")
    )
    units: dict[int, list[int]] = defaultdict(list)  # claim → its ordinal values
    claim_types: dict[int, list[str]] = {}
    claim_article: dict[int, int] = {}
    articles: dict[int, tuple[str, Any]] = {}
    ratings_per_claim: dict[int, int] = defaultdict(int)
    for claim_id, article_id, title, imported_at, types, value in rows:
        claim_types[claim_id] = types or []
        claim_article[claim_id] = article_id
        articles[article_id] = (title, imported_at)
        ratings_per_claim[claim_id] += 1
        if value is not None:
            units[claim_id].append(value)

    def figure(ids: set[int]) -> AlphaFigure:
        return _alpha_figure(
            ids, sum(ratings_per_claim[c] for c in ids), [units[c] for c in ids if c in units]
        )

    by_article: dict[int, set[int]] = defaultdict(set)
    for claim_id, article_id in claim_article.items():
        by_article[article_id].add(claim_id)
    per_article = []
    for article_id, ids in by_article.items():
        f = figure(ids)
        per_article.append(
            ArticleAgreement(
                alpha=f.alpha,
                claims_rated=f.claims_rated,
                ratings=f.ratings,
                undefined=f.undefined,
                article_id=article_id,
                title=articles[article_id][0],
            )
        )
    per_article.sort(key=lambda a: (articles[a.article_id][1], a.article_id), reverse=True)
    per_type = {}
    for claim_type in ClaimType.values:
        ids = {c for c, types in claim_types.items() if claim_type in types}
        if ids:
            per_type[claim_type] = figure(ids)
    return AgreementBreakdown(
        overall=figure(set(claim_types)), per_article=per_article, per_type=per_type
    )

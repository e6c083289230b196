"""Reads that pages and the API share, each in a fixed number of queries.

Functions take the acting user where visibility depends on it; an object the user may not
see raises ``Http404``, never a hint that it exists.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from django.conf import settings
from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.http import Http404
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from claims import permissions
from claims.models import (
    PUBLIC_STATUSES,
    Article,
    Claim,
    ClaimAssignment,
    ClaimHistory,
    ClaimQuerySet,
    ClaimStatus,
    ClaimType,
    FactCheck,
    Organisation,
    RatingLabel,
    RatingScale,
    Verdict,
)

# --- articles ------------------------------------------------------------------------------------


def articles_with_progress(queryset: QuerySet[Article] | None = None) -> QuerySet[Article]:
    """Each article with its number of active claims in every status (for progress bars)."""
    qs = queryset if queryset is not None else Article.objects.all()
    active = Q(claims__superseded=False)
    counts = {
        f"n_{status}": Count("claims", filter=active & Q(claims__status=status))
        for status in ClaimStatus.values
    }
    return qs.annotate(n_claims=Count("claims", filter=active), **counts)


def status_counts(article: Article) -> list[tuple[str, str, int]]:
    """(status, label, count) in workflow order, from ``articles_with_progress``' annotations."""
    return [(s.value, s.label, getattr(article, f"n_{s.value}", 0)) for s in ClaimStatus]


def article_for_user(user: Any, article_id: Any) -> Article:
    if not permissions.can_view_workbench(user):
        raise Http404("No such article.")
    try:
        return Article.objects.get(pk=int(article_id))
    except (Article.DoesNotExist, ValueError, TypeError):
        raise Http404("No such article.") from None


def article_claims(article: Article) -> QuerySet[Claim]:
    """The active claims of an article in reading order, with what the reader shows."""
    return (
        article.claims.active()
        .order_by("start", "end", "pk")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=ClaimAssignment.objects.select_related("reviewer").order_by("pk"),
            )
        )
    )


def more_sentences(article: Article, claims: Iterable[Claim]) -> list[Any]:
    """The article's sentences below the extraction threshold that no claim covers, best
    first: what a reviewer looks through for a claim the engine missed. The engine runs
    again on the stored text (milliseconds for an article); ``claims`` are the article's
    active claims, already loaded by the caller."""
    from claims.extraction import rank

    spans = [(c.start, c.end) for c in claims]
    rest = [
        r
        for r in rank(article.text, published=article.published)
        if not r.claim and not any(s < r.end and r.start < e for s, e in spans)
    ]
    return sorted(rest, key=lambda r: (-r.score, r.start))


# --- claims --------------------------------------------------------------------------------------


def claim_queryset() -> QuerySet[Claim]:
    return Claim.objects.select_related("article").prefetch_related(
        Prefetch(
            "assignments",
            queryset=ClaimAssignment.objects.select_related("reviewer").order_by("pk"),
        )
    )


def claim_for_user(user: Any, claim_id: Any, *, full: bool = False) -> Claim:
    """One claim the user may see. ``full`` also loads verdicts, sources, annotations,
    comments, ratings and history for the claim panel (each one query)."""
    if not permissions.can_view_workbench(user):
        raise Http404("No such claim.")
    qs = claim_queryset()
    if full:
        # Whether it is grouped with the same claim elsewhere: a join, no query of its own.
        qs = qs.select_related("group_membership").prefetch_related(
            Prefetch(
                "verdicts",
                queryset=Verdict.objects.select_related(
                    "label", "label__scale", "author", "approved_by", "published_by"
                )
                .prefetch_related("contributors", "sources")
                .order_by("edition"),
            ),
            Prefetch(
                "history",
                queryset=ClaimHistory.objects.select_related("actor").order_by("at", "pk"),
            ),
            "claim_sources__source",
            "annotations__label",
            "annotations__author",
            "comments__author",
            "ratings__label",
            "ratings__reviewer",
            "derived_from",
        )
    try:
        return qs.get(pk=int(claim_id))
    except (Claim.DoesNotExist, ValueError, TypeError):
        raise Http404("No such claim.") from None


@dataclass(frozen=True)
class ClaimFilters:
    article: int | None = None
    status: str | None = None
    type: str | None = None
    speaker: str | None = None
    assignee: int | None = None
    min_score: float | None = None
    max_score: float | None = None
    q: str | None = None
    include_superseded: bool = False


def filter_claims(qs: QuerySet[Claim], f: ClaimFilters) -> QuerySet[Claim]:
    # Claim querysets are ClaimQuerySets at run time; the stubs lose that through filter().
    if not f.include_superseded:
        qs = cast(ClaimQuerySet, qs).active()
    if f.article is not None:
        qs = qs.filter(article_id=f.article)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.type:
        qs = cast(ClaimQuerySet, qs).of_type(f.type)
    if f.speaker:
        qs = qs.filter(speaker__icontains=f.speaker)
    if f.assignee is not None:
        qs = qs.filter(assignments__reviewer_id=f.assignee)
    if f.min_score is not None:
        qs = qs.filter(score__gte=f.min_score)
    if f.max_score is not None:
        qs = qs.filter(score__lte=f.max_score)
    if f.q:
        qs = search_claims(qs, f.q)
    return qs


def search_claims(qs: QuerySet[Claim], query: str) -> QuerySet[Claim]:
    """Full-text search of claim text, speaker and article title, best matches first.

    PostgreSQL: the query (web-search syntax: ``"exact phrase"``, ``or``, ``-word``) is
    matched against ``Claim.search_vector``, which a trigger keeps current and a GIN index
    serves; the results are annotated with ``search_rank``. Elsewhere (SQLite): every word
    must appear, case-insensitively, in the text, the speaker or the title.
    """
    query = query.strip()
    if not query:
        return qs
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank

        sq = SearchQuery(query, search_type="websearch", config="english")
        return (
            qs.filter(search_vector=sq)
            .annotate(search_rank=SearchRank(F("search_vector"), sq))
            .order_by("-search_rank", "pk")
        )
    terms = query.split()
    for term in terms:
        qs = qs.filter(
            Q(text__icontains=term) | Q(speaker__icontains=term) | Q(article__title__icontains=term)
        )
    return qs


# --- "checked before?" -------------------------------------------------------------------------

# Below this trigram similarity a published claim is not shown as "checked before". On the
# paraphrase set in tests/scale/paraphrases.py it keeps 28 of the 30 reworded claims' originals
# and drops most look-alikes that say something else (figures in bench/RESULTS.md).
# "Checked before?" shows matches the matcher gives at least this probability of being the
# same claim (claims/matching/engine.py; on the CLEF-2020 dev queries, 0.5 keeps nine in ten
# correct matches and drops most wrong ones: bench/RESULTS.md).
CHECKED_BEFORE_MIN_SIMILARITY = 0.5
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class SimilarClaim:
    """A published claim that resembles another claim, with its current verdict."""

    claim: Claim  # its ``article`` is loaded
    verdict: Verdict  # the current published edition; ``label`` and its scale are loaded
    similarity: float  # 0 to 1: the matcher's probability that it is the same claim
    why: str = ""  # what matched: the meaning's cosine, the words they share

    @property
    def ref(self) -> str:
        return f"claim:{self.claim.pk}"

    @property
    def score(self) -> float:
        return self.similarity


@dataclass(frozen=True)
class FactCheckMatch:
    """Another organisation's fact-check that may be of the same claim."""

    factcheck: FactCheck
    score: float  # 0 to 1, as ``SimilarClaim.similarity``
    why: str = ""

    @property
    def ref(self) -> str:
        return self.factcheck.ref


Match = SimilarClaim | FactCheckMatch


def trigrams(text: str) -> set[str]:
    """The trigrams pg_trgm makes of a text: each lower-cased alphanumeric word padded with
    two spaces before and one after, cut into every run of three characters."""
    grams: set[str] = set()
    for word in _WORD.findall(text.lower()):
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


def trigram_similarity(a: str, b: str) -> float:
    """pg_trgm's ``similarity(a, b)``: shared trigrams over all trigrams of either text."""
    ta, tb = trigrams(a), trigrams(b)
    if not ta or not tb:
        return 0.0
    shared = len(ta & tb)
    return shared / (len(ta) + len(tb) - shared)


def checked_before(
    claim: Claim, *, limit: int = 5, min_similarity: float = CHECKED_BEFORE_MIN_SIMILARITY
) -> list[Match]:
    """The fact-checks and published claims (published or corrected, across all articles)
    most likely to be this claim, most likely first, so a team can reuse a verdict instead
    of redoing it. At most ``limit``, none below ``min_similarity``, never the claim itself."""
    return match_text(
        claim.text or "", limit=limit, min_similarity=min_similarity, exclude_claim=claim.pk
    )


def match_text(
    text: str,
    *,
    limit: int = 5,
    min_similarity: float = CHECKED_BEFORE_MIN_SIMILARITY,
    exclude_claim: int | None = None,
) -> list[Match]:
    """``checked_before`` for any text (the search page, the command line): BM25 and
    sentence vectors fused and reranked (claims/matching), then the rows, in a query each
    for fact-checks, claims and their published verdicts."""
    from claims.matching import engine, store
    from claims.matching.embedding import embed

    text = engine.clean(text)
    if limit <= 0 or not text:
        return []
    index = store.current_index()
    store.catch_up()
    hits = index.search(text, embed([text])[0], k=max(limit * 4, 50))
    hits = [h for h in hits if h.score >= min_similarity]
    factcheck_ids, claim_ids = [], []
    for hit in hits:
        kind, pk = store.from_key(hit.key)
        if kind == "claim" and pk != exclude_claim:
            claim_ids.append(pk)
        elif kind == "factcheck":
            factcheck_ids.append(pk)
    factchecks = FactCheck.objects.in_bulk(factcheck_ids) if factcheck_ids else {}
    claims = (
        {
            c.pk: c
            for c in Claim.objects.public()
            .active()
            .filter(pk__in=claim_ids)
            .select_related("article")
        }
        if claim_ids
        else {}
    )
    verdicts = (
        {
            v.claim_id: v
            for v in Verdict.objects.filter(
                claim_id__in=list(claims), state=Verdict.State.PUBLISHED
            ).select_related("label", "label__scale")
        }
        if claims
        else {}
    )
    found: list[Match] = []
    for hit in hits:
        kind, pk = store.from_key(hit.key)
        score = round(hit.score, 4)
        if kind == "factcheck" and pk in factchecks:
            found.append(FactCheckMatch(factcheck=factchecks[pk], score=score, why=hit.why()))
        elif kind == "claim" and pk in claims and pk in verdicts:
            found.append(
                SimilarClaim(
                    claim=claims[pk], verdict=verdicts[pk], similarity=score, why=hit.why()
                )
            )
        if len(found) == limit:
            break
    return found


class ClaimGroup(list[Claim]):
    """Claims of one status, most recently changed first, cut at the selector's limit;
    ``total`` is how many there are in all."""

    total: int = 0


# At newsroom size a reviewer has thousands of claims (9,050 for one of the dataset's twelve
# reviewers): listing all of them made the dashboard take seconds.
MY_CLAIMS_PER_STATUS = 50


def my_claims_by_status(user: Any, *, limit: int = MY_CLAIMS_PER_STATUS) -> dict[str, ClaimGroup]:
    """The claims assigned to the user, grouped by status in workflow order: in each, the
    ``limit`` most recently changed, with the group's ``total``. One query."""
    place = Window(
        RowNumber(), partition_by=[F("status")], order_by=[F("updated_at").desc(), F("pk")]
    )
    qs = (
        Claim.objects.active()
        .filter(pk__in=ClaimAssignment.objects.filter(reviewer=user).values("claim_id"))
        .select_related("article")
        # What the dashboard shows of them: every one of the user's claims is sorted for the
        # window, and the full rows (vectors, cues, machine output) made that sort spill to
        # disk (130 ms against 85 ms for 9,000 claims).
        .only("text", "speaker", "status", "updated_at", "article__title")
        .annotate(place=place, status_total=Window(Count("*"), partition_by=[F("status")]))
        .filter(place__lte=limit)
        .order_by("status", "-updated_at", "pk")
    )
    grouped: dict[str, ClaimGroup] = defaultdict(ClaimGroup)
    for claim in qs:
        group = grouped[claim.status]
        group.append(claim)
        group.total = claim.status_total  # type: ignore[attr-defined]
    return {s: grouped[s] for s in ClaimStatus.values if grouped.get(s)}


# The editors' queue on the dashboard: the verdicts that have waited longest.
QUEUE_SIZE = 50


def proposed_claims(*, limit: int = QUEUE_SIZE) -> QuerySet[Claim]:
    """The editors' queue: the ``limit`` verdicts that have waited longest for approval or
    for publishing, oldest first. Cut before anything is annotated on it (rating spreads
    are counted over the ratings of every claim given), so that a queue of 10,000 costs no
    more than one of 50."""
    waiting = (
        Claim.objects.active()
        .filter(status__in=[ClaimStatus.PROPOSED, ClaimStatus.APPROVED])
        .order_by("updated_at", "pk")
    )
    return (
        Claim.objects.filter(pk__in=waiting.values("pk")[:limit])
        .select_related("article")
        .order_by("updated_at", "pk")
    )


# --- contested figures ------------------------------------------------------------------------


@dataclass
class FigureClaim:
    claim: Claim
    value: Any
    hedge: str
    speaker: str


@dataclass
class ContestedFigure:
    counted: str
    side: str | None
    claims: list[FigureClaim]

    @property
    def values(self) -> list[Any]:
        return [c.value for c in self.claims]


def _figure_key(figure: dict[str, Any]) -> tuple[str, str | None]:
    counted = (figure.get("counted") or "").strip().lower()
    if counted.endswith("s") and not counted.endswith("ss"):
        counted = counted[:-1]  # "soldiers" and "soldier" count the same thing
    side = (figure.get("side") or "").strip() or None
    return counted, side


def contested_figures(claims: QuerySet[Claim]) -> list[ContestedFigure]:
    """Casualty and quantity claims that count the same thing (same noun, same side) with
    different numbers, side by side with who says what. One query."""
    groups: dict[tuple[str, str | None], list[FigureClaim]] = defaultdict(list)
    qs = (
        cast(ClaimQuerySet, claims)
        .active()
        .filter(Q(types__icontains='"casualty"') | Q(types__icontains='"quantity"'))
        .select_related("article")
        .order_by("article_id", "start")
    )
    for claim in qs:
        for figure in claim.figures or []:
            key = _figure_key(figure)
            if not key[0] or figure.get("value") is None:
                continue
            groups[key].append(
                FigureClaim(
                    claim=claim,
                    value=figure.get("value"),
                    hedge=figure.get("hedge") or "exact",
                    speaker=claim.speaker or claim.article.outlet or "the article",
                )
            )
    contested = []
    for (counted, side), items in groups.items():
        distinct = {repr(i.value) for i in items}
        if len(distinct) > 1:
            contested.append(ContestedFigure(counted=counted, side=side, claims=items))
    contested.sort(key=lambda c: (c.counted, c.side or ""))
    return contested


# --- the public side -----------------------------------------------------------------------------


def published_verdicts() -> QuerySet[Verdict]:
    """Current published versions only (a corrected claim's latest version), newest first."""
    return (
        Verdict.objects.filter(state=Verdict.State.PUBLISHED, claim__status__in=PUBLIC_STATUSES)
        .select_related("claim", "claim__article", "label", "label__scale")
        .order_by("-published_at", "-pk")
    )


# Claims the public can see something of: a published rating, or that it was retracted.
PUBLICLY_VISIBLE = (*PUBLIC_STATUSES, ClaimStatus.RETRACTED)

# --- the public feed, in SQL ---------------------------------------------------------------------
#
# The public API reads these on every request, anonymous and uncached, so they are SQL written
# by hand and run through ``connection.cursor()``: building the same statements with the ORM
# and turning their rows into values took twice the database's own time (a rating's four
# queries: 4.2 ms through the ORM, 1.5 ms as SQL; bench/RESULTS.md). One code path, standard
# SQL on PostgreSQL and SQLite alike. Where the two differ (a time stamp's day in the current
# time zone, a case-insensitive match) Django's backend operations write the fragment, as they
# do for the ORM; the filters defined elsewhere (search, a claim's type) are the ORM's own
# subqueries, compiled. The code's constants (states, statuses) are written into the SQL, not
# bound, so that a prepared statement's generic plan can still use the partial indexes made
# for them (claims migration 0006).

# What the public feed shows of a verdict, its claim and its article: the keys of the rows of
# ``published_page`` and ``published_rating``, in the order of ``_ROW_COLUMNS``. The page does
# not join the rating labels: ``PublicState.labels`` has them, read for the ETag.
PUBLISHED_ROW_FIELDS = (
    "id",
    "claim_id",
    "edition",
    "state",
    "summary",
    "justification",
    "published_at",
    "corrects_id",
    "correction_note",
    "author_id",
    "approved_by_id",
    "published_by_id",
    "claim__text",
    "claim__speaker",
    "claim__types",
    "claim__date",
    "claim__status",
    "claim__article__title",
    "claim__article__url",
    "claim__article__outlet",
    "claim__article__published",
    "label_id",
)
_ROW_COLUMNS = (
    "v.id, v.claim_id, v.edition, v.state, v.summary, v.justification, v.published_at, "
    "v.corrects_id, v.correction_note, v.author_id, v.approved_by_id, v.published_by_id, "
    "c.text, c.speaker, c.types, c.date, c.status, a.title, a.url, a.outlet, a.published, "
    "v.label_id"
)
_VERDICTS = (
    f"{Verdict._meta.db_table} v JOIN {Claim._meta.db_table} c ON c.id = v.claim_id "
    f"JOIN {Article._meta.db_table} a ON a.id = c.article_id"
)
# ``PublicState.labels``: (pk, slug, name, alternate_name, rating_value, averitec,
# best_rating, worst_rating).
_LABEL_COLUMNS = (
    "l.id, l.slug, l.name, l.alternate_name, l.rating_value, l.averitec, s.best_rating, "
    "s.worst_rating"
)
# Joined as ``{_LABELS} ON <condition> {_SCALES}``.
_LABELS = f"{RatingLabel._meta.db_table} l"
_SCALES = f"JOIN {RatingScale._meta.db_table} s ON s.id = l.scale_id"
# ``Organisation.current()``: the first row.
_ORGANISATION_COLUMNS = "o.id, o.name, o.url, o.logo_url, o.show_reviewer_names"
_ORGANISATION = (
    f"LEFT JOIN {Organisation._meta.db_table} o "
    f"ON o.id = (SELECT MIN(id) FROM {Organisation._meta.db_table})"
)
_MAX_ID = 2**63 - 1


def _literals(*values: str) -> str:
    """Constants of the code as SQL literals (never a value that came with a request)."""
    if not all(re.fullmatch(r"[a-z_]+", value) for value in values):
        raise ValueError(f"not a constant: {values!r}")
    return ", ".join(f"'{value}'" for value in values)


_PUBLISHED = _literals(Verdict.State.PUBLISHED)
_PUBLIC = _literals(*PUBLIC_STATUSES)
_VISIBLE = _literals(*PUBLICLY_VISIBLE)
_EDITIONS = _literals(Verdict.State.PUBLISHED, Verdict.State.SUPERSEDED, Verdict.State.RETRACTED)


def _aware(value: Any) -> dt.datetime | None:
    """A time stamp as the ORM returns it. PostgreSQL's driver gives it aware; SQLite's gives
    it naive (a column's) or as text (an aggregate's), in the connection's time zone."""
    if value is None or (isinstance(value, dt.datetime) and value.tzinfo is not None):
        return value
    if not isinstance(value, dt.datetime):
        value = parse_datetime(value)
    if settings.USE_TZ and value is not None:
        value = timezone.make_aware(value, connection.timezone)
    return value


def _feed_row(values: Sequence[Any]) -> dict[str, Any]:
    row = dict(zip(PUBLISHED_ROW_FIELDS, values, strict=False))
    row["published_at"] = _aware(row["published_at"])
    # A JSON column comes as text on both (Django leaves the parsing to the field).
    types = row["claim__types"]
    row["claim__types"] = json.loads(types) if isinstance(types, str) else types
    return row


def _organisation(values: Sequence[Any]) -> Organisation:
    pk, name, url, logo_url, show_reviewer_names = values
    if pk is None:  # none yet: made on first use
        return Organisation.current()
    return Organisation(
        id=pk,
        name=name,
        url=url,
        logo_url=logo_url,
        show_reviewer_names=bool(show_reviewer_names),
    )


@dataclass(frozen=True)
class FeedFilters:
    """The public feed's filters, checked (``claims.api.filters.PublishedFilterSet``)."""

    label: str | None = None
    type: str | None = None
    speaker: str | None = None
    article: int | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    q: str | None = None


def _feed_conditions(filters: FeedFilters) -> tuple[list[str], list[Any]]:
    """SQL conditions and their parameters for ``filters``: what
    ``PublishedFilterSet.filter_queryset`` does to a queryset (the exports use that), here
    over ``_VERDICTS``. tests/api/test_public_fast_path.py holds the two to the same rows."""
    where: list[str] = []
    params: list[Any] = []
    if filters.label:
        where.append(f"v.label_id IN (SELECT id FROM {RatingLabel._meta.db_table} WHERE slug = %s)")
        params.append(filters.label)
    if filters.type:
        sql, more = (
            Claim.objects.public().of_type(filters.type).values("pk").query.sql_with_params()
        )
        where.append(f"v.claim_id IN ({sql})")
        params.extend(more)
    if filters.speaker:
        # As the ORM writes ``speaker__icontains`` for this database.
        lhs = connection.ops.lookup_cast("icontains", "CharField") % "c.speaker"
        where.append(f"{lhs} {connection.operators['icontains']}")  # type: ignore[attr-defined]
        params.append(f"%{connection.ops.prep_for_like_query(filters.speaker)}%")
    if filters.article:
        where.append("c.article_id = %s")
        params.append(filters.article)
    # ``published_at__date``: the day in the current time zone, as the ORM writes it.
    tzname = timezone.get_current_timezone_name() if settings.USE_TZ else None
    for day, operator in ((filters.since, ">="), (filters.until, "<=")):
        if day:
            sql, more = connection.ops.datetime_cast_date_sql("v.published_at", (), tzname)
            where.append(f"{sql} {operator} %s")
            params.extend([*more, connection.ops.adapt_datefield_value(day)])
    if filters.q:
        found = search_claims(Claim.objects.public(), filters.q).order_by().values("pk")
        sql, more = found.query.sql_with_params()
        where.append(f"v.claim_id IN ({sql})")
        params.extend(more)
    return where, params


def published_page(
    filters: FeedFilters,
    *,
    offset: int = 0,
    limit: int = 50,
    oldest_first: bool = False,
    before: str | dt.datetime | None = None,
    after: str | dt.datetime | None = None,
) -> list[dict[str, Any]]:
    """A page of the feed (``published_verdicts()``, filtered) as dicts of
    ``PUBLISHED_ROW_FIELDS``: newest first (``-published_at``, ``-pk``) or the other way
    round, published before or after a cursor's position, ``limit`` rows from ``offset``.
    One query. A position is checked and converted as the ORM would a ``published_at__lt``
    value: one that is not a time stamp raises ``ValidationError``."""
    where, params = _feed_conditions(filters)
    published_at = Verdict._meta.get_field("published_at")
    for position, operator in ((before, "<"), (after, ">")):
        if position is not None:
            where.append(f"v.published_at {operator} %s")
            params.append(published_at.get_db_prep_value(position, connection, prepared=False))
    direction = "ASC" if oldest_first else "DESC"
    sql = (
        f"SELECT {_ROW_COLUMNS} FROM {_VERDICTS} "
        f"WHERE v.state = {_PUBLISHED} AND c.status IN ({_PUBLIC}) "
        + "".join(f"AND {condition} " for condition in where)
        + f"ORDER BY v.published_at {direction}, v.id {direction} LIMIT %s OFFSET %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit, offset])
        return [_feed_row(values) for values in cursor.fetchall()]


@dataclass(frozen=True)
class PublicEditions:
    """Which editions of a claim's verdict the public may read.

    A retraction withdraws the verdict and every edition it corrected: their text never
    reaches a public page or the public API again. A claim rated anew after a retraction
    shows only the editions published since. ``current`` is the edition to show (None when
    the newest word is a retraction: ``retracted`` is then that edition); ``shown`` are the
    editions whose text may appear, newest first."""

    current: int | None
    retracted: int | None
    earlier_retraction: int | None
    shown: tuple[int, ...]


def public_editions(editions: Iterable[tuple[int, str]]) -> PublicEditions:
    """The rule above over (edition number, verdict state) pairs, for the public page and
    the public API alike."""
    pairs = sorted(editions, reverse=True)
    published = [n for n, state in pairs if state == Verdict.State.PUBLISHED]
    retractions = [n for n, state in pairs if state == Verdict.State.RETRACTED]
    current = published[0] if published else None
    last_retraction = retractions[0] if retractions else None
    if last_retraction is not None and (current is None or last_retraction > current):
        return PublicEditions(None, last_retraction, None, ())
    cutoff = last_retraction or 0
    readable = (Verdict.State.PUBLISHED, Verdict.State.SUPERSEDED)
    return PublicEditions(
        current=current,
        retracted=None,
        earlier_retraction=last_retraction,
        shown=tuple(n for n, state in pairs if n > cutoff and state in readable),
    )


_RATING = (
    f"SELECT {_ROW_COLUMNS}, v.retracted_at, c.updated_at, {_LABEL_COLUMNS}, "
    f"{_ORGANISATION_COLUMNS} "
    f"FROM {_VERDICTS} JOIN {_LABELS} ON l.id = v.label_id {_SCALES} {_ORGANISATION} "
    f"WHERE v.claim_id = %s AND c.status IN ({_VISIBLE}) AND v.state IN ({_EDITIONS}) "
    "ORDER BY v.edition DESC"
)


def published_rating(claim_id: int) -> tuple[PublicState, list[dict[str, Any]]] | None:
    """One rating as the public API shows it: its validators (``public_state(claim_id)``,
    with the labels of its editions) and every edition of the verdict the public may see,
    newest first: the current one (``state`` published), those it corrected (superseded) and
    a retracted one, as dicts of ``PUBLISHED_ROW_FIELDS`` with ``retracted_at`` and
    ``claim__updated_at``. ``None`` when the claim is not public. One query: a 200 costs no
    query more than a 304 but the sources'."""
    if not 0 < claim_id <= _MAX_ID:
        return None
    with connection.cursor() as cursor:
        cursor.execute(_RATING, [claim_id])
        found = cursor.fetchall()
    if not found:
        return None
    n = len(PUBLISHED_ROW_FIELDS)
    rows = []
    labels = {}
    for values in found:
        row = _feed_row(values)
        row["retracted_at"] = _aware(values[n])
        row["claim__updated_at"] = _aware(values[n + 1])
        rows.append(row)
        labels[values[n + 2]] = tuple(values[n + 2 : n + 10])
    state = PublicState(
        last_changed=rows[0]["claim__updated_at"],
        count=1,
        labels=tuple(labels[pk] for pk in sorted(labels)),
        status=rows[0]["claim__status"],
        organisation=_organisation(found[0][n + 10 :]),
    )
    return state, rows


@functools.cache
def _sources_sql() -> str:
    # The annotations app's tables, found through the relations it adds to verdicts and
    # claims: claims never imports annotations.
    relied_on = Verdict._meta.get_field("sources")
    uses = Claim._meta.get_field("claim_sources").related_model
    return (
        "SELECT vs.verdict_id, src.url, src.title, src.publisher, src.published, src.accessed, "
        "src.archive_url, src.kind, cs.stance, cs.excerpt "
        f"FROM {relied_on.through._meta.db_table} vs "  # type: ignore[union-attr]
        f"JOIN {relied_on.related_model._meta.db_table} src ON src.id = vs.source_id "  # type: ignore[union-attr]
        f"JOIN {Verdict._meta.db_table} v ON v.id = vs.verdict_id "
        f"LEFT JOIN {uses._meta.db_table} cs "  # type: ignore[union-attr]
        "ON cs.claim_id = v.claim_id AND cs.source_id = vs.source_id "
        "WHERE vs.verdict_id IN ({ids})"
    )


def verdict_sources_rows(verdict_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """The sources each verdict relies on, with the stance and excerpt of the claim's use of
    each (``None`` when the claim has no record of using it), unsorted. One query."""
    if not verdict_ids:
        return {}
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(_sources_sql().format(ids=", ".join(["%s"] * len(verdict_ids))), verdict_ids)
        for (
            pk,
            url,
            title,
            publisher,
            published,
            accessed,
            archive,
            kind,
            stance,
            excerpt,
        ) in cursor.fetchall():
            found[pk].append(
                {
                    "url": url,
                    "title": title,
                    "publisher": publisher,
                    "published": published,
                    "accessed": accessed,
                    "archive_url": archive,
                    "kind": kind,
                    "stance": stance,
                    "excerpt": excerpt,
                }
            )
    return found


def public_claim(claim_id: Any) -> Claim:
    """A claim whose verdict is or was published: its stable public page. Anything else is
    a 404."""
    visible = (*PUBLIC_STATUSES, ClaimStatus.RETRACTED)
    try:
        claim = (
            Claim.objects.select_related("article")
            .prefetch_related(
                Prefetch(
                    "verdicts",
                    queryset=Verdict.objects.filter(
                        state__in=[
                            Verdict.State.PUBLISHED,
                            Verdict.State.SUPERSEDED,
                            Verdict.State.RETRACTED,
                        ]
                    )
                    .select_related("label", "label__scale", "published_by", "approved_by")
                    .prefetch_related("sources")
                    .order_by("-edition"),
                )
            )
            .get(pk=int(claim_id), status__in=visible)
        )
    except (Claim.DoesNotExist, ValueError, TypeError):
        raise Http404("No such published rating.") from None
    return claim


def published_since(qs: QuerySet[Verdict], since: dt.date | None, until: dt.date | None) -> Any:
    if since:
        qs = qs.filter(published_at__date__gte=since)
    if until:
        qs = qs.filter(published_at__date__lte=until)
    return qs


CLAIM_TYPES = ClaimType.values


# --- the API: one verdict, and what the public feed's caching validators are made of ---------


def verdict_for_user(user: Any, verdict_id: Any) -> Verdict:
    """One verdict (any version) of a claim the user may see, with what the API shows."""
    if not permissions.can_view_workbench(user):
        raise Http404("No such verdict.")
    try:
        return (
            Verdict.objects.select_related(
                "label", "label__scale", "author", "approved_by", "published_by"
            )
            .prefetch_related("contributors", "sources")
            .get(pk=int(verdict_id))
        )
    except (Verdict.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("No such verdict.") from None


@dataclass(frozen=True)
class PublicState:
    """What a public response depends on, for its ETag and Last-Modified."""

    last_changed: dt.datetime | None
    count: int
    # The rating labels the response may show (the feed: every one; a rating: its editions'),
    # as (pk, slug, name, alternate_name, rating_value, averitec, best_rating, worst_rating),
    # by pk. They carry no timestamp, so a renamed label must change the ETag by itself; the
    # feed takes its labels from here too.
    labels: tuple[tuple[Any, ...], ...]
    status: str | None = None
    # Its name, address, logo and whether reviewers' names are shown are in every response.
    organisation: Organisation | None = None


def _state_sql(status: str, claim: str) -> str:
    return (
        f"SELECT st.changed, st.total, st.status, {_ORGANISATION_COLUMNS}, {_LABEL_COLUMNS} "
        f"FROM (SELECT MAX(updated_at) AS changed, COUNT(*) AS total, {status} AS status "
        f"FROM {Claim._meta.db_table} WHERE status IN ({_VISIBLE}){claim}) st "
        f"{_ORGANISATION} LEFT JOIN {_LABELS} ON 1 = 1 LEFT {_SCALES} ORDER BY l.id"
    )


# The whole feed: COUNT(*) and MAX(updated_at) over the partial index
# ``claim_publicly_visible`` alone, an index-only scan; counting a column made PostgreSQL read
# every public claim's row (7 ms against 2 ms on 14,600 claims).
_FEED_STATE = _state_sql("NULL", "")
_CLAIM_STATE = _state_sql("MAX(status)", " AND id = %s")


def public_state(claim_id: int | None = None) -> PublicState:
    """When the published set (or one public claim) last changed, the rating labels and the
    organisation. One query.

    Every publish, correction and retraction moves the claim and so stamps ``updated_at``;
    retracted claims are counted too, so that a retraction changes the answer.
    """
    with connection.cursor() as cursor:
        if claim_id is None:
            cursor.execute(_FEED_STATE)
        else:
            cursor.execute(_CLAIM_STATE, [claim_id if 0 < claim_id <= _MAX_ID else 0])
        found = cursor.fetchall()
    changed, total, status = found[0][:3]
    return PublicState(
        last_changed=_aware(changed),
        count=total,
        labels=tuple(tuple(row[8:]) for row in found if row[8] is not None),
        status=status,
        organisation=_organisation(found[0][3:8]),
    )


# --- finding things (search page) and people ---------------------------------------------------


def search_articles(qs: QuerySet[Article], query: str) -> QuerySet[Article]:
    """Articles by title, byline and outlet: PostgreSQL text search there, a plain
    case-insensitive match of every word elsewhere."""
    query = query.strip()
    if not query:
        return qs.none()
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        vector = (
            SearchVector("title", weight="A", config="english")
            + SearchVector("byline", weight="B", config="english")
            + SearchVector("outlet", weight="B", config="english")
        )
        sq = SearchQuery(query, search_type="websearch", config="english")
        # Match with @@: ts_rank gives non-matching rows a tiny positive rank, not zero.
        return (
            qs.annotate(search=vector, search_rank=SearchRank(vector, sq))
            .filter(search=sq)
            .order_by("-search_rank", "-imported_at", "pk")
        )
    for term in query.split():
        qs = qs.filter(
            Q(title__icontains=term) | Q(byline__icontains=term) | Q(outlet__icontains=term)
        )
    return qs.order_by("-imported_at", "pk")


def search_speakers(query: str) -> list[dict[str, Any]]:
    """Speakers whose name matches, with how many active claims each has (one query)."""
    qs = Claim.objects.active().exclude(speaker="")
    terms = query.split()
    if not terms:
        return []
    for term in terms:
        qs = qs.filter(speaker__icontains=term)
    rows = qs.values("speaker").annotate(claims=Count("pk")).order_by("-claims", "speaker")
    return [dict(row) for row in rows]


def reviewers() -> QuerySet[Any]:
    """Active people who may review claims (for an editor's assignment list), by name."""
    from django.contrib.auth import get_user_model

    perm = Q(codename="review_claim", content_type__app_label="claims")
    from django.contrib.auth.models import Permission

    permission = Permission.objects.filter(perm)
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(groups__permissions__in=permission)
            | Q(user_permissions__in=permission)
            | Q(is_superuser=True)
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def contested_between_claims(claims: QuerySet[Claim]) -> list[ContestedFigure]:
    """The contested figures that two or more claims disagree on, casualty counts first, then
    those with the most distinct voices. One sentence giving two numbers (cases in two
    countries) is not a dispute between claims. One query, like ``contested_figures``."""
    groups = [g for g in contested_figures(claims) if len({i.claim.pk for i in g.claims}) > 1]

    def weight(group: ContestedFigure) -> tuple[bool, int, str, str]:
        casualty = any(ClaimType.CASUALTY in (i.claim.types or []) for i in group.claims)
        voices = len({i.speaker for i in group.claims})
        return (not casualty, -voices, group.counted, group.side or "")

    return sorted(groups, key=weight)


def claims_to_pick_up(limit: int = 10) -> QuerySet[Claim]:
    """New claims nobody is assigned to, most check-worthy first: where a reviewer starts
    when their own queue is empty. One query."""
    return (
        Claim.objects.active()
        .filter(status=ClaimStatus.NEW)
        # NOT EXISTS, not a LEFT JOIN ... IS NULL: PostgreSQL estimated that join at one row
        # and read the articles once per new claim (3.8 s on 38,000 new claims). Now the
        # index claim_new_by_worth gives the new claims in this order: 0.2 ms.
        .filter(~Exists(ClaimAssignment.objects.filter(claim=OuterRef("pk"))))
        .select_related("article")
        .order_by("-score", "-article__imported_at", "start", "pk")[:limit]
    )


# --- other organisations' fact-checks ------------------------------------------------------------


def factcheck_publishers() -> list[dict[str, Any]]:
    """Each publisher whose fact-checks are imported, with how many and when last changed,
    most first. One query."""
    from django.db.models import Max

    from claims.models import FactCheck

    rows = (
        FactCheck.objects.values("publisher")
        .annotate(count=Count("pk"), last=Max("updated_at"))
        .order_by("-count", "publisher")
    )
    return [dict(row) for row in rows]


# --- the same claim in several of our articles ------------------------------------------------


@dataclass
class ClaimGroupView:
    """A group of claims that are one claim, with what the editor's dashboard and the claim
    page say of it: "this claim appears in 4 articles, rated once"."""

    group: Any  # claims.models.ClaimGroup
    claims: list[Claim]  # their ``article`` loaded; oldest article first

    @property
    def articles(self) -> int:
        return len({c.article_id for c in self.claims})

    @property
    def rated(self) -> int:
        """How many of its claims carry a published verdict."""
        return sum(1 for c in self.claims if c.status in PUBLIC_STATUSES)

    @property
    def in_work(self) -> int:
        """How many are being checked now (in review, proposed, approved, sent back)."""
        working = {
            ClaimStatus.IN_REVIEW,
            ClaimStatus.PROPOSED,
            ClaimStatus.APPROVED,
            ClaimStatus.CHANGES_REQUESTED,
        }
        return sum(1 for c in self.claims if c.status in working)

    @property
    def summary(self) -> str:
        n = self.articles
        where = f"{n} article{'s' if n != 1 else ''}"
        rated = self.rated
        times = {0: "not rated yet", 1: "rated once", 2: "rated twice"}.get(
            rated, f"rated {rated} times"
        )
        return f"appears in {where}, {times}"


def _group_views(members: Iterable[Any]) -> list[ClaimGroupView]:
    by_group: dict[int, ClaimGroupView] = {}
    for m in members:
        view = by_group.get(m.group_id)
        if view is None:
            view = by_group[m.group_id] = ClaimGroupView(group=m.group, claims=[])
        view.claims.append(m.claim)
    for view in by_group.values():
        view.claims.sort(
            key=lambda c: (c.article.published or dt.date.max, c.article.imported_at, c.pk)
        )
    return list(by_group.values())


def claim_group_of(claim: Claim) -> ClaimGroupView | None:
    """The claim's group with all its claims, or ``None``. No query for a claim loaded by
    ``claim_for_user(full=True)`` that is not grouped; one when it is."""
    from claims.models import ClaimGroupMember

    try:
        membership = claim.group_membership  # type: ignore[attr-defined]
    except ClaimGroupMember.DoesNotExist:
        return None
    return claim_group(membership.group_id)


def claim_group(group_id: int) -> ClaimGroupView | None:
    """One group with its claims. One query."""
    from claims.models import ClaimGroupMember

    members = (
        # A claim replaced by a split or merge stays a member but is no longer shown.
        ClaimGroupMember.objects.filter(group_id=group_id, claim__superseded=False)
        .select_related("group", "claim__article")
        .order_by("pk")
    )
    views = _group_views(members)
    return views[0] if views else None


def claim_groups(*, limit: int = 20) -> list[ClaimGroupView]:
    """The most recently made groups with their claims, for the editors' dashboard. One
    query."""
    from claims.models import ClaimGroup, ClaimGroupMember

    latest = ClaimGroup.objects.order_by("-created_at", "-pk").values("pk")[:limit]
    members = (
        ClaimGroupMember.objects.filter(group_id__in=latest, claim__superseded=False)
        .select_related("group", "claim__article")
        .order_by("-group__created_at", "-group_id", "pk")
    )
    return _group_views(members)


# Claims worded this alike (pg_trgm's similarity) in other articles are offered to editors
# as the same claim to group: near-identical text, the same sentence reported twice.
SAME_CLAIM_MIN_SIMILARITY = 0.75
_SAME_CLAIM_CANDIDATES = 200


def same_claim_suggestions(
    claim: Claim, *, limit: int = 5, min_similarity: float = SAME_CLAIM_MIN_SIMILARITY
) -> list[tuple[Claim, float]]:
    """Claims in other articles worded nearly as this one and not in its group, most alike
    first: what an editor may want to group with it. One query: candidates that contain the
    claim's longest words (full-text index on PostgreSQL), then trigram similarity."""
    text = claim.text or ""
    words = sorted(set(_WORD.findall(text.lower())), key=lambda w: (-len(w), w))
    words = [w for w in words if len(w) > 2][:5]
    if limit <= 0 or not words:
        return []
    qs = Claim.objects.active().exclude(article_id=claim.article_id).select_related("article")
    from claims.models import ClaimGroupMember

    try:
        group_id = claim.group_membership.group_id  # type: ignore[attr-defined]
    except ClaimGroupMember.DoesNotExist:
        group_id = None
    if group_id is not None:
        qs = qs.exclude(group_membership__group_id=group_id)
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery

        query = SearchQuery(" ".join(words), search_type="plain", config="english")
        qs = qs.filter(search_vector=query)
    else:
        for word in words[:4]:
            qs = qs.filter(text__icontains=word)
    candidates = list(qs.order_by("-pk")[:_SAME_CLAIM_CANDIDATES])
    scored = sorted(
        ((c, round(trigram_similarity(text, c.text), 4)) for c in candidates),
        key=lambda pair: (-pair[1], pair[0].pk),
    )
    return [(c, sim) for c, sim in scored if sim >= min_similarity][:limit]


# --- checked before, with the reviewers' decisions ----------------------------------------------


@dataclass
class MatchRow:
    """One match shown under "Checked before?": another organisation's fact-check or one of
    our published claims, with what the matcher says of it and what a reviewer decided."""

    factcheck: Any = None  # claims.models.FactCheck
    claim: Claim | None = None  # one of ours (its ``article`` loaded)
    verdict: Verdict | None = None  # its current published verdict, when the matcher gave it
    score: float | None = None
    why: Any = None  # why it matched, when the matcher says (text, or a list of reasons)
    decision: Any = None  # claims.models.MatchDecision
    offered: bool = True  # False: confirmed earlier, not among the matcher's answers now

    @property
    def kind(self) -> str:
        return "factcheck" if self.factcheck is not None else "claim"

    @property
    def ref(self) -> str:
        if self.factcheck is not None:
            return str(self.factcheck.ref)
        return f"claim:{self.claim.pk if self.claim else ''}"

    @property
    def target_id(self) -> int | None:
        target = self.factcheck if self.factcheck is not None else self.claim
        return target.pk if target is not None else None

    @property
    def publisher(self) -> str:
        return self.factcheck.publisher if self.factcheck is not None else ""

    @property
    def rating(self) -> str:
        if self.factcheck is not None:
            return str(self.factcheck.rating_text)
        return self.verdict.label.name if self.verdict is not None else ""

    @property
    def date(self) -> dt.date | None:
        if self.factcheck is not None:
            return self.factcheck.published  # type: ignore[no-any-return]
        if self.verdict is not None and self.verdict.published_at:
            return self.verdict.published_at.date()
        return None

    @property
    def url(self) -> str:
        if self.factcheck is not None:
            return str(self.factcheck.url)
        return f"/ratings/{self.claim.pk}/" if self.claim is not None else ""

    @property
    def text(self) -> str:
        if self.factcheck is not None:
            return str(self.factcheck.claim_text)
        return self.claim.text if self.claim is not None else ""

    @property
    def why_text(self) -> str:
        why = self.why
        if not why:
            return ""
        if isinstance(why, str):
            return why
        if isinstance(why, dict):
            return "; ".join(f"{k}: {v}" for k, v in why.items())
        if isinstance(why, list | tuple):
            return "; ".join(str(w) for w in why)
        return str(why)

    @property
    def confirmed(self) -> bool:
        return bool(self.decision is not None and self.decision.decision == "confirmed")

    @property
    def rejected(self) -> bool:
        return bool(self.decision is not None and self.decision.decision == "rejected")


def _match_row(match: Any) -> MatchRow:
    """What ``checked_before`` returns, read the same whatever its class: a ``factcheck``
    or a ``claim`` (with its ``verdict``), a ``score`` (or ``similarity``), and, if the
    matcher says, ``why`` (or ``explanation``/``reasons``)."""
    factcheck = getattr(match, "factcheck", None)
    score = getattr(match, "score", None)
    if score is None:
        score = getattr(match, "similarity", None)
    why = None
    for name in ("why", "explanation", "reasons"):
        why = getattr(match, name, None)
        if why:
            break
    if factcheck is not None:
        return MatchRow(factcheck=factcheck, score=score, why=why)
    return MatchRow(
        claim=getattr(match, "claim", None),
        verdict=getattr(match, "verdict", None),
        score=score,
        why=why,
    )


def claim_matches(claim: Claim, *, limit: int = 5) -> list[MatchRow]:
    """ "Checked before?" for one claim: the matcher's answers (``checked_before``), each with
    the reviewers' decision on it, then the confirmed matches it no longer offers. A match a
    reviewer rejected stays shown as rejected while the matcher offers it. What
    ``checked_before`` costs, plus one query for the decisions."""
    from claims.models import MatchDecision

    rows = [_match_row(m) for m in checked_before(claim, limit=limit)]
    decisions = list(
        MatchDecision.objects.filter(claim=claim)
        .select_related("factcheck", "matched_claim__article", "actor")
        .order_by("-at", "-pk")
    )
    by_ref = {
        ("factcheck", d.factcheck_id) if d.factcheck_id else ("claim", d.matched_claim_id): d
        for d in decisions
    }
    seen = set()
    for row in rows:
        key = (row.kind, row.target_id)
        row.decision = by_ref.get(key)
        seen.add(key)
    for key, d in by_ref.items():
        if key in seen or d.decision != MatchDecision.Decision.CONFIRMED:
            continue
        rows.append(
            MatchRow(
                factcheck=d.factcheck,
                claim=d.matched_claim,
                score=d.score,
                why=(d.explanation or {}).get("why"),
                decision=d,
                offered=False,
            )
        )
    return rows


# --- blind verdicts ---------------------------------------------------------------------------

# History entries that describe a verdict's making: what they record (its label, the editor's
# reason for changes, who wrote it) is as blind as the verdict itself until it is published.
VERDICT_WORK = frozenset(
    {
        ClaimHistory.Action.PROPOSED,
        ClaimHistory.Action.AMENDED,
        ClaimHistory.Action.CHANGES_REQUESTED,
        ClaimHistory.Action.APPROVED,
    }
)


def sealed_verdict_ids(
    user: Any, claim: Claim, verdicts: Iterable[Verdict] | None = None
) -> set[int]:
    """The claim's verdicts that are blind to this user (permissions.can_see_verdict)."""
    verdicts = claim.verdicts.all() if verdicts is None else verdicts
    return {v.pk for v in verdicts if not permissions.can_see_verdict(user, v)}


def history_for_user(
    user: Any, claim: Claim, verdicts: Iterable[Verdict] | None = None
) -> list[ClaimHistory]:
    """The claim's history as this user may read it, oldest first: the entries about a verdict
    that is blind to them keep their action, time and status change, and lose what would tell
    the verdict (its label and fields, the reason, the writer). The rows are not saved."""
    rows = list(claim.history.all())
    sealed = sealed_verdict_ids(user, claim, verdicts)
    if not sealed:
        return rows
    for row in rows:
        changes = row.changes if isinstance(row.changes, dict) else {}
        if row.action in VERDICT_WORK and changes.get("verdict") in sealed:
            row.changes = {"verdict": changes["verdict"], "sealed": True}
            row.reason = ""
            row.sealed = True  # type: ignore[attr-defined]
            if row.action in (ClaimHistory.Action.PROPOSED, ClaimHistory.Action.AMENDED):
                row.actor = None
    return rows

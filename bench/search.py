"""Search and "checked before?" over a newsroom-sized dataset, on PostgreSQL.

    createdb -h 127.0.0.1 -U postgres workbench_bench
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/workbench_bench
    .venv/bin/python manage.py migrate
    .venv/bin/python manage.py generate_dataset --articles 2000 --claims-per-article 50
    .venv/bin/python bench/search.py [--reps 10]

In one run, on the same queries (single words, common words, names, quoted phrases,
numbers, several words, exclusions), each the first page of 50 results, evaluated:

* ``indexed``: ``claims.selectors.search_claims`` as the web UI and the API call it (the
  stored ``search_vector`` and its GIN index), plus the page's ``count()``;
* ``no index``: the same SQL with index scans turned off (what the GIN index buys);
* ``per-row``: the implementation before the stored vector (a vector built from the claim,
  its speaker and its article's title for every row, at every search).

Then "checked before?" (``claims.selectors.checked_before``) for random claims, against the
same similarity computed over every published claim without the index, and its precision
on the paraphrase set of tests/scale/paraphrases.py planted among the published claims
(inside a transaction that is rolled back). EXPLAIN ANALYZE shows the indexes are used.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")

import django  # noqa: E402

django.setup()

from django.contrib.postgres.search import (  # noqa: E402
    SearchQuery,
    SearchRank,
    SearchVector,
    TrigramDistance,
    TrigramSimilarity,
)
from django.db import connection, transaction  # noqa: E402
from django.db.models import QuerySet  # noqa: E402

from claims.models import Claim, ClaimStatus, Verdict  # noqa: E402
from claims.selectors import checked_before, search_claims  # noqa: E402

QUERIES = [
    # single words
    "soldiers",
    "inflation",
    "ceasefire",
    "vaccinations",
    "wildfires",
    "turnout",
    # words in a third of all claims
    "said",
    "percent",
    # names (speakers and people in the text)
    "Aliyev",
    "Dmitry Peskov",
    "Erdogan",
    "Christine Lagarde",
    "Tikhanovskaya",
    # places, and words that are mostly in article titles
    "Nagorno-Karabakh",
    "Baku",
    "recount",
    "lockdown extended",
    # quoted phrases
    '"killed in Tovuz"',
    '"state of emergency"',
    '"interest rates"',
    '"combat readiness"',
    # numbers
    "1990",
    "26,000",
    "12.5",
    # several words, exclusions, alternatives
    "Armenia soldiers killed",
    "Turkey inflation central bank",
    "accused ceasefire -Russia",
    "floods or wildfires",
    "Peskov mediation settlement",
]


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def summary(samples: list[float]) -> str:
    return (
        f"p50 {percentile(samples, 0.5):7.1f} ms   p95 {percentile(samples, 0.95):7.1f} ms   "
        f"p99 {percentile(samples, 0.99):7.1f} ms   mean {statistics.fmean(samples):7.1f} ms"
        f"   (n={len(samples)})"
    )


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return (time.perf_counter() - start) * 1000, result


def per_row_search(qs: QuerySet[Claim], query: str) -> QuerySet[Claim]:
    """search_claims as it was before the stored vector (commit 45b1cc1's parent)."""
    vector = (
        SearchVector("text", weight="A", config="english")
        + SearchVector("speaker", weight="B", config="english")
        + SearchVector("article__title", weight="C", config="english")
    )
    sq = SearchQuery(query, search_type="websearch", config="english")
    return (
        qs.annotate(search_rank=SearchRank(vector, sq))
        .filter(search_rank__gt=0)
        .order_by("-search_rank", "pk")
    )


def page(qs: QuerySet[Claim]) -> list[Claim]:
    # What a list page evaluates: the claims and their articles (select_related).
    return list(qs.select_related("article")[:50])


def without_indexes(fn: Callable[[], Any]) -> Callable[[], Any]:
    def run() -> Any:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_bitmapscan = off")
            cursor.execute("SET LOCAL enable_indexscan = off")
            # A statement psycopg has prepared keeps the plan made with the indexes on (the
            # settings turn prepared statements on for PostgreSQL): none for this run.
            raw = connection.connection
            threshold = raw.prepare_threshold
            raw.prepare_threshold = None
            try:
                return fn()
            finally:
                raw.prepare_threshold = threshold

    return run


def bench_search(reps: int, baseline_reps: int) -> None:
    active = Claim.objects.active()
    print(f"\n## Search: {len(QUERIES)} queries, first page of 50\n")
    hits = {q: search_claims(active, q).count() for q in QUERIES}
    print("matches per query: " + ", ".join(f"{q} {n:,}" for q, n in hits.items()))
    runs: dict[str, list[float]] = {
        "indexed": [],
        "indexed count()": [],
        "no index": [],
        "per-row": [],
    }
    slowest: list[tuple[float, str]] = []
    per_query: dict[str, list[float]] = {q: [] for q in QUERIES}
    total = Claim.objects.active().count()

    def indexed(q: str) -> list[Claim]:
        return page(search_claims(active, q))

    def counted(q: str) -> int:
        return search_claims(active, q).count()

    def per_row(q: str) -> list[Claim]:
        return page(per_row_search(active, q))

    for q in QUERIES:
        indexed(q)  # warm the cache: every variant sees it warm
        for _ in range(reps):
            ms, _ = timed(partial(indexed, q))
            runs["indexed"].append(ms)
            per_query[q].append(ms)
            slowest.append((ms, q))
            ms, _ = timed(partial(counted, q))
            runs["indexed count()"].append(ms)
        for _ in range(max(1, reps // 3)):
            ms, _ = timed(without_indexes(partial(indexed, q)))
            runs["no index"].append(ms)
        for _ in range(baseline_reps):
            ms, _ = timed(partial(per_row, q))
            runs["per-row"].append(ms)
    for name, samples in runs.items():
        print(f"{name:16s} {summary(samples)}")
    p95 = {name: percentile(samples, 0.95) for name, samples in runs.items()}
    print(
        f"\nindexed vs no index: p95 {p95['no index'] / p95['indexed']:.1f}x faster; "
        f"vs per-row vector: p95 {p95['per-row'] / p95['indexed']:.1f}x faster"
    )
    narrow = [ms for q, samples in per_query.items() if hits[q] <= total / 5 for ms in samples]
    print(f"indexed, queries matching at most a fifth of the claims: {summary(narrow)}")
    print(
        "indexed, median per query: "
        + ", ".join(f"{q} {statistics.median(samples):.0f}" for q, samples in per_query.items())
    )
    print(
        "slowest indexed queries: "
        + ", ".join(f"{q} {ms:.0f} ms" for ms, q in sorted(slowest, reverse=True)[:5])
    )
    print("aim: p95 < 50 ms for the page:", "met" if p95["indexed"] < 50 else "NOT met")

    print("\nEXPLAIN ANALYZE (indexed):")
    for q in ("Aliyev", '"killed in Tovuz"', "said"):
        plan = search_claims(active, q)[:50].explain(analyze=True)
        uses = "claims_claim_search_vector_gin" in plan
        lines = [line.strip() for line in plan.splitlines()]
        scan = next((line for line in lines if "Scan" in line), lines[0])
        took = next((line for line in lines if line.startswith("Execution Time")), "")
        print(f"  {q!r}: GIN index {'used' if uses else 'NOT used'}; {scan[:90]} ... {took}")


def bench_checked_before(samples: int, brute_samples: int) -> None:
    print(f"\n## Checked before? ({samples} random claims, top 5)\n")
    rng = random.Random(5)
    ids = list(Claim.objects.active().values_list("pk", flat=True))
    claims = list(Claim.objects.filter(pk__in=rng.sample(ids, samples)))
    public = Claim.objects.public().active()
    print(f"published or corrected claims to compare with: {public.count():,}")

    def scanned(c: Claim) -> list[Claim]:
        nearest = public.exclude(pk=c.pk).annotate(sim=TrigramSimilarity("text", c.text))
        return list(nearest.order_by("-sim")[:5])

    times: list[float] = []
    shown = 0
    for claim in claims:
        ms, found = timed(partial(checked_before, claim))
        times.append(ms)
        shown += bool(found)
    print(f"{'trigram GiST':16s} {summary(times)}; {shown}/{samples} claims got a suggestion")
    brute: list[float] = []
    for claim in claims[:brute_samples]:
        ms, _ = timed(partial(scanned, claim))
        brute.append(ms)
    print(f"{'no index':16s} {summary(brute)}")
    claim = claims[0]
    plan = (
        public.exclude(pk=claim.pk)
        .annotate(d=TrigramDistance("text", claim.text))
        .order_by("d")[:5]
        .explain(analyze=True)
    )
    print(
        "EXPLAIN ANALYZE: trigram GiST index",
        "used" if "claims_claim_public_text_trgm" in plan else "NOT used",
        "|",
        next(line.strip() for line in plan.splitlines() if "Execution Time" in line),
    )


class Rollback(Exception):
    pass


def bench_precision() -> None:
    from django.contrib.auth import get_user_model

    from claims.models import Article, RatingScale
    from tests.scale.paraphrases import DISTRACTORS, NOVEL, PAIRS

    print("\n## Checked before? precision, paraphrase set planted among the published claims\n")
    author = get_user_model().objects.filter(groups__name="editor").first()
    label = RatingScale.default().labels.get(slug="false")

    def article(title: str, sentences: list[str], status: str) -> list[Claim]:
        head = f"{title}\n\n"
        text = head + " ".join(sentences) + "\n"
        art = Article.objects.create(title=title, text=text)
        made, pos = [], len(head)
        for sentence in sentences:
            made.append(
                Claim.objects.create(
                    article=art, start=pos, end=pos + len(sentence), text=sentence, status=status
                )
            )
            pos += len(sentence) + 1
        if status == ClaimStatus.PUBLISHED:
            Verdict.objects.bulk_create(
                Verdict(
                    claim=c,
                    label=label,
                    summary="s",
                    justification="j",
                    author=author,
                    state=Verdict.State.PUBLISHED,
                )
                for c in made
            )
        return made

    try:
        with transaction.atomic():
            originals = article("Bench originals", [o for o, _ in PAIRS], ClaimStatus.PUBLISHED)
            article("Bench look-alikes", DISTRACTORS, ClaimStatus.PUBLISHED)
            reworded = article("Bench reworded", [p for _, p in PAIRS], ClaimStatus.NEW)
            novel = article("Bench novel", NOVEL, ClaimStatus.NEW)
            at1 = shown = 0
            for original, claim in zip(originals, reworded, strict=True):
                top = checked_before(claim, limit=1, min_similarity=0.0)
                at1 += bool(top) and top[0].claim.pk == original.pk
                shown += any(s.claim.pk == original.pk for s in checked_before(claim))
            alarms = sum(1 for claim in novel if checked_before(claim))
            total = Claim.objects.public().count()
            print(
                f"among {total:,} published claims: precision@1 {at1}/{len(PAIRS)} = "
                f"{at1 / len(PAIRS):.2f}; original shown at the default threshold for "
                f"{shown}/{len(PAIRS)}; new claims with no original that still got a "
                f"suggestion: {alarms}/{len(NOVEL)}"
            )
            raise Rollback
    except Rollback:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=10, help="runs of each query (indexed)")
    parser.add_argument("--baseline-reps", type=int, default=1, help="runs of the per-row one")
    parser.add_argument("--similar", type=int, default=200, help="claims for checked_before")
    parser.add_argument("--no-vacuum", action="store_true")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("bench/search.py measures PostgreSQL: set DATABASE_URL to a PostgreSQL database.")
    n = Claim.objects.count()
    if n < 1000:
        sys.exit(f"Only {n} claims: run `manage.py generate_dataset` first (see the docstring).")
    if not args.no_vacuum:
        # After a bulk load: the GIN pending list flushed and statistics current, as
        # autovacuum would leave them on a running system.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE claims_claim")
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    print(
        f"# bench/search.py: {n:,} claims; PostgreSQL {server}; Python "
        f"{platform.python_version()}; {os.cpu_count()} CPUs"
    )
    bench_search(args.reps, args.baseline_reps)
    bench_checked_before(args.similar, min(20, args.similar))
    bench_precision()


if __name__ == "__main__":
    main()

""" "Checked before?" at scale: 100,000 fact-checks plus 100,000 of our claims, on PostgreSQL.

    python bench/checked_before_scale.py --database postgres://postgres@127.0.0.1:5432/NAME
        [--data DIR] [--factchecks 100000] [--articles 2000]

The database is emptied and migrated (use one of its own). Then:

1. ``generate_dataset --articles 2000 --claims-per-article 50``: 100,000 claims, 13.6% of
   them public. The public ones get real vectors (``index_matches``).
2. The 10,375 CLEF-2020 Snopes fact-checks are imported with real vectors, the way an
   editor imports them (``factchecks_import``).
3. Up to ``--factchecks``, synthetic fact-checks: the claim of one Snopes fact-check with the
   title of another, and as vector the normalised sum of the two real vectors (embedding
   90,000 more texts would take 9 minutes and time nothing the query depends on). The
   claims that are not public get vectors made the same way, so that the index holds
   100,000 claim vectors: more than the product would hold (it indexes public claims only),
   which makes the figure pessimistic. Rows are written with ``bulk_create``.
4. Timed, in one run: ``selectors.match_text`` for each CLEF dev tweet, and
   ``selectors.checked_before`` for 200 random public claims (the claim page's block),
   p50 and p95; baseline: BM25 alone over the same index (bm25s, no vectors, no rerank,
   no database).
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from checked_before_speed import DATA, percentile  # noqa: E402


def timings(values: list[float]) -> str:
    return f"p50 {statistics.median(values):.1f} ms, p95 {percentile(values, 95):.1f} ms"


def build(args: argparse.Namespace, rng: random.Random) -> None:
    from django.core.management import call_command
    from django.db import connection, transaction

    from claims import factchecks
    from claims.matching import store
    from claims.models import Claim, FactCheck, MatchVector

    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    call_command("migrate", verbosity=0)

    t = time.perf_counter()
    call_command("generate_dataset", articles=args.articles, claims_per_article=50, verbosity=0)
    print(f"generate_dataset: {Claim.objects.count():,} claims in {time.perf_counter() - t:.0f} s")
    t = time.perf_counter()
    call_command("index_matches", verbosity=0)
    public = MatchVector.objects.filter(claim__isnull=False).count()
    print(f"index_matches: {public:,} public claims embedded in {time.perf_counter() - t:.0f} s")

    # Fields are quoted where they hold a line break (14 of them): the csv module reads
    # them; the TSV handed to the importer gets them on one line.
    with (args.data / "verified_claims.docs.tsv").open(newline="", encoding="utf-8") as fh:
        rows = [[" ".join(f.split()) for f in r] for r in list(csv.reader(fh, delimiter="\t"))[1:]]
    tsv = "id\tclaim\ttitle\tpublisher\n" + "".join(
        f"{r[0]}\t{r[1]}\t{r[2] if len(r) > 2 else ''}\tSnopes\n" for r in rows
    )
    t = time.perf_counter()
    report = factchecks.factchecks_import(actor=None, data=tsv, format="tsv")
    print(
        f"imported {report.created:,} fact-checks with their vectors "
        f"in {time.perf_counter() - t:.1f} s"
    )

    real = list(
        MatchVector.objects.filter(factcheck__isnull=False).values_list(
            "factcheck__claim_text", "factcheck__title", "vector"
        )
    )
    real_vectors = store._unpack(v for *_, v in real)
    fingerprint = store.fingerprint()

    def mixed(count: int) -> tuple[list[tuple[int, int]], np.ndarray]:
        pairs = [(rng.randrange(len(real)), rng.randrange(len(real))) for _ in range(count)]
        a = np.array([p[0] for p in pairs])
        b = np.array([p[1] for p in pairs])
        v = real_vectors[a] + real_vectors[b]
        v /= np.linalg.norm(v, axis=1, keepdims=True)
        return pairs, v

    t = time.perf_counter()
    extra = max(0, args.factchecks - FactCheck.objects.count())
    for start in range(0, extra, 5000):
        pairs, vectors = mixed(min(5000, extra - start))
        with transaction.atomic():
            made = FactCheck.objects.bulk_create(
                FactCheck(
                    publisher="Synthetic",
                    external_id=f"s{start + i}",
                    claim_text=real[a][0],
                    title=real[b][1],
                )
                for i, (a, b) in enumerate(pairs)
            )
            MatchVector.objects.bulk_create(
                MatchVector(
                    factcheck=f,
                    text=f"{f.claim_text} {f.title}",
                    vector=blob,
                    model=fingerprint,
                )
                for f, blob in zip(made, store._pack(vectors), strict=True)
            )
    unindexed = list(
        Claim.objects.exclude(
            pk__in=MatchVector.objects.filter(claim__isnull=False).values("claim_id")
        ).values_list("pk", "text")
    )
    for start in range(0, len(unindexed), 5000):
        chunk = unindexed[start : start + 5000]
        _, vectors = mixed(len(chunk))
        with transaction.atomic():
            MatchVector.objects.bulk_create(
                MatchVector(claim_id=pk, text=text, vector=blob, model=fingerprint)
                for (pk, text), blob in zip(chunk, store._pack(vectors), strict=True)
            )
    print(
        f"synthetic rows: {extra:,} fact-checks and {len(unindexed):,} claim vectors "
        f"in {time.perf_counter() - t:.0f} s"
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True, help="a PostgreSQL URL; it is emptied")
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--factchecks", type=int, default=100_000)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument(
        "--reuse", action="store_true", help="time the database a previous run left, as it is"
    )
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")
    import django

    django.setup()
    from claims import selectors
    from claims.matching import engine, store
    from claims.matching.embedding import encoder
    from claims.models import Claim, FactCheck, MatchVector

    rng = random.Random(7)
    encoder()
    if not args.reuse:
        build(args, rng)

    store.reset()
    t = time.perf_counter()
    index = store.current_index()
    print(
        f"in-process index of {len(index):,} documents "
        f"({FactCheck.objects.count():,} fact-checks, "
        f"{MatchVector.objects.filter(claim__isnull=False).count():,} claims) "
        f"built in {time.perf_counter() - t:.0f} s"
    )

    queries = [
        line.split("\t", 1)[1]
        for line in (args.data / "dev" / "tweets.queries.tsv").read_text().splitlines()[1:]
    ]

    def lexical(text: str) -> float:
        started = time.perf_counter()
        index.lexical(engine.tokenize(engine.clean(text)), 5)
        return (time.perf_counter() - started) * 1000

    selectors.match_text(queries[0])  # warm
    full, base = [], []
    for text in queries:
        started = time.perf_counter()
        selectors.match_text(text, limit=5, min_similarity=0.0)
        full.append((time.perf_counter() - started) * 1000)
        base.append(lexical(text))
    print(f"\n{len(queries)} CLEF dev tweets, match_text: {timings(full)}")
    print(f"  baseline, BM25 alone on the same index: {timings(base)}")
    print(f"  ratio at p95: {percentile(full, 95) / percentile(base, 95):.1f}x")

    sample = rng.sample(list(Claim.objects.public().values_list("pk", flat=True)), 200)
    page, base = [], []
    for claim in Claim.objects.filter(pk__in=sample):
        started = time.perf_counter()
        selectors.checked_before(claim)
        page.append((time.perf_counter() - started) * 1000)
        base.append(lexical(claim.text))
    print(f"\n200 public claims, checked_before (the claim page's block): {timings(page)}")
    print(f"  baseline, BM25 alone on the same index: {timings(base)}")
    print(f"  ratio at p95: {percentile(page, 95) / percentile(base, 95):.1f}x")


if __name__ == "__main__":
    main()

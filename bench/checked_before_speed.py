""" "Checked before?" speed: importing fact-checks with their vectors, and one query's time.

    python bench/checked_before_speed.py [--data DIR] [--database URL] [--limit N]

Imports the CLEF-2020 verified claims (10,375 Snopes fact-checks) into an empty database
(SQLite in a temporary file unless --database names another, e.g. a PostgreSQL URL), with
their vectors, and times it. Then asks ``selectors.match_text`` for each dev tweet and
prints p50 and p95, against a baseline measured in the same run on the same index: BM25
alone (bm25s, no vectors, no rerank).
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data" / "clef2020-task2"


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--database", help="a database URL (default: a new SQLite file)")
    parser.add_argument("--limit", type=int, default=0, help="import only the first N rows")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="checked-before-")
    os.environ["DATABASE_URL"] = args.database or f"sqlite:///{folder}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from claims import factchecks, selectors
    from claims.matching import engine, store
    from claims.matching.embedding import encoder

    call_command("migrate", verbosity=0)
    # Fields are quoted where they hold a line break (14 of them): the csv module reads
    # them; the TSV handed to the importer gets them on one line.
    with (args.data / "verified_claims.docs.tsv").open(newline="", encoding="utf-8") as fh:
        rows = [[" ".join(f.split()) for f in r] for r in list(csv.reader(fh, delimiter="\t"))[1:]]
    if args.limit:
        rows = rows[: args.limit]
    tsv = "id\tclaim\ttitle\tpublisher\n" + "".join(
        f"{r[0]}\t{r[1]}\t{r[2] if len(r) > 2 else ''}\tSnopes\n" for r in rows
    )
    t = time.perf_counter()
    encoder()
    load = time.perf_counter() - t
    t = time.perf_counter()
    report = factchecks.factchecks_import(actor=None, data=tsv, format="tsv")
    imported = time.perf_counter() - t
    print(f"encoder loaded in {load:.2f} s")
    print(
        f"imported {report.created} fact-checks with their vectors in {imported:.1f} s "
        f"({report.created / imported:.0f} a second; {len(report.errors)} refused)"
    )
    t = time.perf_counter()
    index = store.current_index()
    print(f"in-process index of {len(index)} vectors built in {time.perf_counter() - t:.1f} s")

    queries = [
        line.split("\t", 1)[1]
        for line in (args.data / "dev" / "tweets.queries.tsv").read_text().splitlines()[1:]
    ]
    selectors.match_text(queries[0])  # warm
    full, lexical = [], []
    for text in queries:
        t = time.perf_counter()
        selectors.match_text(text, limit=5, min_similarity=0.0)
        full.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        index.lexical(engine.tokenize(engine.clean(text)), 5)
        lexical.append((time.perf_counter() - t) * 1000)
    p95, b95 = percentile(full, 95), percentile(lexical, 95)
    print(
        f"{len(queries)} queries against {len(index)} documents: "
        f"p50 {statistics.median(full):.1f} ms, p95 {p95:.1f} ms "
        f"(baseline BM25 alone: p50 {statistics.median(lexical):.1f} ms, p95 {b95:.1f} ms; "
        f"ratio at p95 {p95 / b95:.1f}x)"
    )


if __name__ == "__main__":
    main()

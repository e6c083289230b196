""" "Checked before?" quality on CLEF-2020 CheckThat! task 2 (tweets against Snopes fact-checks).

    python bench/checked_before_quality.py [--fit] [--data DIR]

The 10,375 verified claims (claim and title) are the documents; the dev tweets the queries,
scored by MAP@5 and P@1 against their qrels. The training tweets fit the reranker (--fit
writes claims/matching/reranker.json); the dev split is never used to fit or tune anything.

Prints the ablation: lexical only (BM25), embeddings only (MiniLM cosine), fused
(reciprocal rank fusion of the two lists) and reranked (the logistic model the workbench
uses), with the base model and, when shipped, the fine-tuned overlay.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data" / "clef2020-task2"
csv.field_size_limit(10**8)

from claims.matching import engine  # noqa: E402
from claims.matching.embedding import OVERLAY, Encoder  # noqa: E402

FEATURES = ("meaning", "coverage", "doc_coverage", "meaning_x_coverage")


def load(data: Path):
    rows = list(
        csv.reader((data / "verified_claims.docs.tsv").read_text().splitlines(), delimiter="\t")
    )[1:]
    ids = [r[0] for r in rows]
    texts = [f"{r[1]} {r[2]}" for r in rows]
    splits = {}
    for split in ("train", "dev"):
        queries = {
            r[0]: r[1]
            for r in list(
                csv.reader(
                    (data / split / "tweets.queries.tsv").read_text().splitlines(), delimiter="\t"
                )
            )[1:]
        }
        relevant: dict[str, set[str]] = {}
        for line in (data / split / "tweet-vclaim-pairs.qrels").read_text().splitlines():
            q, _, d, _ = line.split()
            relevant.setdefault(q, set()).add(d)
        splits[split] = (queries, relevant)
    return ids, texts, splits


def average_precision(ranked: list[str], relevant: set[str], k: int = 5) -> float:
    hits, total = 0, 0.0
    for rank, ref in enumerate(ranked[:k]):
        if ref in relevant:
            hits += 1
            total += hits / (rank + 1)
    return total / min(len(relevant), k)


def rankings(hits: list[engine.Hit], names: list[str]) -> dict[str, list[str]]:
    def order(key) -> list[str]:
        return [names[h.key] for h in sorted(hits, key=key)]

    return {
        "lexical only (BM25)": order(
            lambda h: (h.lex_rank is None, h.lex_rank if h.lex_rank is not None else 0)
        ),
        "embeddings only": order(lambda h: -h.meaning),
        "fused (RRF)": order(lambda h: -engine.rrf(h.lex_rank, h.emb_rank)),
        "reranked": order(lambda h: -h.score),
    }


def fit(
    rows: list[tuple[list[float], int]], l2: float = 1e-3, steps: int = 3000
) -> dict[str, float]:
    """Logistic regression by gradient descent (numpy; features are few and dense)."""
    x = np.array([r[0] for r in rows], dtype=np.float64)
    y = np.array([r[1] for r in rows], dtype=np.float64)
    x = np.hstack([np.ones((len(x), 1)), x])
    w = np.zeros(x.shape[1])
    positive = y.mean()
    sample = np.where(y == 1, 0.5 / positive, 0.5 / (1 - positive))  # balance the classes
    for _ in range(steps):
        p = 1 / (1 + np.exp(-x @ w))
        grad = x.T @ ((p - y) * sample) / len(y) + l2 * np.r_[0, w[1:]]
        w -= 2.0 * grad
    return {"bias": float(w[0]), **{f: float(v) for f, v in zip(FEATURES, w[1:], strict=True)}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fit", action="store_true", help="fit the reranker on train, write it")
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--base", action="store_true", help="the base model, without the overlay")
    parser.add_argument("--overlay", type=Path, default=OVERLAY, help="another overlay to try")
    parser.add_argument(
        "--cache", type=Path, help="keep the fact-checks' vectors in this .npy file between runs"
    )
    args = parser.parse_args()
    ids, texts, splits = load(args.data)
    encoder = Encoder(overlay=None if args.base else args.overlay)
    model = "base MiniLM" if encoder.overlay is None else f"MiniLM + overlay {args.overlay.name}"
    started = time.perf_counter()
    if args.cache and args.cache.exists():
        vectors = np.load(args.cache)
    else:
        vectors = encoder.encode(texts, batch_size=64)
        if args.cache:
            np.save(args.cache, vectors)
    print(f"{model}: embedded {len(texts)} fact-checks in {time.perf_counter() - started:.1f} s")
    index = engine.MatchIndex()
    index.put(list(range(len(ids))), texts, vectors)

    def run(split: str, weights=None):
        queries, relevant = splits[split]
        qids = list(queries)
        cleaned = [engine.clean(queries[q]) for q in qids]
        qv = encoder.encode(cleaned)
        return [
            (q, index.search(cleaned[i], qv[i], k=engine.CANDIDATES, weights=weights))
            for i, q in enumerate(qids)
        ], relevant

    weights = None
    if args.fit:
        results, relevant = run("train")
        rows = []
        for q, hits in results:
            for h in hits:
                f = engine.features(h.meaning, h.coverage, h.doc_coverage)
                rows.append(([f[n] for n in FEATURES], int(ids[h.key] in relevant[q])))
        weights = fit(rows)
        engine.RERANKER.write_text(
            json.dumps(
                {
                    "fitted_on": "CLEF-2020 task 2 train queries",
                    "by": "bench/checked_before_quality.py --fit",
                    "encoder": model,
                    "weights": weights,
                },
                indent=2,
            )
            + "\n"
        )
        engine.reranker.cache_clear()
        print(f"fitted the reranker on {len(rows)} train candidates: {weights}")

    results, relevant = run("dev", weights)
    table: dict[str, list[float]] = {}
    p1: dict[str, list[float]] = {}
    for q, hits in results:
        for name, ranked in rankings(hits, ids).items():
            table.setdefault(name, []).append(average_precision(ranked, relevant[q]))
            p1.setdefault(name, []).append(float(bool(ranked) and ranked[0] in relevant[q]))
    print(f"\nCLEF-2020 task 2, dev split ({len(results)} queries), {model}")
    print("| ranking | MAP@5 | P@1 |\n|---|---|---|")
    for name, values in table.items():
        print(f"| {name} | {np.mean(values):.4f} | {np.mean(p1[name]):.4f} |")


if __name__ == "__main__":
    main()

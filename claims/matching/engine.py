"""The matcher's ranking: BM25 over the words, nearest neighbours over the meaning, fused and
reranked into one score from 0 to 1.

Plain Python (numpy, bm25s, usearch): no Django import. ``MatchIndex`` holds the documents
(imported fact-checks and our published claims) under integer keys; claims/matching/store.py
keeps it in step with the database.

- Lexical: BM25 (bm25s, English stop words removed, Snowball stems, k1 1.5, b 0.75), the top
  ``CANDIDATES`` documents.
- Meaning: cosine similarity of all-MiniLM-L6-v2 vectors (claims/matching/embedding.py),
  the top ``CANDIDATES`` from a usearch HNSW index.
- Fusion and rerank: every candidate of either list gets features (its cosine, the shares
  of the query's and of its own IDF weight the two have in common) and a logistic model
  trained on the CLEF-2020 training queries (reranker.json, written by
  bench/checked_before_quality.py --fit) turns them into the probability of a match.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

CANDIDATES = 50
RRF_K = 60
RERANKER = Path(__file__).resolve().parent / "reranker.json"
_WORD = re.compile(r"(?u)\b\w\w+\b")
# What a pasted post carries besides its words: links, and the "#" and "@" of tags and
# handles. (Its embed signature, "— Name (@handle) January 14, 2020", is kept: who posted
# it helps: dropping it costs 0.02 of MAP@5 on the CLEF dev tweets.)
_LINK = re.compile(r"(?:https?://|pic\.twitter\.com/|www\.)\S+", re.IGNORECASE)
_TAG = re.compile(r"[#@](\w+)")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


@dataclass(frozen=True)
class Hit:
    key: int
    score: float  # the reranker's probability that this is a match, 0 to 1
    meaning: float  # cosine similarity of the two vectors
    words: float  # BM25 over the query's best BM25 score, 0 to 1
    shared: tuple[str, ...]  # the query's words the document has
    lex_rank: int | None = None  # its place in the BM25 list, if there
    emb_rank: int | None = None  # its place in the nearest-neighbour list, if there
    coverage: float = 0.0  # share of the query's word weight (IDF) the document has
    doc_coverage: float = 0.0  # share of the document's word weight the query has

    def why(self) -> str:
        parts = [f"meaning {self.meaning:.2f}"]
        if self.shared:
            parts.append("shared words: " + ", ".join(self.shared[:5]))
        return "; ".join(parts)


@lru_cache(maxsize=1)
def reranker() -> dict[str, float]:
    if RERANKER.exists():
        return json.loads(RERANKER.read_text())["weights"]
    # Until fitted: an even mix of meaning and words.
    return {"bias": -8.0, "meaning": 9.0, "coverage": 3.0, "doc_coverage": 1.0}


def clean(text: str) -> str:
    """The words of a pasted post: links dropped, tags and handles split into words
    ("#AustralianFires" -> "Australian Fires"). Applied to queries; on the CLEF dev tweets
    it lifts the reranked MAP@5 from 0.865 to 0.88."""
    text = _LINK.sub(" ", text)
    text = _TAG.sub(lambda m: " " + _CAMEL.sub(" ", m.group(1)).replace("_", " "), text)
    return re.sub(r"\s+", " ", text).strip()


def rrf(lex_rank: int | None, emb_rank: int | None) -> float:
    """Reciprocal rank fusion of the two lists (1.0 for first in both)."""
    return sum(1.0 / (RRF_K + r) for r in (lex_rank, emb_rank) if r is not None) * RRF_K / 2


def features(meaning: float, coverage: float, doc_coverage: float) -> dict[str, float]:
    """What the reranker weighs. All absolute, never relative to the other candidates, so
    that a claim nothing matches gets low scores rather than a best of the rest: the cosine
    of the two vectors, and the shares of the query's and of the document's word weight
    (IDF) that the other has."""
    return {
        "meaning": meaning,
        "coverage": coverage,
        "doc_coverage": doc_coverage,
        "meaning_x_coverage": meaning * coverage,
    }


def probability(f: dict[str, float], weights: dict[str, float] | None = None) -> float:
    weights = weights or reranker()
    z = weights.get("bias", 0.0) + sum(weights.get(k, 0.0) * v for k, v in f.items())
    return 1.0 / (1.0 + math.exp(-z))


def tokenize(text: str) -> list[str]:
    """Lower-cased words of two or more letters, English stop words out, Snowball-stemmed
    (so "dropped" meets "drops"): on the CLEF dev tweets stemming lifts BM25's MAP@5 from
    0.70 to 0.75."""
    stop = _stopwords()
    return _stemmer().stemWords([w for w in _WORD.findall(text.lower()) if w not in stop])


def _spoken(text: str) -> dict[str, str]:
    stop = _stopwords()
    raw = [w for w in _WORD.findall(text.lower()) if w not in stop]
    spoken: dict[str, str] = {}
    for stem, word in zip(_stemmer().stemWords(raw), raw, strict=True):
        spoken.setdefault(stem, word)
    return spoken


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_EN

    return frozenset(STOPWORDS_EN)


class MatchIndex:
    """Documents under integer keys: their words for BM25, their vectors for usearch."""

    def __init__(self, dimensions: int = 384) -> None:
        from usearch.index import Index

        self.dimensions = dimensions
        # Half precision: the stored vectors are float16 already, and the graph builds in
        # about half the time of float32.
        self.vectors = Index(ndim=dimensions, metric="cos", dtype="f16")
        self.keys: list[int] = []
        self.tokens: list[list[str]] = []
        self.position: dict[int, int] = {}
        self.df: dict[str, int] = {}  # documents each word is in
        self._bm25 = None
        self._bm25_size = -1

    def __len__(self) -> int:
        return len(self.position)

    def put(self, keys: Sequence[int], texts: Sequence[str], vectors: np.ndarray) -> None:
        """Add documents, or replace those already held under the same keys."""
        if not len(keys):
            return
        for key, text in zip(keys, texts, strict=True):
            words = tokenize(text)
            for w in set(words):
                self.df[w] = self.df.get(w, 0) + 1
            if key in self.position:
                for w in set(self.tokens[self.position[key]]):
                    self.df[w] -= 1
                self.tokens[self.position[key]] = words
            else:
                self.position[key] = len(self.keys)
                self.keys.append(key)
                self.tokens.append(words)
        keys_array = np.asarray(keys, dtype=np.uint64)
        present = [k for k in keys if self.vectors.contains(int(k))]
        if present:
            self.vectors.remove(np.asarray(present, dtype=np.uint64))
        self.vectors.add(keys_array, np.ascontiguousarray(vectors, dtype=np.float32))
        self._bm25 = None  # rebuilt at the next search

    def _lexical(self):
        import bm25s

        if self._bm25 is None:
            vocabulary: dict[str, int] = {}
            ids = [
                [vocabulary.setdefault(w, len(vocabulary)) for w in words] for words in self.tokens
            ]
            model = bm25s.BM25()
            model.index(
                bm25s.tokenization.Tokenized(ids=ids, vocab=vocabulary), show_progress=False
            )
            self._bm25, self._vocabulary = model, vocabulary
        return self._bm25

    def lexical(self, words: list[str], k: int) -> list[tuple[int, float]]:
        """BM25 alone: the ``k`` best (key, score) for these tokens, best first, ties to the
        earlier document. bm25s's own scores over its eager index, and the top k by
        argpartition as its retrieve() does, without the thread pool that starts on every
        call (25 ms of a query over 200,000 documents)."""
        model = self._lexical()
        known = [w for w in words if w in self._vocabulary]
        if not known:
            return []
        scores = model.get_scores(known)
        # Only the documents that share a word: argpartition over an array that is mostly
        # zeros is slow (25 ms at 200,000 documents, against 1 ms for the nonzero ones).
        found = np.flatnonzero(scores)
        if len(found) > k:
            found = found[np.argpartition(scores[found], -k)[-k:]]
        found = found[np.lexsort((found, -scores[found]))]
        return [(self.keys[d], float(scores[d])) for d in found.tolist()]

    def search(
        self,
        text: str,
        vector: np.ndarray,
        *,
        k: int = CANDIDATES,
        weights: dict[str, float] | None = None,
    ) -> list[Hit]:
        """The documents most likely to match, best first."""
        if not self.keys:
            return []
        k = min(k, len(self.keys))
        words = tokenize(text)
        spoken = _spoken(text)  # each stem as the query wrote it, for "why"
        lexical: dict[int, tuple[int, float]] = {}
        ranked = self.lexical(words, k)
        if ranked:
            best = ranked[0][1] or 1.0
            for rank, (key, score) in enumerate(ranked):
                lexical[key] = (rank, score / best)
        found = self.vectors.search(np.asarray(vector, dtype=np.float32), k)
        meaning: dict[int, tuple[int, float]] = {
            int(key): (rank, 1.0 - float(distance))
            for rank, (key, distance) in enumerate(zip(found.keys, found.distances, strict=True))
        }
        hits = []
        query_words = set(words)
        weight = self._idf
        query_weight = sum(weight(w) for w in query_words) or 1.0
        for key in set(lexical) | set(meaning):
            lex_rank, word_score = lexical.get(key, (None, 0.0))
            emb_rank, cosine = meaning.get(key, (None, None))
            if cosine is None:
                cosine = self._cosine(key, vector)
            doc_words = dict.fromkeys(self.tokens[self.position[key]])
            common = [w for w in doc_words if w in query_words]
            coverage = sum(weight(w) for w in common) / query_weight
            doc_coverage = sum(weight(w) for w in common) / (
                sum(weight(w) for w in doc_words) or 1.0
            )
            f = features(cosine, coverage, doc_coverage)
            hits.append(
                Hit(
                    key,
                    probability(f, weights),
                    cosine,
                    word_score,
                    tuple(spoken.get(w, w) for w in common),
                    lex_rank,
                    emb_rank,
                    coverage,
                    doc_coverage,
                )
            )
        hits.sort(key=lambda h: (-h.score, h.key))
        return hits

    def _idf(self, word: str) -> float:
        n, df = len(self.keys), self.df.get(word, 0)
        return math.log(1.0 + (n - df + 0.5) / (df + 0.5))

    def _cosine(self, key: int, vector: np.ndarray) -> float:
        stored = self.vectors.get(key)
        if stored is None:
            return 0.0
        return float(np.dot(np.asarray(stored, dtype=np.float32).ravel(), vector))

"""The matcher's vectors in the database, and the in-process index kept in step with them.

Vectors live beside the texts, in ``MatchVector`` rows (one per imported fact-check and per
published claim). Each app server holds a ``MatchIndex`` (usearch for the vectors, bm25s
for the words) of every row; before a search it asks the database for the highest row id
and the number of rows (one indexed aggregate) and reads only the rows it has not seen.
A changed text is a new row (the old one deleted in the same transaction), so several app
servers stay in step without talking to each other. When rows disappeared (a deleted
fact-check) the index is rebuilt from the table.
"""

from __future__ import annotations

import hashlib
import math
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from django.db import transaction
from django.db.models import Max

from claims.matching.embedding import DIMENSIONS, OVERLAY, embed
from claims.matching.engine import MatchIndex

# Claims published without passing through the services (a data import, an old database)
# have no stored vector. "Checked before?" makes theirs in memory when next asked, this many
# at a time, and never writes on a read; ``manage.py index_matches`` stores all of them.
CATCH_UP = 200
# A search checks the highest MatchVector id on every call (one index lookup). The full count,
# which notices rows deleted (a fact-check removed, a text changed), and the look for public
# claims with no stored vector (an anti-join over every public claim) cost tens of
# milliseconds on 100,000 rows each: they run at most this often per process. A deleted
# row still in the index is harmless meanwhile: its hit has no row to show and is dropped.
RECHECK_SECONDS = 30.0


def factcheck_key(pk: int) -> int:
    return pk * 2


def claim_key(pk: int) -> int:
    return pk * 2 + 1


def from_key(key: int) -> tuple[str, int]:
    return ("claim" if key % 2 else "factcheck", key // 2)


@lru_cache(maxsize=1)
def fingerprint() -> str:
    """Which encoder made a vector: the base model, or its fine-tuned overlay's hash."""
    if OVERLAY.exists():
        return "minilm+" + hashlib.sha256(OVERLAY.read_bytes()).hexdigest()[:16]
    return "minilm"


def _pack(vectors: np.ndarray) -> list[bytes]:
    return [v.astype("<f2").tobytes() for v in vectors]


def _unpack(blobs: Iterable[bytes]) -> np.ndarray:
    data = b"".join(bytes(b) for b in blobs)
    return np.frombuffer(data, dtype="<f2").astype(np.float32).reshape(-1, DIMENSIONS)


def factcheck_text(factcheck) -> str:
    return " ".join(t for t in (factcheck.claim_text, factcheck.title) if t)


def index_factchecks(ids: Iterable[int], *, batch: int = 512) -> int:
    """Make (or remake) the vectors of these fact-checks. Returns how many."""
    from claims.models import FactCheck

    return _index(FactCheck.objects.all(), "factcheck", factcheck_text, ids, batch)


def index_claims(ids: Iterable[int], *, batch: int = 512) -> int:
    """Make (or remake) the vectors of these claims. Returns how many."""
    from claims.models import Claim

    return _index(Claim.objects.only("text"), "claim", lambda c: c.text or "", ids, batch)


def _index(rows_of, field: str, text_of, ids: Iterable[int], batch: int) -> int:
    """Embed the rows in batches, and replace their vectors batch by batch, each batch in a
    transaction (the old row deleted and the new one added together, as catch-up expects)."""
    from claims.models import MatchVector

    ids = list(ids)
    done = 0
    for start in range(0, len(ids), batch):
        rows = list(rows_of.filter(pk__in=ids[start : start + batch]).order_by("pk"))
        texts = [text_of(r) for r in rows]
        vectors = _pack(embed(texts))
        with transaction.atomic():
            MatchVector.objects.filter(**{f"{field}__in": rows}).delete()
            MatchVector.objects.bulk_create(
                MatchVector(**{field: r}, text=t, vector=v, model=fingerprint())
                for r, t, v in zip(rows, texts, vectors, strict=True)
            )
        done += len(rows)
    return done


def missing_claims(limit: int | None = CATCH_UP) -> list[int]:
    """Public claims without a vector of this encoder (one anti-join on an index)."""
    from claims.models import Claim, MatchVector

    made = MatchVector.objects.filter(claim__isnull=False, model=fingerprint()).values("claim_id")
    without = Claim.objects.public().active().exclude(pk__in=made).order_by("pk")
    return list(without.values_list("pk", flat=True)[:limit])


@dataclass
class _Shared:
    index: MatchIndex
    last: int = 0  # the highest MatchVector id read
    rows: int = 0  # how many rows the index holds
    unstored: set[int] = field(default_factory=set)  # claim keys made in memory only
    counted_at: float = -math.inf  # time.monotonic() of the last full count
    caught_up_at: float = -math.inf  # ... and of the last look for claims with no vector


_state: _Shared | None = None
_lock = threading.Lock()


def reset() -> None:
    """Forget the in-process index (tests, and after ``index_matches --rebuild``)."""
    global _state
    with _lock:
        _state = None


def _load(state: _Shared, after: int) -> None:
    from claims.models import MatchVector

    rows = (
        MatchVector.objects.filter(pk__gt=after)
        .order_by("pk")
        .values_list("pk", "factcheck_id", "claim_id", "text", "vector")
    )
    chunk: list[tuple] = []
    for row in rows.iterator(chunk_size=5000):
        chunk.append(row)
        if len(chunk) == 5000:
            _put(state, chunk)
            chunk = []
    _put(state, chunk)


def _put(state: _Shared, chunk: list[tuple]) -> None:
    if not chunk:
        return
    keys = [factcheck_key(f) if f is not None else claim_key(c) for _, f, c, _, _ in chunk]
    state.unstored.difference_update(keys)
    state.index.put(keys, [t for *_, t, _ in chunk], _unpack(v for *_, v in chunk))
    state.last = max(state.last, chunk[-1][0])


def current_index() -> MatchIndex:
    """The index, caught up with the database."""
    from claims.models import MatchVector

    global _state
    with _lock:
        last = MatchVector.objects.aggregate(last=Max("pk"))["last"] or 0
        state = _state
        if state is None or last < state.last:
            state = _Shared(MatchIndex(DIMENSIONS))
        if last > state.last:
            _load(state, state.last)
        now = time.monotonic()
        if now - state.counted_at >= RECHECK_SECONDS:
            rows = MatchVector.objects.count()
            if len(state.index) - len(state.unstored) != rows:  # rows were deleted
                state = _Shared(MatchIndex(DIMENSIONS))
                _load(state, 0)
            state.rows, state.counted_at = rows, now
        _state = state
        return state.index


def catch_up() -> None:
    """Vectors, in this process's index only, for public claims that have none stored."""
    from claims.models import Claim

    with _lock:
        now = time.monotonic()
        if _state is not None and now - _state.caught_up_at < RECHECK_SECONDS:
            return
        known = set() if _state is None else {k // 2 for k in _state.unstored}
        if _state is not None:
            _state.caught_up_at = now
    ids = [pk for pk in missing_claims(limit=None) if pk not in known][:CATCH_UP]
    if not ids:
        return
    rows = list(Claim.objects.filter(pk__in=ids).only("text").order_by("pk"))
    vectors = embed([c.text or "" for c in rows])
    index = current_index()
    keys = [claim_key(c.pk) for c in rows]
    with _lock:
        index.put(keys, [c.text or "" for c in rows], vectors)
        assert _state is not None
        _state.unstored.update(keys)

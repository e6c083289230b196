"""The learned part of check-worthiness: a logistic regression over words, in pure Python.

Weights come from ``bench/train_checkworthiness.py`` (scikit-learn) and are stored as JSON
next to this file: ``{"intercept": b, "weights": {"word": w, "word word": w, ...}}``. Features
are binary: lower-cased words (digit runs folded to ``<d>``) and adjacent word pairs, the same
tokenisation as :func:`features` below, which the training script imports so the two can
never drift apart.
"""

# ruff: noqa: RUF001 - curly quotes, apostrophes and dashes are the text this module reads
from __future__ import annotations

import json
import math
import re
from functools import cache
from itertools import pairwise
from pathlib import Path

WEIGHTS_PATH = Path(__file__).with_name("checkworthiness.json")
WORD = re.compile(r"[a-z]+(?:['’][a-z]+)?|\d+")


def words(text: str) -> list[str]:
    """Lower-cased words and digit runs: the tokenisation every cue and the model share."""
    return WORD.findall(text.lower())


def tokens(text: str) -> list[str]:
    return _fold(words(text))


def _fold(ws: list[str]) -> list[str]:
    return ["<d>" if w[0].isdigit() else w for w in ws]


def features(text: str) -> set[str]:
    """The binary features of a sentence: words and adjacent word pairs."""
    return _features(tokens(text))


def _features(toks: list[str]) -> set[str]:
    out = set(toks)
    out.update(map(" ".join, pairwise(toks)))
    return out


@cache
def _load() -> tuple[float, dict[str, float], frozenset[str]]:
    try:
        data = json.loads(WEIGHTS_PATH.read_text(encoding="utf-8"))
        weights = {k: float(v) for k, v in data["weights"].items()}
        return float(data["intercept"]), weights, frozenset(weights)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        # Without weights the rules still work; the model then says nothing either way.
        return 0.0, {}, frozenset()


def logit(text: str) -> float:
    """Log-odds that the sentence is check-worthy, by the learned model alone."""
    return logit_words(words(text))


def logit_words(ws: list[str]) -> float:
    """:func:`logit` for a sentence already split by :func:`words`."""
    intercept, weights, keys = _load()
    if not weights:
        return 0.0
    present = keys.intersection(_features(_fold(ws)))
    # fsum: the same total whatever order the set yields the features in.
    return intercept + math.fsum(map(weights.__getitem__, present))


def probability(text: str) -> float:
    z = logit(text)
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

"""The learned part of check-worthiness: a logistic regression over words, in pure Python.

Weights come from ``bench/train_checkworthiness.py`` (scikit-learn) and are stored as JSON
next to this file: ``{"intercept": b, "weights": {"word": w, ...}}``. Features are binary:
the set of lower-cased words of the sentence, every run of digits counting as the one word
``<d>``. :func:`features` is that tokenisation, and the training script imports it, so the
two can never drift apart.

Only single words: word pairs were measured (bench/train_checkworthiness.py history) to add
nothing on the held-out sets (average precision 0.916 vs 0.914 on ClaimBuster test, 0.175 vs
0.178 on CheckThat!) and cost twice the time. A sentence's logit is then one set
intersection and a sum.
"""

# ruff: noqa: RUF001 - curly quotes, apostrophes and dashes are the text this module reads
from __future__ import annotations

import json
import math
import re
from collections.abc import Set
from functools import cache
from pathlib import Path

WEIGHTS_PATH = Path(__file__).with_name("checkworthiness.json")
WORD = re.compile(r"[a-z]+(?:['’][a-z]+)?|\d+")
DIGITS = "<d>"
_DIGIT = re.compile(r"\d")


def words(text: str) -> list[str]:
    """Lower-cased words and digit runs: the tokenisation every cue and the model share."""
    return WORD.findall(text.lower())


def features(text: str) -> set[str]:
    """The binary features of a sentence: its words, digit runs folded to ``<d>``."""
    return {DIGITS if w[0].isdigit() else w for w in words(text)}


def vocabulary(text: str) -> set[str]:
    """The set of a sentence's :func:`words`, plus ``<d>`` if it has any digit.

    One set serves every cue and the model: a cue asks "is any of my words here?" with one
    C-level ``isdisjoint`` instead of one regex pass over the sentence per cue.
    """
    found = set(words(text))
    if _DIGIT.search(text):
        found.add(DIGITS)
    return found


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
    return logit_vocabulary(vocabulary(text))


def logit_vocabulary(words_present: Set[str]) -> float:
    """:func:`logit` for a sentence given as its :func:`vocabulary`."""
    intercept, weights, keys = _load()
    if not weights:
        return 0.0
    present = keys.intersection(words_present)
    # fsum: the same total whatever order the set yields the words in.
    return intercept + math.fsum(map(weights.__getitem__, present))

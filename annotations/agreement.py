"""Inter-rater agreement: Krippendorff's alpha (ordinal) and Cohen's kappa.

Plain Python over plain data, so that it can be checked against values computed by hand.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from itertools import combinations, permutations
from typing import Any


def krippendorff_alpha_ordinal(units: Iterable[Sequence[float]]) -> float | None:
    """Alpha for ordinal data: ``units`` is, for each rated item, the values it received.

    Items with fewer than two values carry no information about agreement and are left out.
    Returns ``None`` when alpha is undefined (no pairable values, or no variation at all).
    """
    coincidence: dict[tuple[float, float], float] = defaultdict(float)
    for values in units:
        m = len(values)
        if m < 2:
            continue
        for a, b in permutations(values, 2):
            coincidence[(a, b)] += 1.0 / (m - 1)
    if not coincidence:
        return None
    n_c: dict[float, float] = defaultdict(float)
    for (a, _b), weight in coincidence.items():
        n_c[a] += weight
    n = sum(n_c.values())
    ranks = sorted(n_c)
    index = {v: i for i, v in enumerate(ranks)}
    cumulative = [0.0]
    for v in ranks:
        cumulative.append(cumulative[-1] + n_c[v])

    def delta2(c: float, k: float) -> float:
        lo, hi = sorted((index[c], index[k]))
        between = cumulative[hi + 1] - cumulative[lo]
        return (between - (n_c[ranks[lo]] + n_c[ranks[hi]]) / 2.0) ** 2

    observed = sum(w * delta2(a, b) for (a, b), w in coincidence.items())
    expected = sum(n_c[c] * n_c[k] * delta2(c, k) for c in ranks for k in ranks)
    if expected == 0:
        return None
    return 1.0 - (n - 1) * observed / expected


def cohen_kappa(pairs: Iterable[tuple[Hashable, Hashable]]) -> float | None:
    """Unweighted kappa of two raters over the items both rated: ``pairs`` of their labels.

    ``None`` when undefined: no items, or both raters always gave the same single label.
    """
    pairs = list(pairs)
    n = len(pairs)
    if n == 0:
        return None
    observed = sum(1 for a, b in pairs if a == b) / n
    first = Counter(a for a, _ in pairs)
    second = Counter(b for _, b in pairs)
    expected = sum(first[label] * second[label] for label in first) / (n * n)
    if expected == 1:
        return None
    return (observed - expected) / (1 - expected)


def pairwise_kappas(
    ratings: Mapping[Any, Mapping[Any, Hashable]],
) -> dict[tuple[Hashable, Hashable], tuple[float | None, int]]:
    """``ratings[item][rater] = label`` → for each pair of raters, (kappa, items in common)."""
    by_rater: dict[Hashable, dict[Hashable, Hashable]] = defaultdict(dict)
    for item, given in ratings.items():
        for rater, label in given.items():
            by_rater[rater][item] = label
    result = {}
    for a, b in combinations(sorted(by_rater, key=str), 2):
        common = by_rater[a].keys() & by_rater[b].keys()
        if common:
            result[(a, b)] = (
                cohen_kappa((by_rater[a][i], by_rater[b][i]) for i in sorted(common, key=str)),
                len(common),
            )
    return result

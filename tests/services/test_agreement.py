"""Agreement figures against values computed by hand (working in the comments)."""

from __future__ import annotations

import pytest

from annotations.agreement import cohen_kappa, krippendorff_alpha_ordinal, pairwise_kappas
from annotations.selectors import agreement
from claims.models import Claim
from tests.factories import UserFactory
from tests.workflow import rate_three_claims


def test_alpha_ordinal_small_example_by_hand():
    # Units (1,1), (2,3), (3,3). Coincidences: o11=2, o23=o32=1, o33=2; n1=2, n2=1, n3=3, n=6.
    # delta²(1,2)=(3-1.5)²=2.25, delta²(2,3)=(4-2)²=4, delta²(1,3)=(6-2.5)²=12.25.
    # Observed: 2*1*4 = 8. Expected: 2*(2*1*2.25 + 2*3*12.25 + 1*3*4) = 180.
    # alpha = 1 - (6-1)*8/180 = 7/9.
    assert krippendorff_alpha_ordinal([[1, 1], [2, 3], [3, 3]]) == pytest.approx(7 / 9)


def test_alpha_ordinal_matches_krippendorffs_published_example():
    # Krippendorff (2011), "Computing Krippendorff's alpha-reliability", 4 observers,
    # 12 units with missing values: ordinal alpha = 0.815.
    n = None
    observers = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, n, n, n],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, n, 3],
        [n, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, n],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, n],
    ]
    units = [[v for v in unit if v is not None] for unit in zip(*observers, strict=True)]
    assert krippendorff_alpha_ordinal(units) == pytest.approx(0.815, abs=5e-4)


def test_alpha_is_undefined_without_pairs_or_variation():
    assert krippendorff_alpha_ordinal([[3]]) is None
    assert krippendorff_alpha_ordinal([[2, 2], [2, 2]]) is None


def test_perfect_agreement_is_one():
    assert krippendorff_alpha_ordinal([[1, 1], [5, 5], [3, 3]]) == pytest.approx(1.0)


def test_cohen_kappa_by_hand():
    # A: t t f f t, B: t f f f t. po = 4/5; pe = (3/5)(2/5) + (2/5)(3/5) = 12/25.
    # kappa = (0.8 - 0.48) / 0.52 = 8/13.
    pairs = list(zip("ttfft", "tffft", strict=True))
    assert cohen_kappa(pairs) == pytest.approx(8 / 13)


def test_cohen_kappa_undefined_cases():
    assert cohen_kappa([]) is None
    assert cohen_kappa([("a", "a"), ("a", "a")]) is None


def test_pairwise_kappas_use_items_rated_by_both():
    ratings = {1: {"a": "x", "b": "x", "c": "y"}, 2: {"a": "y", "b": "y"}, 3: {"a": "x"}}
    result = pairwise_kappas(ratings)
    assert result[("a", "b")] == (pytest.approx(1.0), 2)
    assert result[("a", "c")][1] == 1 and result[("b", "c")][1] == 1


@pytest.mark.django_db
def test_agreement_report_per_article_type_pair_and_reviewer(
    article, editor, reviewer, second_reviewer
):
    # Three claims rated by alice and bob with ordinal values (5,5), (2,3), (3,3).
    # n2=1, n3=3, n5=2, n=6; delta²(2,3)=(4-2)²=4, delta²(3,5)=(5-2.5)²=6.25,
    # delta²(2,5)=(6-1.5)²=20.25. Observed: 2*4 = 8.
    # Expected: 2*(1*3*4 + 3*2*6.25 + 1*2*20.25) = 180. alpha = 1 - 5*8/180 = 7/9.
    # Labels: casualty (true, true), quote (mostly-false, half-true), event (half-true, half-true).
    rate_three_claims(article, editor=editor, reviewer=reviewer, second_reviewer=second_reviewer)

    report = agreement(Claim.objects.filter(article=article))
    assert report.alpha == pytest.approx(7 / 9)
    assert report.claims_rated == 3 and report.ratings == 6
    assert report.per_type["casualty"] is None  # one unit, no variation: undefined
    assert set(report.per_type) == {"casualty", "quote", "event", "quantity"}
    # kappa over labels: agreements on 2 of 3; alice true,mf,ht; bob true,ht,ht.
    # pe = (1/3)(1/3) [true] + (1/3)(2/3) [ht] = 1/9 + 2/9 = 1/3; kappa = (2/3-1/3)/(2/3) = 1/2.
    assert report.per_pair == [
        {"reviewers": ["alice", "bob"], "kappa": pytest.approx(0.5), "claims": 3}
    ]
    assert [r["reviewer"] for r in report.per_reviewer] == ["alice", "bob"]
    assert report.per_reviewer[0]["mean_kappa"] == pytest.approx(0.5)


@pytest.mark.django_db
def test_agreement_counts_only_the_claims_asked_for(article, editor, reviewer):
    UserFactory(username="zed", roles=["reviewer"])
    report = agreement(Claim.objects.filter(article=article))
    assert report.alpha is None and report.claims_rated == 0 and report.per_pair == []

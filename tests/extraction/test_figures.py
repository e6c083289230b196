"""Figures: the value, the hedge, what is counted and, for casualties, whose side."""

from __future__ import annotations

import pytest

from claims.extraction import ExtractedClaim, Figure
from claims.extraction.figures import find_figures
from tests.extraction.conftest import claim_with


def figures_of(sentence: str) -> list[Figure]:
    return [f.figure for f in find_figures(sentence)]


def one_figure(sentence: str) -> Figure:
    found = figures_of(sentence)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("sentence", "value", "hedge"),
    [
        ("At least 12 soldiers were killed.", 12, "at_least"),
        ("No fewer than 40 people died.", 40, "at_least"),
        ("More than 26,000 cases were registered.", 26000, "more_than"),
        ("Over 2,000 troops took part.", 2000, "more_than"),
        ("Fewer than 300 people voted.", 300, "less_than"),
        ("Up to 50 people may have been hurt.", 50, "less_than"),
        ("Nearly 100 soldiers have been killed.", 100, "nearly"),
        ("Almost 900 people fled.", 900, "nearly"),
        ("About 30,000 people marched.", 30000, "about"),
        ("Some 30,000 people marched.", 30000, "about"),
        ("Roughly 400 troops arrived.", 400, "about"),
        ("An estimated 5,000 people fled.", 5000, "about"),
        ("Exactly 17 ships were seen.", 17, "exact"),
        ("The army lost 414 aircraft.", 414, "exact"),
        ("The fire destroyed 20 or more homes.", 20, "at_least"),
    ],
)
def test_each_hedge_is_recognised(sentence: str, value: int, hedge: str) -> None:
    figure = one_figure(sentence)
    assert (figure.value, figure.hedge) == (value, hedge)


@pytest.mark.parametrize(
    ("sentence", "value", "counted"),
    [
        ("One civilian was killed.", 1, "civilian"),
        ("Four soldiers died.", 4, "soldiers"),
        ("Twenty-five people were hurt.", 25, "people"),
        ("The country has three million inhabitants.", 3_000_000, "inhabitants"),
        ("They bought 1.5 billion barrels.", 1_500_000_000, "barrels"),
        ("Russia has two military bases in Armenia.", 2, "bases"),
    ],
)
def test_number_words_and_scales_are_figures(sentence: str, value: int, counted: str) -> None:
    figure = one_figure(sentence)
    assert (figure.value, figure.counted) == (value, counted)


def test_a_dozen_is_about_twelve() -> None:
    figure = one_figure("They saw a dozen fighter jets.")
    assert (figure.value, figure.hedge, figure.counted) == (12, "about", "jets")


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        ("Dozens of people were arrested.", 24),
        ("Hundreds of tanks crossed the border.", 200),
        ("Thousands of people protested.", 2000),
        ("Tens of thousands of people protested.", 20000),
        ("Hundreds of thousands of people fled.", 200000),
    ],
)
def test_vague_plurals_are_lower_bounds(sentence: str, value: int) -> None:
    figure = one_figure(sentence)
    assert (figure.value, figure.hedge) == (value, "at_least")


def test_range_is_low_and_high() -> None:
    figure = one_figure("Between 10 and 15 people were injured.")
    assert (figure.value, figure.counted) == ([10, 15], "people")
    assert one_figure("Some 10-15 people were hurt.").value == [10, 15]


def test_units_percentages_and_money() -> None:
    distance = one_figure("The plant is about 35 kilometers from Yerevan.")
    assert (distance.value, distance.hedge, distance.counted, distance.unit) == (
        35,
        "about",
        "kilometers",
        "km",
    )
    share = one_figure("Unemployment rose to 4.5% in May.")
    assert (share.value, share.unit) == (4.5, "%")
    money = one_figure("The company lost $5 million last year.")
    assert (money.value, money.unit, money.counted) == (5_000_000, "USD", "dollars")


def test_counted_noun_before_the_number_when_none_follows() -> None:
    figure = one_figure("Armenia has a population of less than three million.")
    assert (figure.value, figure.hedge, figure.counted) == (3_000_000, "less_than", "population")


@pytest.mark.parametrize(
    "sentence",
    [
        "The group was created in 1992 to solve the conflict.",
        "It escalated in the early 1990s.",
        "The COVID-19 pandemic spread.",
        "They flew MiG-29 fighters.",
        "The Kavkaz-2020 exercise begins.",
        "At 4:00 a.m. local time, protesters broke in.",
        "He met the minister on July 16.",
        "It came third in the 10th round.",
        "Flight 370 vanished.",
        "He lives at No. 5.",
        "One of the officials resigned.",
        "The two countries disagree.",
        "See https://example.org/2020/07/18/story-12 for details.",
    ],
)
def test_years_names_times_dates_and_pronouns_are_not_figures(sentence: str) -> None:
    assert figures_of(sentence) == []


def test_casualty_figures_know_whose_side() -> None:
    found = find_figures(
        "At least 12 soldiers, including a major general and a colonel, and one civilian "
        "from Azerbaijan are dead, as are four soldiers from Armenia."
    )
    assert [(f.figure.value, f.figure.counted, f.figure.side, f.casualty) for f in found] == [
        (12, "soldiers", "Azerbaijan", True),
        (1, "civilian", "Azerbaijan", True),
        (4, "soldiers", "Armenia", True),
    ]


def test_side_from_an_adjective_of_nationality() -> None:
    figure = one_figure("He claimed that nearly 100 Armenian soldiers have been killed.")
    assert (figure.side, figure.hedge) == ("Armenia", "nearly")


def test_side_both_for_casualties_on_both_sides() -> None:
    figure = one_figure("The clashes erupted, killing nearly 200 soldiers on both sides.")
    assert (figure.value, figure.side) == (200, "both")


def test_people_counted_without_a_casualty_word_are_a_quantity_not_casualties() -> None:
    [found] = find_figures("Russia keeps about 5,000 soldiers at its bases.")
    assert not found.casualty
    assert found.figure.side is None


def test_deaths_are_casualties_but_cases_are_not() -> None:
    found = find_figures("It registered more than 26,000 cases and 334 deaths.")
    assert [(f.figure.counted, f.casualty) for f in found] == [("cases", False), ("deaths", True)]


def test_lives_claimed_are_casualties() -> None:
    [found] = find_figures("The war had claimed some 30,000 lives by 1994.")
    assert (found.figure.value, found.figure.hedge, found.casualty) == (30000, "about", True)


def test_figure_text_is_its_surface_form() -> None:
    sentence = "At least 12 soldiers are dead."
    [found] = find_figures(sentence)
    assert found.figure.text == "At least 12 soldiers"
    assert sentence[found.start : found.end] == found.figure.text


def test_figure_to_dict_is_json_ready() -> None:
    figure = one_figure("Between 10 and 15 people were injured.")
    assert figure.to_dict() == {
        "value": [10, 15],
        "hedge": "exact",
        "counted": "people",
        "side": None,
        "unit": None,
        "text": "Between 10 and 15 people",
    }


def test_sample_casualty_figures_of_both_sides(sample_claims: list[ExtractedClaim]) -> None:
    claim = claim_with(sample_claims, "At least 12 soldiers")
    assert [(f.value, f.hedge, f.counted, f.side) for f in claim.figures] == [
        (12, "at_least", "soldiers", "Azerbaijan"),
        (1, "exact", "civilian", "Azerbaijan"),
        (4, "exact", "soldiers", "Armenia"),
    ]
    assert claim.types[0] == "casualty"


def test_sample_contested_armenian_casualty_claim(sample_claims: list[ExtractedClaim]) -> None:
    claim = claim_with(sample_claims, "nearly 100 Armenian soldiers")
    assert [(f.value, f.hedge, f.counted, f.side) for f in claim.figures] == [
        (100, "nearly", "soldiers", "Armenia")
    ]


def test_sample_covid_figures(sample_claims: list[ExtractedClaim]) -> None:
    claim = claim_with(sample_claims, "334 deaths")
    assert [(f.value, f.hedge, f.counted) for f in claim.figures] == [
        (10_000_000, "exact", "population"),
        (26000, "more_than", "cases"),
        (334, "exact", "deaths"),
        (33000, "more_than", "cases"),
        (607, "exact", "deaths"),
        (3_000_000, "less_than", "population"),
    ]
    assert claim.types[:2] == ["casualty", "quantity"]


def test_sample_hedged_quantities(sample_claims: list[ExtractedClaim]) -> None:
    plant = claim_with(sample_claims, "35 kilometers")
    assert [(f.value, f.hedge, f.unit) for f in plant.figures] == [(35, "about", "km")]
    war = claim_with(sample_claims, "30,000 lives")
    assert [(f.value, f.hedge, f.counted) for f in war.figures] == [(30000, "about", "lives")]
    exercise = claim_with(sample_claims, "150,000 troops")
    assert [(f.value, f.hedge, f.counted) for f in exercise.figures] == [
        (150000, "about", "troops"),
        (26000, "more_than", "systems"),
        (414, "exact", "aircraft"),
        (106, "exact", "warships"),
    ]
    bases = claim_with(sample_claims, "two military bases")
    assert [(f.value, f.hedge, f.counted) for f in bases.figures] == [
        (2, "exact", "bases"),
        (5000, "about", "soldiers"),
        (200, "at_least", "tanks"),
        (12, "about", "jets"),
    ]
    assert "casualty" not in bases.types


def test_sample_years_and_names_with_numbers_give_no_figures(
    sample_claims: list[ExtractedClaim],
) -> None:
    for fragment in ("created in 1992", "declared independence in 1991", "COVID-19 pandemic"):
        found = [c for c in sample_claims if fragment in c.text]
        assert all(not c.figures for c in found), fragment
    shoigu = claim_with(sample_claims, "Kavkaz-2020")
    assert [f.value for f in shoigu.figures] == [56, 35, 17]


def test_hedge_after_an_opening_bracket_or_dash() -> None:
    assert one_figure("The plant (about 35 kilometers away) is old.").hedge == "about"
    assert one_figure("Casualties —nearly 100 soldiers— were reported.").hedge == "nearly"

"""Dates: the calendar day a claim refers to, resolved against the publication date."""

from __future__ import annotations

import datetime as dt

import pytest

from claims.extraction import ExtractedClaim, extract
from claims.extraction.dates import find_date
from tests.extraction.conftest import SAMPLE_PUBLISHED, claim_with

SATURDAY = dt.date(2020, 7, 18)


def day_of(sentence: str, published: dt.date | None = SATURDAY) -> dt.date | None:
    return find_date(sentence, published)[0]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Kerim Veliyev claimed on Tuesday that soldiers died.", dt.date(2020, 7, 14)),
        ("The statement came on Thursday.", dt.date(2020, 7, 16)),
        ("Putin ordered a check on Friday.", dt.date(2020, 7, 17)),
        ("Peskov said Tuesday that Russia is concerned.", dt.date(2020, 7, 14)),
        ("A rally was held in Baku on Tuesday night.", dt.date(2020, 7, 14)),
        ("Clashes have gone on since last Sunday.", dt.date(2020, 7, 12)),
        ("Since Sunday, many statements have come in.", dt.date(2020, 7, 12)),
        ("Parliament backed a statement on Wednesday.", dt.date(2020, 7, 15)),
        ("The vote is on Saturday.", dt.date(2020, 7, 18)),
        ("The vote was last Saturday.", dt.date(2020, 7, 11)),
        ("The talks will resume next Monday.", dt.date(2020, 7, 20)),
        ("The ministers will meet on Monday.", dt.date(2020, 7, 20)),
        ("He met the minister on July 16.", dt.date(2020, 7, 16)),
        ("He met the minister on 16 July.", dt.date(2020, 7, 16)),
        ("It happened on Sept. 11.", dt.date(2020, 9, 11)),
        ("It happened on July 16, 2019.", dt.date(2019, 7, 16)),
        ("The report is dated 2020-07-10.", dt.date(2020, 7, 10)),
        ("The shelling began yesterday.", dt.date(2020, 7, 17)),
        ("Shells fell last night.", dt.date(2020, 7, 17)),
        ("The ministry said today that it will respond.", dt.date(2020, 7, 18)),
    ],
)
def test_each_date_form_is_resolved(sentence: str, expected: dt.date) -> None:
    assert day_of(sentence) == expected


def test_a_date_without_year_takes_the_nearest_year() -> None:
    assert day_of("It happened on December 30.", dt.date(2021, 1, 2)) == dt.date(2020, 12, 30)


@pytest.mark.parametrize(
    "sentence",
    [
        "The World Socialist Web Site warned in 2016 of war.",
        "Nagorno-Karabakh declared independence in 1991.",
        "The exercise is scheduled for September.",
        "It escalated in the early 1990s.",
        "At 4:00 a.m. local time, protesters broke in.",
        "Voters went to the polls on Super Tuesday.",
    ],
)
def test_years_months_and_times_are_not_a_day(sentence: str) -> None:
    assert day_of(sentence) is None


def test_weekday_without_publication_date_is_unknown() -> None:
    assert day_of("He spoke on Tuesday.", None) is None
    assert day_of("He spoke on July 16, 2020.", None) == dt.date(2020, 7, 16)


def test_extract_uses_the_given_publication_date() -> None:
    [claim] = extract("Officials said 12 soldiers were killed on Tuesday.", dt.date(2021, 3, 5))
    assert claim.date == dt.date(2021, 3, 2)


def test_extract_finds_the_publication_date_in_the_article_head() -> None:
    text = (
        "Border fighting kills 12\n\nJane Doe\n18 July 2020\n\n"
        "Officials said 12 soldiers were killed on Tuesday."
    )
    [claim] = extract(text)
    assert claim.date == dt.date(2020, 7, 14)


def test_a_date_inside_a_quotation_counts_only_when_none_is_outside() -> None:
    sentence = "He said on Friday: “We met them on Tuesday.”"
    assert find_date(sentence, SATURDAY, [(sentence.index("“") + 1, len(sentence) - 1)])[0] == (
        dt.date(2020, 7, 17)
    )


EXPECTED_SAMPLE_DATES = {
    "since last Sunday threaten": None,  # opinion; not a claim, checked elsewhere
    "Kerim Veliyev claimed on Tuesday": dt.date(2020, 7, 14),
    "Artsrun Hovhannisyan said on Friday": dt.date(2020, 7, 17),
    "underlined on Thursday": dt.date(2020, 7, 16),
    "Sushan Stepanyan said on Thursday": dt.date(2020, 7, 16),
    "Mamedyarov on Thursday": dt.date(2020, 7, 16),
    "on Tuesday night": dt.date(2020, 7, 14),
    "Antonio Guterres called Tuesday": dt.date(2020, 7, 14),
    "Dmitry Peskov said Tuesday": dt.date(2020, 7, 14),
    "readiness check” on Friday": dt.date(2020, 7, 17),
    "press conference on Tuesday": dt.date(2020, 7, 14),
    "on July 16": dt.date(2020, 7, 16),
    "On Friday, İsmail Demir": dt.date(2020, 7, 17),
    "Turkish Parliament on Wednesday": dt.date(2020, 7, 15),
    "created in 1992": None,
    "declared independence in 1991": None,
    "At 4:00 a.m.": None,
}


@pytest.mark.parametrize(("fragment", "expected"), EXPECTED_SAMPLE_DATES.items())
def test_sample_relative_dates_are_resolved(
    sample_claims: list[ExtractedClaim], fragment: str, expected: dt.date | None
) -> None:
    if fragment == "since last Sunday threaten":
        assert not [c for c in sample_claims if fragment in c.text]
        return
    assert claim_with(sample_claims, fragment).date == expected


def test_sample_published_date_is_a_saturday() -> None:
    assert SAMPLE_PUBLISHED.weekday() == 5

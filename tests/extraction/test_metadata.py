"""Title, byline and publication date from the head of a plain-text article."""

from __future__ import annotations

import datetime as dt

from claims.extraction import ArticleMetadata, detect_metadata


def test_sample_metadata(sample_text: str) -> None:
    meta = detect_metadata(sample_text)
    assert meta.title == "Armenia-Azerbaijan border clashes threaten broader war in Caucasus"
    assert meta.byline == "Ulas Atesci"
    assert meta.published == dt.date(2020, 7, 18)
    assert sample_text[meta.body_start :].startswith("Armed clashes involving tanks")


def test_by_line_and_american_date() -> None:
    text = "Ceasefire collapses\nBy Jane Doe and John Roe\nJuly 18, 2020\n\nFighting resumed."
    meta = detect_metadata(text)
    assert meta == ArticleMetadata(
        title="Ceasefire collapses",
        byline="Jane Doe and John Roe",
        published=dt.date(2020, 7, 18),
        body_start=text.index("Fighting"),
    )


def test_date_line_with_weekday_and_time() -> None:
    text = "Saturday, 18 July 2020 10:31 GMT\n\nThe body starts here and goes on."
    meta = detect_metadata(text)
    assert (meta.title, meta.published) == (None, dt.date(2020, 7, 18))
    assert text[meta.body_start :].startswith("The body")


def test_headline_in_title_case_with_a_period() -> None:
    text = "Washington Post Hit Piece Exploits Trump Supporter.\n\nThe Post ran a feature."
    assert detect_metadata(text).title == "Washington Post Hit Piece Exploits Trump Supporter."


def test_text_that_starts_with_prose_has_no_header() -> None:
    text = "The army said on Friday that 12 soldiers were killed. Talks resumed."
    assert detect_metadata(text) == ArticleMetadata(None, None, None, 0)


def test_a_single_line_is_not_a_title() -> None:
    assert detect_metadata("Border clashes threaten war").title is None


def test_empty_and_blank_text() -> None:
    assert detect_metadata("") == ArticleMetadata(None, None, None, 0)
    assert detect_metadata("  \n\n ") == ArticleMetadata(None, None, None, 0)


def test_body_start_skips_leading_blank_lines() -> None:
    text = "\n\n  Title of the piece\n\nBody text goes here."
    meta = detect_metadata(text)
    assert meta.title == "Title of the piece"
    assert meta.body_start == text.index("Body")


def test_metadata_to_dict_is_json_ready() -> None:
    meta = detect_metadata("Title here\nJane Doe\n1 May 2021\n\nBody.")
    assert meta.to_dict() == {
        "title": "Title here",
        "byline": "Jane Doe",
        "published": "2021-05-01",
        "body_start": meta.body_start,
    }

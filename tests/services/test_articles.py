"""Importing articles and storing what the extraction engine finds."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from claims import services
from claims.models import Article, Claim, ClaimHistory
from claims.services import article_extract_claims, article_import

pytestmark = pytest.mark.django_db


def test_importing_the_sample_detects_metadata_and_stores_claims(sample_text, editor):
    result = article_import(actor=editor, text=sample_text)
    article = result.article
    assert result.created
    assert article.title == "Armenia-Azerbaijan border clashes threaten broader war in Caucasus"
    assert article.byline == "Ulas Atesci"
    assert article.published == dt.date(2020, 7, 18)
    assert article.text == sample_text  # stored exactly as received
    assert article.extraction_status == Article.Extraction.DONE
    stored = list(article.claims.all())
    assert len(stored) >= 20
    for claim in stored:
        assert claim.text == sample_text[claim.start : claim.end]
        assert sample_text[claim.start - len(claim.prefix) : claim.start] == claim.prefix
        assert sample_text[claim.end : claim.end + len(claim.suffix)] == claim.suffix
        assert claim.machine["text"] == claim.text
        assert claim.origin == Claim.Origin.EXTRACTED
    veliyev = next(c for c in stored if "nearly 100 Armenian soldiers" in c.text)
    assert veliyev.speaker == "Kerim Veliyev"
    assert veliyev.date == dt.date(2020, 7, 14)
    assert {"value": 100, "hedge": "nearly"}.items() <= veliyev.figures[0].items()
    assert ClaimHistory.objects.filter(claim=veliyev, action="extracted", actor=None).exists()


def test_the_same_text_imported_twice_is_one_article(sample_text, editor):
    first = article_import(actor=editor, text=sample_text)
    second = article_import(actor=editor, text=sample_text)
    assert not second.created and second.article.pk == first.article.pk
    assert Article.objects.count() == 1
    assert Claim.objects.count() == first.article.claims.count()


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "empty"), ("   \n\t ", "empty"), ("abc\x00def", "NUL")],
)
def test_bad_text_is_refused_and_nothing_is_saved(text, message, editor):
    with pytest.raises(ValidationError, match=message):
        article_import(actor=editor, text=text)
    assert not Article.objects.exists()


def test_an_article_over_the_size_limit_is_refused(settings, editor):
    settings.ARTICLE_MAX_BYTES = 1000
    with pytest.raises(ValidationError, match="limit"):
        article_import(actor=editor, text="word " * 300)
    assert not Article.objects.exists()


def test_outsider_cannot_import(outsider, sample_text):
    with pytest.raises(PermissionDenied):
        article_import(actor=outsider, text=sample_text)
    assert not Article.objects.exists()


def test_a_stored_text_never_changes(sample_text, editor):
    article = article_import(actor=editor, text=sample_text).article
    article.text = article.text.replace("Armenia", "Armenie")
    with pytest.raises(ValidationError, match="never changes"):
        article.save()
    article.refresh_from_db()
    assert article.text == sample_text


def test_extracting_again_never_duplicates_claims(sample_text, editor):
    article = article_import(actor=editor, text=sample_text).article
    count = article.claims.count()
    assert article_extract_claims(article_id=article.pk) == 0
    assert article.claims.count() == count


def test_extracting_again_never_overwrites_a_persons_edit(sample_text, editor, reviewer):
    article = article_import(actor=editor, text=sample_text).article
    claim = article.claims.get(text__contains="nearly 100 Armenian soldiers")
    services.claim_update(
        actor=reviewer,
        claim=claim,
        expected_version=claim.version,
        speaker="Azerbaijani Defence Ministry",
        types=["casualty"],
    )
    article_extract_claims(article_id=article.pk)
    claim.refresh_from_db()
    assert claim.speaker == "Azerbaijani Defence Ministry"
    assert claim.types == ["casualty"]
    assert claim.machine["speaker"] == "Kerim Veliyev"  # the machine's original on record
    assert article.claims.filter(text__contains="nearly 100 Armenian soldiers").count() == 1


def test_extracting_again_skips_spans_a_person_restructured(sample_text, editor, reviewer):
    article = article_import(actor=editor, text=sample_text).article
    claim = article.claims.get(text__contains="nearly 100 Armenian soldiers")
    at = claim.start + claim.text.index("but Armenian")
    services.claim_split(actor=reviewer, claim=claim, at=at, expected_version=claim.version)
    before = article.claims.count()
    article_extract_claims(article_id=article.pk)
    assert article.claims.count() == before
    assert article.claims.filter(start=claim.start, end=claim.end).count() == 1  # the old one


def test_an_extraction_failure_is_recorded_not_half_saved(sample_text, editor, monkeypatch):
    import claims.extraction

    def broken(text, published=None):
        raise RuntimeError("model file missing")

    monkeypatch.setattr(claims.extraction, "extract", broken)
    article = article_import(actor=editor, text=sample_text).article
    assert article.extraction_status == Article.Extraction.FAILED
    assert "model file missing" in article.extraction_error
    assert not article.claims.exists()

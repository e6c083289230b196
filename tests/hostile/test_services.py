"""Hostile input to the services: a clear ValidationError and no change, or stored exactly.

The web forms, the API and the command line all end in these functions, so what they refuse
here is refused everywhere; the LATER web/API part sends the same corpus through HTTP.
"""

from __future__ import annotations

import pytest
from django.conf import settings

from annotations import services as notes
from annotations.models import Comment, Rating
from claims import services
from claims.models import Article
from tests.hostile.corpus import (
    ARTICLE_TEXT,
    CLAIM_TYPES,
    DATE,
    FIGURES,
    LABEL,
    NUMBER,
    OFFSET,
    TEXT_FIELD,
    URL,
    Case,
    cases,
    oversized_text,
)


def ids(items: list[Case]) -> list[str]:
    return [c.name for c in items]


def article_text(case: Case) -> object:
    return (
        oversized_text(settings.ARTICLE_MAX_BYTES)
        if case.name == "oversized article"
        else case.value
    )


# --- articles ------------------------------------------------------------------------------


@pytest.mark.parametrize("case", cases(ARTICLE_TEXT), ids=ids(cases(ARTICLE_TEXT)))
def test_article_import_refuses(case, reviewer, refused):
    refused(lambda: services.article_import(actor=reviewer, text=article_text(case)))


@pytest.mark.parametrize(
    "case", cases(ARTICLE_TEXT, accepted=True), ids=ids(cases(ARTICLE_TEXT, accepted=True))
)
def test_article_import_stores_odd_but_valid_text_exactly(case, reviewer):
    result = services.article_import(actor=reviewer, text=case.value)
    article = Article.objects.get(pk=result.article.pk)
    assert article.text == case.value
    for claim in article.claims.all():
        assert article.text[claim.start : claim.end] == claim.text


# --- offsets -------------------------------------------------------------------------------


@pytest.mark.parametrize("case", cases(OFFSET), ids=ids(cases(OFFSET)))
def test_claim_add_refuses_bad_offsets(case, scene, reviewer, refused):
    length = len(scene.article.text)
    refused(
        lambda: services.claim_add(
            actor=reviewer, article=scene.article, start=case.value, end=length - 1, types=["event"]
        )
    )
    refused(
        lambda: services.claim_add(
            actor=reviewer, article=scene.article, start=0, end=case.value, types=["event"]
        )
    )


@pytest.mark.parametrize("case", cases(OFFSET), ids=ids(cases(OFFSET)))
def test_claim_update_refuses_bad_offsets(case, scene, reviewer, refused):
    refused(
        lambda: services.claim_update(
            actor=reviewer, claim=scene, expected_version=scene.version, start=case.value
        )
    )
    refused(
        lambda: services.claim_update(
            actor=reviewer, claim=scene, expected_version=scene.version, end=case.value
        )
    )


@pytest.mark.parametrize("case", cases(OFFSET), ids=ids(cases(OFFSET)))
def test_annotation_create_refuses_bad_offsets(case, scene, reviewer, refused):
    refused(
        lambda: notes.annotation_create(
            actor=reviewer, claim=scene, start=case.value, end=scene.end, label="figure"
        )
    )
    refused(
        lambda: notes.annotation_create(
            actor=reviewer, claim=scene, start=scene.start, end=case.value, label="figure"
        )
    )


@pytest.mark.parametrize("case", cases(OFFSET), ids=ids(cases(OFFSET)))
def test_claim_split_refuses_bad_offsets(case, scene, reviewer, refused):
    # Found by the API corpus: an offset past the end of the article was an IndexError (500).
    refused(
        lambda: services.claim_split(
            actor=reviewer, claim=scene, at=case.value, expected_version=scene.version
        )
    )


def test_claim_split_refuses_the_claims_own_edges(scene, reviewer, refused):
    for at in (scene.start, scene.end, scene.end + 1):
        refused(
            lambda at=at: services.claim_split(
                actor=reviewer, claim=scene, at=at, expected_version=scene.version
            )
        )


# --- claim fields --------------------------------------------------------------------------


@pytest.mark.parametrize("case", cases(CLAIM_TYPES), ids=ids(cases(CLAIM_TYPES)))
def test_claim_update_refuses_bad_types(case, scene, reviewer, refused):
    refused(
        lambda: services.claim_update(
            actor=reviewer, claim=scene, expected_version=scene.version, types=case.value
        )
    )


@pytest.mark.parametrize("case", cases(FIGURES), ids=ids(cases(FIGURES)))
def test_claim_update_refuses_bad_figures(case, scene, reviewer, refused):
    value = case.value if isinstance(case.value, list) else [{"value": case.value}]
    refused(
        lambda: services.claim_update(
            actor=reviewer, claim=scene, expected_version=scene.version, figures=value
        )
    )


@pytest.mark.parametrize("case", cases(DATE), ids=ids(cases(DATE)))
def test_claim_update_refuses_bad_dates(case, scene, reviewer, refused):
    refused(
        lambda: services.claim_update(
            actor=reviewer, claim=scene, expected_version=scene.version, date=case.value
        )
    )


# --- comments, ratings, sources ------------------------------------------------------------


@pytest.mark.parametrize("case", cases(TEXT_FIELD), ids=ids(cases(TEXT_FIELD)))
def test_comment_add_refuses(case, scene, reviewer, refused):
    refused(lambda: notes.comment_add(actor=reviewer, claim=scene, body=case.value))


@pytest.mark.parametrize(
    "case", cases(TEXT_FIELD, accepted=True), ids=ids(cases(TEXT_FIELD, accepted=True))
)
def test_comments_ratings_and_annotations_store_odd_but_valid_text_exactly(case, scene, reviewer):
    comment = notes.comment_add(actor=reviewer, claim=scene, body=case.value)
    assert Comment.objects.get(pk=comment.pk).body == case.value
    rating = notes.rating_submit(
        actor=reviewer, claim=scene, label="false", justification=case.value
    )
    assert Rating.objects.get(pk=rating.pk).justification == case.value
    note = notes.annotation_create(
        actor=reviewer,
        claim=scene,
        start=scene.start,
        end=scene.end,
        label="figure",
        comment=case.value,
    )
    note.refresh_from_db()
    assert note.comment == case.value


@pytest.mark.parametrize("case", cases(TEXT_FIELD), ids=ids(cases(TEXT_FIELD)))
def test_rating_submit_refuses_bad_justification(case, scene, reviewer, refused):
    refused(
        lambda: notes.rating_submit(
            actor=reviewer, claim=scene, label="false", justification=case.value
        )
    )


@pytest.mark.parametrize("case", cases(NUMBER), ids=ids(cases(NUMBER)))
def test_rating_submit_refuses_bad_confidence(case, scene, reviewer, refused):
    refused(
        lambda: notes.rating_submit(
            actor=reviewer, claim=scene, label="false", justification="Data.", confidence=case.value
        )
    )


@pytest.mark.parametrize("case", cases(LABEL), ids=ids(cases(LABEL)))
def test_labels_that_do_not_exist_are_refused(case, scene, reviewer, refused):
    refused(
        lambda: notes.rating_submit(
            actor=reviewer, claim=scene, label=case.value, justification="Data."
        )
    )
    refused(
        lambda: notes.annotation_create(
            actor=reviewer, claim=scene, start=scene.start, end=scene.end, label=case.value
        )
    )


@pytest.mark.parametrize("case", cases(URL), ids=ids(cases(URL)))
def test_source_attach_refuses_bad_addresses(case, scene, reviewer, refused):
    refused(lambda: notes.source_attach(actor=reviewer, claim=scene, url=case.value))
    if case.value:  # an empty archive address just means there is none
        refused(
            lambda: notes.source_attach(
                actor=reviewer, claim=scene, url="https://example.org/a", archive_url=case.value
            )
        )


@pytest.mark.parametrize("case", cases(DATE), ids=ids(cases(DATE)))
def test_source_attach_refuses_bad_dates(case, scene, reviewer, refused):
    refused(
        lambda: notes.source_attach(
            actor=reviewer, claim=scene, url="https://example.org/a", published=case.value
        )
    )


@pytest.mark.parametrize(
    "field",
    ["title", "publisher", "excerpt"],
)
@pytest.mark.parametrize(
    "case",
    [c for c in cases(TEXT_FIELD) if c.value and str(c.value).strip()],
    ids=ids([c for c in cases(TEXT_FIELD) if c.value and str(c.value).strip()]),
)
def test_source_attach_refuses_bad_text(case, field, scene, reviewer, refused):
    refused(
        lambda: notes.source_attach(
            actor=reviewer, claim=scene, url="https://example.org/a", **{field: case.value}
        )
    )

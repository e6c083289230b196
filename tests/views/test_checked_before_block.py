""" "Checked before?" in the claim panel and the editor's view: published claims worded like
this one, with their rating and a link to the public verdict; nothing unpublished, ever."""

from __future__ import annotations

import pytest
from django.urls import reverse

from claims.models import ClaimStatus
from tests.factories import ArticleFactory, ClaimFactory
from tests.views.conftest import htmx
from tests.workflow import advance

pytestmark = pytest.mark.django_db
S = ClaimStatus


@pytest.fixture
def people(reviewer, editor, second_editor):
    return {"reviewer": reviewer, "editor": editor, "second_editor": second_editor}


def surfaces(client, claim):
    """The claim's panel (htmx), its reader page and its editor's view."""
    return {
        "panel": client.get(reverse("claim-detail", args=[claim.pk]), **htmx()),
        "reader": client.get(reverse("claim-detail", args=[claim.pk])),
        "review": client.get(reverse("claim-review", args=[claim.pk])),
    }


def block(response):
    body = response.content.decode()
    assert response.status_code == 200
    start = body.index("Checked before?")
    return body[start : body.index("</section>", start)]


def test_a_published_claim_worded_alike_appears_with_its_rating_and_public_page(
    as_reviewer, people
):
    # The same sentence in another article, published as "Mostly false".
    earlier = advance(
        ClaimFactory(article=ArticleFactory(title="Earlier story")), S.PUBLISHED, **people
    )
    claim = ClaimFactory(article=ArticleFactory())
    for name, response in surfaces(as_reviewer, claim).items():
        shown = block(response)
        assert reverse("public-rating", args=[earlier.pk]) in shown, name
        assert "Mostly false" in shown and "Why it matched:</span> meaning 1.00" in shown, name
        assert "Earlier story" in shown, name
        assert "matched by meaning" in shown, name


def test_an_unpublished_or_retracted_claim_never_appears(as_reviewer, people, second_reviewer):
    hidden = []
    for status in (
        S.NEW,
        S.IN_REVIEW,
        S.PROPOSED,
        S.APPROVED,
        S.CHANGES_REQUESTED,
        S.RETRACTED,
        S.DISMISSED,
    ):
        hidden.append(advance(ClaimFactory(article=ArticleFactory()), status, **people))
    claim = ClaimFactory(article=ArticleFactory())
    for name, response in surfaces(as_reviewer, claim).items():
        shown = block(response)
        assert "No published claim or imported fact-check is worded like this one" in shown, name
        for other in hidden:
            assert f"/ratings/{other.pk}/" not in shown, (name, other.status)
            assert f"/claims/{other.pk}/" not in shown, (name, other.status)


def test_a_published_claim_does_not_list_itself_and_a_corrected_one_shows_its_new_rating(
    as_reviewer, people
):
    corrected = advance(ClaimFactory(article=ArticleFactory()), S.CORRECTED, **people)
    published = advance(ClaimFactory(article=ArticleFactory()), S.PUBLISHED, **people)
    shown = block(surfaces(as_reviewer, published)["panel"])
    assert f"/ratings/{published.pk}/" not in shown
    assert f"/ratings/{corrected.pk}/" in shown
    assert "False" in shown  # the correction's label, not the superseded "Mostly false"
    assert "Mostly false" not in shown


def test_wording_that_differs_is_not_offered(as_reviewer, people, article):
    text = article.text
    advance(
        ClaimFactory(article=article, start=text.index("About"), end=text.index("capital.") + 8),
        S.PUBLISHED,
        **people,
    )
    claim = ClaimFactory(article=ArticleFactory())  # "At least 12 soldiers were killed…"
    shown = block(surfaces(as_reviewer, claim)["panel"])
    assert "No published claim or imported fact-check is worded like this one" in shown

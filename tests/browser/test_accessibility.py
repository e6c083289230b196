"""axe-core on every main page, at desktop and phone widths, with a screenshot of each.

axe-core is vendored (tests/browser/vendor/axe.min.js); serious and critical violations
fail the test, listed with the elements they name."""

from __future__ import annotations

import pytest

from annotations import services as notes
from claims import services
from claims.models import Article, ClaimStatus
from tests.browser.conftest import axe_violations, claim_pk_for, shoot
from tests.workflow import advance

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
S = ClaimStatus


@pytest.fixture
def desk(reviewer, second_reviewer, editor, second_editor, sample_text):
    """The sample article with work on it: a published verdict, a proposal with two
    disagreeing ratings, an annotation, a source and a comment."""
    article: Article = services.article_import(
        actor=reviewer, text=sample_text, outlet="WSWS"
    ).article
    people = {"reviewer": reviewer, "editor": editor, "second_editor": second_editor}
    published = advance(
        article.claims.get(pk=claim_pk_for(article, "Kremlin spokesman")), S.PUBLISHED, **people
    )
    contested = article.claims.get(pk=claim_pk_for(article, "nearly 100 Armenian soldiers"))
    services.claim_assign(actor=editor, claim=contested, reviewer=second_reviewer)
    notes.annotation_create(
        actor=reviewer,
        claim=contested,
        start=contested.start,
        end=contested.start + 20,
        label="speaker",
        comment="Who is he?",
    )
    notes.source_attach(
        actor=reviewer,
        claim=contested,
        url="https://example.org/mod",
        title="Defence ministry statement",
        published="2020-07-20",
        stance="refutes",
        kind="primary",
        excerpt="Four soldiers died.",
    )
    notes.comment_add(actor=second_reviewer, claim=contested, body="Primary source?")
    services.claim_assign(actor=editor, claim=contested, reviewer=reviewer)
    notes.rating_submit(actor=reviewer, claim=contested, label="false", justification="Four.")
    notes.rating_submit(
        actor=second_reviewer, claim=contested, label="true", justification="The minister said so."
    )
    services.claim_propose(
        actor=editor,
        claim=contested,
        label="false",
        summary="Inflated.",
        justification="Armenia reported four deaths.",
    )
    # Two more claims both reviewers rated, so that the agreement page has figures to show.
    others = list(article.claims.active().filter(status=S.NEW).order_by("start", "pk")[:2])
    given = (("half-true", "mostly-false"), ("true", "true"))
    for other, labels in zip(others, given, strict=True):
        for who, label in zip((reviewer, second_reviewer), labels, strict=True):
            services.claim_assign(actor=editor, claim=other, reviewer=who)
            notes.rating_submit(actor=who, claim=other, label=label, justification="Checked.")
    return {"article": article, "published": published, "contested": contested}


def main_pages(desk):
    article, contested, published = desk["article"], desk["contested"], desk["published"]
    return {
        "dashboard": "/",
        "reader": f"/claims/{contested.pk}/",
        "editor-view": f"/claims/{contested.pk}/review/",
        "import": "/articles/import/",
        "articles": "/articles/",
        "search": "/search/?q=soldiers",
        "contested-figures": f"/articles/{article.pk}/figures/",
        "public-list": "/ratings/",
        "public-verdict": f"/ratings/{published.pk}/",
        "agreement": "/agreement/",
        "agreement-article": f"/agreement/?article={article.pk}",
        "tokens": "/accounts/tokens/",
        "factcheck-import": "/factchecks/import/",
    }


@pytest.mark.parametrize("width", [1440, 390])
def test_main_pages_have_no_serious_accessibility_violations(
    sign_in, live_server, desk, editor, width
):
    page = sign_in(editor, width=width, height=900 if width > 500 else 844)
    problems = {}
    for name, path in main_pages(desk).items():
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        found = axe_violations(page)
        if found:
            problems[name] = found
        # The agreement page is read top to bottom: keep all of it to look at.
        shoot(page, f"{name}-{width}", full_page=name.startswith("agreement"))
    assert problems == {}, problems
    assert page.js_errors == []


def test_sign_in_and_public_pages_pass_axe_for_a_reader(sign_in, live_server, desk):
    page = sign_in(None, width=390, height=844)
    problems = {}
    for name, path in {
        "sign-in": "/accounts/login/",
        "public-list": "/ratings/",
        "public-verdict": f"/ratings/{desk['published'].pk}/",
    }.items():
        page.goto(live_server.url + path)
        found = axe_violations(page)
        if found:
            problems[name] = found
        shoot(page, f"anonymous-{name}-390", full_page=True)
    assert problems == {}, problems


def test_reader_panel_open_forms_pass_axe(sign_in, live_server, desk, reviewer):
    """The forms inside the panel (annotate, source, rate, correct) are folded by default;
    open them all so that axe checks their labels too."""
    page = sign_in(reviewer)
    page.goto(f"{live_server.url}/claims/{desk['contested'].pk}/")
    page.evaluate(
        "document.querySelectorAll('#claim-panel details, #add-claim').forEach(d => d.open = true)"
    )
    assert axe_violations(page) == []
    page.locator("#claim-panel").evaluate("el => el.scrollTop = 0")
    shoot(page, "reader-forms-open")

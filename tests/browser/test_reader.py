"""The reader in a browser: keyboard moves, selections mapped to the stored text's offsets,
adding a claim from a selection, and an import whose extraction finishes while it is open."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from claims import services
from claims.models import Article, Claim
from tests.browser.conftest import select_text, shoot
from tests.factories import ArticleFactory, ClaimFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def ordered(article):
    return list(article.claims.active().order_by("start", "end", "pk"))


def test_j_and_k_move_between_claims_and_a_s_r_open_the_right_forms(
    sign_in, live_server, article, reviewer
):
    claims = ordered(article)
    page = sign_in(reviewer)
    page.goto(f"{live_server.url}/articles/{article.pk}/")
    title = page.locator("#panel-title")
    expect(title).to_have_text("No claim selected")

    page.keyboard.press("j")
    expect(title).to_contain_text("Claim 1")
    expect(page).to_have_url(f"{live_server.url}/claims/{claims[0].pk}/")
    expect(page.locator(f"#claim-{claims[0].pk}")).to_be_focused()
    expect(page.locator(f"#claim-{claims[0].pk}")).to_have_class(re.compile("is-selected"))
    page.keyboard.press("j")
    expect(title).to_contain_text("Claim 2")
    page.keyboard.press("j")
    expect(title).to_contain_text("Claim 3")
    page.keyboard.press("k")
    expect(title).to_contain_text("Claim 2")
    expect(page).to_have_url(f"{live_server.url}/claims/{claims[1].pk}/")
    expect(page.locator(f"#claim-{claims[0].pk}")).not_to_have_class(re.compile("is-selected"))

    # a: annotate, Esc closes it and returns to the claim; s: add a source.
    page.keyboard.press("a")
    expect(page.locator("#id_annotate-label")).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.locator("details[data-key=a]")).not_to_have_attribute("open", "")
    expect(page.locator(f"#claim-{claims[1].pk}")).to_be_focused()
    page.keyboard.press("s")
    expect(page.locator("#id_source-url")).to_be_focused()
    page.keyboard.press("Escape")

    # r: not assigned yet, so the form is not there and the page says so.
    page.keyboard.press("r")
    expect(page.locator("[role=status]").last).to_have_text(
        "You cannot rate this claim now.", timeout=2000
    )
    page.locator("#claim-panel").get_by_role("button", name="Assign me").click()
    expect(page.get_by_text("The claim is assigned to you.")).to_be_visible()
    page.locator("body").press("r")
    expect(page.locator("#id_rate-label")).to_be_focused()

    # The back button returns to the previous claim.
    page.go_back()
    expect(title).to_contain_text("Claim 3")

    # ? shows every key.
    page.locator("body").press("?")
    expect(page.get_by_role("dialog")).to_be_visible()
    shoot(page, "reader-shortcuts")
    assert page.js_errors == []


def test_a_selection_after_astral_characters_maps_to_code_point_offsets(
    sign_in, live_server, reviewer
):
    # Emoji are two UTF-16 units in the browser and one code point in Python: an off-by-one
    # here would store the wrong words.
    text = (
        "Cross-border report 😀🇦🇿\n\n"
        "İsmail Demir said 12 soldiers 👍 were killed on Sunday, officials said. "
        "Erdoğan denied it.\n"
    )
    article = ArticleFactory(text=text)
    ClaimFactory(
        article=article,
        start=text.index("Erdoğan"),
        end=len(text) - 1,
        figures=[],
        types=["attribution"],
    )
    page = sign_in(reviewer)
    page.goto(f"{live_server.url}/articles/{article.pk}/")
    select_text(page, "were killed on Sunday")
    mapped = page.evaluate(
        "() => { const s = window.workbenchReader.currentSelection(); return [s.start, s.end]; }"
    )
    start = text.index("were killed on Sunday")
    assert mapped == [start, start + len("were killed on Sunday")]

    page.get_by_role("button", name="Add as claim").click()
    expect(page.locator("#add-claim")).to_have_attribute("open", "")
    expect(page.locator("#id_add-start")).to_have_value(str(start))
    page.get_by_label("Casualty").first.check()
    page.locator("#add-claim").get_by_role("button", name="Add claim").click()
    expect(page.locator("#claim-panel").get_by_text("Claim added.")).to_be_visible()
    added = Claim.objects.get(origin=Claim.Origin.ADDED)
    assert added.text == "were killed on Sunday"
    expect(page).to_have_url(f"{live_server.url}/claims/{added.pk}/")
    expect(page.locator(f"#claim-{added.pk}")).to_have_class(re.compile("t-casualty"))

    # A selection spanning a highlighted claim's edge maps just as well.
    select_text(page, "Erdoğan denied")
    mapped = page.evaluate(
        "() => { const s = window.workbenchReader.currentSelection(); return [s.start, s.end]; }"
    )
    assert mapped == [text.index("Erdoğan"), text.index("Erdoğan") + len("Erdoğan denied")]
    assert page.js_errors == []


def test_import_by_paste_shows_the_claims(sign_in, live_server, reviewer, sample_text):
    page = sign_in(reviewer)
    page.get_by_role("link", name="Import", exact=True).click()
    shoot(page, "import")
    page.locator("#id_paste-text").fill(sample_text)
    page.get_by_role("button", name="Import and find claims").click()
    article = Article.objects.get()
    expect(page).to_have_url(f"{live_server.url}/articles/{article.pk}/")
    expect(page.get_by_text("Imported")).to_be_visible()
    assert article.text == sample_text  # the textarea's CRLF were turned back into \n
    expect(page.locator("#article-text a.claim[id]")).to_have_count(article.claims.count())


def test_extraction_progress_polls_until_the_claims_arrive(
    sign_in, live_server, reviewer, sample_text
):
    article = services.article_import(actor=reviewer, text=sample_text, extract=False).article
    page = sign_in(reviewer)
    page.goto(f"{live_server.url}/articles/{article.pk}/")
    expect(page.locator("#extraction-status")).to_contain_text("Waiting for the extraction")
    expect(page.locator("#article-text a.claim")).to_have_count(0)
    shoot(page, "reader-extracting")
    services.article_extract_claims(article_id=article.pk)  # what the db_worker would do
    expect(page.locator("#article-text a.claim[id]").first).to_be_visible(timeout=10_000)
    expect(page.locator("#extraction-status")).to_have_count(0)
    assert page.js_errors == []

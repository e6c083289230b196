"""More sentences in a browser: a reviewer opens the sentences below the threshold and
promotes one the engine missed; it becomes a claim in the text, with the machine's score."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from claims import selectors
from claims.models import Claim
from tests.browser.conftest import shoot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_reviewer_promotes_a_sentence_from_below_the_threshold(
    sign_in, live_server, article, reviewer
):
    rest = selectors.more_sentences(article, list(article.claims.active()))
    top = next(r for r in rest if r.types)
    page = sign_in(reviewer)
    page.goto(f"{live_server.url}/articles/{article.pk}/")
    more = page.locator("#more-sentences")
    expect(more).to_contain_text(f"{len(rest)} below the threshold")
    more.locator("summary").click()
    rows = more.locator(".sentence-row")
    expect(rows).to_have_count(len(rest))
    # Best first: the first row is the highest-scoring sentence.
    expect(rows.first).to_contain_text(rest[0].text[:40])
    shoot(page, "more-sentences")

    row = rows.filter(has_text=top.text[:60]).first
    for value in top.types:
        expect(row.locator(f"input[name=types][value={value}]")).to_be_checked()
    row.get_by_role("button", name="Promote to a claim").click()

    expect(page.locator(".flash-success")).to_contain_text("promoted")
    claim = Claim.objects.get(origin=Claim.Origin.PROMOTED)
    expect(page).to_have_url(re.compile(rf"/claims/{claim.pk}/"))
    expect(page.locator(f"#claim-{claim.pk}")).to_be_visible()
    assert claim.text == top.text and claim.machine["claim"] is False
    expect(page.locator("#more-sentences")).to_contain_text(f"{len(rest) - 1} below")

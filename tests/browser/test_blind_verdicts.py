"""Blind verdicts in a real browser (issue 13, item 1).

Bob rates the claim and proposes a verdict. Alice, the other reviewer on it, has not rated:
her claim panel says a verdict exists and shows nothing of it, nor of its history, and
offers her no proposal form. When the editor sends the verdict back and Alice rates, the
panel shows her Bob's verdict.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from annotations import services as notes
from claims import services
from tests.browser.conftest import claim_pk_for, shoot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
SUMMARY = "Bob's sealed summary of the verdict"
JUSTIFICATION = "Bob's sealed justification"
REASON = "Erin's sealed reason for changes"


def test_a_reviewer_who_has_not_rated_sees_that_a_verdict_exists_and_nothing_of_it(
    sign_in, live_server, article, editor, reviewer, second_reviewer, second_editor
):
    pk = claim_pk_for(article, "nearly 100 Armenian soldiers have been killed")
    services.claim_assign(actor=editor, claim=pk, reviewer=reviewer)
    services.claim_assign(actor=editor, claim=pk, reviewer=second_reviewer)
    notes.rating_submit(actor=second_reviewer, claim=pk, label="false", justification="Bob.")
    services.claim_propose(
        actor=second_reviewer, claim=pk, label="false", summary=SUMMARY, justification=JUSTIFICATION
    )

    alice = sign_in(reviewer)
    alice.goto(f"{live_server.url}/claims/{pk}/")
    panel = alice.locator("#claim-panel")
    expect(panel).to_have_attribute("data-claim-id", str(pk))
    expect(panel).to_contain_text("submit your own rating to see it")
    for secret in (SUMMARY, JUSTIFICATION):
        expect(alice.get_by_text(secret)).to_have_count(0)
    expect(alice.locator("#id_propose-label")).to_have_count(0)
    expect(alice.get_by_text("Propose a verdict")).to_have_count(0)
    shoot(alice, "blind-verdict-sealed")

    # The editor sends it back; the reason is sealed too until Alice has rated.
    services.claim_request_changes(actor=second_editor, claim=pk, reason=REASON)
    alice.reload()
    expect(panel).to_contain_text("submit your own rating to see it")
    for secret in (SUMMARY, JUSTIFICATION, REASON):
        expect(alice.get_by_text(secret)).to_have_count(0)

    # Alice rates through the panel; now she sees Bob's verdict.
    alice.locator("body").press("r")
    expect(alice.locator("#id_rate-label")).to_be_focused()
    alice.locator("#id_rate-label").select_option("mostly-false")
    alice.locator("#id_rate-justification").fill("One side's count, never confirmed.")
    alice.get_by_role("button", name="Submit rating").click()
    expect(panel.get_by_text("Rating saved.")).to_be_visible()
    alice.reload()
    expect(panel).not_to_contain_text("submit your own rating to see it")
    expect(panel).to_contain_text(SUMMARY)
    shoot(alice, "blind-verdict-unsealed")
    assert alice.js_errors == [], alice.js_errors

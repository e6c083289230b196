"""The workbench in a real browser: two reviewers and an editor take a claim of the sample
article from the text to a published verdict, and a reader finds it."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from annotations.models import Annotation, ClaimSource, Rating
from claims import services
from claims.models import Claim, ClaimStatus
from tests.browser.conftest import claim_pk_for, select_text, shoot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
S = ClaimStatus
VELIYEV = "nearly 100 Armenian soldiers have been killed"


def panel(page):
    return page.locator("#claim-panel")


def open_claim(page, live_server, pk: int) -> None:
    page.goto(f"{live_server.url}/claims/{pk}/")
    expect(panel(page)).to_have_attribute("data-claim-id", str(pk))


def test_reviewers_and_editor_take_a_claim_to_a_published_verdict(
    sign_in, live_server, article, reviewer, second_reviewer, editor
):
    claim_pk = claim_pk_for(article, VELIYEV)

    # --- Alice, a reviewer: dashboard, the article, the claims highlighted -----------------
    alice = sign_in(reviewer)
    expect(alice.get_by_role("heading", name="Dashboard")).to_be_visible()
    shoot(alice, "dashboard-reviewer")
    alice.get_by_role("link", name=article.title).first.click()
    expect(alice.locator("#article-title")).to_have_text(article.title)
    highlights = alice.locator("#article-text a.claim[id^=claim-]")
    assert highlights.count() == article.claims.active().count() > 10
    expect(alice.locator(f"#claim-{claim_pk}")).to_have_class(re.compile(r"\bt-casualty\b"))
    shoot(alice, "reader")

    # She opens the claim by clicking it: the panel loads in place and the address changes.
    alice.locator(f"#claim-{claim_pk}").click()
    expect(panel(alice)).to_have_attribute("data-claim-id", str(claim_pk))
    expect(alice).to_have_url(f"{live_server.url}/claims/{claim_pk}/")
    expect(panel(alice).get_by_text("Kerim Veliyev").first).to_be_visible()
    panel(alice).get_by_role("button", name="Assign me").click()
    expect(panel(alice).get_by_text("The claim is assigned to you.")).to_be_visible()

    # Annotate the figure by selecting it in the text.
    select_text(alice, "nearly 100")
    expect(alice.locator("#selection-tools")).to_be_visible()
    alice.get_by_role("button", name="Annotate selection").click()
    expect(alice.locator("#id_annotate-label")).to_be_focused()
    alice.locator("#id_annotate-label").select_option("hedge")
    alice.locator("#id_annotate-comment").fill("A hedged count from one side of the war.")
    alice.get_by_role("button", name="Add annotation").click()
    expect(panel(alice).get_by_text("Annotation added.")).to_be_visible()
    note = Annotation.objects.get(claim_id=claim_pk)
    assert note.exact == "nearly 100" and note.label.slug == "hedge"
    assert article.text[note.start : note.end] == "nearly 100"

    # Add a source, through the s key.
    alice.locator("body").press("s")
    expect(alice.locator("#id_source-url")).to_be_focused()
    alice.locator("#id_source-url").fill("https://example.org/armenia-mod-statement")
    alice.locator("#id_source-title").fill("Armenian Defence Ministry statement")
    alice.locator("#id_source-publisher").fill("Ministry of Defence of Armenia")
    alice.locator("#id_source-published").fill("2020-07-14")
    alice.locator("#id_source-stance").select_option("refutes")
    alice.locator("#id_source-kind").select_option("primary")
    alice.get_by_role("button", name="Add source").click()
    expect(panel(alice).get_by_text("Source added.")).to_be_visible()
    source_link = panel(alice).get_by_role("link", name="Armenian Defence Ministry statement")
    expect(source_link).to_be_visible()
    assert ClaimSource.objects.get(claim_id=claim_pk).stance == "refutes"

    # Rate it, through the r key.
    alice.locator("body").press("r")
    expect(alice.locator("#id_rate-label")).to_be_focused()
    alice.locator("#id_rate-label").select_option("false")
    alice.locator("#id_rate-justification").fill(
        "Armenia reported four deaths; nothing supports 100."
    )
    alice.locator("#id_rate-confidence").select_option("4")
    alice.get_by_role("button", name="Submit rating").click()
    expect(panel(alice).get_by_text("Rating saved.")).to_be_visible()
    shoot(alice, "reader-panel-after-rating")

    # --- Bob, a second reviewer, rates blind ------------------------------------------------
    bob = sign_in(second_reviewer)
    open_claim(bob, live_server, claim_pk)
    panel(bob).get_by_role("button", name="Assign me").click()
    expect(panel(bob).get_by_text("The claim is assigned to you.")).to_be_visible()
    expect(panel(bob).get_by_text("1 other rating hidden")).to_be_visible()
    expect(panel(bob).get_by_text("nothing supports 100")).to_have_count(0)
    bob.locator("body").press("r")
    bob.locator("#id_rate-label").select_option("mostly-false")
    bob.locator("#id_rate-justification").fill("Only one side's figure; probably inflated.")
    bob.get_by_role("button", name="Submit rating").click()
    expect(panel(bob).get_by_text("Rating saved.")).to_be_visible()
    expect(panel(bob).get_by_text("nothing supports 100")).to_be_visible()  # now he sees hers
    assert Rating.objects.filter(claim_id=claim_pk).count() == 2

    # Alice proposes the verdict from the panel.
    alice.reload()
    panel(alice).get_by_text("Propose a verdict").click()
    alice.locator("#id_propose-label").select_option("false")
    alice.locator("#id_propose-summary").fill(
        "No evidence supports the claim that nearly 100 Armenian soldiers were killed."
    )
    alice.locator("#id_propose-justification").fill(
        "Armenia's defence ministry reported four deaths; no independent source reports more."
    )
    alice.get_by_label("Armenian Defence Ministry statement").check()
    alice.get_by_role("button", name="Propose to the editors").click()
    expect(panel(alice).get_by_text("Verdict proposed to the editors.")).to_be_visible()

    # --- Erin, an editor: the queue, both ratings side by side, approve, publish -------------
    erin = sign_in(editor)
    queue = erin.get_by_role("heading", name=re.compile("Verdicts waiting for editors"))
    expect(queue).to_be_visible()
    shoot(erin, "dashboard-editor")
    erin.locator(f"a[href='/claims/{claim_pk}/review/']").first.click()
    expect(erin.get_by_role("heading", name=re.compile("Editor\u2019s view"))).to_be_visible()
    cards = erin.locator(".rating-card")
    expect(cards).to_have_count(2)
    expect(cards.nth(0)).to_contain_text("False")
    expect(cards.nth(1)).to_contain_text("Mostly false")
    expect(erin.locator(".agreement")).to_contain_text("1 step apart")
    shoot(erin, "editor-view")
    erin.get_by_role("button", name="Approve").click()
    expect(erin.get_by_text("Verdict approved.")).to_be_visible()
    erin.get_by_role("button", name="Publish").click()
    expect(erin.get_by_text("Verdict published.")).to_be_visible()
    assert Claim.objects.get(pk=claim_pk).status == S.PUBLISHED

    # --- A reader, not signed in, finds the verdict and its ClaimReview -----------------------
    reader = sign_in(None)
    reader.goto(f"{live_server.url}/ratings/")
    shoot(reader, "public-list")
    reader.get_by_role("link", name=re.compile("nearly 100 Armenian soldiers")).click()
    expect(reader).to_have_url(f"{live_server.url}/ratings/{claim_pk}/")
    expect(reader.locator(".public-rating")).to_contain_text("False")
    expect(reader.locator(".in-context mark")).to_contain_text(VELIYEV)
    expect(reader.get_by_role("link", name="Armenian Defence Ministry statement")).to_be_visible()
    document = json.loads(reader.locator('script[type="application/ld+json"]').text_content())
    assert document["@type"] == "ClaimReview"
    assert document["reviewRating"]["alternateName"] == "False"
    assert document["itemReviewed"]["author"]["name"] == "Kerim Veliyev"
    assert document["url"] == f"{live_server.url}/ratings/{claim_pk}/"
    shoot(reader, "public-verdict")

    for page in (alice, bob, erin, reader):
        assert page.js_errors == [], page.js_errors


def test_the_editor_who_wrote_a_verdict_is_refused_approval_and_a_stale_form_is_caught(
    sign_in, live_server, article, reviewer, editor, second_editor
):
    pk = claim_pk_for(article, "Kremlin spokesman Dmitry Peskov")
    services.claim_assign(actor=editor, claim=pk, reviewer=reviewer)
    erin = sign_in(editor)
    erin.goto(f"{live_server.url}/claims/{pk}/review/")
    erin.locator("#id_propose-label").select_option("true")
    erin.locator("#id_propose-summary").fill("Peskov said this.")
    erin.locator("#id_propose-justification").fill("Kremlin transcript.")
    erin.get_by_role("button", name="Propose to the editors").click()
    expect(erin.get_by_text("Verdict proposed to the editors.")).to_be_visible()

    # Four-eyes: Erin wrote it, so Approve is refused and says why.
    approve = erin.get_by_role("button", name="Approve")
    expect(approve).to_be_disabled()
    expect(erin.locator(".why")).to_contain_text(
        "You wrote this verdict: another editor must approve it (four-eyes rule)."
    )
    shoot(erin, "refused-four-eyes")

    # Frank has the page open; meanwhile Erin amends the verdict. Frank's approval is based
    # on what he saw, so it is refused with a clear message instead of approving blind.
    frank = sign_in(second_editor)
    frank.goto(f"{live_server.url}/claims/{pk}/review/")
    erin.get_by_text("Amend the proposed verdict").click()
    erin.locator("#id_amend-summary").fill("Peskov said this on Tuesday.")
    erin.get_by_role("button", name="Save the amendment").click()
    expect(erin.get_by_text("Verdict amended.")).to_be_visible()
    frank.get_by_role("button", name="Approve").click()
    alert = frank.get_by_role("alert")
    expect(alert).to_contain_text("Changed by someone else.")
    expect(alert.get_by_role("link", name="Reload to see the latest version")).to_be_visible()
    shoot(frank, "refused-stale")
    assert Claim.objects.get(pk=pk).status == S.PROPOSED
    frank.get_by_role("link", name="Reload to see the latest version").click()
    frank.get_by_role("button", name="Approve").click()
    expect(frank.get_by_text("Verdict approved.")).to_be_visible()
    assert erin.js_errors == [] and frank.js_errors == []


def test_a_correction_is_published_only_when_a_second_editor_approves_it(
    sign_in, live_server, article, reviewer, editor, second_editor
):
    from tests.workflow import advance

    claim = advance(
        Claim.objects.get(pk=claim_pk_for(article, VELIYEV)),
        S.PUBLISHED,
        reviewer=reviewer,
        editor=editor,
        second_editor=second_editor,
    )
    # Erin proposes a correction on the claim page.
    erin = sign_in(editor)
    open_claim(erin, live_server, claim.pk)
    panel(erin).get_by_text("Propose a correction").click()
    panel(erin).locator("#id_correct-note").fill("The ministry revised its count.")
    panel(erin).locator("#id_correct-label").select_option("false")
    panel(erin).get_by_role("button", name="Propose the correction").click()
    expect(panel(erin).get_by_text("another editor must approve it").first).to_be_visible()
    expect(
        panel(erin).get_by_role("button", name="Approve and publish the correction")
    ).to_have_count(0)
    # Nothing public has changed.
    reader = sign_in(None)
    reader.goto(f"{live_server.url}/ratings/{claim.pk}/")
    expect(reader.locator(".public-rating")).to_contain_text("Mostly false")
    expect(reader.get_by_text("The ministry revised its count.")).to_have_count(0)
    # Frank approves it: it is published as version 2, written by Erin, approved by Frank.
    frank = sign_in(second_editor)
    open_claim(frank, live_server, claim.pk)
    expect(panel(frank).get_by_text("Correction waiting for a second editor")).to_be_visible()
    shoot(frank, "correction-waiting")
    panel(frank).get_by_role("button", name="Approve and publish the correction").click()
    expect(panel(frank).get_by_text("Correction approved and published.")).to_be_visible()
    claim.refresh_from_db()
    assert claim.status == S.CORRECTED
    current = services.current_verdict(claim)
    assert (current.edition, current.author, current.approved_by) == (2, editor, second_editor)
    reader.goto(f"{live_server.url}/ratings/{claim.pk}/")
    expect(reader.locator(".public-rating")).to_contain_text("False")
    expect(reader.get_by_text("The ministry revised its count.").first).to_be_visible()
    assert not erin.js_errors and not frank.js_errors  # type: ignore[attr-defined]

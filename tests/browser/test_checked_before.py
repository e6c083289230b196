"""In a real browser: an editor imports another organisation's fact-checks from a TSV (the
refused row is listed), then a reviewer confirms the fact-check the matcher offers for a
claim and attaches it as a source, all in the claim panel."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from playwright.sync_api import expect

from annotations.models import ClaimSource
from claims import selectors
from claims.models import FactCheck, MatchDecision
from tests.browser.conftest import shoot
from tests.factories import ClaimFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TSV = (
    "id\tclaim\ttitle\turl\trating\tdate\n"
    "ff-12\tTwelve soldiers died on Sunday, the ministry says.\tDid twelve soldiers die?\t"
    "https://fullfact.org/conflict/twelve-soldiers/\tUnproven\t2020-07-20\n"
    "ff-13\t\tAn empty claim\t\t\t\n"
    "ff-14\tThe border was closed all week.\t\thttps://fullfact.org/conflict/border/\tFalse\t\n"
)


@dataclass(frozen=True)
class FactCheckMatch:
    factcheck: FactCheck
    score: float
    why: str


def test_an_editor_imports_then_a_reviewer_confirms_and_attaches(
    sign_in, live_server, reviewer, editor, monkeypatch
):
    claim = ClaimFactory()

    # --- Erin, an editor, imports the file from the workbench ----------------------------
    erin = sign_in(editor)
    erin.get_by_role("link", name="Fact-checks").click()
    expect(erin.get_by_role("heading", name="Import fact-checks")).to_be_visible()
    erin.get_by_label("File", exact=True).set_input_files(
        files=[
            {
                "name": "fullfact.tsv",
                "mimeType": "text/tab-separated-values",
                "buffer": TSV.encode(),
            }
        ]
    )
    erin.get_by_label("Publisher").fill("Full Fact")
    erin.get_by_role("button", name="Import fact-checks").click()
    report = erin.locator("#import-report")
    expect(report).to_contain_text("2 of 3 fact-checks imported (2 new, 0 updated); 1 row refused.")
    errors = erin.locator("#import-errors tbody tr")
    expect(errors).to_have_count(1)
    expect(errors.first).to_contain_text("3")
    expect(errors.first).to_contain_text("The claim is empty.")
    shoot(erin, "factcheck-import")
    assert FactCheck.objects.filter(publisher="Full Fact").count() == 2

    # --- the matcher offers the imported fact-check for the claim ----------------------------
    imported = FactCheck.objects.get(external_id="ff-12")
    monkeypatch.setattr(
        selectors,
        "checked_before",
        lambda c, **kw: [FactCheckMatch(imported, 0.91, "same figure, same day")],
    )

    # --- Alice, a reviewer, confirms it in the panel and attaches it ------------------------
    alice = sign_in(reviewer)
    alice.goto(f"{live_server.url}/claims/{claim.pk}/")
    panel = alice.locator("#claim-panel")
    match = panel.locator(".similar-item", has_text="Full Fact")
    expect(match).to_contain_text("Unproven")
    expect(match).to_contain_text("checked 20 Jul 2020")
    expect(match).to_contain_text("Why it matched: same figure, same day")
    expect(match.get_by_role("link")).to_have_attribute(
        "href", "https://fullfact.org/conflict/twelve-soldiers/"
    )
    match.get_by_role("button", name="Same claim").click()
    expect(panel.locator(".alert-ok")).to_have_text("Marked as the same claim.")
    match = panel.locator(".similar-item", has_text="Full Fact")
    expect(match).to_contain_text("Confirmed the same claim")
    match.get_by_label("Stance").select_option("refutes")
    match.get_by_role("button", name="Attach as a source").click()
    expect(panel.locator(".alert-ok")).to_have_text("The fact-check is attached as a source.")
    sources = panel.locator(".sources .source")
    expect(sources).to_have_count(1)
    expect(sources.first).to_contain_text("Did twelve soldiers die?")
    expect(sources.first).to_contain_text("Full Fact")
    expect(sources.first).to_contain_text("Refutes")
    shoot(alice, "match-confirmed-and-attached")

    decision = MatchDecision.objects.get()
    assert (decision.decision, decision.actor, decision.score) == ("confirmed", reviewer, 0.91)
    assert decision.attached_at is not None
    use = ClaimSource.objects.get()
    assert use.source.url == imported.url and use.added_by == reviewer
    assert alice.js_errors == [] and erin.js_errors == []  # type: ignore[attr-defined]

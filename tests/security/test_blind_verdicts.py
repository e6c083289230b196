"""A proposed verdict is blind exactly as the ratings are (issue 13, item 1).

Bob (a reviewer) rates and proposes; Alice, the other reviewer assigned, has not rated. Until
she rates, or the verdict is published, nothing she can open tells her the verdict: not the
API (the claim, its verdicts, one verdict, its history), not the claim page or the review
page, not the history. And a reviewer proposes only after rating.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from annotations import services as notes
from claims import services
from claims.models import ClaimStatus, Verdict

S = ClaimStatus
pytestmark = pytest.mark.django_db

SUMMARY = "Bob sealed summary"
JUSTIFICATION = "Bob sealed justification"
REASON = "Erin sealed reason for changes"
SECRETS = (SUMMARY, JUSTIFICATION, REASON)


@pytest.fixture
def proposed(claim, editor, reviewer, second_reviewer):
    """Assigned to Alice (reviewer) and Bob (second_reviewer); Bob rated and proposed."""
    services.claim_assign(actor=editor, claim=claim, reviewer=reviewer)
    services.claim_assign(actor=editor, claim=claim, reviewer=second_reviewer)
    notes.rating_submit(
        actor=second_reviewer, claim=claim, label="false", justification="Bob's rating."
    )
    services.claim_propose(
        actor=second_reviewer,
        claim=claim,
        label="false",
        summary=SUMMARY,
        justification=JUSTIFICATION,
    )
    claim.refresh_from_db()
    return claim


@pytest.fixture
def changes_requested(proposed, second_editor):
    services.claim_request_changes(actor=second_editor, claim=proposed, reason=REASON)
    proposed.refresh_from_db()
    return proposed


def leaks(content: bytes) -> list[str]:
    text = content.decode()
    return [s for s in SECRETS if s in text]


def assert_sealed(verdict: dict[str, Any]) -> None:
    assert verdict["sealed"] is True
    assert verdict["label"] is None and verdict["summary"] is None
    assert verdict["justification"] is None and verdict["author"] is None
    assert verdict["contributors"] == [] and verdict["sources"] == []
    # That one exists is no secret: the claim's status says it.
    assert verdict["state"] in ("proposed", "changes_requested")


# --- the API -------------------------------------------------------------------------------


def test_the_verdicts_list_is_sealed_before_rating(reviewer_api, proposed):
    response = reviewer_api.get(f"/api/v1/claims/{proposed.pk}/verdicts/")
    assert response.status_code == 200
    [verdict] = response.json()
    assert_sealed(verdict)
    assert leaks(response.content) == []


def test_the_claim_detail_verdict_is_sealed_before_rating(reviewer_api, proposed):
    response = reviewer_api.get(f"/api/v1/claims/{proposed.pk}/")
    assert response.status_code == 200
    assert_sealed(response.json()["verdict"])
    assert leaks(response.content) == []


def test_one_verdict_is_sealed_before_rating(reviewer_api, proposed):
    verdict = proposed.verdicts.get()
    response = reviewer_api.get(f"/api/v1/verdicts/{verdict.pk}/")
    assert response.status_code == 200
    assert_sealed(response.json())


def test_the_history_tells_neither_label_writer_nor_reason(reviewer_api, changes_requested):
    response = reviewer_api.get(f"/api/v1/claims/{changes_requested.pk}/history/")
    assert response.status_code == 200
    rows = {r["action"]: r for r in response.json()}
    assert rows["proposed"]["changes"] == {
        "verdict": changes_requested.verdicts.get().pk,
        "sealed": True,
    }
    assert rows["proposed"]["actor"] is None
    assert rows["changes_requested"]["reason"] == ""
    assert leaks(response.content) == []
    assert rows["rated"]["actor"] == "bob"  # the rest of the history is as it was


def test_after_rating_the_reviewer_sees_the_verdict_and_its_history(
    reviewer_api, changes_requested
):
    # Ratings are open in review and when changes were requested (RATEABLE).
    proposed = changes_requested
    rated = reviewer_api.post(
        f"/api/v1/claims/{proposed.pk}/ratings/",
        {"label": "mostly-false", "justification": "Mine.", "confidence": 3, "version": 0},
    )
    assert rated.status_code == 201, rated.content
    verdict = reviewer_api.get(f"/api/v1/claims/{proposed.pk}/").json()["verdict"]
    assert verdict["sealed"] is False and verdict["summary"] == SUMMARY
    assert verdict["label"]["slug"] == "false" and verdict["author"]["username"] == "bob"
    history = reviewer_api.get(f"/api/v1/claims/{proposed.pk}/history/").json()
    proposal = next(r for r in history if r["action"] == "proposed")
    assert proposal["actor"] == "bob" and proposal["changes"]["label"] == "False"


@pytest.mark.parametrize("who", ["second_reviewer_api", "editor_api"])
def test_its_writer_and_editors_see_it(who, request, proposed):
    body = request.getfixturevalue(who).get(f"/api/v1/claims/{proposed.pk}/").json()
    assert body["verdict"]["sealed"] is False
    assert body["verdict"]["justification"] == JUSTIFICATION


def test_a_published_verdict_is_public_to_every_reviewer(
    reviewer_api, proposed, editor, second_editor
):
    services.claim_approve(actor=second_editor, claim=proposed)
    services.claim_publish(actor=second_editor, claim=proposed)
    verdict = reviewer_api.get(f"/api/v1/claims/{proposed.pk}/").json()["verdict"]
    assert verdict["sealed"] is False and verdict["summary"] == SUMMARY


# --- the pages -----------------------------------------------------------------------------


@pytest.mark.parametrize("url_name", ["claim-detail", "claim-review"])
def test_the_pages_say_a_verdict_exists_and_show_nothing_of_it(
    client, reviewer, changes_requested, url_name
):
    client.force_login(reviewer)
    response = client.get(reverse(url_name, args=[changes_requested.pk]))
    assert response.status_code == 200
    assert leaks(response.content) == []
    assert "submit your own rating to see it" in response.content.decode()


def test_the_htmx_panel_fragment_is_sealed_too(client, reviewer, proposed):
    client.force_login(reviewer)
    response = client.get(
        reverse("claim-detail", args=[proposed.pk]),
        headers={"HX-Request": "true", "HX-Target": "claim-panel"},
    )
    assert response.status_code == 200
    assert leaks(response.content) == []


def test_the_page_shows_it_once_the_reviewer_has_rated(client, reviewer, changes_requested):
    proposed = changes_requested
    notes.rating_submit(actor=reviewer, claim=proposed, label="false", justification="Mine.")
    client.force_login(reviewer)
    content = client.get(reverse("claim-review", args=[proposed.pk])).content.decode()
    assert SUMMARY in content and JUSTIFICATION in content
    assert "submit your own rating to see it" not in content


# --- proposing needs one's own rating ------------------------------------------------------


def test_a_reviewer_cannot_propose_before_rating(claim, editor, reviewer):
    services.claim_assign(actor=editor, claim=claim, reviewer=reviewer)
    claim.refresh_from_db()
    with pytest.raises(PermissionDenied, match="own rating"):
        services.claim_propose(
            actor=reviewer, claim=claim, label="false", summary="S.", justification="J."
        )
    claim.refresh_from_db()
    assert claim.status == S.IN_REVIEW and not Verdict.objects.filter(claim=claim).exists()


def test_the_api_refuses_a_proposal_before_rating(reviewer_api, claim, editor, reviewer):
    services.claim_assign(actor=editor, claim=claim, reviewer=reviewer)
    claim.refresh_from_db()
    response = reviewer_api.post(
        f"/api/v1/claims/{claim.pk}/propose/",
        {"label": "false", "summary": "S.", "justification": "J.", "version": claim.version},
    )
    assert response.status_code == 403
    assert "own rating" in response.json()["detail"]
    assert not Verdict.objects.filter(claim=claim).exists()
    actions = {
        a["action"]: a for a in reviewer_api.get(f"/api/v1/claims/{claim.pk}/").json()["actions"]
    }
    assert actions["propose"]["allowed"] is False and "own rating" in actions["propose"]["reason"]


def test_the_page_offers_no_proposal_before_rating(client, claim, editor, reviewer):
    services.claim_assign(actor=editor, claim=claim, reviewer=reviewer)
    client.force_login(reviewer)
    response = client.post(
        reverse("claim-action", args=[claim.pk, "propose"]),
        {"label": "false", "summary": "S.", "justification": "J.", "version": claim.version + 1},
    )
    assert response.status_code in (200, 403)
    assert not Verdict.objects.filter(claim=claim).exists()
    page = client.get(reverse("claim-review", args=[claim.pk])).content.decode()
    assert "own rating of this claim before proposing" in page


def test_an_editor_may_propose_without_a_rating(claim, editor, reviewer):
    # Editors see every rating anyway, and a second editor approves (README: the rules).
    services.claim_assign(actor=editor, claim=claim, reviewer=reviewer)
    verdict = services.claim_propose(
        actor=editor, claim=claim, label="false", summary="S.", justification="J."
    )
    assert verdict.state == Verdict.State.PROPOSED

"""Every state-changing endpoint requires the version its caller read: without one a 400,
with an old one a 409, and either way nothing changes (API and HTML)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from annotations.models import Rating
from claims import services
from claims.models import Claim, ClaimHistory, ClaimStatus
from tests.factories import ClaimFactory
from tests.workflow import advance

S = ClaimStatus
pytestmark = pytest.mark.django_db


@pytest.fixture
def people(reviewer, editor, second_editor):
    return {"reviewer": reviewer, "editor": editor, "second_editor": second_editor}


# API action → (the status it starts from, who, the rest of a valid body).
API_ACTIONS: list[tuple[str, str, str, dict[str, Any]]] = [
    ("assign", S.NEW, "editor", {"reviewer": "alice"}),
    ("unassign", S.IN_REVIEW, "editor", {"reviewer": "alice"}),
    ("propose", S.IN_REVIEW, "editor", {"label": "false", "summary": "s", "justification": "j"}),
    ("approve", S.PROPOSED, "second_editor", {}),
    ("request-changes", S.PROPOSED, "second_editor", {"reason": "Cite it."}),
    ("publish", S.APPROVED, "second_editor", {}),
    ("correct", S.PUBLISHED, "editor", {"note": "New data.", "label": "false"}),
    ("retract", S.PUBLISHED, "editor", {"reason": "Withdrawn."}),
    ("dismiss", S.NEW, "editor", {"reason": "Opinion."}),
    ("reopen", S.DISMISSED, "editor", {}),
]


def _snapshot(claim: Claim) -> tuple[Any, ...]:
    claim.refresh_from_db()
    return (
        claim.status,
        claim.version,
        ClaimHistory.objects.filter(claim=claim).count(),
        claim.verdicts.count(),
        claim.corrections.count(),
    )


@pytest.mark.parametrize(("action", "start", "who", "body"), API_ACTIONS)
def test_an_api_action_without_a_version_is_a_400_and_with_a_stale_one_a_409(
    client_for, claim, people, action, start, who, body
):
    claim = advance(claim, start, **people)
    api = client_for(people[who])
    before = _snapshot(claim)
    url = f"/api/v1/claims/{claim.pk}/{action}/"
    missing = api.post(url, body, format="json")
    assert missing.status_code == 400, missing.content
    assert "version" in missing.json()["errors"]
    assert _snapshot(claim) == before
    stale = api.post(url, {**body, "version": claim.version + 1}, format="json")
    assert stale.status_code == 409, stale.content
    assert stale.json()["code"] == "stale-version"
    assert _snapshot(claim) == before


def test_approving_or_rejecting_a_correction_needs_the_version_too(
    client_for, claim, people, editor, second_editor
):
    claim = advance(claim, S.PUBLISHED, **people)
    services.claim_correct(actor=editor, claim=claim, note="n", label="false")
    api = client_for(second_editor)
    before = _snapshot(claim)
    for action, body in (("approve-correction", {}), ("reject-correction", {"reason": "r"})):
        url = f"/api/v1/claims/{claim.pk}/{action}/"
        assert api.post(url, body, format="json").status_code == 400
        stale = api.post(url, {**body, "version": claim.version + 1}, format="json")
        assert stale.status_code == 409
    assert _snapshot(claim) == before


def test_claim_edits_split_merge_and_ratings_need_the_version(
    client_for, article, reviewer, editor
):
    first = ClaimFactory(article=article, start=0, end=40)
    second = ClaimFactory(article=article, start=41, end=80)
    services.claim_assign(actor=editor, claim=first, reviewer=reviewer)
    api = client_for(reviewer)
    before = (_snapshot(first), _snapshot(second))
    assert api.patch(f"/api/v1/claims/{first.pk}/", {"speaker": "X"}).status_code == 400
    assert api.post(f"/api/v1/claims/{first.pk}/split/", {"at": 20}).status_code == 400
    merge = api.post("/api/v1/claims/merge/", {"claims": [first.pk, second.pk]}, format="json")
    assert merge.status_code == 400 and "versions" in merge.json()["errors"]
    rating = {"label": "false", "justification": "No."}
    assert api.post(f"/api/v1/claims/{first.pk}/ratings/", rating).status_code == 400
    assert (_snapshot(first), _snapshot(second)) == before
    # A first rating says so with 0; a second "first" rating is stale.
    assert (
        api.post(f"/api/v1/claims/{first.pk}/ratings/", {**rating, "version": 0}).status_code == 201
    )
    again = api.post(f"/api/v1/claims/{first.pk}/ratings/", {**rating, "version": 0})
    assert again.status_code == 409
    assert Rating.objects.filter(claim=first).count() == 1


@pytest.mark.parametrize(
    ("action", "start", "fields"),
    [
        ("correct", S.PUBLISHED, {"note": "New data."}),
        ("retract", S.PUBLISHED, {"reason": "Withdrawn."}),
        ("approve", S.PROPOSED, {}),
        ("dismiss", S.NEW, {"reason": "Opinion."}),
    ],
)
def test_a_page_form_without_its_version_changes_nothing(
    client, claim, people, action, start, fields
):
    claim = advance(claim, start, **people)
    client.force_login(people["second_editor"])
    before = _snapshot(claim)
    data = {f"{action}-{k}": v for k, v in fields.items()}
    response = client.post(reverse("claim-action", args=[claim.pk, action]), data)
    assert response.status_code == 400
    assert _snapshot(claim) == before
    data[f"{action}-version"] = claim.version + 1
    response = client.post(reverse("claim-action", args=[claim.pk, action]), data)
    assert response.status_code == 409
    assert _snapshot(claim) == before

"""Corrections through the API: proposed, approved by a second editor, never public before."""

from __future__ import annotations

import pytest

from claims.models import ClaimStatus
from tests.api.conftest import problem
from tests.workflow import advance

S = ClaimStatus
pytestmark = pytest.mark.django_db


def act(client, claim, action, **body):
    claim.refresh_from_db()
    body.setdefault("version", claim.version)
    return client.post(f"/api/v1/claims/{claim.pk}/{action}/", body, format="json")


def test_a_correction_goes_public_only_after_a_second_editor_approves(
    editor_api, second_editor_api, reviewer_api, anon_api, claim, people
):
    claim = advance(claim, S.PUBLISHED, **people)
    proposed = act(editor_api, claim, "correct", note="NEW-NOTE", label="false")
    assert proposed.status_code == 200, proposed.content
    body = proposed.json()
    assert body["status"] == "published"
    assert body["pending_correction"]["proposed_by"] == "erin"
    # Not public, and not shown to reviewers.
    public = anon_api.get(f"/api/v1/published/{claim.pk}/").content
    assert b"NEW-NOTE" not in public and b'"false"' not in public
    assert reviewer_api.get(f"/api/v1/claims/{claim.pk}/").json()["pending_correction"] is None
    # Its proposer may not approve it.
    own = act(editor_api, claim, "approve-correction")
    assert own.status_code == 403 and "four-eyes" in problem(own)["detail"]
    done = act(second_editor_api, claim, "approve-correction")
    assert done.status_code == 200, done.content
    verdict = done.json()["verdict"]
    assert done.json()["status"] == "corrected" and verdict["edition"] == 2
    assert done.json()["pending_correction"] is None
    assert b"NEW-NOTE" in anon_api.get(f"/api/v1/published/{claim.pk}/").content


def test_a_rejected_correction_leaves_the_published_verdict(
    editor_api, second_editor_api, claim, people
):
    claim = advance(claim, S.PUBLISHED, **people)
    act(editor_api, claim, "correct", note="n", label="false")
    missing = act(second_editor_api, claim, "reject-correction")
    assert missing.status_code == 400 and "reason" in problem(missing)["errors"]
    done = act(second_editor_api, claim, "reject-correction", reason="The figure stands.")
    assert done.status_code == 200, done.content
    assert done.json()["verdict"]["edition"] == 1 and done.json()["status"] == "published"
    nothing = act(second_editor_api, claim, "approve-correction")
    assert nothing.status_code == 409

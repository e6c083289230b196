"""The workflow through POST /api/v1/claims/{id}/{action}/: each action calls its service, so
the API refuses exactly what the services refuse (403 with the reason, 409 for a stale
version or a move the workflow does not allow, 400 for bad input) and changes nothing then."""

from __future__ import annotations

import pytest

from claims.models import Claim, ClaimHistory, ClaimStatus, Verdict
from tests.api.conftest import problem
from tests.workflow import advance

S = ClaimStatus
pytestmark = pytest.mark.django_db


def post(client, claim, action, data=None):
    """POST an action as a client does: with the claim version it read, unless the test
    says otherwise (``tests/security/test_versions_required.py`` sends none)."""
    data = dict(data or {})
    if "version" not in data:
        data["version"] = Claim.objects.get(pk=claim.pk).version
    return client.post(f"/api/v1/claims/{claim.pk}/{action}/", data)


# The one valid request of each action, by a person allowed to do it, from a status it may
# start from: (start status, who, action, body, status after).
HAPPY = [
    (S.NEW, "editor", "assign", {"reviewer": "alice"}, S.IN_REVIEW),
    (S.NEW, "reviewer", "assign", {}, S.IN_REVIEW),
    (S.IN_REVIEW, "editor", "unassign", {"reviewer": "alice"}, S.NEW),
    (
        S.IN_REVIEW,
        "editor",
        "propose",
        {"label": "false", "summary": "Wrong.", "justification": "Data."},
        S.PROPOSED,
    ),
    (
        S.IN_REVIEW,
        "reviewer",
        "propose",
        {"label": "true", "summary": "Right.", "justification": "Data."},
        S.PROPOSED,
    ),
    (S.PROPOSED, "second_editor", "approve", {}, S.APPROVED),
    (S.PROPOSED, "second_editor", "request-changes", {"reason": "Cite it."}, S.CHANGES_REQUESTED),
    (S.APPROVED, "second_editor", "publish", {}, S.PUBLISHED),
    # A correction is proposed: the claim stays published until another editor approves it.
    (S.PUBLISHED, "editor", "correct", {"note": "New data.", "label": "false"}, S.PUBLISHED),
    (S.PUBLISHED, "editor", "retract", {"reason": "Source withdrawn."}, S.RETRACTED),
    (S.NEW, "reviewer", "dismiss", {"reason": "Opinion."}, S.DISMISSED),
    (S.DISMISSED, "editor", "reopen", {"reason": "It is a claim after all."}, S.NEW),
    (S.RETRACTED, "editor", "reopen", {}, S.IN_REVIEW),
]


@pytest.mark.parametrize(("start", "who", "action", "body", "after"), HAPPY)
def test_each_action_moves_the_claim_as_the_workflow_says(
    client_for, claim, people, start, who, action, body, after
):
    claim = advance(claim, start, **people)
    if action == "propose" and who == "reviewer":  # a reviewer proposes once they have rated
        from annotations import services as notes

        notes.rating_submit(actor=people[who], claim=claim, label="true", justification="Data.")
        claim.refresh_from_db()
    response = post(client_for(people[who]), claim, action, {**body, "version": claim.version})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == after
    claim.refresh_from_db()
    assert claim.status == after
    last = ClaimHistory.objects.filter(claim=claim).order_by("-pk").first()
    assert last.actor == people[who]


def test_publishing_returns_the_published_verdict(second_editor_api, claim, people):
    claim = advance(claim, S.APPROVED, **people)
    body = post(second_editor_api, claim, "publish").json()
    assert body["verdict"]["state"] == "published"
    assert body["verdict"]["published_by"]["username"] == "frank"


def test_propose_links_the_claims_sources(editor_api, claim, people):
    from tests.factories import ClaimSourceFactory

    claim = advance(claim, S.IN_REVIEW, **people)
    use = ClaimSourceFactory(claim=claim)
    response = post(
        editor_api,
        claim,
        "propose",
        {
            "label": "false",
            "summary": "s",
            "justification": "j",
            "sources": [use.source_id],
        },
    )
    assert response.status_code == 200, response.content
    assert response.json()["verdict"]["sources"] == [use.source_id]


def test_propose_with_a_source_of_another_claim_is_a_400(editor_api, claim, people):
    from tests.factories import ClaimSourceFactory

    claim = advance(claim, S.IN_REVIEW, **people)
    elsewhere = ClaimSourceFactory()
    response = post(
        editor_api,
        claim,
        "propose",
        {
            "label": "false",
            "summary": "s",
            "justification": "j",
            "sources": [elsewhere.source_id],
        },
    )
    assert response.status_code == 400
    assert "sources" in problem(response)["errors"]
    claim.refresh_from_db()
    assert claim.status == S.IN_REVIEW and not claim.verdicts.exists()


# --- who may do what ----------------------------------------------------------------------


def test_editor_cannot_approve_a_verdict_they_wrote(editor_api, claim, people):
    claim = advance(claim, S.PROPOSED, **people)
    response = post(editor_api, claim, "approve")
    assert response.status_code == 403
    assert "four-eyes" in problem(response)["detail"]
    claim.refresh_from_db()
    assert claim.status == S.PROPOSED


@pytest.mark.parametrize(
    ("start", "action", "body"),
    [
        (S.PROPOSED, "approve", {}),
        (S.PROPOSED, "request-changes", {"reason": "x"}),
        (S.APPROVED, "publish", {}),
        (S.PUBLISHED, "correct", {"note": "n"}),
        (S.PUBLISHED, "retract", {"reason": "r"}),
        (S.DISMISSED, "reopen", {}),
    ],
)
def test_reviewer_cannot_do_an_editors_work(reviewer_api, claim, people, start, action, body):
    claim = advance(claim, start, **people)
    response = post(reviewer_api, claim, action, body)
    assert response.status_code == 403, response.content
    assert problem(response)["code"] == "permission-denied"
    claim.refresh_from_db()
    assert claim.status == start


def test_reviewer_assigns_only_themself(reviewer_api, claim, second_reviewer):
    response = post(reviewer_api, claim, "assign", {"reviewer": "bob"})
    assert response.status_code == 403
    assert "only to themselves" in problem(response)["detail"]


def test_an_unassigned_reviewer_cannot_propose(second_reviewer_api, claim, people):
    claim = advance(claim, S.IN_REVIEW, **people)
    response = post(
        second_reviewer_api,
        claim,
        "propose",
        {
            "label": "true",
            "summary": "s",
            "justification": "j",
        },
    )
    assert response.status_code == 403


@pytest.mark.parametrize("action", ["assign", "dismiss", "propose", "approve", "publish"])
def test_outsider_gets_404_and_anonymous_401_on_every_action(outsider_api, anon_api, claim, action):
    assert post(outsider_api, claim, action, {"reason": "x"}).status_code == 404
    assert post(anon_api, claim, action, {"reason": "x"}).status_code == 401
    claim.refresh_from_db()
    assert claim.status == S.NEW and claim.version == 1


# --- refusals -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "action", "body"),
    [
        (S.NEW, "approve", {}),
        (S.NEW, "publish", {}),
        (S.PROPOSED, "publish", {}),
        (S.PUBLISHED, "dismiss", {"reason": "x"}),
        (S.IN_REVIEW, "correct", {"note": "x"}),
        (S.NEW, "reopen", {}),
    ],
)
def test_a_move_the_workflow_does_not_allow_is_a_409(
    second_editor_api, claim, people, start, action, body
):
    claim = advance(claim, start, **people)
    history = ClaimHistory.objects.filter(claim=claim).count()
    response = post(second_editor_api, claim, action, body)
    assert response.status_code == 409, response.content
    assert problem(response)["code"] == "transition-not-allowed"
    claim.refresh_from_db()
    assert claim.status == start
    assert ClaimHistory.objects.filter(claim=claim).count() == history


def test_an_action_on_a_stale_version_is_a_409_with_the_current_version(
    second_editor_api, claim, people
):
    claim = advance(claim, S.PROPOSED, **people)
    response = post(second_editor_api, claim, "approve", {"version": claim.version - 1})
    assert response.status_code == 409
    body = problem(response)
    assert body["code"] == "stale-version" and body["current_version"] == claim.version
    claim.refresh_from_db()
    assert claim.status == S.PROPOSED


def test_a_second_approval_says_who_approved(client_for, claim, people):
    from tests.factories import UserFactory

    claim = advance(claim, S.APPROVED, **people)
    third = client_for(UserFactory(username="grace", roles=["editor"]))
    response = post(third, claim, "approve")
    assert response.status_code == 409
    assert "already approved by frank" in problem(response)["detail"]


@pytest.mark.parametrize(
    ("start", "action", "body", "field"),
    [
        (S.NEW, "dismiss", {"reason": "  "}, "reason"),
        (S.NEW, "dismiss", {}, "reason"),
        (S.PROPOSED, "request-changes", {"reason": ""}, "reason"),
        (S.IN_REVIEW, "propose", {"label": "nope", "summary": "s", "justification": "j"}, "label"),
        (S.IN_REVIEW, "propose", {"label": "true", "summary": "", "justification": "j"}, "summary"),
        (S.IN_REVIEW, "propose", {"label": "true"}, "summary"),
        (S.PUBLISHED, "correct", {"note": ""}, "note"),
        (S.NEW, "assign", {"reviewer": "nobody"}, "reviewer"),
        (S.NEW, "assign", {"version": 0}, "version"),
        (S.NEW, "assign", {"version": "one"}, "version"),
    ],
)
def test_bad_action_input_is_a_400_and_changes_nothing(
    second_editor_api, claim, people, start, action, body, field
):
    claim = advance(claim, start, **people)
    version = claim.version
    response = post(second_editor_api, claim, action, body)
    assert response.status_code == 400, response.content
    assert field in problem(response)["errors"]
    claim.refresh_from_db()
    assert claim.status == start and claim.version == version


def test_a_malformed_json_body_is_a_400_problem(editor_api, claim):
    response = editor_api.post(
        f"/api/v1/claims/{claim.pk}/dismiss/", "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert problem(response)["code"] == "parse-error"


def test_a_correction_keeps_the_old_version_readable(editor_api, second_editor_api, claim, people):
    claim = advance(claim, S.PUBLISHED, **people)
    post(editor_api, claim, "correct", {"note": "Revised count.", "summary": "Now false."})
    assert [v.state for v in Verdict.objects.filter(claim=claim)] == ["published"]
    post(second_editor_api, claim, "approve-correction")
    verdicts = list(Verdict.objects.filter(claim=claim).order_by("edition"))
    assert [v.state for v in verdicts] == ["superseded", "published"]
    assert verdicts[0].summary == "The figure is inflated."
    assert verdicts[1].summary == "Now false."

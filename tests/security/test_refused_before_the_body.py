"""A person whose role does not allow a change is told so (403, with the reason) whatever
they send: the API asks the permission predicate before it reads the body, so a refusal never
turns into a list of what the body lacks, and fixing the body never changes the answer."""

from __future__ import annotations

import pytest

from annotations import services as notes
from claims.models import ClaimStatus
from tests.api.conftest import problem
from tests.workflow import advance

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposed(claim, reviewer, editor, second_editor):
    return advance(
        claim, ClaimStatus.PROPOSED, reviewer=reviewer, editor=editor, second_editor=second_editor
    )


@pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": 12, "version": "x"}])
def test_a_reviewer_sending_a_claim_back_is_refused_whatever_the_body(body, proposed, reviewer_api):
    response = reviewer_api.post(f"/api/v1/claims/{proposed.pk}/request-changes/", body)
    assert response.status_code == 403
    assert problem(response)["detail"] == "Only editors can send a verdict back."


def test_a_reviewer_not_assigned_cannot_rate_even_with_an_empty_body(proposed, second_reviewer_api):
    response = second_reviewer_api.post(f"/api/v1/claims/{proposed.pk}/ratings/", {})
    assert response.status_code == 403
    assert "assigned" in problem(response)["detail"]


def test_another_reviewers_annotation_cannot_be_changed_with_a_broken_body(
    claim, reviewer, second_reviewer_api
):
    note = notes.annotation_create(
        actor=reviewer, claim=claim, start=claim.start, end=claim.end, label="figure"
    )
    response = second_reviewer_api.patch(f"/api/v1/annotations/{note.pk}/", {"version": "x"})
    assert response.status_code == 403


def test_an_account_without_a_role_cannot_import_whatever_it_sends(client_for, outsider):
    api = client_for(outsider)
    for url in ("/api/v1/articles/", "/api/v1/articles/from-url/", "/api/v1/claims/"):
        response = api.post(url, {})
        assert response.status_code == 403, url
        assert problem(response)["code"] == "permission-denied"


def test_a_permitted_person_with_an_empty_body_is_told_what_is_missing(proposed, editor_api):
    response = editor_api.post(f"/api/v1/claims/{proposed.pk}/request-changes/", {})
    assert response.status_code == 400
    assert problem(response)["errors"] == {
        "reason": ["This field is required."],
        "version": ["This field is required."],
    }


# --- the web workbench's forms -----------------------------------------------------------------


@pytest.mark.parametrize("action", ["approve", "publish", "correct", "retract", "reopen"])
def test_a_reviewer_posting_an_editors_form_is_refused_whatever_it_holds(
    action, proposed, client, reviewer
):
    client.force_login(reviewer)
    response = client.post(f"/claims/{proposed.pk}/{action}/", {})
    assert response.status_code == 403
    assert "Only editors" in response.content.decode()


def test_the_editor_who_wrote_a_verdict_is_refused_its_approval_even_with_an_empty_form(
    proposed, client, editor
):
    client.force_login(editor)
    response = client.post(f"/claims/{proposed.pk}/approve/", {})
    assert response.status_code == 403
    assert "four-eyes" in response.content.decode()


def test_a_reviewer_cannot_assign_someone_else_on_the_web_either(
    claim, client, reviewer, second_reviewer
):
    client.force_login(reviewer)
    response = client.post(
        f"/claims/{claim.pk}/assign/",
        {"assign-version": claim.version, "assign-reviewer": second_reviewer.pk},
    )
    assert response.status_code == 403
    assert "editors assign others" in response.content.decode()
    assert not claim.assignments.exists()


def test_another_reviewers_annotation_cannot_be_edited_with_an_empty_form(
    claim, client, reviewer, second_reviewer
):
    note = notes.annotation_create(
        actor=reviewer, claim=claim, start=claim.start, end=claim.end, label="figure"
    )
    client.force_login(second_reviewer)
    response = client.post(f"/claims/{claim.pk}/annotations/{note.pk}/edit/", {})
    assert response.status_code == 403


def test_a_permitted_editor_with_an_empty_form_gets_the_form_back(proposed, client, editor):
    client.force_login(editor)
    response = client.post(f"/claims/{proposed.pk}/request_changes/", {})
    assert response.status_code == 400

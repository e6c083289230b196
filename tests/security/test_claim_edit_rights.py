"""Who may edit a claim itself (span, types, speaker, figures, date), split or merge it.

Editors, on any claim; reviewers, on claims assigned to them, and on claims nobody is assigned
to yet (sorting out what extraction found, before review starts). A reviewer who is not on a
claim someone else is reviewing cannot change what that claim says. Every edit is in the
claim's history, with what changed.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from claims import services
from claims.models import Claim, ClaimHistory, ClaimStatus
from tests.factories import ArticleFactory, ClaimFactory
from tests.workflow import advance

pytestmark = pytest.mark.django_db


@pytest.fixture
def alices(reviewer, editor, second_editor) -> Claim:
    """A claim in review, assigned to alice (not bob)."""
    return advance(
        ClaimFactory(),
        ClaimStatus.IN_REVIEW,
        reviewer=reviewer,
        editor=editor,
        second_editor=second_editor,
    )


def speaker_of(claim: Claim) -> str:
    return Claim.objects.get(pk=claim.pk).speaker


def edits(claim: Claim) -> list[ClaimHistory]:
    return list(ClaimHistory.objects.filter(claim=claim, action=ClaimHistory.Action.EDITED))


def patch(api: Any, claim: Claim, **body: Any) -> Any:
    version = Claim.objects.get(pk=claim.pk).version
    return api.patch(f"/api/v1/claims/{claim.pk}/", {"version": version, **body}, format="json")


def edit_form(claim: Claim, **fields: Any) -> dict[str, Any]:
    claim = Claim.objects.get(pk=claim.pk)
    return {
        "edit-version": claim.version,
        "edit-start": claim.start,
        "edit-end": claim.end,
        "edit-types": claim.types,
        "edit-speaker": claim.speaker,
        "fig-TOTAL_FORMS": 0,
        "fig-INITIAL_FORMS": 0,
        "fig-MIN_NUM_FORMS": 0,
        "fig-MAX_NUM_FORMS": 20,
        **{f"edit-{k}": v for k, v in fields.items()},
    }


# --- the API --------------------------------------------------------------------------------------


def test_a_reviewer_not_on_the_claim_cannot_patch_its_speaker(second_reviewer_api, alices):
    response = patch(second_reviewer_api, alices, speaker="Someone else")
    assert response.status_code == 403
    assert speaker_of(alices) == "the ministry"
    assert edits(alices) == []


def test_the_assigned_reviewer_patches_it_and_the_history_says_what_changed(
    reviewer_api, alices, reviewer
):
    response = patch(reviewer_api, alices, speaker="The defence ministry")
    assert response.status_code == 200
    (edit,) = edits(alices)
    assert edit.actor == reviewer
    assert edit.changes == {"speaker": {"from": "the ministry", "to": "The defence ministry"}}


def test_an_editor_patches_any_claim(editor_api, alices, editor):
    assert patch(editor_api, alices, speaker="Anna").status_code == 200
    assert [e.actor for e in edits(alices)] == [editor]


def test_any_reviewer_sorts_out_a_claim_nobody_is_assigned_to(second_reviewer_api, claim):
    assert patch(second_reviewer_api, claim, speaker="Anna").status_code == 200
    assert speaker_of(claim) == "Anna"
    assert len(edits(claim)) == 1


def test_a_reviewer_not_on_the_claim_cannot_split_it(second_reviewer_api, alices):
    version = Claim.objects.get(pk=alices.pk).version
    at = alices.article.text.index(" soldiers")
    response = second_reviewer_api.post(
        f"/api/v1/claims/{alices.pk}/split/", {"version": version, "at": at}, format="json"
    )
    assert response.status_code == 403
    assert not Claim.objects.get(pk=alices.pk).superseded


def test_a_reviewer_not_on_a_claim_cannot_merge_it_away(
    second_reviewer, reviewer, editor, second_editor
):
    article = ArticleFactory()
    text = article.text
    a_start, b_start = text.index("Officials denied"), text.index("The president")
    first = ClaimFactory(article=article, start=a_start, end=b_start - 1, types=["event"])
    second = ClaimFactory(
        article=article, start=b_start, end=text.index("\u201d", b_start) + 1, types=["quote"]
    )
    services.claim_assign(actor=editor, claim=second, reviewer=reviewer)
    with pytest.raises(PermissionDenied):
        services.claim_merge(actor=second_reviewer, claims=[first, second])
    assert not Claim.objects.filter(pk__in=[first.pk, second.pk], superseded=True).exists()


def test_the_service_refuses_it_too(second_reviewer, alices):
    with pytest.raises(PermissionDenied, match="assigned"):
        services.claim_update(
            actor=second_reviewer, claim=alices, expected_version=alices.version, speaker="X"
        )


# --- the pages ------------------------------------------------------------------------------------


def test_the_panel_offers_the_edit_form_only_to_those_who_may(
    client, alices, reviewer, second_reviewer
):
    url = reverse("claim-detail", args=[alices.pk])
    client.force_login(reviewer)
    assert 'name="edit-speaker"' in client.get(url).content.decode()
    client.force_login(second_reviewer)
    assert 'name="edit-speaker"' not in client.get(url).content.decode()


def test_a_reviewer_not_on_the_claim_cannot_post_the_edit_form(client, alices, second_reviewer):
    client.force_login(second_reviewer)
    response = client.post(
        reverse("claim-action", args=[alices.pk, "edit"]), edit_form(alices, speaker="Bob")
    )
    assert response.status_code == 403
    assert speaker_of(alices) == "the ministry"
    assert edits(alices) == []


def test_the_assigned_reviewer_edits_on_the_page_and_it_is_in_the_history(client, alices, reviewer):
    client.force_login(reviewer)
    response = client.post(
        reverse("claim-action", args=[alices.pk, "edit"]), edit_form(alices, speaker="Anna")
    )
    assert response.status_code == 302
    (edit,) = edits(alices)
    assert edit.actor == reviewer and edit.changes["speaker"]["to"] == "Anna"

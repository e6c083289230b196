"""Sources stay their author's: a reviewer removes only a source they added; an editor may
remove anyone's, and the reason goes into the claim's history."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from annotations import permissions as note_permissions
from annotations import services as notes
from annotations.models import ClaimSource
from claims.models import ClaimHistory

pytestmark = pytest.mark.django_db

A = ClaimHistory.Action


@pytest.fixture
def alices(claim, reviewer):
    return notes.source_attach(actor=reviewer, claim=claim, url="https://example.org/alice")


def test_a_reviewer_removes_a_source_they_added(alices, reviewer):
    notes.source_detach(actor=reviewer, claim_source=alices)
    assert not ClaimSource.objects.exists()
    removed = ClaimHistory.objects.get(action=A.SOURCE_REMOVED)
    assert removed.actor == reviewer and removed.changes["url"] == "https://example.org/alice"


def test_a_reviewer_cannot_remove_another_reviewers_source(alices, second_reviewer):
    with pytest.raises(PermissionDenied, match="Only the reviewer who added this source"):
        notes.source_detach(actor=second_reviewer, claim_source=alices, reason="I disagree")
    assert ClaimSource.objects.filter(pk=alices.pk).exists()
    assert not ClaimHistory.objects.filter(action=A.SOURCE_REMOVED).exists()


def test_an_editor_removes_anyones_source_with_the_reason_in_history(alices, editor, reviewer):
    notes.source_detach(actor=editor, claim_source=alices, reason="  A blog, not a source.  ")
    assert not ClaimSource.objects.exists()
    removed = ClaimHistory.objects.get(action=A.SOURCE_REMOVED)
    assert removed.actor == editor
    assert removed.reason == "A blog, not a source."
    assert removed.changes["added_by"] == reviewer.get_username()


def test_an_editor_must_say_why_they_remove_another_persons_source(alices, editor):
    for reason in ("", "   "):
        with pytest.raises(ValidationError) as exc:
            notes.source_detach(actor=editor, claim_source=alices, reason=reason)
        assert "reason" in exc.value.message_dict
    assert ClaimSource.objects.filter(pk=alices.pk).exists()


def test_an_editor_removes_their_own_source_without_a_reason(claim, editor):
    own = notes.source_attach(actor=editor, claim=claim, url="https://example.org/erin")
    notes.source_detach(actor=editor, claim_source=own)
    assert not ClaimSource.objects.exists()


def test_the_predicate_says_who_may_remove(alices, reviewer, second_reviewer, editor, outsider):
    assert note_permissions.can_remove_source(reviewer, alices)
    assert note_permissions.can_remove_source(editor, alices)
    refused = note_permissions.can_remove_source(second_reviewer, alices)
    assert not refused and "added this source" in refused.reason
    assert not note_permissions.can_remove_source(outsider, alices)


# --- through the pages -----------------------------------------------------------------------


def remove_url(use):
    return reverse("claim-source-remove", args=[use.claim_id, use.pk])


def test_page_offers_removal_to_the_author_and_editors_only(
    client, alices, second_reviewer, editor
):
    client.force_login(second_reviewer)
    page = client.get(reverse("claim-detail", args=[alices.claim_id])).content.decode()
    assert remove_url(alices) not in page
    client.force_login(editor)
    page = client.get(reverse("claim-detail", args=[alices.claim_id])).content.decode()
    assert remove_url(alices) in page and 'name="reason"' in page


def test_page_refuses_another_reviewer(client, alices, second_reviewer):
    client.force_login(second_reviewer)
    response = client.post(remove_url(alices))
    assert response.status_code == 403
    assert "added this source" in response.content.decode()
    assert ClaimSource.objects.filter(pk=alices.pk).exists()


def test_page_lets_an_editor_remove_with_a_reason(client, alices, editor):
    client.force_login(editor)
    refused = client.post(remove_url(alices), {"reason": ""})
    assert refused.status_code == 400 and ClaimSource.objects.exists()
    response = client.post(remove_url(alices), {"reason": "Not about this claim."})
    assert response.status_code == 302 and not ClaimSource.objects.exists()
    assert ClaimHistory.objects.get(action=A.SOURCE_REMOVED).reason == "Not about this claim."

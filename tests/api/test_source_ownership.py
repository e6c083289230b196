"""Sources stay their author's, through the API: DELETE takes the reason an editor gives."""

from __future__ import annotations

import pytest

from annotations import services as notes
from annotations.models import ClaimSource
from claims.models import ClaimHistory
from tests.api.conftest import problem

pytestmark = pytest.mark.django_db

A = ClaimHistory.Action


@pytest.fixture
def alices(claim, reviewer):
    return notes.source_attach(actor=reviewer, claim=claim, url="https://example.org/alice")


def test_api_delete_refuses_another_reviewer(alices, second_reviewer_api):
    response = second_reviewer_api.delete(f"/api/v1/claim-sources/{alices.pk}/")
    assert response.status_code == 403
    assert "added this source" in problem(response)["detail"]
    assert ClaimSource.objects.filter(pk=alices.pk).exists()


def test_api_delete_by_an_editor_takes_a_reason(alices, editor_api):
    missing = editor_api.delete(f"/api/v1/claim-sources/{alices.pk}/")
    assert missing.status_code == 400 and "reason" in problem(missing)["errors"]
    response = editor_api.delete(
        f"/api/v1/claim-sources/{alices.pk}/", {"reason": "Duplicate of the ministry's page."}
    )
    assert response.status_code == 204
    assert ClaimHistory.objects.get(action=A.SOURCE_REMOVED).reason == (
        "Duplicate of the ministry's page."
    )


def test_api_delete_takes_the_reason_from_the_query_string_too(alices, editor_api):
    response = editor_api.delete(f"/api/v1/claim-sources/{alices.pk}/?reason=Paywalled")
    assert response.status_code == 204
    assert ClaimHistory.objects.get(action=A.SOURCE_REMOVED).reason == "Paywalled"


def test_api_delete_by_its_author_needs_no_reason(alices, reviewer_api):
    assert reviewer_api.delete(f"/api/v1/claim-sources/{alices.pk}/").status_code == 204

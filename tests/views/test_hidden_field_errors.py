"""A form whose hidden version is missing or garbled says so where the page shows errors."""

from __future__ import annotations

import pytest

from claims.forms import VersionedForm
from claims.models import ClaimStatus
from tests.workflow import advance

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("version", ["", "twelve", "-1", "3.7"])
def test_a_broken_version_is_a_form_error_not_a_hidden_field_error(version):
    form = VersionedForm({"version": version})
    assert not form.is_valid()
    assert form.non_field_errors() == [VersionedForm.BROKEN_VERSION]
    assert "version" not in form.errors


def test_an_approval_without_a_version_tells_the_editor_to_reload(
    client, claim, reviewer, editor, second_editor
):
    claim = advance(
        claim, ClaimStatus.PROPOSED, reviewer=reviewer, editor=editor, second_editor=second_editor
    )
    client.force_login(second_editor)
    response = client.post(f"/claims/{claim.pk}/approve/", {"approve-version": ""})
    assert response.status_code == 400
    assert "reload the page" in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PROPOSED


def test_an_edit_with_a_garbled_version_tells_the_reviewer_to_reload(as_reviewer, claim):
    response = as_reviewer.post(
        f"/claims/{claim.pk}/edit/",
        {
            "edit-version": "x",
            "edit-start": claim.start,
            "edit-end": claim.end,
            "edit-types": "event",
            "fig-TOTAL_FORMS": 0,
            "fig-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 400
    assert "reload the page" in response.content.decode()

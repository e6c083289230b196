"""Rating labels in use never change: they are retired, and new ones added.

A label that a rating or a verdict has is part of what was published: renaming it, changing
its value or deleting it would silently rewrite every ClaimReview that carries it. So its
name, slug, value, ClaimReview mapping and scale are frozen once used, and it cannot be
deleted; it can be retired, after which no new rating or verdict may choose it, while every
page, feed and ClaimReview that has it still shows it.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from annotations import services as notes
from annotations.models import Rating
from claims import services
from claims.models import ClaimStatus, RatingLabel, RatingScale
from tests.api.conftest import client_for  # noqa: F401  (fixture)
from tests.factories import ClaimFactory, rating_label
from tests.views.conftest import htmx
from tests.workflow import advance

pytestmark = pytest.mark.django_db
S = ClaimStatus


@pytest.fixture
def people(reviewer, editor, second_editor) -> dict[str, Any]:
    return {"reviewer": reviewer, "editor": editor, "second_editor": second_editor}


@pytest.fixture
def published(people):
    """A published verdict (and a rating) labelled "mostly-false"."""
    return advance(ClaimFactory(), S.PUBLISHED, **people)


@pytest.fixture
def in_review(people):
    return advance(ClaimFactory(), S.IN_REVIEW, **people)


def public_rating(client, claim) -> dict[str, Any]:
    response = client.get(f"/api/v1/published/{claim.pk}/")
    assert response.status_code == 200
    return response.json()


def label_form(label: RatingLabel, **changes: Any) -> dict[str, Any]:
    return {
        "scale": label.scale_id,
        "name": label.name,
        "slug": label.slug,
        "position": label.position,
        "rating_value": label.rating_value or "",
        "alternate_name": label.alternate_name,
        "averitec": label.averitec,
        "colour": label.colour,
        "description": label.description,
        **changes,
    }


# --- frozen once used ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "field,value",
    [
        ("name", "Totally false"),
        ("slug", "totally-false"),
        ("rating_value", 1),
        ("alternate_name", "Wrong"),
        ("averitec", RatingLabel.Averitec.SUPPORTED),
    ],
)
def test_a_label_in_use_cannot_be_changed(published, field, value):
    label = rating_label("mostly-false")
    setattr(label, field, value)
    with pytest.raises(ValidationError, match="in use"):
        label.save()
    fresh = rating_label("mostly-false")
    assert getattr(fresh, field) != value


def test_a_label_used_only_by_a_rating_is_in_use_too(in_review, reviewer):
    label = rating_label("false")
    notes.rating_submit(actor=reviewer, claim=in_review, label="false", justification="No.")
    label.name = "Wrong"
    with pytest.raises(ValidationError, match="in use"):
        label.save()


def test_a_label_in_use_cannot_be_deleted(published):
    with pytest.raises(ValidationError, match="in use"):
        rating_label("mostly-false").delete()
    assert RatingLabel.objects.filter(slug="mostly-false").exists()


def test_its_colour_and_description_still_change(published):
    label = rating_label("mostly-false")
    label.colour, label.description = "#123456", "Mostly wrong."
    label.save()
    assert rating_label("mostly-false").colour == "#123456"


def test_an_unused_label_changes_freely(db):
    label = rating_label("misleading")
    label.name = "Misleading or cherry-picked"
    label.save()
    assert rating_label("misleading").name == "Misleading or cherry-picked"


def test_the_scale_s_best_and_worst_rating_are_frozen_once_used(published):
    scale = RatingScale.default()
    scale.best_rating = 10
    with pytest.raises(ValidationError, match="in use"):
        scale.save()
    assert RatingScale.default().best_rating == 5


# --- retiring ------------------------------------------------------------------------------------


def test_retiring_keeps_published_verdicts_and_their_claimreview(client, published, admin_user):
    before = public_rating(client, published)
    services.rating_label_retire(actor=admin_user, label=rating_label("mostly-false"))
    assert rating_label("mostly-false").retired
    assert public_rating(client, published) == before
    page = client.get(reverse("public-rating", args=[published.pk])).content.decode()
    assert "Mostly false" in page


def test_a_retired_label_is_refused_for_a_new_rating(in_review, reviewer, admin_user):
    services.rating_label_retire(actor=admin_user, label=rating_label("false"))
    with pytest.raises(ValidationError, match="retired"):
        notes.rating_submit(actor=reviewer, claim=in_review, label="false", justification="No.")
    with pytest.raises(ValidationError, match="retired"):
        notes.rating_submit(
            actor=reviewer, claim=in_review, label=rating_label("false"), justification="No."
        )
    assert not Rating.objects.filter(claim=in_review).exists()


def test_a_retired_label_is_refused_for_a_new_or_amended_verdict(
    in_review, reviewer, editor, admin_user
):
    services.rating_label_retire(actor=admin_user, label=rating_label("false"))
    with pytest.raises(ValidationError, match="retired"):
        services.claim_propose(
            actor=editor, claim=in_review, label="false", summary="No.", justification="Data."
        )
    verdict = services.claim_propose(
        actor=editor, claim=in_review, label="half-true", summary="Half.", justification="Data."
    )
    with pytest.raises(ValidationError, match="retired"):
        services.verdict_amend(
            actor=editor, verdict=verdict, expected_version=verdict.version, label="false"
        )
    verdict.refresh_from_db()
    assert verdict.label.slug == "half-true"


def test_a_retired_label_is_not_offered_and_not_accepted_in_the_api(
    client_for,  # noqa: F811
    in_review,
    reviewer,
    admin_user,
):
    services.rating_label_retire(actor=admin_user, label=rating_label("false"))
    api = client_for(reviewer)
    slugs = [lb["slug"] for lb in api.get("/api/v1/rating-labels/").json()]
    assert "false" not in slugs and "mostly-false" in slugs
    response = api.post(
        f"/api/v1/claims/{in_review.pk}/ratings/",
        {"label": "false", "justification": "No.", "confidence": 3, "version": 0},
        format="json",
    )
    assert response.status_code == 400
    assert "retired" in response.content.decode()


def test_a_retired_label_is_not_offered_and_not_accepted_in_the_panel(
    client, in_review, reviewer, admin_user
):
    notes.rating_submit(actor=reviewer, claim=in_review, label="mostly-false", justification="No.")
    services.rating_label_retire(actor=admin_user, label=rating_label("false"))
    client.force_login(reviewer)
    panel = client.get(reverse("claim-detail", args=[in_review.pk])).content.decode()
    assert 'value="mostly-false"' in panel
    assert 'value="false"' not in panel
    own = Rating.objects.get(claim=in_review, reviewer=reviewer)
    response = client.post(
        reverse("claim-action", args=[in_review.pk, "rate"]),
        {
            "rate-label": "false",
            "rate-justification": "No.",
            "rate-confidence": "3",
            "rate-version": str(own.version),
        },
        **htmx(),
    )
    assert response.status_code in (200, 400)
    own.refresh_from_db()
    assert own.label.slug == "mostly-false"


# --- the admin -----------------------------------------------------------------------------------


def test_admin_rename_of_a_label_in_use_changes_nothing(client, published, admin_user):
    before = public_rating(client, published)
    label = rating_label("mostly-false")
    client.force_login(admin_user)
    url = reverse("admin:claims_ratinglabel_change", args=[label.pk])
    page = client.get(url).content.decode()
    assert 'name="name"' not in page and 'name="colour"' in page
    client.post(
        url,
        label_form(label, name="Totally false", slug="totally-false", rating_value=1),
    )
    fresh = rating_label("mostly-false")
    assert (fresh.name, fresh.rating_value) == ("Mostly false", 2)
    assert public_rating(client, published) == before


def test_admin_cannot_delete_a_label_in_use(client, published, admin_user):
    label = rating_label("mostly-false")
    client.force_login(admin_user)
    url = reverse("admin:claims_ratinglabel_delete", args=[label.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert RatingLabel.objects.filter(pk=label.pk).exists()


def test_admin_scale_page_shows_labels_in_use_read_only(client, published, admin_user):
    client.force_login(admin_user)
    scale = RatingScale.default()
    page = client.get(reverse("admin:claims_ratingscale_change", args=[scale.pk]))
    assert page.status_code == 200
    assert b'name="labels-0-name"' not in page.content
    assert b'name="best_rating"' not in page.content


def test_admin_retires_a_label_with_the_action(client, published, admin_user):
    label = rating_label("mostly-false")
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:claims_ratinglabel_changelist"),
        {"action": "retire", "_selected_action": [label.pk]},
    )
    assert response.status_code == 302
    assert rating_label("mostly-false").retired_at is not None


def test_admin_edits_an_unused_label(client, admin_user):
    label = rating_label("misleading")
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:claims_ratinglabel_change", args=[label.pk]),
        label_form(label, name="Misleading or cherry-picked"),
    )
    assert response.status_code == 302
    assert rating_label("misleading").name == "Misleading or cherry-picked"


def test_admin_retires_a_label_from_its_own_page(client, published, admin_user):
    label = rating_label("mostly-false")
    client.force_login(admin_user)
    url = reverse("admin:claims_ratinglabel_change", args=[label.pk])
    assert 'value="retire"' in client.get(url).content.decode()
    response = client.post(url, {"CHANGE_FORM-action": "retire", "_selected_action": [label.pk]})
    assert response.status_code == 302
    assert rating_label("mostly-false").retired


@pytest.fixture
def foreign_label(db) -> RatingLabel:
    """A label of a scale that is not the organisation's."""
    other = RatingScale.objects.create(name="Another newsroom's scale", slug="another")
    return RatingLabel.objects.create(
        scale=other, name="Pants on fire", slug="pants-on-fire", position=1, averitec="Refuted"
    )


def test_a_verdict_cannot_take_a_label_of_another_scale(people, in_review, foreign_label):
    # Before: ratings checked the label's scale, verdicts did not (two cleaners of one rule).
    with pytest.raises(ValidationError, match="not on the organisation's scale"):
        services.claim_propose(
            actor=people["editor"],
            claim=in_review,
            label=foreign_label,
            summary="Inflated.",
            justification="Data differ.",
            expected_version=in_review.version,
        )
    in_review.refresh_from_db()
    assert in_review.status == S.IN_REVIEW
    assert not in_review.verdicts.exists()


def test_a_rating_and_a_correction_refuse_it_too(people, in_review, published, foreign_label):
    with pytest.raises(ValidationError, match="not on the organisation's scale"):
        notes.rating_submit(
            actor=people["reviewer"],
            claim=in_review,
            label=foreign_label,
            justification="Data differ.",
        )
    with pytest.raises(ValidationError, match="not on the organisation's scale"):
        services.claim_correct(
            actor=people["editor"],
            claim=published,
            label=foreign_label,
            note="Revised.",
            expected_version=published.version,
        )
    assert not Rating.objects.filter(claim=in_review, label=foreign_label).exists()
    assert published.corrections.count() == 0

"""Anonymous readers of the public pages get no cookie, so that a shared cache (a CDN, a
newsroom proxy) can keep one copy of each page for everyone. Only pages with a form that
posts need the CSRF cookie: the sign-in page, and the workbench once signed in."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import ClaimFactory
from tests.workflow import advance

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(reviewer, editor, second_editor):
    return advance(
        ClaimFactory(),
        "published",
        reviewer=reviewer,
        editor=editor,
        second_editor=second_editor,
    )


def public_urls(published) -> list[str]:
    return [
        reverse("public-ratings"),
        reverse("public-ratings") + "?rating=mostly-false",
        reverse("public-rating", args=[published.pk]),
        reverse("public-rating", args=[published.pk + 1000]),  # its 404 page too
        reverse("dashboard"),  # the home page: sent to sign in
        "/api/v1/published/",
        f"/api/v1/published/{published.pk}/",
    ]


def test_anonymous_public_pages_set_no_cookie(client, published):
    for url in public_urls(published):
        response = client.get(url)
        assert response.status_code in (200, 302, 404), url
        assert not response.cookies, (url, list(response.cookies))
        assert b"X-CSRFToken" not in response.content, url


def test_the_sign_in_page_still_sets_the_csrf_cookie(client):
    response = client.get(reverse("login"))
    assert "csrftoken" in response.cookies
    assert b'name="csrfmiddlewaretoken"' in response.content


def test_signed_in_pages_still_give_htmx_the_csrf_token(client, reviewer, published):
    client.force_login(reviewer)
    page = client.get(reverse("public-rating", args=[published.pk]))
    assert b"X-CSRFToken" in page.content
    assert b"X-CSRFToken" in client.get(reverse("dashboard")).content

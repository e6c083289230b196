"""An htmx request from an expired session goes to the sign-in page, and comes back only to a
page of this site: ``HX-Current-URL`` is the client's to write, so a path that would lead
elsewhere after signing in is dropped."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def hx_redirect(client, claim, current_url: str) -> str:
    response = client.get(
        reverse("claim-detail", args=[claim.pk]),
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="claim-panel",
        HTTP_HX_CURRENT_URL=current_url,
    )
    assert response.status_code == 204
    return response["HX-Redirect"]


def test_a_page_of_this_site_is_kept_with_its_query(client, claim):
    url = f"http://testserver/articles/{claim.article_id}/?claim={claim.pk}"
    assert hx_redirect(client, claim, url) == (
        f"/accounts/login/?next=/articles/{claim.article_id}/%3Fclaim%3D{claim.pk}"
    )


@pytest.mark.parametrize(
    "current_url",
    [
        "http://evil.example/phish",
        "https://testserver/articles/",  # another scheme: another origin
        "http://testserver//evil.example/phish",  # a path that is a protocol-relative URL
        "http://testserver/\\evil.example/phish",
        "http://testserver///evil.example/phish",
        "javascript:alert(1)",
        "//evil.example/",
        "",
    ],
)
def test_anything_else_is_dropped(client, claim, current_url):
    assert hx_redirect(client, claim, current_url) == "/accounts/login/"

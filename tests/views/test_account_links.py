"""Every signed-in page links to the person's API tokens and to the API's documentation,
next to their name; readers of the public pages see neither."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def who_box(body):
    match = re.search(r'<div class="who">(.*?)</div>', body, re.S)
    assert match, "no name box in the top bar"
    return match.group(1)


@pytest.mark.parametrize("persona", ["reviewer", "editor", "outsider"])
def test_signed_in_people_find_their_tokens_and_the_api_docs_next_to_their_name(
    client, request, persona
):
    client.force_login(request.getfixturevalue(persona))
    body = client.get(reverse("public-ratings")).content.decode()
    box = who_box(body)
    assert f'href="{reverse("account-tokens")}"' in box and ">API tokens</a>" in box
    assert f'href="{reverse("api-docs")}"' in box and ">API docs</a>" in box


def test_the_links_lead_to_pages_that_answer(as_reviewer):
    assert as_reviewer.get(reverse("account-tokens")).status_code == 200
    assert as_reviewer.get(reverse("api-docs")).status_code == 200


def test_the_tokens_page_has_the_workbench_frame_and_marks_itself_current(as_reviewer):
    body = as_reviewer.get(reverse("account-tokens")).content.decode()
    assert 'class="topbar"' in body and "css/workbench" in body
    assert f'<a href="{reverse("account-tokens")}" aria-current="page">API tokens</a>' in body


def test_anonymous_readers_see_no_account_links(client):
    body = client.get(reverse("public-ratings")).content.decode()
    assert reverse("account-tokens") not in body and reverse("api-docs") not in body

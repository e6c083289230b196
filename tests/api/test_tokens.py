"""Personal API tokens: created on the profile page or with create_api_token, shown once,
stored only as a digest, revocable."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from knox.models import AuthToken
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def token_client(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_the_command_prints_a_working_key_as_the_last_word(reviewer):
    out = StringIO()
    call_command("create_api_token", "alice", stdout=out)
    key = out.getvalue().split()[-1]
    assert token_client(key).get("/api/v1/me/").json()["username"] == "alice"
    stored = AuthToken.objects.get(user=reviewer)
    assert stored.expiry is None  # personal tokens do not expire unless settings say so
    assert key not in (stored.digest, stored.token_key)
    assert len(stored.digest) == 128  # sha512 hex: only the digest is kept


def test_the_command_can_set_an_expiry_and_refuses_unknown_users(reviewer):
    out = StringIO()
    call_command("create_api_token", "alice", "--expires-in-days", "30", stdout=out)
    assert AuthToken.objects.get(user=reviewer).expiry is not None
    with pytest.raises(CommandError, match="no user"):
        call_command("create_api_token", "nobody", stdout=StringIO())


def test_the_token_lifetime_comes_from_settings(settings, reviewer):
    import datetime as dt

    from workbench.tokens import create_token

    settings.REST_KNOX = {**settings.REST_KNOX, "TOKEN_TTL": dt.timedelta(days=7)}
    record, _ = create_token(reviewer)
    assert record.expiry is not None


def test_profile_page_creates_a_token_shows_it_once_and_revokes_it(client, reviewer):
    client.force_login(reviewer)
    assert client.get("/accounts/tokens/").status_code == 200
    created = client.post("/accounts/tokens/")
    assert created.status_code == 200
    key = created.context["new_key"]
    assert key and key in created.content.decode()
    assert created["Cache-Control"].startswith("max-age=0")
    assert token_client(key).get("/api/v1/me/").status_code == 200
    listing = client.get("/accounts/tokens/").content.decode()
    assert key not in listing  # never shown again
    prefix = AuthToken.objects.get(user=reviewer).token_key
    assert prefix in listing
    revoked = client.post("/accounts/tokens/revoke/", {"token_key": prefix})
    assert revoked.status_code == 302
    assert token_client(key).get("/api/v1/me/").status_code == 401


def test_nobody_revokes_another_persons_token(client, reviewer, editor):
    from workbench.tokens import create_token

    record, key = create_token(editor)
    client.force_login(reviewer)
    client.post("/accounts/tokens/revoke/", {"token_key": record.token_key})
    assert token_client(key).get("/api/v1/me/").status_code == 200


def test_the_profile_page_needs_a_signed_in_user(client):
    response = client.get("/accounts/tokens/")
    assert response.status_code == 302
    assert not AuthToken.objects.exists()
    assert client.post("/accounts/tokens/").status_code == 302
    assert not AuthToken.objects.exists()


def test_the_web_ui_session_works_on_the_api_too(client, reviewer):
    client.force_login(reviewer)
    assert client.get("/api/v1/me/").json()["username"] == "alice"


def test_an_inactive_users_token_stops_working(reviewer):
    from workbench.tokens import create_token

    _, key = create_token(reviewer)
    reviewer.is_active = False
    reviewer.save()
    assert token_client(key).get("/api/v1/me/").status_code == 401

"""Sign-in lockout: repeated wrong passwords lock the account; admins see it and can unlock."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory's


def sign_in(client: Client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password})


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def limit(settings):
    settings.AXES_FAILURE_LIMIT = 5
    return 5


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(client, reviewer, limit):
    for _ in range(limit - 1):
        assert sign_in(client, "alice", "wrong").status_code == 200
    locked = sign_in(client, "alice", "wrong")
    assert locked.status_code == 429
    assert "Too many failed sign-ins for this account" in locked.content.decode()

    refused = sign_in(client, "alice", PASSWORD)
    assert refused.status_code == 429
    assert "It is locked for 15 minutes" in refused.content.decode()
    assert refused["Retry-After"] == str(15 * 60)
    assert not signed_in(client)


def test_lockout_is_per_account_not_per_address(client, reviewer, second_reviewer, limit):
    for _ in range(limit):
        sign_in(client, "alice", "wrong")
    # bob shares alice's address (an office, a VPN) and is not affected.
    assert sign_in(client, "bob", PASSWORD).status_code == 302
    assert signed_in(client)


def test_lockout_page_is_the_sign_in_form_with_the_reason(client, reviewer, limit):
    for _ in range(limit):
        response = sign_in(client, "alice", "wrong")
    page = response.content.decode()
    assert 'name="password"' in page
    assert 'value="alice"' in page  # what they typed stays in the form
    assert "an administrator can unlock it sooner" in page


def test_a_successful_sign_in_resets_the_count(client, reviewer, limit):
    for _ in range(limit - 1):
        sign_in(client, "alice", "wrong")
    assert sign_in(client, "alice", PASSWORD).status_code == 302
    client.logout()
    for _ in range(limit - 1):
        assert sign_in(client, "alice", "wrong").status_code == 200
    assert sign_in(client, "alice", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_unknown_usernames_lock_the_same_way(client, limit):
    # Same answer whether or not the account exists: the lockout reveals no usernames.
    for _ in range(limit):
        response = sign_in(client, "nobody-here", "wrong")
    assert response.status_code == 429


def test_admin_sees_the_lockout_and_can_unlock(client, reviewer, admin_user, limit):
    for _ in range(limit):
        sign_in(client, "alice", "wrong")
    attempt = AccessAttempt.objects.get(username="alice")
    assert attempt.failures_since_start == limit

    admin = Client()
    admin.force_login(admin_user)
    changelist = admin.get(reverse("admin:axes_accessattempt_changelist"))
    assert changelist.status_code == 200
    assert "alice" in changelist.content.decode()

    unlock = admin.post(
        reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"}
    )
    assert unlock.status_code == 302
    assert sign_in(client, "alice", PASSWORD).status_code == 302
    assert signed_in(client)


def test_reviewers_do_not_see_sign_in_attempts(client, reviewer):
    client.force_login(reviewer)
    response = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert response.status_code in (302, 403)


def test_sign_in_form_needs_a_csrf_token(reviewer):
    strict = Client(enforce_csrf_checks=True)
    assert sign_in(strict, "alice", PASSWORD).status_code == 403
    page = strict.get(reverse("login"))
    token = page.context["csrf_token"]
    response = strict.post(
        reverse("login"), {"username": "alice", "password": PASSWORD, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302


def test_test_client_login_still_works(client, reviewer):
    # Django's Client.login() authenticates without a request; lockout does not count those.
    assert client.login(username="alice", password=PASSWORD)

"""Personas and shared fixtures.

alice and bob review, erin and frank edit, ada administers, oscar has an account but no role.
"""

from __future__ import annotations

import pytest

from tests.factories import ArticleFactory, ClaimFactory, UserFactory


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The real hasher is deliberately slow; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def reviewer(db):
    return UserFactory(username="alice", roles=["reviewer"])


@pytest.fixture
def second_reviewer(db):
    return UserFactory(username="bob", roles=["reviewer"])


@pytest.fixture
def editor(db):
    return UserFactory(username="erin", roles=["editor"])


@pytest.fixture
def second_editor(db):
    return UserFactory(username="frank", roles=["editor"])


@pytest.fixture
def admin_user(db):
    return UserFactory(username="ada", roles=["admin"], is_staff=True)


@pytest.fixture
def outsider(db):
    return UserFactory(username="oscar")


@pytest.fixture
def anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


@pytest.fixture
def article(db):
    return ArticleFactory()


@pytest.fixture
def claim(article):
    return ClaimFactory(article=article)

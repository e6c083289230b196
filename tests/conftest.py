"""Personas and shared fixtures.

alice and bob review, erin and frank edit, ada administers, oscar has an account but no role.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.factories import ArticleFactory, ClaimFactory, UserFactory

# The sample article shipped with the code (claims/samples/), which many tests import.
SAMPLE = (
    Path(__file__).resolve().parents[1]
    / "claims"
    / "samples"
    / "armenia-azerbaijan-border-clashes-2020-07-18.txt"
)


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
def sample_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")


@pytest.fixture
def article(db):
    return ArticleFactory()


@pytest.fixture
def claim(article):
    return ClaimFactory(article=article)

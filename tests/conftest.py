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


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Only browser tests may use Playwright's ``page`` fixture.

    A test parameter named ``page`` is taken for that fixture: the test is then parametrised
    by browser and regrouped with the transactional browser tests, and the database-backed
    tests regrouped after it find the tables those emptied (roles gone, 300 failures on
    PostgreSQL). Refuse it at collection instead."""
    for item in items:
        if "page" in getattr(item, "fixturenames", ()) and not item.get_closest_marker("browser"):
            raise pytest.UsageError(
                f"{item.nodeid} uses the fixture or parameter name 'page', which is Playwright's: "
                "rename it, or mark the test as a browser test."
            )


@pytest.fixture(autouse=True)
def _fresh_match_index():
    """Each test's database is rolled back, ids and all: the matcher's in-process index of
    an earlier test's rows must not answer for this one's."""
    from claims.matching import store

    store.reset()
    yield
    store.reset()


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

"""Eight editors correcting one verdict at once: without a version all are refused; with the
version they read, one correction is proposed and the other seven get a 409. On PostgreSQL,
where requests really run at once (SQLite serialises writers, so a race proves nothing)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections
from rest_framework.test import APIClient

from claims.models import Claim, ClaimStatus, Correction
from tests.factories import ClaimFactory, UserFactory
from tests.workflow import advance
from workbench.tokens import create_token

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="a real race needs PostgreSQL's row locks"
    ),
]


def _race(claim: Claim, body: dict[str, Any]) -> list[int]:
    editors = [UserFactory(roles=["editor"]) for _ in range(8)]
    keys = [create_token(e)[1] for e in editors]
    start = threading.Barrier(len(keys))
    codes: list[int] = []

    def run(key: str) -> None:
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        try:
            start.wait()
            r = api.post(f"/api/v1/claims/{claim.pk}/correct/", body, format="json")
            codes.append(r.status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(k,)) for k in keys]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(codes)


@pytest.fixture
def published(db: Any) -> Claim:
    people = {
        "reviewer": UserFactory(roles=["reviewer"]),
        "editor": UserFactory(roles=["editor"]),
        "second_editor": UserFactory(roles=["editor"]),
    }
    return advance(ClaimFactory(), ClaimStatus.PUBLISHED, **people)


def test_eight_corrections_without_a_version_change_nothing(published: Claim) -> None:
    assert _race(published, {"note": "New data.", "label": "false"}) == [400] * 8
    assert not Correction.objects.filter(claim=published).exists()
    assert published.verdicts.count() == 1


def test_eight_corrections_of_one_version_make_exactly_one(published: Claim) -> None:
    body = {"note": "New data.", "label": "false", "version": published.version}
    assert _race(published, body) == [200] + [409] * 7
    assert Correction.objects.filter(claim=published).count() == 1
    assert published.verdicts.count() == 1  # nothing published until a second editor approves

"""A claim in review, with everything the services need, and the refusal check."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from claims import services
from tests.factories import ClaimFactory
from tests.hostile.fingerprint import changed, db_fingerprint


@pytest.fixture
def scene(article, reviewer, editor):
    """alice reviews a claim (in review) that erin assigned; she may annotate and rate."""
    claim = ClaimFactory(article=article)
    services.claim_assign(actor=editor, claim=claim, reviewer=reviewer)
    claim.refresh_from_db()
    return claim


@pytest.fixture
def refused() -> Callable[[Callable[[], Any]], ValidationError]:
    """Call, expect a ValidationError with a message, and nothing changed in the database."""

    def check(call: Callable[[], Any]) -> ValidationError:
        before = db_fingerprint()
        with pytest.raises(ValidationError) as info:
            call()
        after = db_fingerprint()
        assert after == before, f"refused input changed the database: {changed(before, after)}"
        messages = info.value.messages
        assert messages and all(isinstance(m, str) and m.strip() for m in messages), messages
        return info.value

    return check

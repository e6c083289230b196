"""Eight people at once on the same three claims, through the API of a real server thread.

The small version of bench/concurrency.py (which runs gunicorn on PostgreSQL for a fixed
time): a fixed number of moves per person against the test server, whatever the database.
Reviewers and editors edit, assign, comment, rate, propose, approve, send back, publish,
correct, retract, dismiss and reopen, with the version they last saw (a third of the time an
old one) and sometimes none. No answer may be a 5xx, every refusal must be a 409, and the
database must say exactly what the accepted requests say (see ``verify``).
"""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache


def _bench() -> Any:
    # Loaded from its file: bench/ holds scripts, not a package.
    path = Path(__file__).resolve().parents[2] / "bench" / "concurrency.py"
    spec = importlib.util.spec_from_file_location("bench_concurrency", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


bench = _bench()

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def no_throttling(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": None, "token": None},
    }
    cache.clear()


def test_conflicting_edits_and_moves_lose_nothing_and_are_refused_with_409(
    live_server, no_throttling
):
    scene = bench.make_scene(n_people=8, n_claims=3)
    records, elapsed = bench.run_clients(live_server.url, scene, requests=10, seed=7)
    report = bench.verify(scene, records, elapsed)
    assert not report.failures, bench.summary(report)
    statuses = Counter(r.status for r in report.writes)
    # Both happened: changes were made, and people were told someone else had been first.
    assert statuses[200] + statuses[201] > 0 and statuses[409] > 0, statuses
    assert set(statuses) <= {200, 201, 409}, statuses

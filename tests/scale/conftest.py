"""Fixtures for the scale tests: this run's keys in the test Redis (tests/scale/redis_server.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.scale.redis_server import RedisRun, redis_url_or_skip


@pytest.fixture(scope="session")
def redis_run() -> Iterator[RedisRun]:
    """The test Redis, skipped (or failed, in CI) without one; every key the run wrote under
    its prefix is deleted at the end."""
    run = RedisRun(redis_url_or_skip())
    try:
        yield run
    finally:
        run.close()

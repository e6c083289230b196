"""The test Redis: where the Redis variants of the scale tests find it, and their keys in it.

``WORKBENCH_TEST_REDIS_URL`` names it, with a database of its own (``redis://127.0.0.1:6379/15``;
.ci/run sets that). Without the variable the Redis tests are skipped on a developer's machine
and fail in CI (CI=true), where a missing Redis must never pass for a green run; a Redis the
variable names that does not answer fails everywhere.

The server may be shared (with other test runs, other projects): each run writes only under a
key prefix of its own and deletes its own keys afterwards. Never ``cache.clear()`` here: Django's
Redis backend clears with FLUSHDB, every key of the database, whoever wrote it.
"""

from __future__ import annotations

import os
import uuid

import pytest
import redis

ENV = "WORKBENCH_TEST_REDIS_URL"


def redis_url_or_skip() -> str:
    """The test Redis's URL, once it has answered a PING."""
    url = os.environ.get(ENV, "").strip()
    if not url:
        message = (
            f"{ENV} is not set: the Redis variants need a Redis server "
            f"(e.g. {ENV}=redis://127.0.0.1:6379/15)."
        )
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{message} CI must run the Redis tests.", pytrace=False)
        pytest.skip(message)
    if not url.startswith(("redis://", "rediss://")):
        pytest.fail(f"{ENV}={url!r} is not a redis:// or rediss:// URL.", pytrace=False)
    client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    except redis.RedisError as e:
        pytest.fail(f"The Redis at {ENV}={url} does not answer: {e}", pytrace=False)
    finally:
        client.close()
    return url


class RedisRun:
    """One test run's keys in the test Redis: all under ``prefix`` (unique to the run)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.prefix = f"workbench-test-{uuid.uuid4().hex[:12]}"
        self.client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)

    def key_prefix(self, name: str) -> str:
        """A KEY_PREFIX for one part of the run, inside the run's own."""
        return f"{self.prefix}-{name}"

    def keys(self, prefix: str | None = None) -> list[str]:
        """The keys under ``prefix`` (the whole run's by default), as Django writes them:
        ``<KEY_PREFIX>:<version>:<key>``."""
        pattern = f"{prefix or self.prefix}*"
        return sorted(k.decode() for k in self.client.scan_iter(match=pattern, count=500))

    def delete_keys(self, prefix: str | None = None) -> None:
        """Delete the keys under ``prefix`` (the whole run's by default), and no others."""
        keys = self.keys(prefix)
        for start in range(0, len(keys), 500):
            self.client.delete(*keys[start : start + 500])

    def close(self) -> None:
        self.delete_keys()
        self.client.close()

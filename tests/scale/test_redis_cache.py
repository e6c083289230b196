"""Redis as the shared cache: Django's cache API through ``cache_from_url("redis://...")``
against a real server, the settings choosing it from the environment, and what happens when
the test Redis is missing (skipped on a developer's machine, a failure in CI).

The two-app-server checks over Redis are in test_stateless_app_servers.py.
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from django.core.cache import CacheHandler
from django.core.cache.backends.base import BaseCache

from tests.production.test_settings import settings_json
from tests.scale import redis_server
from tests.scale.redis_server import RedisRun
from workbench.settings import cache_from_url

ROOT = Path(__file__).resolve().parents[2]


def redis_cache(url: str, key_prefix: str) -> BaseCache:
    """A cache from the settings' own URL parsing, with a client of its own (as in another
    process): each CacheHandler builds its own connections."""
    return CacheHandler({"default": cache_from_url(url, key_prefix=key_prefix)})["default"]


def test_the_cache_api_works_through_a_redis_cache_url(redis_run: RedisRun):
    prefix = redis_run.key_prefix("cache-api")
    cache = redis_cache(redis_run.url, prefix)
    other = redis_cache(redis_run.url, prefix)  # another app server, say
    assert type(cache).__name__ == "RedisCache"
    try:
        cache.set("feed:page:1", {"etag": "abc", "body": "[]"}, timeout=60)
        assert other.get("feed:page:1") == {"etag": "abc", "body": "[]"}
        assert redis_run.keys(prefix) == [f"{prefix}:1:feed:page:1"]  # <prefix>:<version>:<key>
        assert 0 < redis_run.client.ttl(f"{prefix}:1:feed:page:1") <= 60

        assert cache.add("feed:page:1", "second") is False
        assert cache.get("missing", "default") == "default"

        # Counters are shared and atomic: what DRF's throttle and anything else counting need.
        cache.set("hits", 0)
        assert other.incr("hits") == 1
        assert cache.incr("hits", 5) == 6
        assert other.decr("hits", 2) == 4
        assert cache.get("hits") == 4
        with pytest.raises(ValueError):
            cache.incr("no-such-counter")

        cache.set_many({"a": 1, "b": [2]})
        assert other.get_many(["a", "b", "c"]) == {"a": 1, "b": [2]}

        # Another deployment sharing the server (its own WORKBENCH_CACHE_KEY_PREFIX) sees none
        # of this one's keys.
        neighbour = redis_cache(redis_run.url, redis_run.key_prefix("neighbour"))
        assert neighbour.get("hits") is None

        assert other.delete("feed:page:1") is True
        assert cache.get("feed:page:1") is None
        cache.delete_many(["hits", "a", "b"])
        assert redis_run.keys(prefix) == []
    finally:
        redis_run.delete_keys(prefix)


def test_production_settings_take_the_cache_and_sessions_from_redis_url(redis_run: RedisRun):
    """REDIS_URL alone (no WORKBENCH_CACHE_URL) selects Redis; sessions in the cache are then
    allowed with DEBUG off, and the cache is the server's."""
    prefix = redis_run.key_prefix("settings")
    try:
        values = settings_json(
            "{'cache': s.CACHES['default'], 'sessions': s.SESSION_ENGINE}",
            before="from django.core.cache import cache; cache.set('written-by-settings', 42); ",
            REDIS_URL=redis_run.url,
            WORKBENCH_CACHE_KEY_PREFIX=prefix,
            WORKBENCH_SESSION_ENGINE="cached_db",
        )
        assert values["cache"] == {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "KEY_PREFIX": prefix,
            "LOCATION": redis_run.url,
        }
        assert values["sessions"] == "django.contrib.sessions.backends.cached_db"
        assert redis_cache(redis_run.url, prefix).get("written-by-settings") == 42
    finally:
        redis_run.delete_keys(prefix)


def test_without_a_test_redis_the_redis_tests_skip_outside_ci(monkeypatch):
    monkeypatch.delenv(redis_server.ENV, raising=False)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="WORKBENCH_TEST_REDIS_URL is not set"):
        redis_server.redis_url_or_skip()


def test_without_a_test_redis_the_redis_tests_fail_in_ci(monkeypatch):
    monkeypatch.delenv(redis_server.ENV, raising=False)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI must run the Redis tests"):
        redis_server.redis_url_or_skip()


@pytest.mark.parametrize("ci", ["true", ""])
def test_a_test_redis_that_does_not_answer_fails_everywhere(monkeypatch, ci):
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv(redis_server.ENV, f"redis://127.0.0.1:{port}/15")
    monkeypatch.setenv("CI", ci)
    with pytest.raises(pytest.fail.Exception, match="does not answer"):
        redis_server.redis_url_or_skip()


def test_a_test_redis_url_must_be_a_redis_url(monkeypatch):
    monkeypatch.setenv(redis_server.ENV, "127.0.0.1:6379")
    with pytest.raises(pytest.fail.Exception, match="not a redis:// or rediss:// URL"):
        redis_server.redis_url_or_skip()

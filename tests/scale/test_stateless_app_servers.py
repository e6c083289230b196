"""App servers keep no state of their own: two gunicorn processes behind one address serve
the same people, whichever one answers.

Two real gunicorn processes (the repository's gunicorn.conf.py, one worker each) on two ports
share the test database: a sign-in through one is valid on the other, a sign-out through the
other ends it on the first, and DRF's throttle counts requests to both together because the
cache is shared. Django's test client cannot show this: it runs in one process.

Each check runs with each shared setup a deployment may choose (docs/scaling.md): the cache in
the database and sessions in the database; the cache in Redis and sessions in ``cached_db``
(Redis in front of the database); the cache in Redis and sessions in it alone (``cache``).
The Redis ones need the test Redis (tests/scale/redis_server.py: skipped without
WORKBENCH_TEST_REDIS_URL, a failure in CI).
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from tests.factories import UserFactory
from tests.scale.redis_server import RedisRun
from workbench.settings import SESSION_ENGINES, cache_from_url, session_engine

ROOT = Path(__file__).resolve().parents[2]
CACHE_TABLE = "workbench_cache_test"
PASSWORD = "correct horse battery staple"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def database_url() -> str:
    """The test database, as the servers must reach it (it holds this test's committed rows)."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = urllib.parse.quote(db["USER"] or "")
    if db.get("PASSWORD"):
        auth += ":" + urllib.parse.quote(db["PASSWORD"])
    return f"postgres://{auth}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


@dataclass(frozen=True)
class Shared:
    """What the app servers share besides the database: the cache, and where sessions live."""

    cache_url: str
    session_engine: str  # a name in workbench.settings.SESSION_ENGINES
    key_prefix: str = "workbench"
    redis: RedisRun | None = None  # the test Redis, when the cache is there

    def session_cache_key(self, session_key: str) -> str:
        """Where Django's cache-backed session engines keep a session in Redis."""
        store = import_module(SESSION_ENGINES[self.session_engine]).SessionStore
        return f"{self.key_prefix}:1:{store.cache_key_prefix}{session_key}"

    def session_in_cache(self, session_key: str) -> bool:
        assert self.redis is not None
        return self.session_cache_key(session_key) in self.redis.keys(self.key_prefix)

    def clear_cache(self) -> None:
        """Forget this setup's cached values (throttle counts from an earlier test of this run);
        in Redis only its own keys, never the whole database."""
        if self.redis is not None:
            self.redis.delete_keys(self.key_prefix)
        else:
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {CACHE_TABLE}")


@pytest.fixture(scope="module", params=["db", "redis-cached_db", "redis-cache"])
def shared(request: pytest.FixtureRequest) -> Iterator[Shared]:
    if request.param == "db":
        yield Shared(cache_url=f"db://{CACHE_TABLE}", session_engine="db")
        return
    redis_run: RedisRun = request.getfixturevalue("redis_run")
    engine = request.param.removeprefix("redis-")
    setup = Shared(redis_run.url, engine, redis_run.key_prefix(engine), redis_run)
    try:
        yield setup
    finally:
        redis_run.delete_keys(setup.key_prefix)


class Server:
    def __init__(self, port: int, log: Path, shared: Shared) -> None:
        self.base = f"http://127.0.0.1:{port}"
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "WORKBENCH_"))}
        env.update(
            DATABASE_URL=database_url(),
            DJANGO_DEBUG="1",
            BIND=f"127.0.0.1:{port}",
            WEB_CONCURRENCY="1",
            GUNICORN_THREADS="1",
            WORKBENCH_CACHE_URL=shared.cache_url,
            WORKBENCH_CACHE_KEY_PREFIX=shared.key_prefix,
            WORKBENCH_SESSION_ENGINE=shared.session_engine,
            WORKBENCH_API_ANON_RATE="4/min",
        )
        self.log = log.open("w")
        self.process = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "-c", "gunicorn.conf.py"],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def wait_until_up(self, deadline: float) -> None:
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"gunicorn exited: {self.log.name}")
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise AssertionError(f"gunicorn did not answer in time: {self.log.name}")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)  # gunicorn's quick shutdown: nothing in flight

    def wait(self) -> None:
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


@pytest.fixture(scope="module")
def servers(
    shared: Shared,
    tmp_path_factory: pytest.TempPathFactory,
    django_db_setup: None,
    django_db_blocker: Any,
) -> Iterator[tuple[Server, Server]]:
    """Started once for each shared setup: starting Django twice is most of this file's time."""
    with (
        django_db_blocker.unblock(),
        override_settings(CACHES={"default": cache_from_url(f"db://{CACHE_TABLE}")}),
    ):
        call_command("createcachetable", verbosity=0)  # committed: the servers must see it
    logs = tmp_path_factory.mktemp("gunicorn")
    started = [Server(free_port(), logs / f"gunicorn-{i}.log", shared) for i in (1, 2)]
    try:
        deadline = time.monotonic() + 90
        for server in started:
            server.wait_until_up(deadline)
        yield started[0], started[1]
    finally:
        for server in started:
            server.stop()
        for server in started:
            server.wait()


class Browser:
    """One person's browser: one cookie jar, whatever server a request goes to."""

    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, url: str) -> tuple[int, str, str]:
        try:
            with self.opener.open(url, timeout=20) as r:
                return r.status, r.geturl(), r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, url, e.read().decode()

    def post(self, url: str, data: dict[str, str]) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data).encode()
        with self.opener.open(urllib.request.Request(url, data=body), timeout=20) as r:
            return r.status, r.geturl(), r.read().decode()

    def csrf(self) -> str:
        return next(c.value or "" for c in self.jar if c.name == "csrftoken")

    def session_key(self) -> str | None:
        return next((c.value for c in self.jar if c.name == "sessionid"), None)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_session_started_on_one_app_server_is_valid_on_another(servers, shared, settings):
    # The servers check passwords with the default hasher, not the tests' fast one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    UserFactory(username="alice", roles=["reviewer"], password=PASSWORD)
    a, b = servers
    browser = Browser()

    status, _, page = browser.get(a.base + "/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert status == 200 and token
    status, landed, _ = browser.post(
        a.base + "/accounts/login/",
        {"username": "alice", "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)},
    )
    assert status == 200 and "/accounts/login/" not in landed
    session_key = browser.session_key()
    assert session_key
    # The session is where the setup says: in the database, in Redis, or in both.
    in_database = Session.objects.filter(session_key=session_key).exists()
    assert in_database is (shared.session_engine != "cache")
    if shared.redis is not None:
        assert shared.session_in_cache(session_key), "the session is not in Redis"

    status, landed, _ = browser.get(b.base + "/")
    assert status == 200 and "/accounts/login/" not in landed, "B does not know A's session"

    browser.post(b.base + "/accounts/logout/", {"csrfmiddlewaretoken": browser.csrf()})
    _, landed, _ = browser.get(a.base + "/")
    assert "/accounts/login/" in landed, "A still honours a session ended on B"
    assert not Session.objects.filter(session_key=session_key).exists()
    if shared.redis is not None:
        assert not shared.session_in_cache(session_key), "Redis keeps a session ended on B"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_api_throttle_counts_requests_to_every_app_server_together(servers, shared):
    a, b = servers
    shared.clear_cache()  # counts from an earlier test of this run
    client = Browser()
    answers = [client.get(server.base + "/api/v1/published/")[0] for server in (a, b, a, b)]
    assert answers == [200, 200, 200, 200]
    # Four a minute allowed in all: a fifth is refused whichever server gets it.
    assert client.get(a.base + "/api/v1/published/")[0] == 429
    assert client.get(b.base + "/api/v1/published/")[0] == 429
    if shared.redis is not None:  # counted in Redis, not somewhere else that happens to work
        assert any(":throttle_anon_" in key for key in shared.redis.keys(shared.key_prefix))


def test_cache_urls_select_each_backend():
    assert cache_from_url("locmem://")["BACKEND"].endswith("LocMemCache")
    db = cache_from_url("db://workbench_cache", key_prefix="desk")
    assert db == {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "KEY_PREFIX": "desk",
        "LOCATION": "workbench_cache",
    }
    assert cache_from_url("dummy://")["BACKEND"].endswith("DummyCache")


@pytest.mark.parametrize("url", ["memcached://x", "workbench_cache", "db://", "db://a;drop"])
def test_a_cache_url_that_means_nothing_is_refused(url):
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        cache_from_url(url)


def test_redis_without_its_package_is_refused_at_start_not_at_first_request(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    assert cache_from_url("redis://127.0.0.1:6379/0") == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "KEY_PREFIX": "workbench",
        "LOCATION": "redis://127.0.0.1:6379/0",
    }
    # An environment without the package (one not built by `make env`): find_spec sees None.
    monkeypatch.setitem(sys.modules, "redis", None)
    with pytest.raises(ImproperlyConfigured, match="redis package"):
        cache_from_url("redis://127.0.0.1:6379/0")


def test_sessions_in_a_per_process_cache_are_refused_in_production():
    from django.core.exceptions import ImproperlyConfigured

    local = cache_from_url("locmem://")
    for name in ("cache", "cached_db"):
        with pytest.raises(ImproperlyConfigured, match="not shared between processes"):
            session_engine(name, local, debug=False)
        assert session_engine(name, local, debug=True) == SESSION_ENGINES[name]
        assert session_engine(name, cache_from_url("db://c"), debug=False) == SESSION_ENGINES[name]
    assert session_engine("db", local, debug=False) == "django.contrib.sessions.backends.db"

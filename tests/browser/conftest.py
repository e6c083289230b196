"""Browser tests: Playwright driving Debian's Chromium against Django's live server.

Chromium is the system one at /usr/bin/chromium (no browser download). Where it is missing
the browser tests are skipped on a developer's machine, and fail in CI (CI=true), where a
missing browser must never pass for a green run.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make to
# set up data are safe here (nothing else runs in this thread at the time).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
PASSWORD = "correct horse battery staple"


def chromium_or_skip() -> None:
    if CHROMIUM.exists():
        return
    message = f"Chromium is not installed at {CHROMIUM} (apt-get install -y chromium)."
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{message} CI must run the browser tests.", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session", autouse=True)
def _seed_snapshot(request: pytest.FixtureRequest, django_db_blocker: Any) -> str:
    """The database as migrations leave it (roles, rating scale, annotation labels).

    Browser tests are transactional, so the database is emptied after each; Django's
    serialized rollback would restore it, but it keeps the snapshot on the connection object
    of the context that set the database up, and once Playwright's sync API runs, Django
    hands this thread another connection object (asgiref's context-local storage) without
    it. So the snapshot is taken here, before any browser starts (session-scoped autouse
    fixtures come first), and ``_seed_data`` restores it."""
    from django.db import connections

    if not any("live_server" in getattr(i, "fixturenames", ()) for i in request.session.items):
        return ""  # no browser test in this run: no test database to snapshot
    request.getfixturevalue("django_db_setup")
    saved = getattr(connections["default"], "_test_serialized_contents", None)
    if saved is None:
        with django_db_blocker.unblock():
            saved = connections["default"].creation.serialize_db_to_string()
    return saved


@pytest.fixture(autouse=True)
def _seed_data(request: pytest.FixtureRequest, _seed_snapshot: str) -> None:
    if "live_server" not in request.fixturenames:
        return
    request.getfixturevalue("transactional_db")
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connections

    connection = connections["default"]
    # With the snapshot on this connection object too, Django's teardown empties the tables
    # without re-running post_migrate, and the next test's setup restores the snapshot.
    connection._test_serialized_contents = _seed_snapshot  # type: ignore[attr-defined]
    if not Group.objects.exists():
        # Emptied by an earlier transactional test that did not restore it: start clean.
        call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
        connection.creation.deserialize_db_from_string(_seed_snapshot)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    chromium_or_skip()
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "headless": True,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_context_args,
        "viewport": {"width": 1440, "height": 900},
        "locale": "en-GB",
        "timezone_id": "UTC",
    }


@pytest.fixture
def sign_in(browser, live_server, browser_context_args) -> Iterator[Callable[..., Any]]:
    """A new browser context signed in as ``user`` through the sign-in form."""
    contexts = []

    def open_as(user: Any | None, *, width: int = 1440, height: int = 900) -> Any:
        context = browser.new_context(
            **{**browser_context_args, "viewport": {"width": width, "height": height}}
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on(
            "console",
            lambda msg: (
                errors.append(msg.text)
                # A refused action is a 4xx the tests expect; JavaScript errors are not.
                if msg.type == "error" and "Failed to load resource" not in msg.text
                else None
            ),
        )
        page.js_errors = errors  # type: ignore[attr-defined]
        if user is not None:
            page.goto(f"{live_server.url}/accounts/login/")
            page.get_by_label("Username").fill(user.get_username())
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url(f"{live_server.url}/")
        return page

    yield open_as
    for context in contexts:
        context.close()


@pytest.fixture
def article(reviewer: Any, sample_text: str) -> Any:
    """The sample article, imported and extracted (the browser tests' usual start)."""
    from claims import services

    return services.article_import(actor=reviewer, text=sample_text, outlet="WSWS").article


def shoot(page: Any, name: str, *, full_page: bool = False) -> Path:
    """Save a screenshot as a test artefact (test-artifacts/screenshots/, gitignored)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def axe_violations(page: Any, impacts: tuple[str, ...] = ("serious", "critical")) -> list[str]:
    """Run axe-core in the page (evaluated through the DevTools protocol, so the page's CSP,
    which forbids inline scripts, does not block it) and return the serious and critical
    violations, each with the elements it names."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
              nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}));
        }"""
    )
    return [
        f"{v['impact']}: {v['id']} ({v['help']}) at {json.dumps(v['nodes'])}"
        for v in result
        if v["impact"] in impacts
    ]


def select_text(page: Any, needle: str, *, occurrence: int = 0) -> None:
    """Select ``needle`` in the article as a person dragging the mouse would, then release."""
    found = page.evaluate(
        """([needle, occurrence]) => {
            const root = document.getElementById('article-text');
            const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
            let seen = 0;
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
              const at = node.data.indexOf(needle);
              if (at >= 0 && seen++ === occurrence) {
                const range = document.createRange();
                range.setStart(node, at);
                range.setEnd(node, at + needle.length);
                const sel = window.getSelection();
                sel.removeAllRanges();
                sel.addRange(range);
                const r = range.getBoundingClientRect();
                document.dispatchEvent(new MouseEvent('mouseup', {bubbles: true,
                  clientX: r.right, clientY: r.bottom}));
                return true;
              }
            }
            return false;
        }""",
        [needle, occurrence],
    )
    assert found, f"{needle!r} is not in the article text"


def claim_pk_for(article: Any, needle: str) -> int:
    claim = next(c for c in article.claims.active() if needle in c.text)
    return claim.pk


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")

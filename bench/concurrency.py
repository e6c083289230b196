"""Concurrency under load: conflicting edits and workflow moves on the same few claims.

    .venv/bin/python bench/concurrency.py [--duration 20] [--clients 8] [--claims 3]
                                          [--workers 4] [--threads 2] [--keep-db]

Creates a fresh PostgreSQL database (``workbench_concurrency`` on 127.0.0.1, as postgres),
migrates it, and through the services makes reviewers and editors, their API tokens and a few
claims of one article in chosen states (new, in review, proposed). It then starts gunicorn
with the repository's gunicorn.conf.py (DEBUG off, gthread workers, throttling off) and runs
``--clients`` client threads for ``--duration`` seconds. Each is one person (reviewers and
editors alternate) doing, on a claim picked at random among the few, what their role allows
in the state they last saw: reviewers edit the claims they are on, assign themselves,
comment, rate, propose and dismiss; editors assign reviewers, approve, send back, publish,
correct, retract, dismiss and reopen. They send the version they last saw, and a third of
the time act on what they saw before instead of reloading, so they collide all the time.
Every request and response is recorded.

Then it checks, against the database:

* no response is a 5xx, and every refusal is a 409 problem (stale version, transition not
  allowed, conflict) — never a 400 or a 403, since each person only does what their role
  allows;
* for each claim, its version went up by exactly the number of accepted version-changing
  requests, and its history gained exactly one row per accepted request (counted per person
  and action), none for a refused one;
* every accepted request is in the history with the value it sent (an edit's speaker, a
  reason, the reviewer assigned), and nothing a refused request sent is anywhere;
* the history is one unbroken chain of statuses, whose last is the claim's status, and the
  claim's speaker is the one the last accepted edit set (no lost update);
* comments and ratings are exactly the accepted ones (a person's last accepted rating wins);
* the current verdict's state agrees with the claim's status.

It prints the counts (requests, accepted, refusals by code, per action) and the checks, and
exits 1 if any failed. tests/security/test_concurrency_api.py runs a smaller version (a
fixed number of requests per client) against the test server, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432"
DB_NAME = "workbench_concurrency"
LABELS = ("true", "mostly-true", "half-true", "mostly-false", "false")

# API action → (history action it writes, whether it moves the claim's version).
ACTIONS: dict[str, tuple[str, bool]] = {
    "edit": ("edited", True),
    "assign": ("assigned", True),
    "propose": ("proposed", True),
    "approve": ("approved", True),
    "request-changes": ("changes_requested", True),
    "publish": ("published", True),
    "correct": ("correction_proposed", True),
    "approve-correction": ("corrected", True),
    "reject-correction": ("correction_rejected", True),
    "retract": ("retracted", True),
    "dismiss": ("dismissed", True),
    "reopen": ("reopened", True),
    "comment": ("commented", False),
    "rate": ("rated", False),
}
# What a person of each role does in each status they see (weights: the workflow must keep
# moving round, through every state, for the run to exercise every move).
REVIEWER_MENU: dict[str, list[tuple[str, int]]] = {
    "new": [("edit", 3), ("assign", 4), ("comment", 2), ("dismiss", 1)],
    "in_review": [("edit", 3), ("assign", 2), ("comment", 2), ("rate", 3), ("propose", 5)],
    "changes_requested": [("edit", 2), ("comment", 2), ("rate", 2), ("propose", 4)],
    "proposed": [("comment", 1)],
    "approved": [("comment", 1)],
    "published": [("comment", 1)],
    "corrected": [("comment", 1)],
}
EDITOR_MENU: dict[str, list[tuple[str, int]]] = {
    "new": [("assign", 4), ("edit", 1), ("dismiss", 1)],
    "in_review": [("assign", 2), ("edit", 1)],
    "changes_requested": [("assign", 1)],
    "proposed": [("approve", 4), ("request-changes", 2)],
    "approved": [("publish", 4), ("request-changes", 1)],
    "published": [
        ("correct", 2),
        ("approve-correction", 2),
        ("reject-correction", 1),
        ("retract", 2),
    ],
    "corrected": [
        ("correct", 1),
        ("approve-correction", 2),
        ("reject-correction", 1),
        ("retract", 2),
    ],
    "dismissed": [("reopen", 3)],
    "retracted": [("reopen", 3)],
}
REFUSAL_CODES = {"stale-version", "transition-not-allowed", "conflict"}
# A claim's status → the state its current verdict must be in (statuses not listed: any).
VERDICT_FOR_STATUS = {
    "proposed": "proposed",
    "approved": "approved",
    "changes_requested": "changes_requested",
    "published": "published",
    "corrected": "published",
    "retracted": "retracted",
}


# --- the people and claims ------------------------------------------------------------------


@dataclass
class Person:
    username: str
    role: str  # "reviewer" or "editor"
    token: str


@dataclass
class Scene:
    people: list[Person]
    claims: list[int]
    # Before the run: each claim's version and the last history row's id.
    versions: dict[int, int]
    last_history_id: int
    reviewers: list[str]


def make_scene(n_people: int = 8, n_claims: int = 3) -> Scene:
    """Reviewers and editors (alternating) with tokens; claims of one article in review
    states, made through the services. Needs Django set up."""
    from django.contrib.auth.models import Group, User

    from claims import services
    from claims.models import Article, Claim, ClaimHistory
    from workbench.tokens import create_token

    names = ["alice", "erin", "bob", "frank", "carol", "grace", "dave", "heidi"]
    names += [f"person{i}" for i in range(len(names), n_people)]
    groups = {g.name: g for g in Group.objects.filter(name__in=["reviewer", "editor"])}
    people = []
    for i, name in enumerate(names[:n_people]):
        role = "reviewer" if i % 2 == 0 else "editor"
        user, _ = User.objects.get_or_create(username=name, defaults={"first_name": name.title()})
        user.groups.add(groups[role])
        people.append(Person(name, role, create_token(user)[1]))
    users = {u.username: u for u in User.objects.filter(username__in=[p.username for p in people])}
    reviewers = [p.username for p in people if p.role == "reviewer"]
    editors = [p.username for p in people if p.role == "editor"]

    sentences = [
        f"At least {10 + i} soldiers were killed on day {i}, the ministry said."
        for i in range(n_claims)
    ]
    text = "Border clashes\n\n" + " ".join(sentences) + "\n"
    article = services.article_import(actor=users[reviewers[0]], text=text, extract=False).article
    article = Article.objects.get(pk=article.pk)
    claims = []
    for i, sentence in enumerate(sentences):
        start = article.text.index(sentence)
        claim = services.claim_add(
            actor=users[reviewers[0]],
            article=article,
            start=start,
            end=start + len(sentence),
            types=["casualty"],
            speaker="the ministry",
        )
        # Chosen states: new, in review, proposed, then again.
        if i % 3 >= 1:
            services.claim_assign(
                actor=users[editors[0]], claim=claim, reviewer=users[reviewers[0]]
            )
        if i % 3 == 2:
            from annotations import services as notes

            # A reviewer proposes once they have rated (blind review).
            notes.rating_submit(
                actor=users[reviewers[0]], claim=claim, label="false", justification="Data."
            )
            services.claim_propose(
                actor=users[reviewers[0]],
                claim=claim,
                label="false",
                summary="The figure is inflated.",
                justification="Ministry data differ.",
            )
        claims.append(claim.pk)
    versions = dict(Claim.objects.filter(pk__in=claims).values_list("pk", "version"))
    last = ClaimHistory.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    return Scene(people, claims, versions, last, reviewers)


# --- the clients ----------------------------------------------------------------------------


@dataclass
class Record:
    client: str
    claim: int
    action: str  # "get" or an ACTIONS key
    method: str
    path: str
    sent: dict[str, Any]
    status: int
    body: Any
    seconds: float
    token: str = ""  # the unique value this request carried, to find it afterwards
    error: str = ""


@dataclass
class Seen:
    version: int
    status: str
    assignees: set[str]
    corrector: str | None = None  # who proposed the correction waiting, if any


class Worker(threading.Thread):
    """One person: picks a claim, sees it (or acts on what it saw before), does something."""

    def __init__(
        self,
        base: str,
        person: Person,
        scene: Scene,
        *,
        seed: int,
        until: float | None,
        requests: int | None,
        stale: float = 0.33,
    ) -> None:
        super().__init__(name=person.username, daemon=True)
        url = urllib.parse.urlsplit(base)
        self.host, self.port = url.hostname or "127.0.0.1", url.port or 80
        self.person, self.scene = person, scene
        self.random = random.Random(seed)
        self.until, self.requests, self.stale = until, requests, stale
        self.records: list[Record] = []
        self.seen: dict[int, Seen] = {}
        # The version of this person's own rating of each claim (0: not rated yet): the API
        # requires it, as it requires a claim's version for a move.
        self.rated: dict[int, int] = {}
        self.counter = 0

    def call(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None,
        *,
        claim: int,
        action: str,
        token: str = "",
    ) -> Record:
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Authorization": f"Token {self.person.token}", "Accept": "application/json"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        started = time.perf_counter()
        # A connection per request: a retried write could apply twice, and knowing whether a
        # kept-alive connection dropped before or after the server read it is guesswork.
        connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        try:
            connection.request(method, path, body=data, headers=headers)
            response = connection.getresponse()
            raw = response.read()
            status = response.status
            try:
                parsed: Any = json.loads(raw) if raw else None
            except ValueError:
                parsed = raw[:500].decode("utf-8", "replace")
            error = ""
        except (OSError, http.client.HTTPException) as exc:
            status, parsed, error = 0, None, f"{type(exc).__name__}: {exc}"
        finally:
            connection.close()
        record = Record(
            self.person.username,
            claim,
            action,
            method,
            path,
            body or {},
            status,
            parsed,
            time.perf_counter() - started,
            token,
            error,
        )
        self.records.append(record)
        return record

    def look(self, claim: int) -> Seen | None:
        record = self.call("GET", f"/api/v1/claims/{claim}/", None, claim=claim, action="get")
        if record.status != 200 or not isinstance(record.body, dict):
            return None
        body = record.body
        pending = body.get("pending_correction")
        seen = Seen(
            body["version"],
            body["status"],
            {a["username"] for a in body["assignees"]},
            pending["proposed_by"] if pending else None,
        )
        self.seen[claim] = seen
        return seen

    def unique(self, what: str) -> str:
        # Bracketed, so that no token is part of another ("[alice-1]" is not in "[alice-10]").
        self.counter += 1
        return f"{what} [{self.person.username}-{self.counter}]"

    def done(self, actions: int) -> bool:
        if self.requests is not None:
            return actions >= self.requests
        return time.monotonic() >= (self.until or 0)

    def run(self) -> None:
        actions = 0
        while not self.done(actions):
            claim = self.random.choice(self.scene.claims)
            seen = self.seen.get(claim)
            if seen is None or self.random.random() >= self.stale:
                seen = self.look(claim)
                if seen is None:
                    continue
            choice = self.choose(seen, claim)
            if choice is None:
                self.seen.pop(claim, None)  # nothing to do in that state: look again next time
                actions += 1  # a turn all the same: a fixed-size run must end
                continue
            self.act(claim, seen, *choice)
            actions += 1

    def choose(self, seen: Seen, claim: int = 0) -> tuple[str, str | None] | None:
        me = self.person.username
        menu = (REVIEWER_MENU if self.person.role == "reviewer" else EDITOR_MENU).get(
            seen.status, []
        )
        options: list[tuple[tuple[str, str | None], int]] = []
        for action, weight in menu:
            if self.person.role == "reviewer":
                # Only what a reviewer's role allows: editing, proposing and rating need the
                # claim to be theirs (nobody is ever taken off a claim, so that cannot change
                # under them; a claim nobody is on may be taken by another reviewer before
                # their edit lands), and they assign only themselves.
                if action in ("edit", "propose", "rate") and me not in seen.assignees:
                    continue
                if action == "propose" and not self.rated.get(claim, 0):
                    continue  # a reviewer proposes only once they have rated (blind review)
                if action == "assign":
                    if me in seen.assignees:
                        continue
                    options.append((("assign", me), weight))
                    continue
            elif action == "approve-correction" and seen.corrector in (None, me):
                continue  # nothing waiting, or their own: four-eyes
            elif action == "reject-correction" and seen.corrector is None:
                continue
            elif action == "correct" and seen.corrector is not None:
                continue  # one correction waits at a time
            elif action == "assign":
                free = [r for r in self.scene.reviewers if r not in seen.assignees]
                if not free:
                    continue
                options.append((("assign", self.random.choice(free)), weight))
                continue
            options.append(((action, None), weight))
        if not options:
            return None
        return self.random.choices([o for o, _ in options], [w for _, w in options])[0]

    def act(self, claim: int, seen: Seen, action: str, reviewer: str | None) -> None:
        base = f"/api/v1/claims/{claim}/"
        # Every change carries the version the person saw (the API requires it); acting on
        # an old look (``stale``) is how a run meets 409s.
        version = seen.version
        token = ""
        if action == "edit":
            token = self.unique("Speaker")
            method, path, body = "PATCH", base, {"version": version, "speaker": token}
        elif action == "assign":
            token = reviewer or ""
            method, path, body = (
                "POST",
                base + "assign/",
                {"version": version, "reviewer": reviewer},
            )
        elif action == "propose":
            token = self.unique("Summary")
            method, path, body = (
                "POST",
                base + "propose/",
                {
                    "version": version,
                    "label": self.random.choice(LABELS),
                    "summary": token,
                    "justification": "Checked against the ministry's data.",
                },
            )
        elif action in ("approve", "publish", "approve-correction"):
            method, path, body = "POST", base + f"{action}/", {"version": version}
        elif action in ("request-changes", "retract", "dismiss", "reopen", "reject-correction"):
            token = self.unique("Reason")
            method, path, body = "POST", base + f"{action}/", {"version": version, "reason": token}
        elif action == "correct":
            token = self.unique("Note")
            method, path, body = "POST", base + "correct/", {"version": version, "note": token}
        elif action == "comment":
            token = self.unique("Comment")
            method, path, body = "POST", base + "comments/", {"body": token}
        elif action == "rate":
            token = self.unique("Justification")
            method, path, body = (
                "POST",
                base + "ratings/",
                {
                    "label": self.random.choice(LABELS),
                    "justification": token,
                    "confidence": self.random.randint(1, 5),
                    "version": self.rated.get(claim, 0),
                },
            )
        else:
            raise ValueError(action)
        body = {k: v for k, v in body.items() if v is not None}
        record = self.call(method, path, body, claim=claim, action=action, token=token)
        if action == "rate" and record.status == 201 and isinstance(record.body, dict):
            self.rated[claim] = record.body["own"]["version"]
        if (
            record.status in (200, 201)
            and isinstance(record.body, dict)
            and "version" in (record.body)
        ):
            body_ = record.body
            self.seen[claim] = Seen(
                body_["version"],
                body_["status"],
                {a["username"] for a in body_.get("assignees", [])},
            )
        elif record.status == 409:
            self.seen.pop(claim, None)  # told it is out of date: look again


def run_clients(
    base: str,
    scene: Scene,
    *,
    duration: float | None = None,
    requests: int | None = None,
    seed: int = 1,
) -> tuple[list[Record], float]:
    """Every person at once: for ``duration`` seconds, or ``requests`` actions each."""
    until = time.monotonic() + duration if duration is not None else None
    workers = [
        Worker(base, person, scene, seed=seed * 1000 + i, until=until, requests=requests)
        for i, person in enumerate(scene.people)
    ]
    started = time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    elapsed = time.perf_counter() - started
    return [r for w in workers for r in w.records], elapsed


# --- what the records say, and what the database says ---------------------------------------


@dataclass
class Report:
    records: list[Record]
    elapsed: float
    failures: list[str] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)

    @property
    def writes(self) -> list[Record]:
        return [r for r in self.records if r.action != "get"]

    @property
    def accepted(self) -> list[Record]:
        return [r for r in self.writes if r.status in (200, 201)]


def problem_code(record: Record) -> str:
    return record.body.get("code", "") if isinstance(record.body, dict) else ""


def verify(scene: Scene, records: list[Record], elapsed: float) -> Report:
    """Check the responses, then the database against the accepted requests. Needs Django."""
    from annotations.models import Comment, Rating
    from claims import services
    from claims.models import Claim, ClaimHistory, Verdict

    report = Report(records, elapsed)
    fail = report.failures.append

    # -- the responses --
    for r in records:
        if r.error:
            fail(f"{r.client} {r.method} {r.path}: no response ({r.error})")
        elif r.status >= 500:
            fail(f"{r.client} {r.method} {r.path}: {r.status} {str(r.body)[:200]}")
        elif r.action == "get" and r.status != 200:
            fail(f"{r.client} GET {r.path}: {r.status}")
        elif r.action != "get" and r.status not in (200, 201, 409):
            fail(
                f"{r.client} {r.action} {r.path}: {r.status} {problem_code(r)} "
                f"{str(r.body)[:200]} (sent {r.sent})"
            )
        elif r.status == 409 and problem_code(r) not in REFUSAL_CODES:
            fail(f"{r.client} {r.action}: 409 without a known problem code: {r.body}")
    report.checks.append("responses: no 5xx, no answer missing, every refusal a 409 problem")

    # -- the database, claim by claim --
    accepted = report.accepted
    refused = [r for r in report.writes if r.status == 409]
    history = list(
        ClaimHistory.objects.filter(pk__gt=scene.last_history_id, claim_id__in=scene.claims)
        .select_related("actor")
        .order_by("pk")
    )
    for claim_id in scene.claims:
        claim = Claim.objects.get(pk=claim_id)
        mine = [r for r in accepted if r.claim == claim_id]
        rows = [h for h in history if h.claim_id == claim_id]
        bumps = sum(1 for r in mine if ACTIONS[r.action][1])
        start = scene.versions[claim_id]
        if claim.version != start + bumps:
            fail(
                f"claim {claim_id}: version {claim.version}, expected {start} + {bumps} "
                "accepted version-changing requests"
            )
        said = Counter((r.client, ACTIONS[r.action][0]) for r in mine)
        wrote = Counter((h.actor.username if h.actor else "", h.action) for h in rows)
        if said != wrote:
            fail(
                f"claim {claim_id}: history rows per person and action differ from the "
                f"accepted requests: only accepted {dict(said - wrote)}, only in history "
                f"{dict(wrote - said)}"
            )
        # The statuses chain: each row starts where the one before ended.
        status = None
        for h in rows:
            if status is not None and h.from_status != status:
                fail(
                    f"claim {claim_id}: history row {h.pk} starts at {h.from_status}, "
                    f"but the row before ended at {status}"
                )
            status = h.to_status
        if rows and claim.status != rows[-1].to_status:
            fail(
                f"claim {claim_id}: status {claim.status}, last history row says "
                f"{rows[-1].to_status}"
            )
        # Every accepted request is there with what it sent; nothing refused is anywhere.
        texts = [json.dumps([h.reason, h.changes], ensure_ascii=False) for h in rows]
        for r in mine:
            if (
                r.token
                and r.action not in ("comment", "rate", "propose")
                and not any(r.token in t for t in texts)
            ):
                fail(f"claim {claim_id}: accepted {r.action} {r.token!r} is not in the history")
        edits = [h for h in rows if h.action == "edited" and "speaker" in h.changes]
        if edits and claim.speaker != edits[-1].changes["speaker"]["to"]:
            fail(
                f"claim {claim_id}: speaker {claim.speaker!r}, but the last accepted edit "
                f"set {edits[-1].changes['speaker']['to']!r} (a lost update)"
            )
        verdict = services.current_verdict(claim)
        want = VERDICT_FOR_STATUS.get(claim.status)
        if want and (verdict is None or verdict.state != want):
            fail(
                f"claim {claim_id}: status {claim.status} but its verdict is "
                f"{verdict.state if verdict else None}"
            )
        comments = set(
            Comment.objects.filter(claim_id=claim_id, body__startswith="Comment [").values_list(
                "body", flat=True
            )
        )
        if comments != {r.token for r in mine if r.action == "comment"}:
            fail(f"claim {claim_id}: comments stored differ from the accepted ones")
        for person in scene.reviewers:
            rated = [r for r in mine if r.action == "rate" and r.client == person]
            stored = Rating.objects.filter(claim_id=claim_id, reviewer__username=person).first()
            if rated and (stored is None or stored.justification != rated[-1].token):
                fail(f"claim {claim_id}: {person}'s rating is not their last accepted one")
    everything = (
        json.dumps([[h.reason, h.changes] for h in history], ensure_ascii=False)
        + "".join(Comment.objects.values_list("body", flat=True))
        + "".join(Rating.objects.values_list("justification", flat=True))
        + "".join(Claim.objects.values_list("speaker", flat=True))
        + "".join(Verdict.objects.values_list("summary", flat=True))
    )
    leaked = [r for r in refused if r.token and r.action != "assign" and r.token in everything]
    for r in leaked:
        fail(f"refused {r.action} {r.token!r} left a trace")
    report.checks += [
        "each claim's version = start + accepted version-changing requests",
        "history rows = accepted requests, per claim, person and action",
        "every accepted value is in the history; no refused one anywhere",
        "history statuses chain to the claim's status; speaker = last accepted edit",
        "comments and ratings = the accepted ones; verdict state agrees with the status",
    ]
    return report


# --- printing -------------------------------------------------------------------------------


def summary(report: Report) -> str:
    writes, accepted = report.writes, report.accepted
    lines = [
        f"requests: {len(report.records)} in {report.elapsed:.1f} s "
        f"({len(report.records) / report.elapsed:.0f}/s): {len(writes)} changes, "
        f"{len(report.records) - len(writes)} reads",
        f"accepted: {len(accepted)}; refused with 409: "
        + ", ".join(
            f"{code} {n}"
            for code, n in sorted(
                Counter(problem_code(r) for r in writes if r.status == 409).items()
            )
        ),
        f"5xx: {sum(1 for r in report.records if r.status >= 500)}; other refusals (400, 403, "
        f"...): {sum(1 for r in writes if r.status not in (200, 201, 409, 0))}; "
        f"no answer: {sum(1 for r in report.records if r.status == 0)}",
        "",
        f"{'action':16} {'sent':>6} {'accepted':>9} {'stale':>6} {'not now':>8} "
        f"{'conflict':>9} {'p50 ms':>7} {'p95 ms':>7}",
    ]
    by_action: dict[str, list[Record]] = defaultdict(list)
    for r in report.records:
        by_action[r.action].append(r)
    for action in ["get", *ACTIONS]:
        rs = by_action.get(action, [])
        if not rs:
            continue
        codes = Counter(problem_code(r) for r in rs if r.status == 409)
        times = sorted(r.seconds * 1000 for r in rs)
        p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
        lines.append(
            f"{action:16} {len(rs):6} {sum(1 for r in rs if r.status in (200, 201)):9} "
            f"{codes['stale-version']:6} {codes['transition-not-allowed']:8} "
            f"{codes['conflict']:9} {statistics.median(times):7.1f} {p95:7.1f}"
        )
    lines.append("")
    lines += [f"check: {c}" for c in report.checks]
    if report.failures:
        lines.append(f"FAILED: {len(report.failures)}")
        lines += [f"  {f}" for f in report.failures[:40]]
    else:
        lines.append("all checks passed")
    return "\n".join(lines)


# --- the run --------------------------------------------------------------------------------


def psql(server: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(
    database_url: str, port: int, workers: int, threads: int, log: Path
) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "WORKBENCH_"))}
    env.update(
        DATABASE_URL=database_url,
        DATABASE_CONN_MAX_AGE="600",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="bench-only-not-a-secret-" + "x" * 40,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        WORKBENCH_SSL_REDIRECT="0",
        WORKBENCH_SECURE_COOKIES="0",
        # The clients are the load: a throttle would refuse them with 429s.
        WORKBENCH_API_TOKEN_RATE="off",
        WORKBENCH_API_ANON_RATE="off",
        BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY=str(workers),
        GUNICORN_THREADS=str(threads),
        GUNICORN_MAX_REQUESTS="0",  # no worker restarts in the middle of the run
        GUNICORN_LOG_LEVEL="warning",
        DJANGO_LOG_LEVEL="WARNING",
    )
    return subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "-c",
            "gunicorn.conf.py",
            "--access-logfile",
            "/dev/null",
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )


def wait_up(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"gunicorn exited:\n{log.read_text()[-3000:]}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    sys.exit("gunicorn did not answer /healthz")


def machine() -> str:
    cpu = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return (
        f"{os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}, "
        f"load average {os.getloadavg()[0]:.1f}"
    )


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=20.0, help="seconds (default 20)")
    parser.add_argument("--clients", type=int, default=8, help="client threads (default 8)")
    parser.add_argument("--claims", type=int, default=3, help="claims they share (default 3)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4)")
    parser.add_argument("--threads", type=int, default=2, help="threads per worker (default 2)")
    parser.add_argument("--server", default=DEFAULT_SERVER, help="PostgreSQL server URL")
    parser.add_argument("--database", default=DB_NAME)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep-db", action="store_true", help="do not drop the database")
    args = parser.parse_args(list(argv) if argv is not None else None)

    database_url = f"{args.server}/{args.database}"
    print(f"machine: {machine()}")
    psql(args.server, f'DROP DATABASE IF EXISTS "{args.database}"')
    psql(args.server, f'CREATE DATABASE "{args.database}"')
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        print(f"PostgreSQL {cursor.fetchone()[0]}, database {args.database}")
    scene = make_scene(args.clients, args.claims)
    connection.close()

    port = free_port()
    log = Path(tempfile.gettempdir()) / f"concurrency-gunicorn-{port}.log"
    server = start_server(database_url, port, args.workers, args.threads, log)
    try:
        wait_up(port, server, log)
        print(
            f"gunicorn: {args.workers} workers x {args.threads} threads on port {port}; "
            f"{args.clients} clients ({sum(p.role == 'reviewer' for p in scene.people)} "
            f"reviewers, {sum(p.role == 'editor' for p in scene.people)} editors) on "
            f"{args.claims} claims for {args.duration:.0f} s"
        )
        records, elapsed = run_clients(
            f"http://127.0.0.1:{port}", scene, duration=args.duration, seed=args.seed
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    report = verify(scene, records, elapsed)
    print(summary(report))
    if "Traceback" in log.read_text():
        print(f"(the server logged errors: {log})")
    connection.close()
    if not args.keep_db:
        psql(args.server, f'DROP DATABASE IF EXISTS "{args.database}"')
    return 1 if report.failures else 0


if __name__ == "__main__":
    sys.exit(main())

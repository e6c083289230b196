"""The web pages at newsroom size: queries per page and server time, on PostgreSQL.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/workbench_bench   # see bench/search.py
    .venv/bin/python bench/pages.py [--runs 20]

On the bench dataset (``manage.py generate_dataset``), with DEBUG off, through Django's test
client in this process (no HTTP, no gunicorn): each page is requested once to warm up, then
``--runs`` times; printed are the queries one request makes (CaptureQueriesContext), the
time they took, and the median and slowest server time of the runs.

* the article reader for an article of 60 claims, alone and with a claim's panel open. The
  dataset's articles have 50, so one of 60 is made through the services (claims added by an
  editor, then walked through the workflow by the same calls the UI makes: assigned, rated,
  proposed, approved, published, corrected, dismissed), inside a transaction that is rolled
  back at the end: the dataset is left as it was;
* the dashboard of a reviewer and of an editor (their own queues come from the dataset);
* the editor's view of a claim (proposed, rated by two reviewers, with sources);
* the public list of ratings and a public rating page (a corrected one, with its versions).

Static files are served from the source folders (the manifest storage production uses needs
``collectstatic``); nothing else differs from production settings.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.update(
    DJANGO_SETTINGS_MODULE="workbench.settings",
    DJANGO_DEBUG="0",
    DJANGO_SECRET_KEY="bench-only-not-a-secret-" + "x" * 40,
    DJANGO_ALLOWED_HOSTS="testserver",
    WORKBENCH_SSL_REDIRECT="0",
    WORKBENCH_SECURE_COOKIES="0",
    DATABASE_CONN_MAX_AGE="600",
)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402

from annotations import services as notes  # noqa: E402
from claims import services  # noqa: E402
from claims.models import Article, Claim, ClaimStatus, Verdict  # noqa: E402
from tests.workflow import advance  # noqa: E402

S = ClaimStatus
SIZE = 60
TITLE = "Bench: an article of sixty claims"


class Rollback(Exception):
    pass


def sixty_claim_article(people: dict[str, Any]) -> tuple[Article, Claim]:
    """An article of 60 claims in the states a busy article has, made through the services.
    Returns it and a proposed claim rated by two reviewers (for the editor's view)."""
    editor, reviewer, second_reviewer = people["editor"], people["reviewer"], people["second"]
    sentences = list(
        Claim.objects.filter(status=S.NEW)
        .exclude(text__contains="\n")
        .order_by("pk")
        .values_list("text", flat=True)[:SIZE]
    )
    head = f"{TITLE}\n\n"
    result = services.article_import(
        actor=editor, text=head + " ".join(sentences) + "\n", title=TITLE, extract=False
    )
    article, position, claims = result.article, len(head), []
    for sentence in sentences:
        claims.append(
            services.claim_add(
                actor=editor,
                article=article,
                start=position,
                end=position + len(sentence),
                types=["event"],
            )
        )
        position += len(sentence) + 1
    walk = {"reviewer": reviewer, "editor": editor, "second_editor": people["second_editor"]}
    plan = (
        [S.IN_REVIEW] * 14
        + [S.PROPOSED] * 8
        + [S.CHANGES_REQUESTED] * 2
        + [S.APPROVED] * 4
        + [S.PUBLISHED] * 8
        + [S.CORRECTED] * 3
        + [S.RETRACTED]
        + [S.DISMISSED] * 4
    )
    for claim, status in zip(claims, plan, strict=False):
        advance(claim, status, **walk)
    for claim in claims[:14]:  # a second reviewer, who disagrees, on the claims in review
        services.claim_assign(actor=editor, claim=claim, reviewer=second_reviewer)
        notes.rating_submit(actor=reviewer, claim=claim, label="true", justification="j")
        notes.rating_submit(actor=second_reviewer, claim=claim, label="false", justification="j")
    # The editor's claim: two reviewers disagree, sources, comments, then a proposal. The
    # claims after it stay new.
    focus = claims[len(plan)]
    for who, label in ((reviewer, "mostly-false"), (second_reviewer, "half-true")):
        services.claim_assign(actor=editor, claim=focus, reviewer=who)
        notes.rating_submit(actor=who, claim=focus, label=label, justification="Data differ.")
        notes.comment_add(actor=who, claim=focus, body="See the ministry's own table.")
    for n in range(3):
        notes.source_attach(
            actor=reviewer,
            claim=focus,
            url=f"https://bench.example/{article.pk}/{n}",
            title=f"Report {n}",
            excerpt="The relevant passage.",
        )
    services.claim_propose(
        actor=editor, claim=focus, label="mostly-false", summary="Inflated.", justification="j"
    )
    return article, focus


def measure(client: Client, path: str, runs: int) -> dict[str, Any]:
    response = client.get(path)  # warm: templates, connection, caches
    assert response.status_code == 200, (path, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        client.get(path)
        first = (time.perf_counter() - start) * 1000
    # Now: the next request empties the connection's log, which the context reads from.
    captured = list(queries.captured_queries)
    times = [first]
    for _ in range(runs - 1):
        start = time.perf_counter()
        client.get(path)
        times.append((time.perf_counter() - start) * 1000)
    return {
        "queries": len(captured),
        "sql": sum(float(q["time"]) for q in captured) * 1000,
        "median": statistics.median(times),
        "max": max(times),
        "slowest": sorted(captured, key=lambda q: -float(q["time"]))[:2],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20, help="requests per page")
    parser.add_argument("--show-sql", action="store_true", help="the two slowest queries")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("bench/pages.py measures PostgreSQL: set DATABASE_URL (see the docstring).")
    if Claim.objects.count() < 10_000:
        sys.exit("Run `manage.py generate_dataset` first (see bench/search.py).")
    users = get_user_model().objects
    people = {
        "reviewer": users.get(username="gen-reviewer-01"),
        "second": users.get(username="gen-reviewer-02"),
        "editor": users.get(username="gen-editor-01"),
        "second_editor": users.get(username="gen-editor-02"),
    }
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    print(
        f"# bench/pages.py: {Claim.objects.count():,} claims; PostgreSQL {server}; Python "
        f"{platform.python_version()}; {os.cpu_count()} CPUs; DEBUG {settings.DEBUG}; "
        f"{args.runs} runs per page; load average {os.getloadavg()[0]:.1f} at start"
    )
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    rows = []
    try:
        with transaction.atomic(), override_settings(STORAGES=storages):
            started = time.perf_counter()
            article, proposed = sixty_claim_article(people)
            made = time.perf_counter() - started
            corrected = (
                Verdict.objects.filter(state=Verdict.State.SUPERSEDED)
                .order_by("-claim_id")
                .values_list("claim_id", flat=True)
                .first()
            )
            active = article.claims.active().count()
            print(f"# made the article of {active} claims through the services in {made:.1f} s")
            reviewer, editor, anonymous = Client(), Client(), Client()
            reviewer.force_login(people["reviewer"])
            editor.force_login(people["editor"])
            pages = [
                ("article reader, 60 claims", editor, f"/articles/{article.pk}/"),
                ("reader with a claim's panel", editor, f"/claims/{proposed.pk}/"),
                ("dashboard, reviewer", reviewer, "/"),
                ("dashboard, editor", editor, "/"),
                ("editor's view of a claim", editor, f"/claims/{proposed.pk}/review/"),
                ("public list of ratings", anonymous, "/ratings/"),
                ("public rating page (corrected)", anonymous, f"/ratings/{corrected}/"),
            ]
            for name, client, path in pages:
                result = measure(client, path, args.runs)
                rows.append((name, path, result))
            raise Rollback
    except Rollback:
        pass
    print(
        "\n| page | path | queries | SQL ms | median ms | slowest ms |\n"
        "|---|---|---:|---:|---:|---:|"
    )
    for name, path, r in rows:
        print(
            f"| {name} | `{path}` | {r['queries']} | {r['sql']:.1f} | {r['median']:.1f} | "
            f"{r['max']:.1f} |"
        )
    if args.show_sql:
        for name, _, r in rows:
            for q in r["slowest"]:
                print(f"\n{name}: {float(q['time']) * 1000:.1f} ms  {q['sql'][:600]}")
    print(f"\nload average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()

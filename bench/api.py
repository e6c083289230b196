"""The public API under gunicorn on PostgreSQL, against a raw psycopg + json baseline.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/workbench_bench   # see bench/search.py
    .venv/bin/python bench/api.py [--duration 15] [--connections 8] [--workers 2]
                                  [--rounds 1] [--no-cached] [--cache-url locmem://] [--unprepared]

gunicorn servers with the repository's gunicorn.conf.py, the same number of sync workers
each (one thread; workers are not recycled during the run), all run alike:

* workbench: the API as deployed (DEBUG off, persistent database connections, psycopg's
  prepared statements as the settings turn them on for PostgreSQL, throttling off so that the
  load generator is not refused), no response cache;
* baseline: bench/api_baseline.py, raw psycopg and json, no Django, no cache;
* cached: the API with its response cache on (WORKBENCH_PUBLIC_API_RESPONSE_CACHE, in the
  cache of ``--cache-url``): a figure of its own, never the comparison the aim is judged on;
* unprepared (``--unprepared``): the API with ``DATABASE_PREPARED_STATEMENTS=0``, as it runs
  behind a pooler that cannot keep prepared statements (Django's own default).

wrk (Debian's package) drives each for a fixed time, one after the other, endpoint by
endpoint, on the same two cores:

* list: the published feed, first page of 50;
* detail: one published rating, a random one of 2,000 per request;
* filtered: the feed filtered by a rating label (each of the seven in turn);
* search: the feed filtered by a text search (a set of queries in turn).

Before the load every server is asked for the same pages (a list, a filter, a search, a
rating and a corrected rating) and must answer the same JSON, URLs aside. Printed: requests
per second and p50/p99 latency for each, each ratio to the baseline, and where a
workbench request's time goes in one process.
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import importlib
import io
import json
import os
import platform
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import psycopg

ROOT = Path(__file__).resolve().parents[1]
LABELS = ["false", "mostly-false", "half-true", "mostly-true", "true", "misleading", "unverifiable"]
SEARCHES = [
    "soldiers",
    "inflation",
    "Aliyev",
    '"state of emergency"',
    "ceasefire",
    "Baku",
    "vaccinations",
    "turnout",
    "Peskov",
    "floods or wildfires",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(
    app: str, port: int, workers: int, log: Path, extra: dict[str, str]
) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "WORKBENCH_"))}
    env.update(
        DATABASE_URL=os.environ["DATABASE_URL"],
        DATABASE_CONN_MAX_AGE="600",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="bench-only-not-a-secret-" + "x" * 40,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        WORKBENCH_SSL_REDIRECT="0",
        WORKBENCH_SECURE_COOKIES="0",
        WORKBENCH_API_ANON_RATE="off",
        BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY=str(workers),
        GUNICORN_THREADS="1",
        # Steady state: gunicorn.conf.py replaces a worker after about 2,000 requests, which
        # at these rates happened inside a 15 s run (a fresh connection, a cold cache).
        GUNICORN_MAX_REQUESTS="0",
    )
    env.update(extra)
    return subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", "gunicorn.conf.py", app],
        cwd=ROOT,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )


def get(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=30) as r:
        return json.loads(r.read())


def wait_up(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"server exited; see its log ({url})")
        try:
            get(url)
            return
        except OSError:
            time.sleep(0.3)
    sys.exit(f"server did not answer: {url}")


def same_urls(port: int, prefix: str, query: str) -> Any:
    """A page's JSON, with the server's own addresses written the same way for both."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{prefix}{query}", timeout=30) as r:
        text = r.read().decode()
    text = text.replace(f"http://127.0.0.1:{port}{prefix}", "BASE/published/")
    body = json.loads(text.replace(f"http://127.0.0.1:{port}/", "BASE/"))
    if "results" in body:  # a page: the cursors are the workbench's own
        body = body["results"]
    return body


def diff(bodies: dict[str, Any]) -> str:
    (one, a), (other, b) = (
        (name, json.dumps(body, indent=1, sort_keys=True).splitlines())
        for name, body in bodies.items()
    )
    return "\n".join(list(difflib.unified_diff(a, b, one, other, lineterm=""))[:60])


def lua(paths: list[str], folder: Path, name: str) -> Path:
    script = folder / f"{name}.lua"
    entries = ",\n".join(json.dumps(p) for p in paths)
    script.write_text(
        f"local paths = {{\n{entries}\n}}\nlocal i = 0\n"
        "request = function()\n  i = i % #paths + 1\n"
        '  return wrk.format("GET", paths[i])\nend\n'
    )
    return script


def to_ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def wrk(base: str, script: Path, duration: int, connections: int) -> dict[str, float]:
    out = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency", "-s", str(script), base],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    lat = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", out, re.M))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if not rps or not lat.get("99"):
        raise RuntimeError(f"wrk measured nothing (server too slow for the run?):\n{out}")
    return {
        "rps": float(rps.group(1)),
        "p50": to_ms(lat["50"]),
        "p99": to_ms(lat["99"]),
        "errors": float(errors.group(1)) if errors else 0.0,
    }


def breakdown(paths: dict[str, str], baseline_paths: dict[str, str], runs: int = 100) -> None:
    """Where a workbench request's time goes, in this process, called as gunicorn calls it
    (the WSGI application, DEBUG off, no HTTP). Medians of ``runs``: the whole request; its
    statements run again through a plain cursor (PostgreSQL and the driver: planning,
    executing, fetching); the rest (building the queries with the ORM and converting their
    rows, the filters, the cursor, the JSON, Django and DRF). And the floor: a public DRF
    view that makes no query. Beside it the baseline's whole request, called the same way,
    and their ratio: what the throughputs' ratio would be with the two cores to themselves
    (no HTTP, no load generator, no neighbours)."""
    os.environ.update(
        DJANGO_SETTINGS_MODULE="workbench.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="bench-only-not-a-secret-" + "x" * 40,
        DJANGO_ALLOWED_HOSTS="localhost",
        WORKBENCH_SSL_REDIRECT="0",
        WORKBENCH_API_ANON_RATE="off",
        DATABASE_CONN_MAX_AGE="600",
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import clear_url_caches
    from django.urls import path as route
    from rest_framework.request import Request
    from rest_framework.response import Response

    import workbench.urls
    from claims.api.public import PublicView
    from workbench.wsgi import application

    # As gunicorn loads it (bench.api_baseline:application); a plain import would make mypy
    # see the file twice, as a script beside this one and as a module of the bench folder.
    baseline_application = importlib.import_module("bench.api_baseline").application

    class NoQuery(PublicView):
        def get(self, request: Request) -> Response:
            return Response({"id": 1})

    workbench.urls.urlpatterns.insert(0, route("bench-no-query/", NoQuery.as_view()))
    clear_url_caches()

    def start_response(status: str, headers: Any, exc_info: Any = None) -> Callable[[bytes], Any]:
        return lambda data: None

    def call(path: str, app: Callable[..., Iterable[bytes]] = application) -> bytes:
        target, _, query = path.partition("?")
        environ = {
            "REQUEST_METHOD": "GET", "PATH_INFO": target, "QUERY_STRING": query,
            "SERVER_NAME": "localhost", "SERVER_PORT": "80", "HTTP_HOST": "localhost",
            "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1",
            "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(), "wsgi.errors": sys.stderr,
        }  # fmt: skip
        return b"".join(app(environ, start_response))

    def median_ms(run: Callable[[], object]) -> float:
        run()
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            run()
            times.append((time.perf_counter() - start) * 1000)
        return statistics.median(times)

    def replay(statements: list[str]) -> None:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
                cursor.fetchall()

    print(f"\nin one process (WSGI, no HTTP, median of {runs}):")
    print(
        f"  {'endpoint':9s} {'request':>8s} {'queries':>8s} {'their SQL':>10s} {'the rest':>9s}"
        f" {'size':>7s} {'baseline':>9s} {'ratio':>6s}"
    )
    for endpoint, path in {**paths, "no query": "/bench-no-query/"}.items():
        body = call(path)
        with CaptureQueriesContext(connection) as captured:
            call(path)
        statements = [q["sql"] for q in captured.captured_queries]
        # The lambdas run here, before the loop moves on.
        total = median_ms(lambda: call(path))  # noqa: B023
        in_sql = median_ms(lambda: replay(statements))  # noqa: B023
        line = (
            f"  {endpoint:9s} {total:6.2f} ms {len(statements):8d} {in_sql:7.2f} ms "
            f"{total - in_sql:6.2f} ms {len(body) / 1024:4.0f} KB"
        )
        if endpoint in baseline_paths:
            floor = median_ms(lambda: call(baseline_paths[endpoint], baseline_application))  # noqa: B023
            line += f" {floor:6.2f} ms {floor / total:6.2f}"
        print(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=15, help="seconds per measurement")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=1, help="measurements of each, in turn")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers, each server")
    parser.add_argument(
        "--no-cached",
        dest="cached",
        action="store_false",
        help="skip the API with its response cache on",
    )
    parser.add_argument(
        "--cache-url",
        default="locmem://",
        help="WORKBENCH_CACHE_URL of the cached server (db://<table> is created if missing)",
    )
    parser.add_argument(
        "--unprepared",
        action="store_true",
        help="also the API without prepared statements (DATABASE_PREPARED_STATEMENTS=0)",
    )
    parser.add_argument(
        "--in-process-only",
        action="store_true",
        help="only the in-process breakdown, against the baseline called the same way",
    )
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to the PostgreSQL database with the dataset (see above).")

    with psycopg.connect(url) as conn:
        public = [
            r[0]
            for r in conn.execute(
                "SELECT id FROM claims_claim WHERE status IN ('published', 'corrected')"
            )
        ]
        counted = conn.execute(
            "SELECT (SELECT count(*) FROM claims_claim), current_setting('server_version')"
        ).fetchone()
        assert counted is not None
        claims, server = counted
        corrections = {
            r[0]
            for r in conn.execute(
                "SELECT claim_id FROM claims_verdict WHERE state = 'published' "
                "AND corrects_id IS NOT NULL"
            )
        }
    rng = random.Random(3)
    ids = rng.sample(public, min(2000, len(public)))
    endpoints: dict[str, Callable[[str], list[str]]] = {
        "list": lambda p: [p],
        "detail": lambda p: [f"{p}{i}/" for i in ids],
        "filtered": lambda p: [f"{p}?label={label}" for label in LABELS],
        "search": lambda p: [f"{p}?q={urllib.parse.quote(q)}" for q in SEARCHES],
    }

    def in_process() -> None:
        breakdown(
            {e: paths("/api/v1/published/")[0] for e, paths in endpoints.items()},
            {e: paths("/published/")[0] for e, paths in endpoints.items()},
        )

    if args.in_process_only:
        in_process()
        return

    folder = Path(tempfile.mkdtemp(prefix="bench-api-"))
    workbench = ("workbench.wsgi:application", "/api/v1/published/")
    variants: dict[str, tuple[tuple[str, str], dict[str, str]]] = {
        "workbench": (workbench, {}),
        "baseline": (("bench.api_baseline:application", "/published/"), {}),
    }
    if args.cached and args.cache_url.startswith("db://"):
        subprocess.run(
            [sys.executable, "manage.py", "createcachetable"],
            cwd=ROOT,
            env={**os.environ, "WORKBENCH_CACHE_URL": args.cache_url},
            check=True,
        )
    if args.cached:
        variants["cached"] = (
            workbench,
            {"WORKBENCH_PUBLIC_API_RESPONSE_CACHE": "300", "WORKBENCH_CACHE_URL": args.cache_url},
        )
    if args.unprepared:
        variants["unprepared"] = (workbench, {"DATABASE_PREPARED_STATEMENTS": "0"})
    ports = {name: free_port() for name in variants}
    prefix = {name: app[1] for name, (app, _) in variants.items()}
    servers = {
        name: start(app, ports[name], args.workers, folder / f"{name}.log", extra)
        for name, ((app, _), extra) in variants.items()
    }
    try:
        for name, process in servers.items():
            wait_up(f"http://127.0.0.1:{ports[name]}{prefix[name]}", process)
        # The same rows and the same JSON from every server, or the comparison means nothing.
        checks = ["", "?label=false", "?q=Aliyev", f"{ids[0]}/"]
        checks += [f"{min(corrections)}/"] if corrections else []  # with its versions
        for query in checks:
            bodies = {n: same_urls(ports[n], prefix[n], query) for n in servers}
            for name in servers:
                if bodies[name] != bodies["baseline"]:
                    pair = {name: bodies[name], "baseline": bodies["baseline"]}
                    sys.exit(f"{name} and baseline answer {query!r} differently:\n{diff(pair)}")

        print(
            f"# bench/api.py: {claims:,} claims, {len(public):,} published; PostgreSQL "
            f"{server}; Python {platform.python_version()}; {os.cpu_count()} CPUs; gunicorn "
            f"{args.workers} sync workers (1 thread) each server; wrk 1 thread, "
            f"{args.connections} connections, {args.duration} s per run, {args.rounds} round(s); "
            "load average "
            f"{os.getloadavg()[0]:.1f} at start"
        )
        print(
            "# servers: workbench = the API as deployed (no response cache); baseline = "
            "bench/api_baseline.py (raw psycopg + json, no cache)"
            + (
                "; cached = the API with its response cache on "
                f"(WORKBENCH_PUBLIC_API_RESPONSE_CACHE, {args.cache_url})"
                if args.cached
                else ""
            )
            + (
                "; unprepared = the API without prepared statements "
                "(DATABASE_PREPARED_STATEMENTS=0)"
                if args.unprepared
                else ""
            )
        )
        print(f"\n{'endpoint':10s} {'server':10s} {'req/s':>8s} {'p50 ms':>8s} {'p99 ms':>8s}")
        ratios: dict[str, dict[str, float]] = {name: {} for name in servers}
        for endpoint, paths in endpoints.items():
            runs: dict[str, list[dict[str, float]]] = {name: [] for name in servers}
            # Rounds alternate the servers, so that a change in the machine's other load
            # falls on all of them; each figure is the median round's.
            for _ in range(args.rounds):
                for name in servers:
                    script = lua(paths(prefix[name]), folder, f"{endpoint}-{name}")
                    base = f"http://127.0.0.1:{ports[name]}"
                    with contextlib.suppress(RuntimeError):  # warm up: connections, caches
                        wrk(base, script, args.warmup, args.connections)
                    runs[name].append(wrk(base, script, args.duration, args.connections))
            result = {}
            for name in servers:
                r = result[name] = sorted(runs[name], key=lambda run: run["rps"])[args.rounds // 2]
                errors = f"  ({int(r['errors'])} errors)" if r["errors"] else ""
                spread = (
                    f"  (rounds: {', '.join(f'{run["rps"]:.0f}' for run in runs[name])})"
                    if args.rounds > 1
                    else ""
                )
                print(
                    f"{endpoint:10s} {name:10s} {r['rps']:8.1f} {r['p50']:8.1f} "
                    f"{r['p99']:8.1f}{errors}{spread}"
                )
            for name in servers:
                ratios[name][endpoint] = result[name]["rps"] / result["baseline"]["rps"]
            print(
                f"{endpoint:10s} {'ratios':10s} "
                + ", ".join(
                    f"{name}/baseline {ratios[name][endpoint]:.2f}"
                    for name in servers
                    if name != "baseline"
                )
            )
        print(f"load average {os.getloadavg()[0]:.1f} at the end")
        in_process()
        for name in servers:
            if name == "baseline":
                continue
            aim = all(ratios[name][e] >= 0.5 for e in ("list", "detail"))
            print(
                f"\naim, {name}: list and detail at half the baseline's throughput or better: "
                f"{'met' if aim else 'NOT met'} (list {ratios[name]['list']:.2f}, "
                f"detail {ratios[name]['detail']:.2f})"
            )
    finally:
        for process in servers.values():
            process.terminate()
        for process in servers.values():
            process.wait(timeout=30)


if __name__ == "__main__":
    main()

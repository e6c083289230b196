"""The public API under gunicorn on PostgreSQL, against a raw psycopg + json baseline.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/workbench_bench   # see bench/search.py
    .venv/bin/python bench/api.py [--duration 15] [--connections 8] [--workers 2]

Two gunicorn servers with the repository's gunicorn.conf.py and the same number of workers:
the workbench (DEBUG off, persistent database connections, throttling off so that the load
generator is not refused) and bench/api_baseline.py. wrk (Debian's package) drives each for a
fixed time, one after the other, endpoint by endpoint:

* list: the published feed, first page of 50;
* detail: one published rating, a random one of 2,000 per request;
* filtered: the feed filtered by a rating label (each of the seven in turn);
* search: the feed filtered by a text search (a set of queries in turn).

Before the load, both servers are asked for the same pages and must return the same rows.
Printed: requests per second and p50/p99 latency for each, and the ratio workbench/baseline.
"""

from __future__ import annotations

import argparse
import contextlib
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


def start(app: str, port: int, workers: int, log: Path) -> subprocess.Popen[bytes]:
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
    )
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


def breakdown(paths: dict[str, str], runs: int = 15) -> None:
    """Where a workbench request's time goes, in this process (no HTTP): SQL against the
    rest (DRF, serializers, ClaimReview, JSON). Medians of ``runs``."""
    os.environ.update(
        DJANGO_SETTINGS_MODULE="workbench.settings",
        WORKBENCH_API_ANON_RATE="off",
        DATABASE_CONN_MAX_AGE="600",
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="localhost")
    print(f"\nin-process breakdown (median of {runs}, Django test client, no HTTP):")
    for endpoint, path in paths.items():
        client.get(path)
        totals, sql, count = [], [], 0
        for _ in range(runs):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(path)
                totals.append((time.perf_counter() - start) * 1000)
            sql.append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
            count = len(queries.captured_queries)
        total, in_sql = statistics.median(totals), statistics.median(sql)
        print(
            f"  {endpoint:9s} {total:6.1f} ms: {count} queries {in_sql:5.1f} ms, the rest "
            f"{total - in_sql:5.1f} ms; {len(response.content) / 1024:.0f} KB ({path})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=15, help="seconds per measurement")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers, each server")
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
        counted = conn.execute("SELECT count(*), current_setting('server_version')").fetchone()
        assert counted is not None
        claims, server = counted
    rng = random.Random(3)
    ids = rng.sample(public, min(2000, len(public)))

    folder = Path(tempfile.mkdtemp(prefix="bench-api-"))
    ports = {"workbench": free_port(), "baseline": free_port()}
    servers = {
        "workbench": start(
            "workbench.wsgi:application", ports["workbench"], args.workers, folder / "workbench.log"
        ),
        "baseline": start(
            "bench.api_baseline:application",
            ports["baseline"],
            args.workers,
            folder / "baseline.log",
        ),
    }
    prefix = {"workbench": "/api/v1/published/", "baseline": "/published/"}
    try:
        for name, process in servers.items():
            wait_up(f"http://127.0.0.1:{ports[name]}{prefix[name]}", process)
        # The same rows from both, or the comparison means nothing.
        for query in ("", "?label=false", "?q=Aliyev"):
            rows = {
                n: [
                    r["id"]
                    for r in get(f"http://127.0.0.1:{ports[n]}{prefix[n]}{query}")["results"]
                ]
                for n in servers
            }
            assert rows["workbench"] == rows["baseline"], f"different rows for {query!r}"
        detail = {n: get(f"http://127.0.0.1:{ports[n]}{prefix[n]}{ids[0]}/") for n in servers}
        assert detail["workbench"]["id"] == detail["baseline"]["id"]
        assert [v["edition"] for v in detail["workbench"]["versions"]] == [
            v["edition"] for v in detail["baseline"]["versions"]
        ]

        print(
            f"# bench/api.py: {claims:,} claims, {len(public):,} published; PostgreSQL "
            f"{server}; Python {platform.python_version()}; {os.cpu_count()} CPUs; gunicorn "
            f"{args.workers} workers x 1 thread each server; wrk 1 thread, "
            f"{args.connections} connections, {args.duration} s per run; load average "
            f"{os.getloadavg()[0]:.1f} at start"
        )
        endpoints = {
            "list": lambda p: [p],
            "detail": lambda p: [f"{p}{i}/" for i in ids],
            "filtered": lambda p: [f"{p}?label={label}" for label in LABELS],
            "search": lambda p: [f"{p}?q={urllib.parse.quote(q)}" for q in SEARCHES],
        }
        print(f"\n{'endpoint':10s} {'server':10s} {'req/s':>8s} {'p50 ms':>8s} {'p99 ms':>8s}")
        ratios = {}
        for endpoint, paths in endpoints.items():
            result = {}
            for name in servers:
                script = lua(paths(prefix[name]), folder, f"{endpoint}-{name}")
                base = f"http://127.0.0.1:{ports[name]}"
                with contextlib.suppress(RuntimeError):  # warm up: connections, caches
                    wrk(base, script, args.warmup, args.connections)
                result[name] = wrk(base, script, args.duration, args.connections)
                r = result[name]
                errors = f"  ({int(r['errors'])} errors)" if r["errors"] else ""
                print(
                    f"{endpoint:10s} {name:10s} {r['rps']:8.1f} {r['p50']:8.1f} "
                    f"{r['p99']:8.1f}{errors}"
                )
            ratios[endpoint] = result["workbench"]["rps"] / result["baseline"]["rps"]
            print(f"{endpoint:10s} {'ratio':10s} {ratios[endpoint]:8.2f}  (workbench/baseline)")
        breakdown({e: paths(prefix["workbench"])[0] for e, paths in endpoints.items()})
        aim = all(ratios[e] >= 0.5 for e in ("list", "detail"))
        print(
            f"\naim: list and detail at half the baseline's throughput or better: "
            f"{'met' if aim else 'NOT met'} (list {ratios['list']:.2f}, "
            f"detail {ratios['detail']:.2f})"
        )
    finally:
        for process in servers.values():
            process.terminate()
        for process in servers.values():
            process.wait(timeout=30)


if __name__ == "__main__":
    main()

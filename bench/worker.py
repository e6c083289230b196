"""Background extraction: articles imported through the task queue, drained by db_worker
processes, against the extraction engine alone in one process, in the same run.

    .venv/bin/python bench/worker.py [--articles 1000] [--workers 2]

It (re)creates its own PostgreSQL database (``workbench_bench_worker`` on the server of
``--server``, default ``postgres://postgres@127.0.0.1:5432``) and migrates it, so nothing
else is touched. Texts: the PolNeAR articles in ../shared/data/polnear-train-dev and the
sample article; when more are asked for than there are, copies with a line added (each text
is a new article: the same text twice is one article).

1. ``extract()`` alone, in this process, over every text: the engine's own rate.
2. ``services.article_import`` for every text with the database task backend: articles are
   stored and their extraction queued (``WORKBENCH_TASKS_BACKEND=django_tasks_db.DatabaseBackend``).
3. ``--workers`` processes of ``manage.py db_worker --batch`` drain the queue; the clock runs
   from their start until every article is extracted. The rate is also given over the window
   in which tasks ran (first start to last finish, from the task table), which leaves out
   the workers' own start-up.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "claims" / "samples" / "armenia-azerbaijan-border-clashes-2020-07-18.txt"
POLNEAR = ROOT.parent / "shared" / "data" / "polnear-train-dev"
TASKS_BACKEND = "django_tasks_db.DatabaseBackend"


def texts(n: int) -> list[str]:
    found = [SAMPLE.read_text(encoding="utf-8")]
    found += [p.read_text(encoding="utf-8") for p in sorted(POLNEAR.glob("*/text/*.txt"))]
    found = list(dict.fromkeys(t for t in found if t.strip()))  # one article per text
    out: list[str] = []
    copy = 1
    while len(out) < n:
        for text in found:
            if len(out) == n:
                break
            out.append(text if copy == 1 else f"{text}\n\n(Bench copy {copy})\n")
        copy += 1
    return out


def recreate(server: str, name: str) -> str:
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    url = f"{server}/{name}"
    env = {**os.environ, "DATABASE_URL": url}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    return url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="workbench_bench_worker")
    args = parser.parse_args()

    url = recreate(args.server, args.database)
    os.environ["DATABASE_URL"] = url
    os.environ["WORKBENCH_TASKS_BACKEND"] = TASKS_BACKEND
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Max, Min
    from django_tasks_db.models import DBTaskResult

    from claims import services
    from claims.extraction import extract
    from claims.models import Article, Claim

    corpus = texts(args.articles)
    size = sum(len(t.encode()) for t in corpus)
    print(
        f"# bench/worker.py: {len(corpus)} articles ({size / 1e6:.1f} MB); {args.workers} "
        f"db_worker processes; PostgreSQL database {args.database}; Python "
        f"{platform.python_version()}; {os.cpu_count()} CPUs; load average "
        f"{os.getloadavg()[0]:.1f} at start"
    )

    start = time.perf_counter()
    found = sum(len(extract(text, published=None)) for text in corpus)
    alone = time.perf_counter() - start
    print(
        f"extract() alone, one process:   {alone:7.1f} s  {len(corpus) / alone:6.1f} articles/s "
        f"({found:,} claims)"
    )

    start = time.perf_counter()
    for text in corpus:
        services.article_import(actor=None, text=text)
    queued = time.perf_counter() - start
    waiting = DBTaskResult.objects.ready().count()
    print(
        f"import + enqueue, one process:  {queued:7.1f} s  "
        f"{len(corpus) / queued:6.1f} articles/s "
        f"({waiting} tasks queued)"
    )
    connection.close()  # the workers need every connection they can get on a small server

    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "bench-only-not-secret",
        "DJANGO_ALLOWED_HOSTS": "localhost",
    }
    start = time.perf_counter()
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--batch",
                "--no-startup-delay",
                "--no-reload",
                "--interval",
                "0.1",
                "--worker-id",
                f"bench-{i}",
                "-v0",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(args.workers)
    ]
    for worker in workers:
        _, err = worker.communicate()
        if worker.returncode:
            sys.exit(f"db_worker failed ({worker.returncode}):\n{err[-2000:]}")
    drained = time.perf_counter() - start

    done = Article.objects.filter(extraction_status=Article.Extraction.DONE).count()
    failed = Article.objects.filter(extraction_status=Article.Extraction.FAILED).count()
    window = DBTaskResult.objects.aggregate(first=Min("started_at"), last=Max("finished_at"))
    busy = (window["last"] - window["first"]).total_seconds()
    by_worker: dict[str, int] = {}
    for ids in DBTaskResult.objects.values_list("worker_ids", flat=True):
        for wid in ids:
            by_worker[wid] = by_worker.get(wid, 0) + 1
    claims = Claim.objects.count()
    print(
        f"{args.workers} db_workers, wall clock:   {drained:7.1f} s  "
        f"{done / drained:6.1f} articles/s ({done} done, {failed} failed, {claims:,} claims)"
    )
    print(
        f"{args.workers} db_workers, tasks' window: {busy:7.1f} s  {done / busy:6.1f} articles/s "
        f"(tasks per worker: {', '.join(f'{k} {v}' for k, v in sorted(by_worker.items()))})"
    )
    print(
        f"ratio, queue and {args.workers} workers / extract() alone: "
        f"{(done / drained) / (len(corpus) / alone):.2f} (wall clock), "
        f"{(done / busy) / (len(corpus) / alone):.2f} (tasks' window)"
    )
    if done != len(corpus):
        sys.exit(f"only {done} of {len(corpus)} articles were extracted")


if __name__ == "__main__":
    main()

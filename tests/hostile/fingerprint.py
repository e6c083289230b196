"""A fingerprint of the database's contents: did anything change?

``db_fingerprint()`` maps every table to its row count and the sha256 of its rows, read with
plain SQL in primary-key order, so that any insert, update or delete anywhere shows up as a
difference, whatever code made it. Tests take one before and after something that must change
nothing (a refused request, a rejected file) and compare them; ``changed(before, after)``
names the tables that differ, for a readable failure.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
from collections.abc import Iterable
from typing import Any, NamedTuple

from django.apps import apps
from django.db import connection

# Tables that change as a side effect of any request and say nothing about the newsroom's
# data: sessions, sign-in attempt logs. Pass ignore=() to include them.
EPHEMERAL = frozenset(
    {
        "django_session",
        "axes_accessattempt",
        "axes_accesslog",
        "axes_accessfailurelog",
        "axes_accessattemptexpiration",
    }
)


class Table(NamedTuple):
    rows: int
    sha256: str


def _value(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    return value


def tables(ignore: Iterable[str] = EPHEMERAL) -> list[tuple[str, list[str], list[str]]]:
    """(table, columns, order) for every table Django manages, many-to-many tables included."""
    skip = set(ignore)
    seen: dict[str, tuple[str, list[str], list[str]]] = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if not meta.managed or meta.proxy or meta.db_table in skip or meta.db_table in seen:
            continue
        columns = [
            str(f.column)
            for f in meta.local_fields
            if f.column and f.get_internal_type() != "SearchVectorField"
        ]
        # Many-to-many tables: their own ids are an accident of insertion order; the pairs
        # are the content.
        if meta.auto_created:
            columns = [c for c in columns if c != meta.pk.column]
            order = columns
        else:
            order = [str(meta.pk.column)]
        seen[meta.db_table] = (meta.db_table, columns, order)
    return sorted(seen.values())


def table_fingerprint(table: str, columns: list[str], order: list[str]) -> Table:
    qn = connection.ops.quote_name
    sql = "SELECT {} FROM {} ORDER BY {}".format(
        ", ".join(qn(c) for c in columns), qn(table), ", ".join(qn(c) for c in order)
    )
    digest = hashlib.sha256()
    count = 0
    with connection.cursor() as cursor:
        cursor.execute(sql)
        while batch := cursor.fetchmany(2000):
            for row in batch:
                line = json.dumps([_value(v) for v in row], ensure_ascii=False, default=str)
                digest.update(line.encode("utf-8", "surrogatepass") + b"\n")
                count += 1
    return Table(count, digest.hexdigest())


def db_fingerprint(ignore: Iterable[str] = EPHEMERAL) -> dict[str, Table]:
    """Row count and content digest of every table (but the ephemeral ones)."""
    return {table: table_fingerprint(table, cols, order) for table, cols, order in tables(ignore)}


def changed(before: dict[str, Table], after: dict[str, Table]) -> list[str]:
    """The tables whose rows differ, with their row counts, for an assertion message."""
    return [
        f"{t}: {before.get(t, Table(0, '')).rows} → {after.get(t, Table(0, '')).rows} rows"
        for t in sorted(set(before) | set(after))
        if before.get(t) != after.get(t)
    ]

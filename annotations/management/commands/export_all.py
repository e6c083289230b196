"""Export everything the newsroom made to one JSON Lines file, to restore with ``import_all``.

    python manage.py export_all PATH        # PATH ending in .gz is gzipped

What is in it: users (with their groups and password hashes), groups and their permissions,
the organisation's settings, rating scales and labels, annotation labels, and every article,
claim, assignment, verdict (with contributors and sources), history row, annotation, comment,
source, claim source and rating: every row of every model in ``claims`` and ``annotations``,
primary keys kept so that every reference stays valid. Not in it: sessions, API tokens
(people issue new ones), sign-in attempts, the admin's log and the task queue.

Password hashes are included so that people can sign in after a restore; the file is
therefore as sensitive as the database and is written readable by its owner only.

The format, one JSON object a line:

* a header: ``{"format": "claim-workbench-export", "version": 1, "exported_at": ...,
  "migrations": {app: [applied migrations]}}``;
* one line per row, as Django's "python" serializer gives it (``model``, ``pk``, ``fields``;
  many-to-many fields as sorted lists; permissions and groups by natural key, so they match
  in a database whose permission ids differ);
* a trailer: ``{"end": true, "counts": {model: rows}, "sha256": {model: digest}}``. A file
  without it is incomplete, and ``import_all`` checks the restored rows against the digests.

Why not ``dumpdata``/``loaddata``: they use the same serializers, but their JSON encoder cuts
datetimes to milliseconds (history's order and every timestamp would change), loaddata into a
migrated database collides with the rows data migrations create (roles, rating scale), and
neither refuses a non-empty database or proves the result equal to the source. Here Django's
serializers do the (de)serialisation, keeping field conversion, many-to-many and natural keys
theirs; this module only adds exact JSON, the digests and the checks.
"""

from __future__ import annotations

import datetime as dt
import decimal
import gzip
import hashlib
import json
import os
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.contrib.auth.models import Group
from django.contrib.postgres.search import SearchVectorField
from django.core import serializers
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = "claim-workbench-export"
VERSION = 1
# Apps whose schema the rows depend on: an export restores only into the same migrations.
SCHEMA_APPS = ("contenttypes", "auth", "claims", "annotations")
# Rows that data migrations create in every new database (roles, the default rating scale
# and annotation labels) and the organisation's settings: an import replaces them with the
# exported ones. Any other row means the database is in use, and the import refuses.
REFERENCE_MODELS = (
    "auth.group",
    "claims.organisation",
    "claims.ratingscale",
    "claims.ratinglabel",
    "annotations.annotationlabel",
)
# Models whose references to permissions, groups and content types go by natural key.
NATURAL_KEY_MODELS = ("auth.group", "auth.user")


def label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def exported_models() -> list[type[models.Model]]:
    """Groups and users first (others refer to them by natural key), then every model of
    the two apps, so that a model added later is exported without anyone remembering to."""
    user = apps.get_model("auth", "User")
    ours = [
        m
        for app in ("claims", "annotations")
        for m in apps.get_app_config(app).get_models()
        if m._meta.managed and not m._meta.proxy
    ]
    return [Group, user, *ours]


def exported_fields(model: type[models.Model]) -> list[str]:
    """Fields to serialise: all but those the database derives (full-text search vectors,
    kept by a trigger on PostgreSQL) and so rebuilds on import."""
    return [
        f.name
        for f in [*model._meta.local_fields, *model._meta.local_many_to_many]
        if getattr(f, "serialize", False)
        and not f.primary_key
        and not isinstance(f, SearchVectorField | models.GeneratedField)
    ]


def many_to_many(model: type[models.Model]) -> list[str]:
    return [
        f.name
        for f in model._meta.local_many_to_many
        if getattr(f, "serialize", False) and auto_through(f) is not None
    ]


def auto_through(field: Any) -> type[models.Model] | None:
    """The table Django made for a many-to-many field, or None for an explicit model."""
    through = field.remote_field.through
    return through if through is not None and through._meta.auto_created else None


def encode(value: Any) -> Any:
    """JSON for what the python serializer leaves as objects, at full precision."""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    raise TypeError(f"Cannot export a {type(value).__name__}")


def dumps(record: dict[str, Any]) -> str:
    """A line of the file. JSON values keep their keys' order, so that a restore stores the
    very same JSON text (SQLite keeps it as written)."""
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"), default=encode)


def canonical(record: dict[str, Any]) -> str:
    """What the digests cover: the same, keys sorted (PostgreSQL's jsonb reorders them)."""
    return json.dumps(
        record, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=encode
    )


def records(model: type[models.Model], *, chunk: int = 2000) -> Iterator[dict[str, Any]]:
    """Every row of the model in primary-key order, as canonical serializer records."""
    m2m = many_to_many(model)
    queryset = model._default_manager.order_by("pk")
    if m2m:
        queryset = queryset.prefetch_related(*m2m)
    natural = label(model) in NATURAL_KEY_MODELS
    for record in serializers.serialize(
        "python",
        queryset.iterator(chunk_size=chunk),
        fields=exported_fields(model),
        use_natural_foreign_keys=natural,
    ):
        for name in m2m:
            record["fields"][name] = sorted(record["fields"][name])
        yield record


def digests(models_: Iterable[type[models.Model]]) -> tuple[dict[str, int], dict[str, str]]:
    """Row count and sha256 of every model's records, as the export's trailer holds them."""
    counts, sums = {}, {}
    for model in models_:
        digest, n = hashlib.sha256(), 0
        for record in records(model):
            digest.update(canonical(record).encode("utf-8") + b"\n")
            n += 1
        counts[label(model)], sums[label(model)] = n, digest.hexdigest()
    return counts, sums


def applied_migrations() -> dict[str, list[str]]:
    applied = MigrationRecorder(connection).applied_migrations()
    return {app: sorted(name for a, name in applied if a == app) for app in SCHEMA_APPS}


def open_export(path: Path, mode: str, *, gz: bool | None = None) -> IO[str]:
    if path.suffix == ".gz" if gz is None else gz:
        return gzip.open(path, mode + "t", encoding="utf-8", newline="\n")  # type: ignore[return-value]
    return path.open(mode, encoding="utf-8", newline="\n")


class Command(BaseCommand):
    help = "Export every user, article, claim, verdict, annotation, source, rating and history row."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", metavar="PATH", help="File to write (.gz to compress).")
        parser.add_argument("--force", action="store_true", help="Overwrite PATH if it exists.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        if path.exists() and not options["force"]:
            raise CommandError(f"{path} exists; choose another name or pass --force.")
        if not path.parent.is_dir():
            raise CommandError(f"{path.parent} is not a directory.")
        partial = path.with_name(f".{path.name}.partial")
        # Password hashes: readable by the owner only, from the first byte.
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.close(fd)
        try:
            counts = self.write(partial, gz=path.suffix == ".gz")
            os.replace(partial, path)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        total = sum(counts.values())
        self.stdout.write(f"Exported {total:,} rows of {len(counts)} models to {path}")
        for name, n in counts.items():
            self.stdout.write(f"  {name}: {n:,}")

    def write(self, path: Path, *, gz: bool) -> dict[str, int]:
        counts: dict[str, int] = {}
        sums: dict[str, str] = {}
        # One snapshot: rows written while the export runs are either all in it or not at all.
        # (Inside a caller's transaction, that transaction's snapshot is what there is.)
        outermost = not connection.in_atomic_block
        with transaction.atomic(), open_export(path, "w", gz=gz) as out:
            if connection.vendor == "postgresql" and outermost:
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            header = {
                "format": FORMAT,
                "version": VERSION,
                "exported_at": timezone.now(),
                "migrations": applied_migrations(),
            }
            out.write(dumps(header) + "\n")
            for model in exported_models():
                digest, n = hashlib.sha256(), 0
                for record in records(model):
                    out.write(dumps(record) + "\n")
                    digest.update(canonical(record).encode("utf-8") + b"\n")
                    n += 1
                counts[label(model)], sums[label(model)] = n, digest.hexdigest()
            out.write(dumps({"end": True, "counts": counts, "sha256": sums}) + "\n")
        return counts

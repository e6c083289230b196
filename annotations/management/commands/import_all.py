"""Restore an ``export_all`` file into an empty database, in one transaction, and prove it.

    python manage.py migrate && python manage.py import_all PATH

The database must be new: migrated to the same migrations as the exported one, and holding
nothing but what migrations create (roles, the default rating scale, annotation labels),
which the export's own versions replace. Rows keep their primary keys; sequences are moved
past them afterwards. When every row is in, the counts and sha256 digests of what the
database now holds are compared with the export's trailer; any difference, a truncated file
or a broken reference rolls everything back.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.core import serializers
from django.core.exceptions import ObjectDoesNotExist
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, IntegrityError, connection, models, transaction

from annotations.management.commands.export_all import (
    FORMAT,
    REFERENCE_MODELS,
    VERSION,
    applied_migrations,
    auto_through,
    digests,
    exported_models,
    label,
    open_export,
)


class Command(BaseCommand):
    help = "Restore an export_all file into a new, empty database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", metavar="PATH", help="File written by export_all.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        model_list = exported_models()
        try:
            with open_export(path, "r") as stream:
                header = self.read_header(stream, path)
                self.check_schema(header)
                self.check_empty(model_list)
                trailer = self.restore(stream, path, model_list)
        except (OSError, EOFError, UnicodeDecodeError) as exc:
            raise CommandError(f"{path}: cannot read it ({exc}).") from None
        total = sum(trailer["counts"].values())
        self.stdout.write(
            f"Imported {total:,} rows of {len(trailer['counts'])} models from {path}; "
            "counts and digests match the export."
        )

    # --- checks before anything is written ------------------------------------------------

    def read_header(self, stream: Any, path: Path) -> dict[str, Any]:
        first = stream.readline()
        try:
            header = json.loads(first)
        except ValueError:
            header = None
        if not isinstance(header, dict) or header.get("format") != FORMAT:
            raise CommandError(f"{path} is not a file written by export_all.")
        if header.get("version") != VERSION:
            raise CommandError(
                f"{path} is format version {header.get('version')}; this version reads {VERSION}."
            )
        return header

    def check_schema(self, header: dict[str, Any]) -> None:
        here = applied_migrations()
        there = header.get("migrations") or {}
        differ = [app for app in here if here[app] != there.get(app, [])]
        if differ:
            details = "; ".join(
                f"{app}: export at {(there.get(app) or ['nothing'])[-1]}, "
                f"this database at {(here[app] or ['nothing'])[-1]}"
                for app in differ
            )
            raise CommandError(
                "The export was made with other migrations than this database has "
                f"({details}). Restore with the version of the workbench that made it, "
                "then upgrade."
            )

    def check_empty(self, model_list: list[type[models.Model]]) -> None:
        used = {
            label(m): n
            for m in model_list
            if label(m) not in REFERENCE_MODELS and (n := m._default_manager.count())
        }
        if used:
            what = ", ".join(f"{n:,} {name}" for name, n in sorted(used.items()))
            raise CommandError(
                f"The database is not empty ({what}). import_all restores only into a new "
                "database: create one, run migrate, then import_all, before anyone signs up."
            )

    # --- the restore ------------------------------------------------------------------------

    def restore(
        self, stream: Any, path: Path, model_list: list[type[models.Model]]
    ) -> dict[str, Any]:
        trailer: dict[str, Any] = {}

        def rows() -> Iterator[dict[str, Any]]:
            for number, line in enumerate(stream, start=2):
                try:
                    record = json.loads(line)
                except ValueError:
                    raise CommandError(f"{path}, line {number}: not JSON.") from None
                if not isinstance(record, dict):
                    raise CommandError(f"{path}, line {number}: not a row.")
                if record.get("end") is True:
                    trailer.update(record)
                    return
                if trailer:
                    raise CommandError(f"{path}, line {number}: rows after the end.")
                yield record

        try:
            # SQLite checks foreign keys as each row goes in; rows may refer to rows further
            # on (a correction to its later edition), so check them all once at the end.
            # PostgreSQL defers Django's foreign keys to the commit anyway.
            with transaction.atomic(), connection.constraint_checks_disabled():
                for name in REFERENCE_MODELS:
                    self.model(name, model_list)._default_manager.all().delete()
                deferred = []
                objects = serializers.deserialize("python", rows(), handle_forward_references=True)
                for obj in objects:
                    obj.save()
                    if obj.deferred_fields:
                        deferred.append(obj)
                for obj in deferred:
                    obj.save_deferred_fields()
                if not trailer:
                    raise CommandError(f"{path} ends early: the export is incomplete.")
                connection.check_constraints(
                    table_names=[m._meta.db_table for m in self.tables(model_list)]
                )
                self.reset_sequences(model_list)
                self.verify(trailer, model_list)
        except (DeserializationError, ObjectDoesNotExist) as exc:
            raise CommandError(f"{path}: a row cannot be restored: {exc}") from None
        except IntegrityError as exc:
            raise CommandError(f"{path}: the rows do not fit together: {exc}") from None
        except DatabaseError as exc:
            raise CommandError(f"{path}: the database refused a row: {exc}") from None
        return trailer

    @staticmethod
    def model(name: str, model_list: list[type[models.Model]]) -> type[models.Model]:
        return next(m for m in model_list if label(m) == name)

    @staticmethod
    def tables(model_list: list[type[models.Model]]) -> list[type[models.Model]]:
        """The models and their many-to-many tables (which have sequences of their own)."""
        through = [
            table
            for m in model_list
            for f in m._meta.local_many_to_many
            if (table := auto_through(f)) is not None
        ]
        return [*model_list, *through]

    def reset_sequences(self, model_list: list[type[models.Model]]) -> None:
        statements = connection.ops.sequence_reset_sql(no_style(), self.tables(model_list))
        if statements:
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)

    def verify(self, trailer: dict[str, Any], model_list: list[type[models.Model]]) -> None:
        counts, sums = digests(model_list)
        expected_counts = trailer.get("counts") or {}
        expected_sums = trailer.get("sha256") or {}
        wrong = [
            name
            for name in sorted(set(counts) | set(expected_counts))
            if counts.get(name) != expected_counts.get(name)
            or sums.get(name) != expected_sums.get(name)
        ]
        if wrong:
            details = "; ".join(
                f"{name}: {counts.get(name, 0):,} rows, export says "
                f"{expected_counts.get(name, 0):,}"
                + ("" if counts.get(name) != expected_counts.get(name) else " (contents differ)")
                for name in wrong
            )
            raise CommandError(f"The restored rows differ from the export: {details}.")

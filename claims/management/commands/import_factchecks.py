"""Import other organisations' fact-checks from a ClaimReview (JSON-LD) or TSV file.

python manage.py import_factchecks PATH [--format claimreview|tsv] [--publisher NAME]
                                        [--user USERNAME] [--batch-size N]

A second import of the same fact-checks updates them, never duplicates them. Bad rows are
listed on stderr with their row number and why; the good rows are imported. The exit status
is 1 when any row was refused, 0 when all were imported.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from claims import factchecks
from claims.factcheck_formats import FORMATS

SHOW_ERRORS = 50


def _message(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return " ".join(m for messages in exc.message_dict.values() for m in messages)
    return " ".join(exc.messages)


class Command(BaseCommand):
    help = "Import fact-checks (ClaimReview JSON-LD or TSV) as fact-checks by their publisher."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", metavar="PATH")
        parser.add_argument(
            "--format", choices=FORMATS, help="The file's format (default: from its name/content)."
        )
        parser.add_argument(
            "--publisher", default="", help="The publisher of records that name none."
        )
        parser.add_argument("--user", help="Record the import as done by this user.")
        parser.add_argument("--batch-size", type=int, default=factchecks.BATCH_SIZE)

    def handle(self, *args: Any, **options: Any) -> None:
        actor = None
        if options["user"]:
            try:
                actor = get_user_model().objects.get(username=options["user"])
            except get_user_model().DoesNotExist:
                raise CommandError(f"There is no user {options['user']!r}.") from None
        path = Path(options["path"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror or exc}") from None
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        try:
            report = factchecks.factchecks_import(
                actor=actor,
                data=data,
                format=options["format"],
                publisher=options["publisher"],
                filename=path.name,
                batch_size=options["batch_size"],
            )
        except ValidationError as exc:
            raise CommandError(f"{path}: {_message(exc)}") from None
        except PermissionDenied as exc:
            raise CommandError(f"{path}: {exc}") from None
        for error in report.errors[:SHOW_ERRORS]:
            self.stderr.write(f"{path}: {error}")
        if len(report.errors) > SHOW_ERRORS:
            self.stderr.write(f"{path}: … and {len(report.errors) - SHOW_ERRORS:,} more.")
        if report.ignored_columns:
            self.stderr.write(f"{path}: columns not read: {', '.join(report.ignored_columns)}")
        self.stdout.write(f"{path}: {report.summary()} ({report.format}, {report.seconds:.1f} s)")
        if report.errors:
            raise SystemExit(1)

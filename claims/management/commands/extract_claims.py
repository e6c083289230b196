"""Print the claims found in text files as JSON Lines, one claim a line.

    python manage.py extract_claims PATH [PATH ...] [--published YYYY-MM-DD] [--all]

With --all, every sentence is printed, in order: claims with ``"claim": true``, the others
with ``"claim": false``, each with its score (a ranking for people, not only a threshold).

Offsets index each file's text decoded as UTF-8 with its newlines untouched. A file that
is missing, empty, binary or not UTF-8 gets one line on stderr; the others are still
processed and the exit status is 1.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from claims.extraction import extract, rank


def read_text_file(path: Path) -> str:
    """The file's text, or a ValueError whose message says plainly what is wrong."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ValueError("no such file") from None
    except IsADirectoryError:
        raise ValueError("is a directory, not a file") from None
    except PermissionError:
        raise ValueError("permission denied") from None
    except OSError as exc:
        raise ValueError(exc.strerror or str(exc)) from None
    if not data.strip():
        raise ValueError("the file is empty")
    if b"\x00" in data:
        raise ValueError("binary file (it contains NUL bytes), not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ValueError(f"not UTF-8 text (invalid byte at line {line})") from None
    if not text.strip():
        raise ValueError("the file has no text")
    return text


class Command(BaseCommand):
    help = "Extract check-worthy claims from text files and print them as JSON Lines."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument(
            "--published",
            help="Publication date (YYYY-MM-DD) to resolve relative dates against; "
            "detected from each text when not given.",
        )
        parser.add_argument(
            "--all",
            action="store_true",
            help='Print every sentence with its score, non-claims with "claim": false.',
        )

    def handle(self, *args: Any, **options: Any) -> None:
        published = None
        if options["published"]:
            try:
                published = dt.date.fromisoformat(options["published"])
            except ValueError:
                raise CommandError(
                    f"--published must be a date as YYYY-MM-DD, not {options['published']!r}"
                ) from None
        failures = 0
        out = self.stdout
        for name in options["paths"]:
            try:
                text = read_text_file(Path(name))
            except ValueError as exc:
                failures += 1
                self.stderr.write(f"{name}: {exc}")
                continue
            judge = rank if options["all"] else extract
            for claim in judge(text, published=published):
                record = {"file": name, **claim.to_dict()}
                out.write(json.dumps(record, ensure_ascii=False))
        if failures:
            sys.exit(1)

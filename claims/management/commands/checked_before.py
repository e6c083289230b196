"""\"Checked before?\" from the command line, for measurement and for batch work.

python manage.py checked_before [--limit N] [--min-score S] PATH

PATH is a TSV file (or - for standard input) with a header row naming the columns ``id``
and ``text``. For each row, one JSON line on standard output, best match first:

    {"id": "<query id>", "matches": [{"ref": "<fact-check id as imported>", "score": 0.93}, ...]}

Our own published claims appear as ``"ref": "claim:<pk>"``. The matcher is the one the
claim page and the API use (claims.selectors.checked_before).
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from claims import selectors

csv.field_size_limit(10**7)


class Command(BaseCommand):
    help = "Print the fact-checks and published claims that match each text of a TSV file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", metavar="PATH", help="TSV with a header row: id<TAB>text")
        parser.add_argument("--limit", type=int, default=5, help="matches per query (default 5)")
        parser.add_argument(
            "--min-score",
            type=float,
            default=0.0,
            help="leave out matches scored below this (0 to 1; default 0: the best --limit)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["limit"] < 1:
            raise CommandError("--limit must be at least 1.")
        if not 0.0 <= options["min_score"] <= 1.0:
            raise CommandError("--min-score must be between 0 and 1.")
        path = options["path"]
        try:
            text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"{path}: {getattr(exc, 'strerror', None) or exc}") from None
        reader = csv.DictReader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE)
        columns = {c.strip().lower() for c in reader.fieldnames or []}
        if not {"id", "text"} <= columns:
            raise CommandError(
                f"{path}: the header row must name the columns id and text "
                f"(it names {', '.join(sorted(columns)) or 'nothing'})."
            )
        for number, row in enumerate(reader, start=2):
            row = {(k or "").strip().lower(): (v or "") for k, v in row.items()}
            query_id = row["id"].strip()
            if not query_id:
                self.stderr.write(f"{path}: row {number} has no id; skipped.")
                continue
            matches = selectors.match_text(
                row["text"], limit=options["limit"], min_similarity=options["min_score"]
            )
            line = {
                "id": query_id,
                "matches": [{"ref": m.ref, "score": round(m.score, 4)} for m in matches],
            }
            self.stdout.write(json.dumps(line, ensure_ascii=False))

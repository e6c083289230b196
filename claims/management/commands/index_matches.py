"""(Re)build the vectors "checked before?" matches by.

python manage.py index_matches [--rebuild]

Makes the vectors of fact-checks and published claims that have none (or one made by
another version of the encoder); --rebuild remakes all of them. Imports and publishing make
vectors as they go: this is for a database loaded otherwise, or after a model change.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from claims.matching import store
from claims.models import FactCheck, MatchVector


class Command(BaseCommand):
    help = "Make the matcher's vectors of fact-checks and published claims."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rebuild", action="store_true", help="remake every vector")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        current = MatchVector.objects.filter(model=store.fingerprint())
        factchecks = FactCheck.objects.order_by("pk")
        if not options["rebuild"]:
            factchecks = factchecks.exclude(
                pk__in=current.filter(factcheck__isnull=False).values("factcheck_id")
            )
            claims = store.missing_claims(limit=None)
        else:
            from claims.models import Claim

            claims = list(Claim.objects.public().active().values_list("pk", flat=True))
        done_f = store.index_factchecks(list(factchecks.values_list("pk", flat=True)))
        done_c = store.index_claims(claims)
        store.reset()
        self.stdout.write(
            f"Indexed {done_f} fact-checks and {done_c} claims"
            f" in {time.perf_counter() - started:.1f} s."
        )

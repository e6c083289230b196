"""manage.py create_api_token USERNAME: a personal API token for a user, printed once.

The key is the last word of the output, so scripts can take it with ``awk '{print $NF}'``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Create a personal API token for USERNAME and print it (it is shown only once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--expires-in-days",
            type=int,
            default=None,
            help="Let the token expire after this many days (default: the settings' TTL, "
            "no expiry unless WORKBENCH_API_TOKEN_TTL_DAYS is set).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from workbench.tokens import create_token

        username = options["username"]
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no user {username!r}.")
        if not user.is_active:
            raise CommandError(f"The account {username!r} is inactive.")
        days = options["expires_in_days"]
        if days is not None and days < 1:
            raise CommandError("--expires-in-days must be 1 or more.")
        record, key = create_token(
            user, expires_in=dt.timedelta(days=days) if days is not None else None
        )
        expiry = f"expires {record.expiry:%Y-%m-%d}" if record.expiry else "does not expire"
        self.stdout.write(
            f"API token for {username} ({expiry}). It is shown only this once; the "
            f"workbench stores only its digest. Token: {key}"
        )

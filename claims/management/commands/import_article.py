"""Import an article from a file or a web page, as the web form does.

python manage.py import_article PATH|URL [--user USERNAME]
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from claims import services
from claims.models import Article


def _message(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return " ".join(m for messages in exc.message_dict.values() for m in messages)
    return " ".join(exc.messages)


class Command(BaseCommand):
    help = (
        "Import an article from a .txt, .md or .html file, or from a URL, and extract its claims."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", metavar="PATH|URL")
        parser.add_argument("--user", help="Record the import as done by this user.")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = None
        if options["user"]:
            try:
                actor = get_user_model().objects.get(username=options["user"])
            except get_user_model().DoesNotExist:
                raise CommandError(f"There is no user {options['user']!r}.") from None
        source: str = options["source"]
        try:
            if "://" in source:
                result = services.article_import_url(actor=actor, url=source)
            else:
                path = Path(source)
                try:
                    data = path.read_bytes()
                except OSError as exc:
                    raise CommandError(f"{source}: {exc.strerror or exc}") from None
                result = services.article_import_upload(actor=actor, data=data, filename=path.name)
        except ValidationError as exc:
            raise CommandError(f"{source}: {_message(exc)}") from None
        article = result.article
        if not result.created:
            self.stdout.write(f"Already imported as article {article.pk}: {article.title}")
            return
        article.refresh_from_db()
        claims = article.claims.count()
        status = Article.Extraction(article.extraction_status).label.lower()
        self.stdout.write(
            f"Imported article {article.pk}: {article.title} "
            f"({len(article.text):,} characters, {claims} claims, extraction {status})"
        )

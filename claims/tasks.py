"""Background work, through Django's tasks framework.

Settings choose the backend: immediate (tests, ``make run``) or the database queue of
django-tasks-db, drained by ``manage.py db_worker`` processes.
"""

from __future__ import annotations

from django.tasks import task

from claims import services


@task()
def extract_article_claims(article_id: int) -> int:
    """Find and store an article's claims; returns how many were created."""
    return services.article_extract_claims(article_id=article_id)

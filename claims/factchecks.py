"""Importing other organisations' fact-checks: idempotent, in batches, bad rows reported.

The formats are read by ``claims.factcheck_formats`` (plain Python); this module stores what
it returns. A fact-check is identified by (publisher, id) or, without an id, (publisher, url):
importing it again updates the stored row and never adds a second one. Each batch is one
transaction; a bad row is reported with its row number and why, and the others are stored.
What is stored is the publisher's own verdict (``rating_text``), never one of our ratings.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from claims import permissions
from claims.factcheck_formats import FactCheckRecord, FormatError, RowError, parse
from claims.models import FactCheck

BATCH_SIZE = 1000
# The fields a record sets; an empty value in a later import keeps what is stored (a file
# without a title column does not erase the titles another file gave).
FIELDS = (
    "claim_text",
    "title",
    "rating_text",
    "claimant",
    "published",
    "language",
    "url",
    "external_id",
)


@dataclass
class ImportReport:
    format: str = ""
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    ids: list[int] = field(default_factory=list)  # created or changed: what index_factchecks got
    seconds: float = 0.0

    @property
    def imported(self) -> int:
        return self.created + self.updated + self.unchanged

    @property
    def total(self) -> int:
        return self.imported + len(self.errors)

    def summary(self) -> str:
        parts = [f"{self.created:,} new", f"{self.updated:,} updated"]
        if self.unchanged:
            parts.append(f"{self.unchanged:,} unchanged")
        text = f"{self.imported:,} of {self.total:,} fact-checks imported ({', '.join(parts)})"
        if self.errors:
            text += f"; {len(self.errors):,} row{'s' if len(self.errors) != 1 else ''} refused"
        return text + "."


def _require(actor: Any) -> None:
    # ``None`` is the command line, run by whoever runs the server.
    if actor is not None:
        decision = permissions.can_import_factchecks(actor)
        if not decision:
            raise PermissionDenied(decision.reason)


def factchecks_import(
    *,
    actor: Any,
    data: bytes | str,
    format: str | None = None,
    publisher: str = "",
    filename: str = "",
    batch_size: int = BATCH_SIZE,
) -> ImportReport:
    """Import the fact-checks in a ClaimReview or TSV file (``format`` guessed from the name
    or the content when not given). ``publisher`` names the publisher of records that name
    none. A file that cannot be read at all is a ``ValidationError`` and changes nothing."""
    _require(actor)
    started = time.perf_counter()
    try:
        parsed = parse(data, format=format or None, publisher=publisher, filename=filename)
    except FormatError as exc:
        raise ValidationError({"file": str(exc)}) from None
    report = factchecks_import_records(
        actor=actor, records=parsed.records, batch_size=batch_size, checked=True
    )
    report.format = parsed.format
    report.ignored_columns = parsed.ignored_columns
    report.errors = sorted([*parsed.errors, *report.errors], key=lambda e: e.row)
    report.seconds = time.perf_counter() - started
    return report


def factchecks_import_records(
    *,
    actor: Any,
    records: Sequence[tuple[int, FactCheckRecord]],
    batch_size: int = BATCH_SIZE,
    checked: bool = False,
) -> ImportReport:
    """Store parsed records, ``batch_size`` to a transaction, then have the matcher index
    the rows that were created or changed."""
    from claims import matching

    if not checked:
        _require(actor)
    report = ImportReport()
    user = actor if getattr(actor, "pk", None) else None
    size = max(1, int(batch_size))
    for i in range(0, len(records), size):
        batch = records[i : i + size]
        try:
            with transaction.atomic():
                outcome = _store(batch, user)
        except IntegrityError:
            # Someone else stored one of these meanwhile: row by row, so only that one fails.
            outcome = _Outcome()
            with transaction.atomic():
                for row in batch:
                    try:
                        with transaction.atomic():
                            outcome.add(_store([row], user))
                    except IntegrityError as exc:
                        outcome.errors.append(
                            RowError(row[0], f"it could not be stored ({exc})", row[1].ref)
                        )
        report.created += outcome.created
        report.updated += outcome.updated
        report.unchanged += outcome.unchanged
        report.errors.extend(outcome.errors)
        if outcome.ids:
            report.ids.extend(outcome.ids)
            matching.index_factchecks(outcome.ids)
    return report


@dataclass
class _Outcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    ids: list[int] = field(default_factory=list)

    def add(self, other: _Outcome) -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.errors.extend(other.errors)
        self.ids.extend(other.ids)


def _existing(batch: Iterable[tuple[int, FactCheckRecord]]) -> list[FactCheck]:
    """The stored fact-checks any record of the batch may be, locked: one query."""
    ids: dict[str, set[str]] = defaultdict(set)
    urls: dict[str, set[str]] = defaultdict(set)
    for _, r in batch:
        if r.external_id:
            ids[r.publisher].add(r.external_id)
        if r.url:
            urls[r.publisher].add(r.url)
    where = Q(pk__in=[])
    for publisher in ids.keys() | urls.keys():
        mine = Q(external_id__in=sorted(ids[publisher])) | Q(url__in=sorted(urls[publisher]))
        where |= Q(publisher=publisher) & mine
    return list(FactCheck.objects.select_for_update().filter(where))


def _store(batch: Sequence[tuple[int, FactCheckRecord]], user: Any) -> _Outcome:
    outcome = _Outcome()
    now = timezone.now()
    by_id: dict[tuple[str, str], FactCheck] = {}
    by_url: dict[tuple[str, str], FactCheck] = {}
    for fc in _existing(batch):
        if fc.external_id:
            by_id[(fc.publisher, fc.external_id)] = fc
        if fc.url:
            by_url[(fc.publisher, fc.url)] = fc
    new: list[FactCheck] = []
    changed: dict[int, FactCheck] = {}
    for row, r in batch:
        same_id = by_id.get((r.publisher, r.external_id)) if r.external_id else None
        same_url = by_url.get((r.publisher, r.url)) if r.url else None
        target = same_id or same_url
        if same_id and same_url and same_id is not same_url:
            outcome.errors.append(
                RowError(
                    row,
                    f"its url is that of another fact-check of {r.publisher} "
                    f"({same_url.external_id or same_url.url})",
                    r.ref,
                )
            )
            continue
        if (
            target is not None
            and same_id is None
            and r.external_id
            and target.external_id
            and target.external_id != r.external_id
        ):
            outcome.errors.append(
                RowError(
                    row,
                    f"its url is that of {r.publisher}'s fact-check {target.external_id}",
                    r.ref,
                )
            )
            continue
        if target is None:
            fc = FactCheck(
                publisher=r.publisher,
                external_id=r.external_id,
                url=r.url,
                claim_text=r.claim_text,
                title=r.title,
                rating_text=r.rating_text,
                claimant=r.claimant,
                published=r.published,
                language=r.language,
                imported_by=user,
                imported_at=now,
                updated_at=now,
            )
            new.append(fc)
            # A later row of the batch with this id or url is this one (or in conflict).
            if fc.external_id:
                by_id[(fc.publisher, fc.external_id)] = fc
            if fc.url:
                by_url[(fc.publisher, fc.url)] = fc
            continue
        if target.pk is None:
            outcome.errors.append(
                RowError(row, "the same fact-check as an earlier row of the file", r.ref)
            )
            continue
        dirty = False
        for name in FIELDS:
            value = getattr(r, name)
            if value not in ("", None) and getattr(target, name) != value:
                setattr(target, name, value)
                dirty = True
        if dirty:
            target.updated_at = now
            if target.pk not in changed:
                changed[target.pk] = target
        else:
            outcome.unchanged += 1
        if target.external_id:
            by_id[(target.publisher, target.external_id)] = target
        if target.url:
            by_url[(target.publisher, target.url)] = target
    if new:
        FactCheck.objects.bulk_create(new)
        outcome.created = len(new)
        outcome.ids.extend(fc.pk for fc in new)
    if changed:
        FactCheck.objects.bulk_update(list(changed.values()), [*FIELDS, "updated_at"])
        outcome.updated = len(changed)
        outcome.ids.extend(changed)
    return outcome

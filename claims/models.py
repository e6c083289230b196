"""Articles, the claims found in them, their verdicts and the claim workflow's history.

Nothing here changes a claim's ``status``: that is ``claims.services``' job, so that every
transition is checked against one table, locked, and written to the history.
"""

from __future__ import annotations

import hashlib
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone


def content_hash(text: str) -> str:
    """The identity of an article's text: the same text imported twice is one article."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Organisation(models.Model):
    """The newsroom running this workbench: ClaimReview's ``author`` and a few policies.

    One row; ``Organisation.current()`` creates it on first use.
    """

    name = models.CharField(max_length=200, default="Claim Workbench")
    url = models.URLField(max_length=500, default="https://example.org/")
    logo_url = models.URLField(max_length=500, blank=True)
    show_reviewer_names = models.BooleanField(
        default=False,
        help_text="Show the names of reviewers and editors on public pages and the public API.",
    )

    class Meta:
        verbose_name = "organisation settings"
        verbose_name_plural = "organisation settings"

    def __str__(self) -> str:
        return self.name

    @classmethod
    def current(cls) -> Organisation:
        org = cls.objects.order_by("pk").first()
        if org is None:
            org = cls.objects.create()
        return org


class LabelInUse(ValidationError):
    """A change that would rewrite what published verdicts and ratings say."""


class RatingScale(models.Model):
    """A rating scale is data: an organisation may define its own labels.

    Once one of its labels is in use, its best and worst rating (ClaimReview's) are frozen.
    """

    FROZEN_WHEN_USED = ("best_rating", "worst_rating")
    _stored: dict[str, Any] | None = None  # the frozen fields as read (from_db)

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    is_default = models.BooleanField(default=False)
    best_rating = models.PositiveSmallIntegerField(default=5)
    worst_rating = models.PositiveSmallIntegerField(default=1)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="one_default_scale"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        _refuse_frozen_changes(self, self.FROZEN_WHEN_USED, "The labels of this scale are")
        super().save(*args, **kwargs)
        self._stored = _frozen_values(self, self.FROZEN_WHEN_USED)

    @classmethod
    def default(cls) -> RatingScale:
        return cls.objects.get(is_default=True)

    def in_use(self) -> bool:
        return (
            self.pk is not None
            and RatingLabel.objects.filter(scale=self)
            .filter(Q(verdicts__isnull=False) | Q(ratings__isnull=False))
            .exists()
        )

    @classmethod
    def from_db(cls, db: Any, field_names: Any, values: Any, **kwargs: Any) -> RatingScale:
        instance = super().from_db(db, field_names, values, **kwargs)
        instance._stored = _frozen_values(instance, cls.FROZEN_WHEN_USED)
        return instance


def _frozen_values(instance: models.Model, fields: tuple[str, ...]) -> dict[str, Any]:
    return {f: instance.__dict__[f] for f in fields if f in instance.__dict__}


def _refuse_frozen_changes(instance: Any, fields: tuple[str, ...], what: str) -> None:
    stored = getattr(instance, "_stored", None)
    if instance._state.adding or not stored:
        return
    changed = [f for f in fields if f in stored and getattr(instance, f) != stored[f]]
    if changed and instance.in_use():
        message = (
            f"{what} in use by ratings or verdicts, so this cannot change: published verdicts "
            "would say something other than what they said. Retire the label and add a new one."
        )
        raise LabelInUse({f.removesuffix("_id"): message for f in changed})


class RatingLabel(models.Model):
    """One label of a scale, mapped to ClaimReview and to AVeriTeC's four classes.

    Ordinal labels carry a ``rating_value`` between the scale's worst and best rating and are
    the ones agreement statistics treat as ordered; non-ordinal labels (Misleading,
    Unverifiable) have none.
    """

    class Averitec(models.TextChoices):
        SUPPORTED = "Supported"
        REFUTED = "Refuted"
        NOT_ENOUGH_EVIDENCE = "Not Enough Evidence"
        CONFLICTING = "Conflicting Evidence/Cherrypicking"

    scale = models.ForeignKey(RatingScale, on_delete=models.CASCADE, related_name="labels")
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100)
    position = models.PositiveSmallIntegerField(help_text="Display order on the scale.")
    rating_value = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="ClaimReview ratingValue; empty for non-ordinal labels."
    )
    alternate_name = models.CharField(
        max_length=100, help_text="ClaimReview alternateName, the label readers see."
    )
    averitec = models.CharField(max_length=40, choices=Averitec.choices)
    colour = models.CharField(max_length=7, default="#666666")
    description = models.TextField(blank=True)
    retired_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="A retired label stays on the ratings and verdicts that have it and is "
        "offered for no new one.",
    )

    # What a rating or a verdict says, on the workbench and in ClaimReview: frozen once used.
    FROZEN_WHEN_USED = ("scale_id", "name", "slug", "rating_value", "alternate_name", "averitec")
    _stored: dict[str, Any] | None = None

    class Meta:
        ordering: ClassVar = ["scale", "position"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["scale", "slug"], name="unique_label_slug_per_scale"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        _refuse_frozen_changes(self, self.FROZEN_WHEN_USED, "This label is")
        super().save(*args, **kwargs)
        self._stored = _frozen_values(self, self.FROZEN_WHEN_USED)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if self.in_use():
            raise LabelInUse(
                f"The label {self.name} is in use by ratings or verdicts and cannot be "
                "deleted; retire it instead."
            )
        return super().delete(*args, **kwargs)

    @property
    def retired(self) -> bool:
        return self.retired_at is not None

    def in_use(self) -> bool:
        """Has a rating or a verdict (of any state) ever been given this label?"""
        if self.pk is None:
            return False
        return self.verdicts.exists() or self.ratings.exists()

    @classmethod
    def from_db(cls, db: Any, field_names: Any, values: Any, **kwargs: Any) -> RatingLabel:
        instance = super().from_db(db, field_names, values, **kwargs)
        instance._stored = _frozen_values(instance, cls.FROZEN_WHEN_USED)
        return instance


class Article(models.Model):
    class Format(models.TextChoices):
        TEXT = "text", "Pasted text"
        MARKDOWN = "markdown", "Markdown file"
        HTML = "html", "HTML file"
        URL = "url", "Web page"

    class Extraction(models.TextChoices):
        PENDING = "pending", "Waiting"
        RUNNING = "running", "Extracting"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    title = models.CharField(max_length=500)
    byline = models.CharField(max_length=300, blank=True)
    outlet = models.CharField(max_length=200, blank=True)
    url = models.URLField(max_length=2000, blank=True)
    published = models.DateField(null=True, blank=True)
    # Stored exactly as received and never changed: claims and annotations point into it.
    text = models.TextField()
    content_hash = models.CharField(max_length=64, unique=True, editable=False)
    source_format = models.CharField(max_length=10, choices=Format.choices, default=Format.TEXT)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="imported_articles",
    )
    imported_at = models.DateTimeField(default=timezone.now, db_index=True)
    extraction_status = models.CharField(
        max_length=10, choices=Extraction.choices, default=Extraction.PENDING
    )
    extraction_error = models.TextField(blank=True)
    extracted_at = models.DateTimeField(null=True, blank=True)

    # The hash the row had when it was read: save() refuses to store a changed text.
    _stored_hash: str | None = None

    class Meta:
        ordering: ClassVar = ["-imported_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        new_hash = content_hash(self.text)
        stored = getattr(self, "_stored_hash", None)
        if stored is not None and stored != new_hash:
            raise ValidationError("An article's text never changes once it is stored.")
        self.content_hash = new_hash
        super().save(*args, **kwargs)
        self._stored_hash = new_hash

    def get_absolute_url(self) -> str:
        return reverse("article-detail", args=[self.pk])

    @classmethod
    def from_db(cls, db: Any, field_names: Any, values: Any, **kwargs: Any) -> Article:
        instance = super().from_db(db, field_names, values, **kwargs)
        instance._stored_hash = instance.__dict__.get("content_hash")
        return instance


class ClaimType(models.TextChoices):
    CASUALTY = "casualty", "Casualty"
    QUANTITY = "quantity", "Quantity"
    QUOTE = "quote", "Quote"
    ATTRIBUTION = "attribution", "Attribution"
    EVENT = "event", "Event"


class ClaimStatus(models.TextChoices):
    NEW = "new", "New"
    IN_REVIEW = "in_review", "In review"
    PROPOSED = "proposed", "Proposed"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    APPROVED = "approved", "Approved"
    PUBLISHED = "published", "Published"
    CORRECTED = "corrected", "Corrected"
    RETRACTED = "retracted", "Retracted"
    DISMISSED = "dismissed", "Dismissed"


PUBLIC_STATUSES = (ClaimStatus.PUBLISHED, ClaimStatus.CORRECTED)


class ClaimQuerySet(models.QuerySet["Claim"]):
    def active(self) -> ClaimQuerySet:
        """Claims that are not replaced by a split or a merge."""
        return self.filter(superseded=False)

    def of_type(self, claim_type: str) -> ClaimQuerySet:
        # Types are a JSON list; matching the quoted name works the same on SQLite and PostgreSQL.
        return self.filter(types__icontains=f'"{claim_type}"')

    def public(self) -> ClaimQuerySet:
        return self.filter(status__in=PUBLIC_STATUSES)


class Claim(models.Model):
    class Origin(models.TextChoices):
        EXTRACTED = "extracted", "Extracted automatically"
        ADDED = "added", "Added by a person"
        EDITED = "edited", "Edited by a person"
        SPLIT = "split", "Split by a person"
        MERGED = "merged", "Merged by a person"
        PROMOTED = "promoted", "Promoted by a person from below the threshold"

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="claims")
    # W3C Web Annotation: TextPositionSelector (start, end) and TextQuoteSelector
    # (exact = text, prefix, suffix) so the claim can be found again if the text changes.
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.TextField()
    prefix = models.CharField(max_length=64, blank=True)
    suffix = models.CharField(max_length=64, blank=True)
    types = models.JSONField(default=list, blank=True)
    score = models.FloatField(default=0.0)
    cues = models.JSONField(default=list, blank=True)
    reason = models.CharField(max_length=500, blank=True)
    speaker = models.CharField(max_length=200, blank=True)
    figures = models.JSONField(default=list, blank=True)
    date = models.DateField(null=True, blank=True)
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.EXTRACTED)
    # The machine's own output, kept unchanged when a person edits the claim.
    machine = models.JSONField(null=True, blank=True, editable=False)
    superseded = models.BooleanField(
        default=False, help_text="Replaced by the claims made when it was split or merged."
    )
    derived_from = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="derivatives"
    )
    status = models.CharField(
        max_length=20, choices=ClaimStatus.choices, default=ClaimStatus.NEW, db_index=True
    )
    # Optimistic concurrency: every change increments it; a change based on an older one is
    # refused.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    assignees = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="ClaimAssignment",
        through_fields=("claim", "reviewer"),
        related_name="assigned_claims",
        blank=True,
    )
    # Full-text search: the claim's text (weight A), speaker (B) and its article's title (C).
    # On PostgreSQL a trigger keeps it current on every insert and on any change to those
    # three (migration 0003), and a GIN index serves ``@@``; it is never written from Python.
    # On SQLite it stays empty and search falls back to ``icontains``.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["article", "start", "end", "pk"]
        indexes: ClassVar = [
            models.Index(fields=["article", "start"]),
            models.Index(fields=["status", "updated_at"]),
            # The public feed's validators (selectors.public_state) count and date the claims
            # the public can see: an index-only scan of this small index, not of the heap.
            models.Index(
                fields=["updated_at"],
                condition=Q(status__in=["published", "corrected", "retracted"]),
                name="claim_publicly_visible",
            ),
            # "Claims nobody has taken" on the dashboard: the most check-worthy new claims,
            # read in order (90 ms to sort 38,000 new claims without it, 0.2 ms with it).
            models.Index(
                fields=["-score", "start", "id"],
                condition=Q(status="new", superseded=False),
                name="claim_new_by_worth",
            ),
        ]
        constraints: ClassVar = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="claim_span_not_empty"),
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=1), name="claim_score_between_0_and_1"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ClaimStatus.values), name="claim_status_valid"
            ),
        ]
        permissions: ClassVar = [
            ("review_claim", "Can review claims: edit, annotate, add sources, rate, dismiss"),
            ("assign_claim", "Can assign claims to reviewers"),
            ("propose_verdict", "Can propose a verdict on any claim"),
            ("approve_verdict", "Can approve or send back a verdict"),
            ("publish_verdict", "Can publish, correct and retract verdicts"),
            ("reopen_claim", "Can reopen dismissed or retracted claims"),
        ]

    def __str__(self) -> str:
        return self.text if len(self.text) <= 80 else self.text[:79] + "…"

    def get_absolute_url(self) -> str:
        return reverse("claim-detail", args=[self.pk])


class ClaimAssignment(models.Model):
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="assignments")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="claim_assignments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["claim", "reviewer"], name="one_assignment_per_reviewer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} on claim {self.claim_id}"


class Verdict(models.Model):
    """One edition of the verdict on a claim.

    A correction publishes a new edition; the old one stays readable, marked superseded,
    and the new one says what changed and why (``correction_note``).
    """

    class State(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"
        APPROVED = "approved", "Approved"
        PUBLISHED = "published", "Published"
        SUPERSEDED = "superseded", "Corrected by a later version"
        RETRACTED = "retracted", "Retracted"

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="verdicts")
    edition = models.PositiveIntegerField(default=1)
    label = models.ForeignKey(RatingLabel, on_delete=models.PROTECT, related_name="verdicts")
    summary = models.TextField()
    justification = models.TextField()
    state = models.CharField(max_length=20, choices=State.choices, default=State.PROPOSED)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="authored_verdicts"
    )
    # Everyone who wrote or amended it: none of them may approve it (four-eyes rule).
    contributors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="contributed_verdicts", blank=True
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approved_verdicts",
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="published_verdicts",
    )
    published_at = models.DateTimeField(null=True, blank=True)
    corrects = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrected_by"
    )
    correction_note = models.TextField(blank=True)
    retracted_at = models.DateTimeField(null=True, blank=True)
    # A retraction is the one urgent change a single editor may make: who made it is kept.
    retracted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="retracted_verdicts",
    )
    retraction_reason = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["claim", "edition"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["claim", "edition"], name="one_edition_number_per_claim"
            )
        ]
        indexes: ClassVar = [
            # The public feed, newest first, read in order from its first row. (It replaces an
            # index on published_at alone, which put the never-published verdicts, NULL and
            # so first in descending order, ahead of every published one.)
            models.Index(
                fields=["-published_at", "-id"],
                condition=Q(state="published"),
                name="verdict_published_feed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} (claim {self.claim_id}, v{self.edition})"


class Correction(models.Model):
    """A correction of a published verdict, proposed by one editor and approved by another.

    Nothing of it is public until a second editor approves it: then it becomes the verdict's
    next edition, written by its proposer and approved by that editor. A rejected proposal is
    kept, withdrawn, with the reason; so is one a retraction overtook.
    """

    class State(models.TextChoices):
        PENDING = "pending", "Waiting for a second editor"
        APPROVED = "approved", "Approved and published"
        WITHDRAWN = "withdrawn", "Withdrawn"

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="corrections")
    # The published edition it corrects, and the edition it became once approved.
    verdict = models.ForeignKey(
        Verdict, on_delete=models.PROTECT, related_name="correction_proposals"
    )
    result = models.OneToOneField(
        Verdict,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="correction_proposal",
    )
    state = models.CharField(max_length=20, choices=State.choices, default=State.PENDING)
    label = models.ForeignKey(RatingLabel, on_delete=models.PROTECT, related_name="corrections")
    summary = models.TextField()
    justification = models.TextField()
    note = models.TextField()
    # None keeps the corrected edition's sources; a list names this claim's sources.
    source_ids = models.JSONField(null=True, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="proposed_corrections"
    )
    proposed_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decided_corrections",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)

    class Meta:
        ordering: ClassVar = ["claim", "proposed_at", "pk"]
        constraints: ClassVar = [
            # One proposal waits at a time: a second editor decides on one text, never a race.
            models.UniqueConstraint(
                fields=["claim"],
                condition=Q(state="pending"),
                name="one_pending_correction_per_claim",
            )
        ]

    def __str__(self) -> str:
        return f"Correction of {self.verdict} ({self.state})"


class ClaimHistory(models.Model):
    """Append-only record of every change to a claim: who, when, from, to, why.

    Rows are never updated or deleted (refused here, and by a trigger on PostgreSQL).
    """

    class Action(models.TextChoices):
        CREATED = "created"
        EXTRACTED = "extracted"
        EDITED = "edited"
        ADDED = "added"
        SPLIT = "split"
        MERGED = "merged"
        ASSIGNED = "assigned"
        UNASSIGNED = "unassigned"
        ANNOTATED = "annotated"
        COMMENTED = "commented"
        SOURCE_ADDED = "source_added"
        SOURCE_REMOVED = "source_removed"
        RATED = "rated"
        PROPOSED = "proposed"
        AMENDED = "amended"
        APPROVED = "approved"
        CHANGES_REQUESTED = "changes_requested"
        PUBLISHED = "published"
        CORRECTION_PROPOSED = "correction_proposed"
        CORRECTION_REJECTED = "correction_rejected"
        CORRECTED = "corrected"
        RETRACTED = "retracted"
        DISMISSED = "dismissed"
        REOPENED = "reopened"
        MATCH_CONFIRMED = "match_confirmed"
        MATCH_REJECTED = "match_rejected"
        GROUPED = "grouped"
        UNGROUPED = "ungrouped"

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="history")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claim_history",
    )
    at = models.DateTimeField(default=timezone.now, db_index=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    from_status = models.CharField(max_length=20, choices=ClaimStatus.choices)
    to_status = models.CharField(max_length=20, choices=ClaimStatus.choices)
    reason = models.TextField(blank=True)
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering: ClassVar = ["claim", "at", "pk"]
        verbose_name_plural = "claim history"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.from_status}→{self.to_status}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise ValidationError("Claim history is append-only: rows are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValidationError("Claim history is append-only: rows are never deleted.")


class RoleChange(models.Model):
    """Append-only record of every change to an account's or a group's roles (see
    ``claims.roles``): who made it, when, through what, and the roles before and after.

    ``before`` is empty for a new account; ``actor`` is empty for a change made outside the
    admin (a management command, the shell). Rows are never updated or deleted.
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    via = models.CharField(
        max_length=20, blank=True, help_text="“admin”, or empty for a change made in code."
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="role_changes",
    )
    group = models.ForeignKey(
        "auth.Group", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField()

    class Meta:
        ordering: ClassVar = ["-at", "-pk"]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, group__isnull=True)
                | Q(user__isnull=True, group__isnull=False),
                name="role_change_of_an_account_or_a_group",
            ),
        ]

    def __str__(self) -> str:
        subject = self.user if self.user_id else self.group
        return f"{self.at:%Y-%m-%d %H:%M} roles of {subject}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise ValidationError("Role history is append-only: rows are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValidationError("Role history is append-only: rows are never deleted.")


# --- checked before: other organisations' fact-checks, matches, groups of the same claim ----


class FactCheck(models.Model):
    """A fact-check published by another organisation (or by us elsewhere), imported from its
    ClaimReview or from a table.

    It is the publisher's verdict, kept in its own words (``rating_text``): never one of our
    ratings, never mapped onto our scale, never on our public API as ours. Identity is
    (publisher, external id) or, for rows without an id, (publisher, url): importing the same
    fact-check again updates it.
    """

    publisher = models.CharField(max_length=200)
    external_id = models.CharField(
        max_length=200,
        blank=True,
        help_text="The id its publisher or the file gives it.",
    )
    url = models.URLField(max_length=2000, blank=True)
    claim_text = models.TextField(help_text="The claim that was checked (claimReviewed).")
    title = models.CharField(max_length=1000, blank=True)
    rating_text = models.CharField(
        max_length=300, blank=True, help_text="The publisher's verdict as they wrote it."
    )
    claimant = models.CharField(
        max_length=300, blank=True, help_text="Who made the claim (itemReviewed.author)."
    )
    published = models.DateField(null=True, blank=True, help_text="datePublished")
    language = models.CharField(max_length=35, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="imported_factchecks",
    )
    imported_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["publisher", "external_id", "url", "pk"]
        verbose_name = "fact-check"
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["publisher", "external_id"],
                condition=~Q(external_id=""),
                name="factcheck_unique_publisher_id",
            ),
            models.UniqueConstraint(
                fields=["publisher", "url"],
                condition=~Q(url=""),
                name="factcheck_unique_publisher_url",
            ),
            models.CheckConstraint(
                condition=~Q(external_id="") | ~Q(url=""), name="factcheck_has_id_or_url"
            ),
            models.CheckConstraint(condition=~Q(claim_text=""), name="factcheck_has_claim"),
            models.CheckConstraint(condition=~Q(publisher=""), name="factcheck_has_publisher"),
        ]

    def __str__(self) -> str:
        text = self.claim_text if len(self.claim_text) <= 60 else self.claim_text[:59] + "…"
        return f"{self.publisher}: {text}"

    @property
    def ref(self) -> str:
        """How the command line and the measurements name it: its id as imported."""
        return self.external_id or self.url


class MatchDecision(models.Model):
    """A reviewer's answer to "is this the same claim?" for one match shown on a claim.

    The match is either another organisation's fact-check or one of our own claims. One row
    per (claim, match): the current answer; every answer given is also in the claim's
    history. Kept to measure the matcher against what reviewers decided.
    """

    class Decision(models.TextChoices):
        CONFIRMED = "confirmed", "Confirmed: the same claim"
        REJECTED = "rejected", "Rejected: not the same claim"

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="match_decisions")
    factcheck = models.ForeignKey(
        FactCheck,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="match_decisions",
    )
    matched_claim = models.ForeignKey(
        Claim, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision = models.CharField(max_length=10, choices=Decision.choices)
    # What the reviewer was shown when deciding: the matcher's score and why it matched.
    score = models.FloatField(null=True, blank=True)
    explanation = models.JSONField(default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="match_decisions"
    )
    at = models.DateTimeField(default=timezone.now)
    # When a confirmed fact-check was attached to the claim as a source.
    attached_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering: ClassVar = ["claim", "-at", "pk"]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=(Q(factcheck__isnull=False) & Q(matched_claim__isnull=True))
                | (Q(factcheck__isnull=True) & Q(matched_claim__isnull=False)),
                name="match_decision_one_ref",
            ),
            models.CheckConstraint(
                condition=~Q(matched_claim=F("claim")), name="match_decision_not_itself"
            ),
            models.UniqueConstraint(
                fields=["claim", "factcheck"],
                condition=Q(factcheck__isnull=False),
                name="one_decision_per_claim_and_factcheck",
            ),
            models.UniqueConstraint(
                fields=["claim", "matched_claim"],
                condition=Q(matched_claim__isnull=False),
                name="one_decision_per_claim_and_claim",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.decision}: claim {self.claim_id} ~ {self.ref}"

    @property
    def ref(self) -> str:
        """The match as ``checked_before`` names it: the fact-check's id, or ``claim:<pk>``."""
        if self.factcheck_id is not None:
            return self.factcheck.ref if self.factcheck else str(self.factcheck_id)
        return f"claim:{self.matched_claim_id}"


class ClaimGroup(models.Model):
    """The same claim made in several of our articles, checked once.

    Editors group and ungroup claims (``services.claims_group`` / ``claim_ungroup``); a claim
    belongs to at most one group.
    """

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering: ClassVar = ["-created_at", "pk"]

    def __str__(self) -> str:
        return f"group {self.pk}"


class ClaimGroupMember(models.Model):
    claim = models.OneToOneField(Claim, on_delete=models.PROTECT, related_name="group_membership")
    group = models.ForeignKey(ClaimGroup, on_delete=models.CASCADE, related_name="members")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["group", "added_at", "pk"]

    def __str__(self) -> str:
        return f"claim {self.claim_id} in group {self.group_id}"


class MatchVector(models.Model):
    """The sentence vector of one imported fact-check or one of our claims: what "checked
    before?" compares by meaning (claims/matching).

    Rows are appended, never edited: a changed text adds a row and deletes the old one in
    the same transaction, so every app server's in-process index catches up by reading the
    rows above the last ``pk`` it has seen (claims/matching/store.py).
    """

    factcheck = models.ForeignKey(
        FactCheck, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    claim = models.ForeignKey(
        Claim, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    text = models.TextField(help_text="The text the vector was made of.")
    vector = models.BinaryField(help_text="float16, little-endian, 384 values")
    model = models.CharField(max_length=64, help_text="The encoder's fingerprint.")

    class Meta:
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=(Q(factcheck__isnull=False) & Q(claim__isnull=True))
                | (Q(factcheck__isnull=True) & Q(claim__isnull=False)),
                name="match_vector_one_ref",
            ),
            models.UniqueConstraint(
                fields=["factcheck"],
                condition=Q(factcheck__isnull=False),
                name="one_vector_per_factcheck",
            ),
            models.UniqueConstraint(
                fields=["claim"], condition=Q(claim__isnull=False), name="one_vector_per_claim"
            ),
        ]

    def __str__(self) -> str:
        if self.factcheck_id:
            return f"vector of fact-check {self.factcheck_id}"
        return f"vector of claim {self.claim_id}"

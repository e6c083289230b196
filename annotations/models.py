"""What reviewers attach to claims: annotations, comments, sources and their ratings.

This app may import from ``claims``; ``claims`` never imports from here.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from claims.models import Article, Claim, RatingLabel


class AnnotationLabel(models.Model):
    """The configurable set of labels for annotations (figure, speaker, hedge, ...)."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    colour = models.CharField(max_length=7, default="#888888")
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering: ClassVar = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Annotation(models.Model):
    """A labelled span of an article's text, usually about one claim."""

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="annotations")
    claim = models.ForeignKey(
        Claim, on_delete=models.PROTECT, null=True, blank=True, related_name="annotations"
    )
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    exact = models.TextField()
    prefix = models.CharField(max_length=64, blank=True)
    suffix = models.CharField(max_length=64, blank=True)
    label = models.ForeignKey(AnnotationLabel, on_delete=models.PROTECT, related_name="+")
    comment = models.TextField(blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="annotations"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering: ClassVar = ["article", "start", "pk"]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="annotation_span_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label}: {self.exact[:60]}"


class Comment(models.Model):
    """Threaded discussion on a claim."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="comments")
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="claim_comments"
    )
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["claim", "created_at", "pk"]

    def __str__(self) -> str:
        return self.body[:60]


class Source(models.Model):
    """A source is a record of its own: the same URL used on several claims is one source."""

    class Kind(models.TextChoices):
        PRIMARY = "primary", "Primary / official"
        SECONDARY = "secondary", "Secondary"
        UNVERIFIED = "unverified", "Unverified"

    url = models.URLField(max_length=2000, unique=True)
    title = models.CharField(max_length=500, blank=True)
    publisher = models.CharField(max_length=200, blank=True)
    published = models.DateField(null=True, blank=True)
    accessed = models.DateField(default=timezone.localdate)
    archive_url = models.URLField(max_length=2000, blank=True)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.SECONDARY)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # The sources a verdict relies on; declared here so that claims never imports annotations.
    verdicts = models.ManyToManyField("claims.Verdict", related_name="sources", blank=True)

    class Meta:
        ordering: ClassVar = ["title", "url"]

    def __str__(self) -> str:
        return self.title or self.url


class ClaimSource(models.Model):
    """A source as used on one claim: the excerpt relied on and its stance toward the claim."""

    class Stance(models.TextChoices):
        SUPPORTS = "supports", "Supports"
        REFUTES = "refutes", "Refutes"
        MIXED = "mixed", "Mixed"
        CONTEXT = "context", "Context"

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="claim_sources")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="uses")
    excerpt = models.TextField(blank=True)
    stance = models.CharField(max_length=10, choices=Stance.choices, default=Stance.CONTEXT)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["claim", "added_at", "pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["claim", "source"], name="one_use_of_a_source_per_claim"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source} ({self.stance}) on claim {self.claim_id}"

    @property
    def published_after_claim(self) -> bool:
        """Evidence published after the claim was made is flagged: it could not have been
        what the speaker relied on, and readers should know."""
        claim_date = self.claim.date or self.claim.article.published
        return bool(self.source.published and claim_date and self.source.published > claim_date)


class Rating(models.Model):
    """One reviewer's independent rating of a claim. Others see it only after rating too."""

    class Confidence(models.IntegerChoices):
        VERY_LOW = 1, "Very low"
        LOW = 2, "Low"
        MEDIUM = 3, "Medium"
        HIGH = 4, "High"
        VERY_HIGH = 5, "Very high"

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="ratings")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ratings"
    )
    label = models.ForeignKey(RatingLabel, on_delete=models.PROTECT, related_name="ratings")
    justification = models.TextField()
    confidence = models.PositiveSmallIntegerField(
        choices=Confidence.choices, default=Confidence.MEDIUM
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering: ClassVar = ["claim", "submitted_at", "pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["claim", "reviewer"], name="one_rating_per_reviewer"),
            models.CheckConstraint(
                condition=Q(confidence__gte=1) & Q(confidence__lte=5),
                name="rating_confidence_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer}: {self.label} on claim {self.claim_id}"

"""What the API reads and writes for annotations, comments, sources, ratings and agreement.

Shapes only: whether a change is allowed, and what a valid value is, is decided by
``annotations.services``; ``version`` and authorship are read-only.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from annotations.models import Annotation, AnnotationLabel, ClaimSource, Comment, Rating, Source
from claims.api.serializers import MAX_ID, RatingLabelSerializer, UserRefSerializer, api_url
from claims.models import ClaimType
from workbench.api.fields import TextField


class AnnotationLabelSerializer(serializers.ModelSerializer):
    class Meta:
        model = AnnotationLabel
        fields = ("slug", "name", "colour", "description")
        read_only_fields = fields


class AnnotationSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    claim = serializers.IntegerField(source="claim_id", allow_null=True)
    article = serializers.IntegerField(source="article_id")
    label: Any = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    author = UserRefSerializer()

    class Meta:
        model = Annotation
        fields = (
            "id",
            "url",
            "claim",
            "article",
            "start",
            "end",
            "exact",
            "prefix",
            "suffix",
            "label",
            "comment",
            "author",
            "created_at",
            "updated_at",
            "version",
        )
        read_only_fields = fields

    def get_url(self, annotation: Annotation) -> str:
        return api_url(self.context, "api-annotation-detail", annotation.pk)


class AnnotationCreateInput(serializers.Serializer):
    start = serializers.IntegerField(min_value=0)
    end = serializers.IntegerField(min_value=0)
    label = serializers.CharField(max_length=100, help_text="Annotation label slug.")  # type: ignore[assignment]
    comment = TextField(required=False, allow_blank=True, default="", max_length=20_000)


class AnnotationUpdateInput(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text="The version you loaded.")
    label = serializers.CharField(required=False, max_length=100)  # type: ignore[assignment]
    comment = TextField(required=False, allow_blank=True, max_length=20_000)


class CommentSerializer(serializers.ModelSerializer):
    claim = serializers.IntegerField(source="claim_id")
    parent = serializers.IntegerField(source="parent_id", allow_null=True)  # type: ignore[assignment]
    author = UserRefSerializer()

    class Meta:
        model = Comment
        fields = ("id", "claim", "parent", "author", "body", "created_at")
        read_only_fields = fields


class CommentInput(serializers.Serializer):
    body = TextField(allow_blank=True, max_length=20_000)
    parent = serializers.IntegerField(  # type: ignore[assignment]
        required=False,
        allow_null=True,
        min_value=1,
        max_value=MAX_ID,
        help_text="Reply to this comment (on the same claim).",
    )


class SourceSerializer(serializers.ModelSerializer):
    url = serializers.CharField(help_text="The source's web address.")
    archive_url = serializers.CharField(help_text="An archived copy, if any (may be empty).")
    api_url = serializers.SerializerMethodField()
    claims = serializers.SerializerMethodField(help_text="How many claims use it.")

    class Meta:
        model = Source
        fields = (
            "id",
            "api_url",
            "url",
            "title",
            "publisher",
            "published",
            "accessed",
            "archive_url",
            "kind",
            "created_at",
            "claims",
        )
        read_only_fields = fields

    def get_api_url(self, source: Source) -> str:
        return api_url(self.context, "api-source-detail", source.pk)

    def get_claims(self, source: Source) -> int | None:
        return getattr(source, "claims", None)


class ClaimSourceSerializer(serializers.ModelSerializer):
    api_url = serializers.SerializerMethodField()
    claim = serializers.IntegerField(source="claim_id")
    source = SourceSerializer()  # type: ignore[assignment]
    added_by = UserRefSerializer()
    published_after_claim = serializers.BooleanField(
        help_text="The source was published after the claim was made."
    )

    class Meta:
        model = ClaimSource
        fields = (
            "id",
            "api_url",
            "claim",
            "source",
            "excerpt",
            "stance",
            "added_by",
            "added_at",
            "published_after_claim",
        )
        read_only_fields = fields

    def get_api_url(self, use: ClaimSource) -> str:
        return api_url(self.context, "api-claim-source-detail", use.pk)


class SourceRemoveInput(serializers.Serializer):
    reason = TextField(
        required=False,
        allow_blank=True,
        default="",
        max_length=2000,
        help_text="Why it is removed: required of an editor removing a source someone else "
        "added; it goes in the claim's history. Also read from ?reason=.",
    )


class MatchAttachInput(serializers.Serializer):
    stance = serializers.ChoiceField(
        choices=ClaimSource.Stance.choices, required=False, default=ClaimSource.Stance.CONTEXT
    )
    excerpt = TextField(
        required=False,
        allow_blank=True,
        default="",
        max_length=20_000,
        help_text="Default: what the publisher rated it.",
    )


class SourceAttachInput(serializers.Serializer):
    url = TextField(max_length=2000, help_text="http(s) address of the source.")
    title = TextField(required=False, allow_blank=True, default="", max_length=500)
    publisher = TextField(required=False, allow_blank=True, default="", max_length=200)
    published = serializers.DateField(required=False, allow_null=True)
    accessed = serializers.DateField(required=False, allow_null=True)
    archive_url = TextField(required=False, allow_blank=True, default="", max_length=2000)
    kind = serializers.ChoiceField(choices=Source.Kind.choices, default=Source.Kind.SECONDARY)
    excerpt = TextField(required=False, allow_blank=True, default="", max_length=20_000)
    stance = serializers.ChoiceField(
        choices=ClaimSource.Stance.choices, default=ClaimSource.Stance.CONTEXT
    )


class RatingSerializer(serializers.ModelSerializer):
    claim = serializers.IntegerField(source="claim_id")
    reviewer = UserRefSerializer()
    label = RatingLabelSerializer()  # type: ignore[assignment]

    class Meta:
        model = Rating
        fields = (
            "id",
            "claim",
            "reviewer",
            "label",
            "justification",
            "confidence",
            "submitted_at",
            "updated_at",
            "version",
        )
        read_only_fields = fields


class RatingsSerializer(serializers.Serializer):
    """What the caller may see of a claim's ratings (blind until they have rated)."""

    own = RatingSerializer(allow_null=True, help_text="Your own rating, if you gave one.")
    ratings = RatingSerializer(many=True, help_text="The ratings you may see.")
    hidden = serializers.IntegerField(help_text="Ratings hidden from you until you rate.")
    blind_reason = serializers.CharField(allow_blank=True)


class RatingInput(serializers.Serializer):
    label = serializers.CharField(max_length=100, help_text="Rating label slug.")  # type: ignore[assignment]
    justification = TextField(allow_blank=True, max_length=20_000)
    confidence = serializers.IntegerField(
        required=False, default=Rating.Confidence.MEDIUM, help_text="1 (very low) to 5."
    )
    version = serializers.IntegerField(
        min_value=0,
        help_text="Your rating's version when revising it; 0 for a first rating (required).",
    )


class PairSerializer(serializers.Serializer):
    reviewers = serializers.ListField(child=serializers.CharField())
    kappa = serializers.FloatField(allow_null=True)
    claims = serializers.IntegerField()


class ReviewerAgreementSerializer(serializers.Serializer):
    reviewer = serializers.CharField()
    claims = serializers.IntegerField()
    mean_kappa = serializers.FloatField(allow_null=True)


class AgreementSerializer(serializers.Serializer):
    alpha = serializers.FloatField(
        allow_null=True, help_text="Krippendorff's alpha (ordinal labels only)."
    )
    claims_rated = serializers.IntegerField()
    ratings = serializers.IntegerField()
    per_type = serializers.DictField(
        child=serializers.FloatField(allow_null=True), help_text="Alpha per claim type."
    )
    per_pair = PairSerializer(many=True, help_text="Cohen's kappa per pair of reviewers.")
    per_reviewer = ReviewerAgreementSerializer(many=True)


class DisagreementSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    url = serializers.SerializerMethodField()
    article = serializers.IntegerField(source="article_id")
    text = serializers.CharField()
    types = serializers.ListField(child=serializers.ChoiceField(choices=ClaimType.choices))
    status = serializers.CharField()
    rating_count = serializers.IntegerField()
    rating_low = serializers.IntegerField(allow_null=True)
    rating_high = serializers.IntegerField(allow_null=True)
    rating_spread = serializers.IntegerField(allow_null=True)

    def get_url(self, claim: Any) -> str:
        return api_url(self.context, "api-claim-detail", claim.pk)

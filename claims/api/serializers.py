"""What the workbench API reads and writes for articles, claims, verdicts and history.

Output serializers only read; input serializers only check the shape of a request. The
rules (what may change, when, by whom) are the services': ``status``, ``version`` and every
workflow field are read-only here and change only through ``claims.services``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from django.urls import NoReverseMatch, reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from claims import permissions
from claims.models import (
    Article,
    Claim,
    ClaimHistory,
    ClaimStatus,
    ClaimType,
    Correction,
    RatingLabel,
    Verdict,
)
from workbench.api.fields import TextField

# The largest id a database column holds: bigger ones are a 400, never a database error.
MAX_ID = 2**63 - 1


def api_url(context: Mapping[str, Any], name: str, pk: int) -> str:
    path = reverse(name, args=[pk])
    request = context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


def person_name(user: Any) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


# --- small pieces ---------------------------------------------------------------------------------


class UserRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    username = serializers.CharField(source="get_username")
    name = serializers.SerializerMethodField()

    def get_name(self, user: Any) -> str:
        return person_name(user)


class RatingLabelSerializer(serializers.ModelSerializer):
    best_rating = serializers.IntegerField(source="scale.best_rating", allow_null=True)
    worst_rating = serializers.IntegerField(source="scale.worst_rating", allow_null=True)
    retired = serializers.BooleanField(
        read_only=True, help_text="Kept on what has it; no new rating or verdict may have it."
    )

    class Meta:
        model = RatingLabel
        fields = (
            "slug",
            "name",
            "alternate_name",
            "rating_value",
            "best_rating",
            "worst_rating",
            "averitec",
            "colour",
            "description",
            "retired",
        )
        read_only_fields = fields


@extend_schema_field(
    {
        "oneOf": [
            {"type": "number"},
            {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2},
        ],
        "description": "A number, or a [low, high] range.",
    }
)
class FigureValueField(serializers.JSONField):
    pass


class FigureSerializer(serializers.Serializer):
    """A structured figure of a claim: what is counted, how many, how hedged, whose side."""

    value = FigureValueField()
    hedge = serializers.ChoiceField(
        choices=["exact", "at_least", "more_than", "less_than", "nearly", "about"],
        default="exact",
    )
    counted = TextField(allow_blank=True, required=False, default="")
    side = TextField(allow_blank=True, allow_null=True, required=False, default=None)
    unit = TextField(required=False, allow_null=True)
    text = TextField(required=False, allow_blank=True, allow_null=True)


class ArticleRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    url = serializers.SerializerMethodField()
    title = serializers.CharField()

    def get_url(self, article: Article) -> str:
        return api_url(self.context, "api-article-detail", article.pk)


# --- articles -------------------------------------------------------------------------------------


class ArticleSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    source_url = serializers.CharField(source="url", help_text="The article's web address.")
    imported_by = serializers.SerializerMethodField()
    claim_count = serializers.SerializerMethodField()
    progress = serializers.SerializerMethodField()

    class Meta:
        model = Article
        fields: tuple[str, ...] = (
            "id",
            "url",
            "title",
            "byline",
            "outlet",
            "source_url",
            "published",
            "source_format",
            "imported_at",
            "imported_by",
            "extraction_status",
            "extraction_error",
            "extracted_at",
            "claim_count",
            "progress",
        )
        read_only_fields = fields

    def get_url(self, article: Article) -> str:
        return api_url(self.context, "api-article-detail", article.pk)

    def get_imported_by(self, article: Article) -> str | None:
        user = article.imported_by
        return user.get_username() if user is not None else None

    def get_claim_count(self, article: Article) -> int:
        return int(getattr(article, "n_claims", 0) or 0)

    @extend_schema_field(
        {
            "type": "object",
            "additionalProperties": {"type": "integer"},
            "description": "Active claims in each status.",
        }
    )
    def get_progress(self, article: Article) -> dict[str, int]:
        return {s: int(getattr(article, f"n_{s}", 0) or 0) for s in ClaimStatus.values}


class ClaimInArticleSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    types = serializers.ListField(child=serializers.ChoiceField(choices=ClaimType.choices))
    figures = FigureSerializer(many=True)
    assignees = serializers.SerializerMethodField()

    class Meta:
        model = Claim
        fields: tuple[str, ...] = (
            "id",
            "url",
            "start",
            "end",
            "text",
            "types",
            "score",
            "reason",
            "speaker",
            "figures",
            "date",
            "origin",
            "status",
            "version",
            "assignees",
            "updated_at",
        )
        read_only_fields = fields

    def get_url(self, claim: Claim) -> str:
        return api_url(self.context, "api-claim-detail", claim.pk)

    @extend_schema_field(UserRefSerializer(many=True))
    def get_assignees(self, claim: Claim) -> Any:
        return UserRefSerializer([a.reviewer for a in claim.assignments.all()], many=True).data


class ArticleDetailSerializer(ArticleSerializer):
    claims = serializers.SerializerMethodField()

    class Meta(ArticleSerializer.Meta):
        fields = (*ArticleSerializer.Meta.fields, "text", "claims")
        read_only_fields = fields

    @extend_schema_field(ClaimInArticleSerializer(many=True))
    def get_claims(self, article: Article) -> Any:
        claims = self.context.get("claims", [])
        return ClaimInArticleSerializer(claims, many=True, context=self.context).data


class ArticleTextInput(serializers.Serializer):
    text = TextField(trim_whitespace=False, help_text="The article, as plain text.")
    title = TextField(required=False, allow_blank=True, max_length=500)
    byline = TextField(required=False, allow_blank=True, max_length=300)
    outlet = TextField(required=False, allow_blank=True, max_length=200)
    source_url = serializers.URLField(required=False, allow_blank=True, max_length=2000)
    published = serializers.DateField(required=False, allow_null=True)


class ArticleUrlInput(serializers.Serializer):
    source_url = serializers.URLField(max_length=2000, help_text="The web page to fetch.")


class ArticleUploadInput(serializers.Serializer):
    file = serializers.FileField(help_text="A .txt, .md or .html file.")


# --- claims ---------------------------------------------------------------------------------------


class ClaimSerializer(ClaimInArticleSerializer):
    article = ArticleRefSerializer()

    class Meta(ClaimInArticleSerializer.Meta):
        fields: tuple[str, ...] = (
            "id",
            "url",
            "article",
            "start",
            "end",
            "text",
            "prefix",
            "suffix",
            "types",
            "score",
            "reason",
            "cues",
            "speaker",
            "figures",
            "date",
            "origin",
            "superseded",
            "status",
            "version",
            "assignees",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields


class VerdictSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    claim = serializers.IntegerField(source="claim_id")
    label: Any = RatingLabelSerializer(allow_null=True, help_text="Null when sealed.")
    author = UserRefSerializer(allow_null=True, help_text="Null when sealed.")
    contributors = UserRefSerializer(many=True)
    approved_by = UserRefSerializer(allow_null=True)
    published_by = UserRefSerializer(allow_null=True)
    corrects = serializers.IntegerField(source="corrects_id", allow_null=True)
    sources = serializers.SerializerMethodField()
    sealed = serializers.SerializerMethodField(
        help_text="True when the verdict is blind to you, as the ratings are: a verdict not yet "
        "published, to a reviewer who has not rated the claim. Its label, summary, "
        "justification, writers and sources are then null (or empty) until you rate."
    )

    # What a sealed verdict leaves out, and what it shows instead.
    SEALED: ClassVar[dict[str, Any]] = {
        "label": None,
        "summary": None,
        "justification": None,
        "author": None,
        "contributors": [],
        "approved_by": None,
        "sources": [],
    }

    class Meta:
        model = Verdict
        fields = (
            "id",
            "url",
            "claim",
            "edition",
            "state",
            "sealed",
            "label",
            "summary",
            "justification",
            "author",
            "contributors",
            "approved_by",
            "approved_at",
            "published_by",
            "published_at",
            "corrects",
            "correction_note",
            "retracted_at",
            "retraction_reason",
            "sources",
            "version",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields

    def get_url(self, verdict: Verdict) -> str:
        return api_url(self.context, "api-verdict-detail", verdict.pk)

    def _sealed(self, verdict: Verdict) -> bool:
        request = self.context.get("request")
        return not permissions.can_see_verdict(getattr(request, "user", None), verdict)

    def get_sealed(self, verdict: Verdict) -> bool:
        return self._sealed(verdict)

    def to_representation(self, verdict: Verdict) -> dict[str, Any]:
        data = super().to_representation(verdict)
        if data["sealed"]:
            data.update(self.SEALED)
        return data

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_sources(self, verdict: Verdict) -> list[int]:
        # Sources are the annotations app's records; the ids are what a client sends back.
        return sorted(s.pk for s in verdict.sources.all())


class ActionSerializer(serializers.Serializer):
    action = serializers.CharField(help_text="The workflow action, as in its URL.")
    allowed = serializers.BooleanField()
    reason = serializers.CharField(allow_blank=True, help_text="Why not, when not allowed.")
    url = serializers.CharField()


class CorrectionSerializer(serializers.ModelSerializer):
    """A correction waiting for a second editor: shown to editors only, never public."""

    label = RatingLabelSerializer(read_only=True)  # type: ignore[assignment]
    proposed_by = serializers.SerializerMethodField()

    class Meta:
        model = Correction
        fields = (
            "id",
            "label",
            "summary",
            "justification",
            "note",
            "source_ids",
            "proposed_by",
            "proposed_at",
        )
        read_only_fields = fields

    def get_proposed_by(self, correction: Correction) -> str:
        return correction.proposed_by.get_username()


class ClaimDetailSerializer(ClaimSerializer):
    machine = serializers.JSONField(help_text="The extraction engine's original output.")
    pending_correction = serializers.SerializerMethodField(
        help_text="Editors only: the correction waiting for a second editor's approval."
    )
    derived_from = serializers.SerializerMethodField()
    updated_by = serializers.SerializerMethodField()
    verdict = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()
    links = serializers.SerializerMethodField()

    class Meta(ClaimSerializer.Meta):
        fields = (
            *ClaimSerializer.Meta.fields,
            "machine",
            "derived_from",
            "updated_by",
            "verdict",
            "pending_correction",
            "actions",
            "links",
        )
        read_only_fields = fields

    @extend_schema_field(CorrectionSerializer(allow_null=True))
    def get_pending_correction(self, claim: Claim) -> dict[str, Any] | None:
        correction = self.context.get("pending_correction")
        return CorrectionSerializer(correction).data if correction else None

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_derived_from(self, claim: Claim) -> list[int]:
        return [c.pk for c in claim.derived_from.all()]

    def get_updated_by(self, claim: Claim) -> str | None:
        return claim.updated_by.get_username() if claim.updated_by is not None else None

    @extend_schema_field(VerdictSerializer(allow_null=True))
    def get_verdict(self, claim: Claim) -> dict[str, Any] | None:
        verdict = self.context.get("verdict")
        return VerdictSerializer(verdict, context=self.context).data if verdict else None

    @extend_schema_field(ActionSerializer(many=True))
    def get_actions(self, claim: Claim) -> Any:
        actions = self.context.get("actions", {})
        return [
            {
                "action": name.replace("_", "-"),
                "allowed": bool(decision),
                "reason": getattr(decision, "reason", ""),
                "url": api_url(self.context, f"api-claim-{name.replace('_', '-')}", claim.pk),
            }
            for name, decision in actions.items()
        ]

    @extend_schema_field(
        {"type": "object", "additionalProperties": {"type": "string", "format": "uri"}}
    )
    def get_links(self, claim: Claim) -> dict[str, str]:
        names = {
            "verdicts": "api-claim-verdicts",
            "history": "api-claim-history",
            "annotations": "api-claim-annotations",
            "comments": "api-claim-comments",
            "sources": "api-claim-sources",
            "ratings": "api-claim-ratings",
        }
        links = {}
        for key, name in names.items():
            try:
                links[key] = api_url(self.context, name, claim.pk)
            except NoReverseMatch:  # that app's API is not wired: leave its link out
                continue
        return links


class ClaimCreateInput(serializers.Serializer):
    article = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    start = serializers.IntegerField(min_value=0)
    end = serializers.IntegerField(min_value=0)
    types = serializers.ListField(
        child=serializers.ChoiceField(choices=ClaimType.choices), allow_empty=False
    )
    speaker = TextField(required=False, allow_blank=True, default="")
    figures = FigureSerializer(many=True, required=False)
    date = serializers.DateField(required=False, allow_null=True)


class ClaimUpdateInput(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1, help_text="The version you loaded: a change to an older one is refused."
    )
    start = serializers.IntegerField(min_value=0, required=False)
    end = serializers.IntegerField(min_value=0, required=False)
    types = serializers.ListField(
        child=serializers.ChoiceField(choices=ClaimType.choices), allow_empty=False, required=False
    )
    speaker = TextField(required=False, allow_blank=True)
    figures = FigureSerializer(many=True, required=False)
    date = serializers.DateField(required=False, allow_null=True)


class SplitInput(serializers.Serializer):
    version = serializers.IntegerField(min_value=1)
    at = serializers.IntegerField(min_value=0, help_text="Offset in the article to split at.")


class MergeInput(serializers.Serializer):
    claims = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID), min_length=2, max_length=50
    )
    versions = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        help_text="The versions you loaded, in the order of `claims` (required).",
    )


class HistorySerializer(serializers.ModelSerializer):
    actor = serializers.SerializerMethodField()

    class Meta:
        model = ClaimHistory
        fields = ("id", "at", "actor", "action", "from_status", "to_status", "reason", "changes")
        read_only_fields = fields

    def get_actor(self, row: ClaimHistory) -> str | None:
        return row.actor.get_username() if row.actor is not None else None


# --- workflow actions -----------------------------------------------------------------------------


class VersionInput(serializers.Serializer):
    # Required: a change made without saying what it was based on could overwrite another's.
    version = serializers.IntegerField(
        min_value=1,
        help_text="The claim version you loaded: required; a change since is a 409.",
    )


class AssignInput(VersionInput):
    reviewer = serializers.CharField(
        required=False,
        max_length=150,
        help_text="Username of the reviewer (default: yourself).",
    )


class ProposeInput(VersionInput):
    label = serializers.CharField(max_length=100, help_text="Rating label slug.")  # type: ignore[assignment]
    summary = TextField(allow_blank=True, max_length=20_000)
    justification = TextField(allow_blank=True, max_length=50_000)
    sources = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        required=False,
        help_text="Ids of this claim's sources the verdict relies on.",
    )


class ReasonInput(VersionInput):
    reason = TextField(allow_blank=True, max_length=20_000)


class OptionalReasonInput(VersionInput):
    reason = TextField(allow_blank=True, required=False, default="", max_length=20_000)


class CorrectInput(VersionInput):
    note = TextField(allow_blank=True, max_length=20_000, help_text="What changed, and why.")
    label = serializers.CharField(required=False, max_length=100)  # type: ignore[assignment]
    summary = TextField(required=False, allow_blank=True, max_length=20_000)
    justification = TextField(required=False, allow_blank=True, max_length=50_000)
    sources = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID), required=False
    )


class VerdictAmendInput(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text="The verdict version you loaded.")
    label = serializers.CharField(required=False, max_length=100)  # type: ignore[assignment]
    summary = TextField(required=False, allow_blank=True, max_length=20_000)
    justification = TextField(required=False, allow_blank=True, max_length=50_000)
    sources = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID), required=False
    )


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())
    is_reviewer = serializers.BooleanField()
    is_editor = serializers.BooleanField()

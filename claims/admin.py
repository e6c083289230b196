"""Admin for articles, claims and the rating scale.

Claims' workflow fields are read-only here: a status changes only through the services, which
check the move and write the history.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from claims.models import (
    Article,
    Claim,
    ClaimAssignment,
    ClaimHistory,
    Correction,
    Organisation,
    RatingLabel,
    RatingScale,
    Verdict,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Workflow records change only through the workbench (versions checked, history
    written): claims come from extraction or the article reader, edits go through the
    services."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "url", "show_reviewer_names")


class RatingLabelInline(admin.TabularInline):
    model = RatingLabel
    extra = 0
    fields = ("position", "name", "slug", "rating_value", "alternate_name", "averitec", "colour")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(RatingScale)
class RatingScaleAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "is_default", "worst_rating", "best_rating")
    inlines = (RatingLabelInline,)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(RatingLabel)
class RatingLabelAdmin(admin.ModelAdmin):
    list_display = ("name", "scale", "position", "rating_value", "alternate_name", "averitec")
    list_filter = ("scale", "averitec")
    search_fields = ("name", "alternate_name")


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("title", "outlet", "byline", "published", "extraction_status", "imported_at")
    list_filter = ("extraction_status", "source_format", "outlet", "published")
    search_fields = ("title", "byline", "outlet", "url")
    date_hierarchy = "imported_at"
    readonly_fields = ("text", "content_hash", "imported_at", "extracted_at", "extraction_error")
    raw_id_fields = ("imported_by",)


class ClaimHistoryInline(admin.TabularInline):
    model = ClaimHistory
    extra = 0
    can_delete = False
    fields = ("at", "actor", "action", "from_status", "to_status", "reason", "changes")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AssignmentInline(admin.TabularInline):
    model = ClaimAssignment
    fk_name = "claim"
    extra = 0
    raw_id_fields = ("reviewer", "assigned_by")
    readonly_fields = ("reviewer", "assigned_by", "assigned_at")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Claim)
class ClaimAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "article", "status", "types", "speaker", "score", "origin")
    list_filter = ("status", "origin", "superseded", "article")
    search_fields = ("text", "speaker", "article__title")
    list_select_related = ("article",)
    readonly_fields = (
        "article",
        "start",
        "end",
        "text",
        "prefix",
        "suffix",
        "status",
        "version",
        "machine",
        "origin",
        "superseded",
        "created_at",
        "updated_at",
        "updated_by",
        "score",
        "cues",
    )
    fields = (
        "article",
        "status",
        "version",
        "text",
        "start",
        "end",
        "prefix",
        "suffix",
        "types",
        "speaker",
        "figures",
        "date",
        "score",
        "cues",
        "reason",
        "origin",
        "machine",
        "superseded",
        "created_at",
        "updated_at",
        "updated_by",
    )
    inlines = (AssignmentInline, ClaimHistoryInline)


@admin.register(Verdict)
class VerdictAdmin(ReadOnlyAdmin):
    list_display = ("claim", "edition", "label", "state", "author", "approved_by", "published_at")
    list_filter = ("state", "label")
    search_fields = ("summary", "claim__text")
    list_select_related = ("claim", "label", "author", "approved_by")
    raw_id_fields = ("claim", "author", "approved_by", "published_by", "retracted_by", "corrects")


@admin.register(Correction)
class CorrectionAdmin(ReadOnlyAdmin):
    """Read-only: a correction is proposed and approved by two editors in the workbench."""

    list_display = ("claim", "state", "label", "proposed_by", "proposed_at", "decided_by")
    list_filter = ("state",)
    search_fields = ("note", "claim__text")
    list_select_related = ("claim", "label", "proposed_by", "decided_by")
    raw_id_fields = ("claim", "verdict", "result", "proposed_by", "decided_by")


@admin.register(ClaimHistory)
class ClaimHistoryAdmin(ReadOnlyAdmin):
    list_display = ("at", "claim", "actor", "action", "from_status", "to_status", "reason")
    list_filter = ("action", "to_status")
    search_fields = ("reason", "claim__text", "actor__username")
    date_hierarchy = "at"
    list_select_related = ("claim", "actor")


@admin.register(ClaimAssignment)
class ClaimAssignmentAdmin(ReadOnlyAdmin):
    """Read-only: assignments change through the workbench so the history records them."""

    list_display = ("claim", "reviewer", "assigned_by", "assigned_at")
    list_filter = ("reviewer",)
    search_fields = ("claim__text", "reviewer__username")
    list_select_related = ("claim", "reviewer", "assigned_by")
    date_hierarchy = "assigned_at"

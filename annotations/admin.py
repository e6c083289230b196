from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from annotations.models import Annotation, AnnotationLabel, ClaimSource, Comment, Rating, Source
from claims.admin import ReadOnlyAdmin  # reviewers' work, too, changes only in the workbench


@admin.register(AnnotationLabel)
class AnnotationLabelAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "colour", "position", "active")
    list_filter = ("active",)
    list_editable = ("position", "active")
    search_fields = ("name", "description")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Annotation)
class AnnotationAdmin(ReadOnlyAdmin):
    list_display = ("exact", "label", "claim", "author", "created_at")
    list_filter = ("label",)
    search_fields = ("exact", "comment", "author__username")
    list_select_related = ("label", "claim", "author")


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    list_display = ("body", "claim", "author", "created_at")
    search_fields = ("body", "author__username")
    list_select_related = ("claim", "author")


class ClaimSourceInline(admin.TabularInline):
    model = ClaimSource
    extra = 0
    readonly_fields = ("claim", "excerpt", "stance", "added_by", "added_at")
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ("title", "publisher", "kind", "published", "accessed", "url")
    list_filter = ("kind", "publisher")
    search_fields = ("title", "publisher", "url")
    readonly_fields = ("url", "created_by", "created_at")
    exclude = ("verdicts",)
    inlines = (ClaimSourceInline,)


@admin.register(Rating)
class RatingAdmin(ReadOnlyAdmin):
    list_display = ("claim", "reviewer", "label", "confidence", "submitted_at")
    list_filter = ("label", "confidence")
    search_fields = ("justification", "reviewer__username")
    list_select_related = ("claim", "label", "reviewer")


@admin.register(ClaimSource)
class ClaimSourceAdmin(ReadOnlyAdmin):
    list_display = ("source", "claim", "stance", "added_by", "added_at")
    list_filter = ("stance", "source__kind")
    search_fields = ("source__url", "source__title", "excerpt", "claim__text")
    list_select_related = ("source", "claim", "added_by")

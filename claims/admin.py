"""Admin for articles, claims and the rating scale.

Claims' workflow fields are read-only here: a status changes only through the services, which
check the move and write the history.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path

from claims import permissions
from claims.models import (
    Article,
    Claim,
    ClaimAssignment,
    ClaimGroup,
    ClaimGroupMember,
    ClaimHistory,
    FactCheck,
    MatchDecision,
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
    raw_id_fields = ("claim", "author", "approved_by", "published_by", "corrects")


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


# --- checked before: fact-checks, match decisions, groups ----------------------------------------


@admin.register(FactCheck)
class FactCheckAdmin(ReadOnlyAdmin):
    """Other organisations' fact-checks: read here, imported from a file (the Import button,
    the workbench's import page or ``manage.py import_factchecks``), never typed in, so that
    a second import of the same file updates rather than duplicates."""

    list_display = ("claim_text", "publisher", "rating_text", "published", "language", "ref")
    list_filter = ("publisher", "language")
    search_fields = ("claim_text", "title", "external_id", "url", "publisher")
    date_hierarchy = "imported_at"
    readonly_fields = (
        "publisher",
        "external_id",
        "url",
        "claim_text",
        "title",
        "rating_text",
        "claimant",
        "published",
        "language",
        "imported_by",
        "imported_at",
        "updated_at",
    )
    change_list_template = "admin/claims/factcheck/change_list.html"

    def get_urls(self) -> list[URLPattern]:
        mine = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="claims_factcheck_import",
            )
        ]
        return mine + super().get_urls()

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_view_permission(request, obj) or bool(
            permissions.can_import_factchecks(request.user)
        )

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        extra = {"can_import": bool(permissions.can_import_factchecks(request.user))}
        return super().changelist_view(request, {**(extra_context or {}), **extra})

    def import_view(self, request: HttpRequest) -> HttpResponse:
        from claims.forms import FactCheckImportForm
        from claims.views import ERRORS_SHOWN, run_factcheck_import

        decision = permissions.can_import_factchecks(request.user)
        if not decision:
            raise PermissionDenied(decision.reason)
        form = FactCheckImportForm()
        report, status = None, 200
        if request.method == "POST":
            form = FactCheckImportForm(request.POST, request.FILES)
            report = run_factcheck_import(request, form)
            status = 400 if report is None else 200
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Import fact-checks",
            "form": form,
            "report": report,
            "errors_shown": report.errors[:ERRORS_SHOWN] if report else [],
            "errors_more": max(0, len(report.errors) - ERRORS_SHOWN) if report else 0,
        }
        return TemplateResponse(
            request, "admin/claims/factcheck/import.html", context, status=status
        )


@admin.register(MatchDecision)
class MatchDecisionAdmin(ReadOnlyAdmin):
    """Reviewers' answers to "is this the same claim?": made in the workbench, kept to
    measure the matcher."""

    list_display = ("claim", "decision", "factcheck", "matched_claim", "score", "actor", "at")
    list_filter = ("decision",)
    search_fields = ("claim__text", "factcheck__claim_text", "actor__username")
    list_select_related = ("claim", "factcheck", "matched_claim", "actor")
    raw_id_fields = ("claim", "factcheck", "matched_claim", "actor")
    date_hierarchy = "at"


class ClaimGroupMemberInline(admin.TabularInline):
    model = ClaimGroupMember
    extra = 0
    can_delete = False
    raw_id_fields = ("claim", "added_by")
    readonly_fields = ("claim", "added_by", "added_at")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ClaimGroup)
class ClaimGroupAdmin(ReadOnlyAdmin):
    """The same claim across our articles: editors group and ungroup in the workbench."""

    list_display = ("__str__", "created_by", "created_at")
    list_select_related = ("created_by",)
    search_fields = ("members__claim__text",)
    inlines = (ClaimGroupMemberInline,)


@admin.register(ClaimGroupMember)
class ClaimGroupMemberAdmin(ReadOnlyAdmin):
    list_display = ("claim", "group", "added_by", "added_at")
    list_select_related = ("claim", "group", "added_by")
    search_fields = ("claim__text",)
    raw_id_fields = ("claim", "group", "added_by")

"""Admin for articles, claims, the rating scale, and accounts and their roles.

Claims' workflow fields are read-only here: a status changes only through the services, which
check the move and write the history. Roles (superuser, staff, groups, permissions) are given
only by superusers; the "admin" group runs accounts without them (see ``UserAdmin``), and
every change of a role is written to the role history (``claims.roles``).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.options import ActionLocation
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.html import format_html, format_html_join

from claims import permissions, roles, services
from claims.models import (
    Article,
    Claim,
    ClaimAssignment,
    ClaimGroup,
    ClaimGroupMember,
    ClaimHistory,
    Correction,
    FactCheck,
    MatchDecision,
    MatchVector,
    Organisation,
    RatingLabel,
    RatingScale,
    RoleChange,
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
    """New labels are added here; existing ones are shown read-only and changed, retired or
    deleted on their own page, which knows whether each is in use."""

    model = RatingLabel
    extra = 0
    fields = (
        "position",
        "name",
        "slug",
        "rating_value",
        "alternate_name",
        "averitec",
        "colour",
        "retired_at",
    )
    readonly_fields = ("retired_at",)
    prepopulated_fields = {"slug": ("name",)}
    show_change_link = True

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(RatingScale)
class RatingScaleAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "is_default", "worst_rating", "best_rating")
    inlines = (RatingLabelInline,)
    prepopulated_fields = {"slug": ("name",)}

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None and obj.in_use():
            return RatingScale.FROZEN_WHEN_USED  # in every published ClaimReview
        return ()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.in_use():
            return False
        return super().has_delete_permission(request, obj)


@admin.register(RatingLabel)
class RatingLabelAdmin(admin.ModelAdmin):
    """A label in use (by any rating or verdict) is read-only but for its colour, position
    and description, and cannot be deleted: it is retired, and a new label added."""

    list_display = (
        "name",
        "scale",
        "position",
        "rating_value",
        "alternate_name",
        "averitec",
        "retired_at",
    )
    list_filter = ("scale", "averitec", ("retired_at", admin.EmptyFieldListFilter))
    search_fields = ("name", "alternate_name")
    actions = ("retire",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None and obj.in_use():
            return ("scale", *RatingLabel.FROZEN_WHEN_USED[1:], "retired_at")
        return ("retired_at",)

    def get_prepopulated_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None and obj.in_use():
            return {}
        return {"slug": ("name",)}

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.in_use():
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(
        self, request: HttpRequest, action_location: Any = ActionLocation.CHANGE_LIST
    ) -> Any:
        # Deleting in bulk would skip the check above; a label is deleted on its own page.
        actions = super().get_actions(request, action_location=action_location)
        actions.pop("delete_selected", None)
        return actions

    @admin.action(
        description="Retire the selected labels (kept where used, offered no more)",
        permissions=["change"],
        location=[ActionLocation.CHANGE_LIST, ActionLocation.CHANGE_FORM],
    )
    def retire(self, request: HttpRequest, queryset: Any) -> None:
        for label in queryset:
            retired = services.rating_label_retire(actor=request.user, label=label)
            self.log_change(request, retired, "Retired.")
        self.message_user(request, f"{len(queryset)} label(s) retired.")


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


# --- accounts and roles --------------------------------------------------------------------------


def _is_superuser(request: HttpRequest) -> bool:
    return bool(getattr(request.user, "is_superuser", False))


def describe_roles(roles_: dict[str, Any] | None) -> str:
    """One role snapshot as a line of text: "staff; groups: editor, reviewer"."""
    if roles_ is None:
        return "new account"
    parts = [flag for flag in ("superuser", "staff") if roles_.get(flag)]
    for name in ("groups", "permissions"):
        if roles_.get(name):
            parts.append(f"{name}: {', '.join(roles_[name])}")
    return "; ".join(parts) or "no role"


admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Accounts. The admin group's members hold add_user and change_user to run accounts;
    roles stay with superusers: for anyone else the forms have no role fields, a request
    carrying one is refused, a superuser's account is read-only, and the password of an
    account holding a role is set by superusers only."""

    readonly_fields = ("role_history",)

    @admin.display(description="role history")
    def role_history(self, obj: User) -> str:
        changes = list(obj.role_changes.select_related("actor")[:20]) if obj.pk else []
        if not changes:
            return "No change of role recorded."
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{}: {} → {} (by {})</li>",
                (
                    (
                        f"{c.at:%Y-%m-%d %H:%M}",
                        describe_roles(c.before),
                        describe_roles(c.after),
                        c.actor or "code outside the admin",
                    )
                    for c in changes
                ),
            ),
        )

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None:
            fieldsets.append(("Role history", {"fields": ("role_history",)}))
        if _is_superuser(request):
            return fieldsets
        return [
            (
                name,
                {**options, "fields": [f for f in options["fields"] if f not in roles.ROLE_FIELDS]},
            )
            for name, options in fieldsets
        ]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or _is_superuser(request) or not obj.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.is_superuser and not _is_superuser(request):
            return False
        return super().has_delete_permission(request, obj)

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        if request.method == "POST" and not _is_superuser(request):
            forged = [f for f in roles.ROLE_FIELDS if f in request.POST]
            if forged:
                # The form offered none of these: someone wrote the request by hand.
                raise PermissionDenied("Only superusers give roles: " + ", ".join(forged) + ".")
        with roles.recording(actor=request.user, via="admin"):
            return super().changeform_view(request, object_id, form_url, extra_context)

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        """Setting another account's password is taking it over: a member of the admin group
        could then act as an editor or reviewer through it (approve their own verdicts, read
        blind ratings). So only superusers set the password of an account that holds a role;
        the admin group sets those of accounts without one (new accounts) and its own."""
        if not _is_superuser(request):
            target = User.objects.filter(pk=id).first() if str(id).isdigit() else None
            holds_role = target is not None and (
                target.is_superuser
                or target.is_staff
                or target.groups.exists()
                or target.user_permissions.exists()
            )
            if holds_role and target is not None and target.pk != request.user.pk:
                raise PermissionDenied(
                    "Only superusers set the password of an account that holds a role."
                )
        return super().user_change_password(request, id, form_url)


@admin.register(Group)
class GroupAdmin(DjangoGroupAdmin):
    """A group's permissions are the role it gives: only superusers change them (the admin
    group holds change_group, but sees groups read-only)."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return _is_superuser(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_superuser(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_superuser(request)

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        with roles.recording(actor=request.user, via="admin"):
            return super().changeform_view(request, object_id, form_url, extra_context)


@admin.register(RoleChange)
class RoleChangeAdmin(ReadOnlyAdmin):
    """Who gave or took which role, when; written by ``claims.roles``, never edited."""

    list_display = ("at", "user", "group", "actor", "via", "before", "after")
    list_filter = ("via", "group")
    search_fields = ("user__username", "group__name", "actor__username")
    date_hierarchy = "at"
    list_select_related = ("user", "group", "actor")


# --- checked before: fact-checks, match decisions, groups ----------------------------------------


@admin.register(MatchVector)
class MatchVectorAdmin(ReadOnlyAdmin):
    """The matcher's vectors: made by imports, publishing and ``manage.py index_matches``,
    shown here to see which texts are indexed and by which encoder; never edited."""

    list_display = ("pk", "factcheck", "claim", "model")
    list_filter = ("model",)
    search_fields = ("text",)
    readonly_fields = ("factcheck", "claim", "text", "model")
    exclude = ("vector",)
    list_select_related = ("factcheck", "claim")


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

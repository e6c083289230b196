"""The review desk: the dashboard, the article reader with its claim panel, the editor's view
of a claim, and every workflow action as a form.

These pages combine claims with their annotations, sources and ratings, so they live here
(``claims`` never imports ``annotations``). Reads go through the selectors, changes through
the services; a refused action is shown with the service's reason. Forms work as plain POSTs
(redirect after success) and, with htmx, swap the panel in place.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from annotations import permissions as note_permissions
from annotations import selectors as note_selectors
from annotations import services as notes
from annotations.forms import (
    AnnotationEditForm,
    AnnotationForm,
    CommentForm,
    RatingForm,
    SourceForm,
)
from annotations.models import AnnotationLabel, Comment, Rating
from claims import permissions, selectors, services
from claims.errors import Conflict, StaleVersion
from claims.forms import (
    AssignForm,
    ClaimAddForm,
    ClaimEditForm,
    CorrectForm,
    FigureFormSet,
    MergeForm,
    OptionalReasonForm,
    PromoteForm,
    ReasonForm,
    SplitForm,
    UnassignForm,
    VerdictForm,
    VersionedForm,
    apply_errors,
    figure_initial,
    figures_from_formset,
    format_figure_value,
    hedge_words,
)
from claims.models import (
    Article,
    Claim,
    ClaimStatus,
    ClaimType,
    RatingLabel,
    Verdict,
)
from claims.reading import claim_numbers, primary_type, render_article
from claims.views import (
    bar_segments,
    error_status,
    is_htmx,
    progress,
    refusal_message,
    workbench_view,
)

S = ClaimStatus
CHECKED_BEFORE_LIMIT = 5
GROUPS_SHOWN = 10


# --- the dashboard ----------------------------------------------------------------------------


@workbench_view
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    mine = selectors.my_claims_by_status(user)
    is_editor = permissions.is_editor(user)
    queue: list[Claim] = []
    flagged: list[Claim] = []
    if is_editor:
        queue = list(note_selectors.with_disagreement(selectors.proposed_claims())[:50])
        flagged = list(
            note_selectors.widest_disagreements(
                Claim.objects.active()
                .filter(status__in=[S.IN_REVIEW, S.CHANGES_REQUESTED, S.PROPOSED])
                .select_related("article"),
                limit=50,
            )
        )
    groups = selectors.claim_groups(limit=GROUPS_SHOWN) if is_editor else []
    articles = list(selectors.articles_with_progress()[:12])
    to_pick_up = list(selectors.claims_to_pick_up()) if permissions.is_reviewer(user) else []
    return render(
        request,
        "workbench/dashboard.html",
        {
            "mine": [(S(s).label, s, claims) for s, claims in mine.items()],
            "mine_total": sum(group.total for group in mine.values()),
            "is_editor": is_editor,
            "queue": queue,
            "flagged": flagged,
            "groups": groups,
            "articles": [(a, progress(a)) for a in articles],
            "to_pick_up": to_pick_up,
            "disagreement_steps": note_selectors.DISAGREEMENT_STEPS,
        },
    )


def progress_from_claims(claims: list[Claim]) -> tuple[int, list[dict[str, Any]]]:
    counts: dict[str, int] = defaultdict(int)
    for c in claims:
        counts[c.status] += 1
    return len(claims), bar_segments([(s.value, s.label, counts[s.value]) for s in S])


# --- agreement between reviewers (editors) ------------------------------------------------------

FLAGGED_LIMIT = 50


@workbench_view
@require_GET
def agreement_page(request: HttpRequest) -> HttpResponse:
    """Krippendorff's alpha overall, per article and per claim type; Cohen's kappa per pair
    of reviewers and per reviewer; the claims whose ratings are far apart. Editors only: the
    figures pair reviewers up and would tell a reviewer how others rated before they rate.
    ``?article=`` narrows everything to one article. A fixed number of queries."""
    decision = note_permissions.can_view_agreement(request.user)
    if not decision:
        raise PermissionDenied(decision.reason)
    article = None
    # All of an article's claims, replaced ones too: the same set as the reader's line.
    claims = Claim.objects.all()
    if request.GET.get("article"):
        article = selectors.article_for_user(request.user, request.GET["article"])
        claims = claims.filter(article=article)
    report = note_selectors.agreement(claims)
    breakdown = note_selectors.agreement_breakdown(claims)
    flagged = list(
        note_selectors.disagreements(claims.active().select_related("article"))  # type: ignore[misc]
        .prefetch_related(
            Prefetch(
                "ratings",
                queryset=Rating.objects.select_related("label", "reviewer").order_by(
                    "label__position", "reviewer__username"
                ),
            )
        )
        .order_by("-rating_spread", "pk")[: FLAGGED_LIMIT + 1]
    )
    per_type = [
        (t, ClaimType(t).label, report.per_type.get(t), figure)
        for t, figure in breakdown.per_type.items()
    ]
    # The filter offers the articles that have ratings (one query), and the chosen one.
    choices = list(
        Article.objects.filter(pk__in=Rating.objects.values("claim__article_id"))
        .order_by("-imported_at", "-pk")
        .values_list("pk", "title")
    )
    if article is not None and all(pk != article.pk for pk, _ in choices):
        choices.insert(0, (article.pk, article.title))
    return render(
        request,
        "workbench/agreement.html",
        {
            "article": article,
            "report": report,
            "overall": breakdown.overall,
            "per_article": breakdown.per_article,
            "per_type": per_type,
            "flagged": flagged[:FLAGGED_LIMIT],
            "more_flagged": len(flagged) > FLAGGED_LIMIT,
            "disagreement_steps": note_selectors.DISAGREEMENT_STEPS,
            "articles": choices,
        },
    )


# --- what one claim's panel shows ---------------------------------------------------------------


@dataclass
class Workspace:
    """Everything the claim panel and the editor's view show, loaded in a fixed number of
    queries, and the forms for what the person may do next."""

    request: HttpRequest
    claim: Claim
    siblings: list[Claim]
    verdicts: list[Verdict]
    current: Verdict | None
    actions: dict[str, Any]
    rating_labels: list[RatingLabel]
    annotation_labels: list[AnnotationLabel]
    reviewers: list[Any]
    ratings: note_selectors.RatingsView
    numbers: dict[int, int]

    @classmethod
    def build(
        cls, request: HttpRequest, claim: Claim, siblings: list[Claim] | None = None
    ) -> Workspace:
        user = request.user
        verdicts = sorted(claim.verdicts.all(), key=lambda v: v.edition)
        current = next((v for v in reversed(verdicts) if v.state != Verdict.State.SUPERSEDED), None)
        if siblings is None:
            siblings = list(
                claim.article.claims.active()
                .order_by("start", "end", "pk")
                .only("pk", "start", "end", "status", "version", "types", "text", "article_id")
            )
        is_editor = permissions.is_editor(user)
        return cls(
            request=request,
            claim=claim,
            siblings=siblings,
            verdicts=verdicts,
            current=current,
            actions=services.available_actions(user, claim, current),
            rating_labels=list(  # what may be chosen: retired labels are not offered
                RatingLabel.objects.filter(
                    scale__is_default=True, retired_at__isnull=True
                ).order_by("position")
            ),
            annotation_labels=list(AnnotationLabel.objects.filter(active=True)),
            reviewers=list(selectors.reviewers()) if is_editor else [],
            ratings=note_selectors.ratings_for(user, claim, list(claim.ratings.all())),
            numbers=claim_numbers(siblings),
        )

    # -- facts about the claim --

    @cached_property
    def checked_before(self) -> list[selectors.SimilarClaim]:
        """Published claims worded like this one, so that a team reuses a verdict rather than
        redoing it. Two queries, made only when a page shows them."""
        return selectors.checked_before(self.claim, limit=CHECKED_BEFORE_LIMIT)

    @cached_property
    def matches(self) -> list[selectors.MatchRow]:
        """ "Checked before?" with the reviewers' decisions: what ``checked_before`` costs,
        and one query for the decisions."""
        return selectors.claim_matches(self.claim, limit=CHECKED_BEFORE_LIMIT)

    @property
    def can_decide_match(self) -> bool:
        return not self.claim.superseded and bool(
            permissions.can_decide_match(self.user, self.claim)
        )

    @cached_property
    def group(self) -> selectors.ClaimGroupView | None:
        """The same claim in other articles, when it is grouped (one query then, none
        otherwise)."""
        return selectors.claim_group_of(self.claim)

    @property
    def can_group(self) -> bool:
        return not self.claim.superseded and bool(permissions.can_group_claims(self.user))

    @cached_property
    def group_suggestions(self) -> list[tuple[Claim, float]]:
        """Claims in other articles worded nearly the same: editors only, one query."""
        if not self.can_group:
            return []
        return selectors.same_claim_suggestions(self.claim)

    @property
    def user(self) -> Any:
        return self.request.user

    @cached_property
    def sealed_ids(self) -> set[int]:
        """This claim's verdicts that are blind to the person (not yet published, and they
        have not rated): the page says one exists, and shows nothing of it."""
        return selectors.sealed_verdict_ids(self.user, self.claim, self.verdicts)

    @property
    def current_sealed(self) -> bool:
        return self.current is not None and self.current.pk in self.sealed_ids

    @property
    def earlier_verdicts(self) -> list[Verdict]:
        return [v for v in self.verdicts if v != self.current and v.pk not in self.sealed_ids]

    @property
    def index(self) -> int | None:
        return self.numbers.get(self.claim.pk)

    def neighbour(self, step: int) -> Claim | None:
        ids = [c.pk for c in self.siblings]
        if self.claim.pk not in ids:
            return None
        i = ids.index(self.claim.pk) + step
        return self.siblings[i] if 0 <= i < len(ids) else None

    @property
    def editable(self) -> bool:
        return (
            self.claim.status in services.EDITABLE
            and not self.claim.superseded
            and bool(permissions.can_edit_claim(self.user, self.claim))
        )

    @property
    def open_for_notes(self) -> bool:
        return self.claim.status in services.OPEN_FOR_NOTES and not self.claim.superseded

    @property
    def can_annotate(self) -> bool:
        return self.open_for_notes and bool(note_permissions.can_annotate(self.user, self.claim))

    @property
    def rate_decision(self) -> Any:
        decision = note_permissions.can_rate(self.user, self.claim)
        if decision and self.claim.status not in services.RATEABLE:
            return permissions.deny(
                f"Ratings are given while a claim is in review; this one is "
                f"{S(self.claim.status).label.lower()}."
            )
        return decision

    @cached_property
    def pending_correction(self) -> Any:
        """The correction waiting for a second editor: shown to editors only (it is not
        public, and reviewers have no say in it)."""
        if not permissions.can_correct(self.user, self.claim):
            return None
        return services.pending_correction(self.claim)

    @property
    def can_amend(self) -> bool:
        v = self.current
        return bool(
            v is not None
            and v.state in (Verdict.State.PROPOSED, Verdict.State.CHANGES_REQUESTED)
            and self.claim.status in (S.PROPOSED, S.CHANGES_REQUESTED)
            and permissions.can_amend_verdict(self.user, v)
        )

    @property
    def is_assigned(self) -> bool:
        return permissions.is_assigned(self.user, self.claim)

    def sources_with_removal(self) -> list[Any]:
        """The claim's sources, each with ``removal``: "" when the person may not remove it,
        "own" for their own, "reason" when it is another's and (as an editor) they must say
        why."""
        uses = list(self.claim.claim_sources.all())
        for use in uses:
            removal = ""
            if self.open_for_notes and note_permissions.can_remove_source(self.user, use):
                removal = "own" if use.added_by_id == self.user.pk else "reason"
            use.removal = removal  # type: ignore[attr-defined]
        return uses

    @property
    def can_assign_others(self) -> bool:
        return self.user.has_perm("claims.assign_claim")

    def merge_candidates(self) -> list[tuple[str, Claim]]:
        if not self.editable:
            return []
        found = []
        for word, step in (("previous", -1), ("next", 1)):
            other = self.neighbour(step)
            if other is not None and other.status in services.EDITABLE:
                found.append((word, other))
        return found

    def split_points(self) -> list[tuple[int, str]]:
        """Where the claim can be cut: after each word, shown as "…last words | next words…"."""
        claim = self.claim
        text = claim.article.text
        points: list[tuple[int, str]] = []
        for i in range(claim.start + 1, claim.end - 1):
            if text[i].isspace() and not text[i - 1].isspace():
                before = " ".join(text[claim.start : i].split()[-4:])
                after = " ".join(text[i : claim.end].split()[:4])
                points.append((i, f"…{before} ‖ {after}…"))
        return points

    def comment_tree(self) -> list[tuple[Comment, int]]:
        """Comments in thread order with their depth (replies under what they answer)."""
        comments = list(self.claim.comments.all())
        children: dict[int | None, list[Comment]] = defaultdict(list)
        for c in comments:
            children[c.parent_id].append(c)
        ordered: list[tuple[Comment, int]] = []

        def walk(parent: int | None, depth: int) -> None:
            for c in sorted(children.get(parent, []), key=lambda c: (c.created_at, c.pk)):
                ordered.append((c, min(depth, 4)))
                walk(c.pk, depth + 1)

        walk(None, 0)
        return ordered

    def rating_summary(self) -> dict[str, Any]:
        """Agreement on this claim: how the visible ratings spread on the ordinal scale."""
        visible = self.ratings.visible
        values = [r.label.rating_value for r in visible if r.label.rating_value is not None]
        spread = (max(values) - min(values)) if len(values) > 1 else 0
        by_label: dict[str, int] = defaultdict(int)
        for r in visible:
            by_label[r.label.name] += 1
        top = max(by_label.values()) if by_label else 0
        return {
            "count": len(visible),
            "spread": spread,
            "flag": spread >= note_selectors.DISAGREEMENT_STEPS,
            "unanimous": len(by_label) == 1 and len(visible) > 1,
            "agreeing": top,
            "labels": sorted(by_label.items(), key=lambda kv: -kv[1]),
        }

    # -- forms --

    def form(self, name: str, data: Any = None, files: Any = None) -> Any:
        claim, v = self.claim, self.claim.version
        kw: dict[str, Any] = {"prefix": name}
        if data is not None:
            kw["data"] = data
        if files is not None:
            kw["files"] = files
        source_choices = [
            (u.source_id, u.source.title or u.source.url) for u in claim.claim_sources.all()
        ]
        if name == "assign":
            return AssignForm(reviewers=self.reviewers, initial={"version": v}, **kw)
        if name == "assign_self":
            return VersionedForm(initial={"version": v}, **kw)
        if name == "unassign":
            return UnassignForm(initial={"version": v}, **kw)
        if name == "edit":
            return ClaimEditForm(
                initial={
                    "version": v,
                    "start": claim.start,
                    "end": claim.end,
                    "types": claim.types,
                    "speaker": claim.speaker,
                    "date": claim.date,
                },
                **kw,
            )
        if name == "figures":
            return FigureFormSet(
                initial=figure_initial(claim.figures),
                prefix="fig",
                **{k: kw[k] for k in ("data",) if k in kw},
            )
        if name == "split":
            return SplitForm(points=self.split_points(), initial={"version": v}, **kw)
        if name == "merge":
            return MergeForm(initial={"version": v}, **kw)
        if name in ("dismiss", "request_changes", "retract", "reject_correction"):
            return ReasonForm(initial={"version": v}, **kw)
        if name == "reopen":
            return OptionalReasonForm(initial={"version": v}, **kw)
        if name in ("approve", "publish", "approve_correction"):
            return VersionedForm(initial={"version": v}, **kw)
        if name == "propose":
            initial: dict[str, Any] = {"version": v}
            own = self.ratings.own
            if own is not None:
                initial |= {"label": own.label.slug, "justification": own.justification}
            if self.current is not None and self.current.state == Verdict.State.CHANGES_REQUESTED:
                initial |= {
                    "label": self.current.label.slug,
                    "summary": self.current.summary,
                    "justification": self.current.justification,
                }
            return VerdictForm(
                labels=self.rating_labels, sources=source_choices, initial=initial, **kw
            )
        if name == "amend":
            cur = self.current
            initial = {"version": cur.version if cur else 0}
            if cur is not None:
                initial |= {
                    "label": cur.label.slug,
                    "summary": cur.summary,
                    "justification": cur.justification,
                    "sources": [s.pk for s in cur.sources.all()],
                }
            return VerdictForm(
                labels=self.rating_labels, sources=source_choices, initial=initial, **kw
            )
        if name == "correct":
            return CorrectForm(labels=self.rating_labels, initial={"version": v}, **kw)
        if name == "annotate":
            return AnnotationForm(
                labels=self.annotation_labels,
                initial={"start": claim.start, "end": claim.end},
                **kw,
            )
        if name == "comment":
            return CommentForm(**kw)
        if name == "source":
            return SourceForm(initial={"accessed": timezone.localdate()}, **kw)
        if name == "rate":
            own = self.ratings.own
            initial = {"version": own.version if own else 0}
            if own is not None:
                initial |= {
                    "label": own.label.slug,
                    "justification": own.justification,
                    "confidence": own.confidence,
                }
            return RatingForm(labels=self.rating_labels, initial=initial, **kw)
        raise Http404("No such form.")

    def forms(self, bound: dict[str, Any] | None = None) -> dict[str, Any]:
        """The forms the person may use now; a form that just failed keeps what was typed."""
        names = ["comment"]
        if self.can_annotate:
            names += ["annotate", "source"]
        if self.editable:
            names += ["edit", "figures", "split"]
        if "assign" in self.actions:
            names.append("assign_self")
            if self.can_assign_others:
                names.append("assign")
        if self.claim.status in services.EDITABLE:
            names.append("unassign")
        for action in (
            "dismiss",
            "reopen",
            "propose",
            "approve",
            "request_changes",
            "publish",
            "correct",
            "approve_correction",
            "reject_correction",
            "retract",
        ):
            if self.actions.get(action):
                names.append(action)
        if self.pending_correction is not None and "correct" in names:
            names.remove("correct")  # one proposal at a time: decide on the waiting one first
        if self.can_amend:
            names.append("amend")
        if self.rate_decision:
            names.append("rate")
        made = {name: self.form(name) for name in names}
        made.update(bound or {})
        return made


def workspace_context(
    ws: Workspace,
    *,
    bound: dict[str, Any] | None = None,
    notice: str = "",
    refusal: str = "",
    stale: bool = False,
    opened: str = "",
) -> dict[str, Any]:
    claim = ws.claim
    return {
        "ws": ws,
        "claim": claim,
        "article": claim.article,
        "forms": ws.forms(bound),
        "notice": notice,
        "refusal": refusal,
        "stale": stale,
        "opened": opened or next(iter(bound or {}), ""),
        "type": primary_type(claim.types),
        "type_labels": [(t, ClaimType(t).label) for t in claim.types if t in ClaimType.values],
        "figures": [describe_figure(f) for f in claim.figures or []],
        "prev": ws.neighbour(-1),
        "next": ws.neighbour(1),
        "sources": ws.sources_with_removal(),
        "annotations": list(claim.annotations.all()),
        "comments": ws.comment_tree(),
        "history": selectors.history_for_user(ws.user, claim, ws.verdicts)[::-1],
        "rating_summary": ws.rating_summary(),
        "action_refusals": refusals_to_show(ws),
        "assignments": list(claim.assignments.all()),
        # Only a split or merged claim has these; one query then, none otherwise.
        "replaced_by": list(claim.derivatives.active()) if claim.superseded else [],
    }


EDITOR_ACTIONS = frozenset(
    {"approve", "request_changes", "publish", "correct", "retract", "reopen"}
)


def refusals_to_show(ws: Workspace) -> dict[str, str]:
    """Actions the person cannot take now, with the reason, where the reason is news to
    them: an editor learns why Approve is refused (four-eyes); a reviewer is not told on
    every claim that only editors publish."""
    is_editor = permissions.is_editor(ws.user)
    return {
        name: d.reason
        for name, d in ws.actions.items()
        if not d and name not in ("assign", "dismiss") and (is_editor or name not in EDITOR_ACTIONS)
    }


def describe_figure(figure: dict[str, Any]) -> dict[str, Any]:
    return {
        "value": format_figure_value(figure.get("value")),
        "hedge": hedge_words(figure.get("hedge")),
        "counted": figure.get("counted") or "",
        "side": figure.get("side") or "",
    }


# --- the reader ------------------------------------------------------------------------------


def reader_context(
    request: HttpRequest, article: Article, claims: list[Claim], selected: Claim | None
) -> dict[str, Any]:
    total, bars = progress_from_claims(claims)
    return {
        "article": article,
        "claims": claims,
        "article_html": render_article(
            article.text, claims, selected=selected.pk if selected else None
        ),
        "total": total,
        "bars": bars,
        "types": ClaimType.choices,
        "states": S.choices,
        "can_edit": bool(permissions.can_edit_claim(request.user)),
        "add_form": ClaimAddForm(prefix="add"),
        "more_sentences": (
            selectors.more_sentences(article, claims)
            if permissions.can_edit_claim(request.user)
            else []
        ),
        "extracting": article.extraction_status
        in (Article.Extraction.PENDING, Article.Extraction.RUNNING),
        # Agreement names reviewers' choices: editors only (one query).
        "agreement": (
            note_selectors.agreement(Claim.objects.filter(article=article))
            if note_permissions.can_view_agreement(request.user)
            else None
        ),
    }


def _reader(
    request: HttpRequest,
    article: Article,
    claim: Claim | None,
    *,
    status: int = 200,
    add_form: ClaimAddForm | None = None,
    **panel: Any,
) -> HttpResponse:
    claims = list(selectors.article_claims(article))
    context = reader_context(request, article, claims, claim)
    if add_form is not None:
        context["add_form"] = add_form
    if claim is not None:
        ws = Workspace.build(request, claim, siblings=claims)
        context |= workspace_context(ws, **panel)
    return render(request, "workbench/reader.html", context, status=status)


@workbench_view
@require_GET
def article_detail(request: HttpRequest, article_id: int) -> HttpResponse:
    article = selectors.article_for_user(request.user, article_id)
    return _reader(request, article, None)


@workbench_view
@require_GET
def claim_detail(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = selectors.claim_for_user(request.user, claim_id, full=True)
    if (
        is_htmx(request)
        and request.htmx.target == "claim-panel"  # type: ignore[attr-defined]
        and not request.htmx.history_restore_request  # type: ignore[attr-defined]
    ):
        ws = Workspace.build(request, claim)
        return render(request, "workbench/panel.html", workspace_context(ws))
    return _reader(request, claim.article, claim)


@workbench_view
@require_GET
def claim_review(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = selectors.claim_for_user(request.user, claim_id, full=True)
    ws = Workspace.build(request, claim)
    return render(request, "workbench/review.html", workspace_context(ws))


# --- actions ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    # Returns the claim to show next when it is another one (a split's first part, a
    # merge's result); anything else keeps the current claim.
    run: Callable[[Workspace, dict[str, Any], HttpRequest], object]
    done: str
    form: str = ""  # the form it reads; the action's own name by default


def _reviewer(ws: Workspace, pk: int) -> Any:
    for user in ws.reviewers:
        if user.pk == pk:
            return user
    from django.contrib.auth import get_user_model

    found = get_user_model().objects.filter(pk=pk, is_active=True).first()
    if found is None:
        raise ValidationError({"reviewer": "Choose a reviewer from the list."})
    return found


def _edit(ws: Workspace, data: dict[str, Any], request: HttpRequest) -> Claim:
    formset = ws.form("figures", request.POST)
    if not formset.is_valid():
        problems = [str(e) for e in formset.non_form_errors()] + [
            str(e) for form in formset.forms for errs in form.errors.values() for e in errs
        ]
        raise ValidationError({"figures": "Check the figures: " + "; ".join(problems)})
    return services.claim_update(
        actor=request.user,
        claim=ws.claim,
        expected_version=data["version"],
        start=data["start"],
        end=data["end"],
        types=list(data["types"]),
        speaker=data.get("speaker") or "",
        date=data.get("date"),
        figures=figures_from_formset(formset),
    )


def _merge(ws: Workspace, data: dict[str, Any], request: HttpRequest) -> Claim:
    return services.claim_merge(
        actor=request.user,
        claims=[ws.claim.pk, data["other"]],
        expected_versions=[data["version"], data["other_version"]],
    )


def _annotate(ws: Workspace, data: dict[str, Any], request: HttpRequest) -> None:
    notes.annotation_create(
        actor=request.user,
        claim=ws.claim,
        start=data["start"],
        end=data["end"],
        label=data["label"],
        comment=data.get("comment") or "",
    )


def _source(ws: Workspace, data: dict[str, Any], request: HttpRequest) -> None:
    notes.source_attach(
        actor=request.user,
        claim=ws.claim,
        url=data["url"],
        title=data.get("title") or "",
        publisher=data.get("publisher") or "",
        published=data.get("published"),
        accessed=data.get("accessed"),
        archive_url=data.get("archive_url") or "",
        kind=data["kind"],
        excerpt=data.get("excerpt") or "",
        stance=data["stance"],
    )


def _rate(ws: Workspace, data: dict[str, Any], request: HttpRequest) -> None:
    notes.rating_submit(
        actor=request.user,
        claim=ws.claim,
        label=data["label"],
        justification=data["justification"],
        confidence=data["confidence"],
        expected_version=data["version"],
    )


def _propose(ws: Workspace, data: dict[str, Any], request: HttpRequest) -> None:
    services.claim_propose(
        actor=request.user,
        claim=ws.claim,
        label=data["label"],
        summary=data["summary"],
        justification=data["justification"],
        source_ids=data.get("sources") or None,
        expected_version=data["version"],
    )


def _amend(ws: Workspace, data: dict[str, Any], request: HttpRequest) -> None:
    if ws.current is None:
        raise Conflict("This claim has no verdict to amend.")
    services.verdict_amend(
        actor=request.user,
        verdict=ws.current,
        expected_version=data["version"],
        label=data["label"],
        summary=data["summary"],
        justification=data["justification"],
        source_ids=data.get("sources") or [],
    )


def _correct(ws: Workspace, data: dict[str, Any], request: HttpRequest) -> None:
    services.claim_correct(
        actor=request.user,
        claim=ws.claim,
        note=data["note"],
        label=data.get("label") or None,
        summary=data.get("summary") or None,
        justification=data.get("justification") or None,
        expected_version=data["version"],
    )


def _comment(ws: Workspace, data: dict[str, Any], request: HttpRequest) -> None:
    notes.comment_add(
        actor=request.user, claim=ws.claim, body=data["body"], parent=data.get("parent")
    )


ACTIONS: dict[str, Action] = {
    "assign": Action(
        lambda ws, d, r: services.claim_assign(
            actor=r.user,
            claim=ws.claim,
            reviewer=_reviewer(ws, d["reviewer"]),
            expected_version=d["version"],
        ),
        "Reviewer assigned.",
    ),
    "assign_self": Action(
        lambda ws, d, r: services.claim_assign(
            actor=r.user, claim=ws.claim, reviewer=r.user, expected_version=d["version"]
        ),
        "The claim is assigned to you.",
    ),
    "unassign": Action(
        lambda ws, d, r: services.claim_unassign(
            actor=r.user,
            claim=ws.claim,
            reviewer=_reviewer(ws, d["reviewer"]),
            expected_version=d["version"],
        ),
        "Assignment removed.",
    ),
    "edit": Action(_edit, "Claim corrected."),
    "split": Action(
        lambda ws, d, r: services.claim_split(
            actor=r.user, claim=ws.claim, at=d["at"], expected_version=d["version"]
        )[0],
        "Claim split in two; this is the first part.",
    ),
    "merge": Action(_merge, "Claims merged."),
    "dismiss": Action(
        lambda ws, d, r: services.claim_dismiss(
            actor=r.user, claim=ws.claim, reason=d["reason"], expected_version=d["version"]
        ),
        "Claim dismissed.",
    ),
    "reopen": Action(
        lambda ws, d, r: services.claim_reopen(
            actor=r.user,
            claim=ws.claim,
            reason=d.get("reason") or "",
            expected_version=d["version"],
        ),
        "Claim reopened.",
    ),
    "propose": Action(_propose, "Verdict proposed to the editors."),
    "amend": Action(_amend, "Verdict amended."),
    "approve": Action(
        lambda ws, d, r: services.claim_approve(
            actor=r.user, claim=ws.claim, expected_version=d["version"]
        ),
        "Verdict approved.",
    ),
    "request_changes": Action(
        lambda ws, d, r: services.claim_request_changes(
            actor=r.user, claim=ws.claim, reason=d["reason"], expected_version=d["version"]
        ),
        "Sent back with your request.",
    ),
    "publish": Action(
        lambda ws, d, r: services.claim_publish(
            actor=r.user, claim=ws.claim, expected_version=d["version"]
        ),
        "Verdict published.",
    ),
    "correct": Action(_correct, "Correction proposed: another editor must approve it."),
    "approve_correction": Action(
        lambda ws, d, r: services.claim_approve_correction(
            actor=r.user, claim=ws.claim, expected_version=d["version"]
        ),
        "Correction approved and published.",
    ),
    "reject_correction": Action(
        lambda ws, d, r: services.claim_reject_correction(
            actor=r.user, claim=ws.claim, reason=d["reason"], expected_version=d["version"]
        ),
        "Correction rejected; the published verdict stays as it was.",
    ),
    "retract": Action(
        lambda ws, d, r: services.claim_retract(
            actor=r.user, claim=ws.claim, reason=d["reason"], expected_version=d["version"]
        ),
        "Verdict retracted.",
    ),
    "annotate": Action(_annotate, "Annotation added."),
    "comment": Action(_comment, "Comment added."),
    "source": Action(_source, "Source added."),
    "rate": Action(_rate, "Rating saved."),
}


def _role_allows(ws: Workspace, name: str) -> permissions.Decision:
    """Whether the person's role lets them use this form at all, whatever they typed. Asked
    before the form is read, so that someone who may not act is told so (403) rather than
    what the form lacks; the status and the rest are the services' to check, with a reason."""
    user, claim = ws.user, ws.claim
    if name == "assign":
        return permissions.can_assign_others(user)
    if name == "assign_self":
        return services.action_permission(user, claim, "assign")
    if name == "unassign" or name in services.ACTION_LABELS:
        # Four-eyes is about the person, not the form: asked here too.
        verdict = ws.current if name == "approve" else None
        return services.action_permission(user, claim, name, verdict)
    if name in ("edit", "split", "merge"):
        return permissions.can_edit_claim(user, claim)
    if name in ("annotate", "comment", "source"):
        return note_permissions.can_annotate(user, claim)
    if name == "rate":
        return note_permissions.can_rate(user, claim)
    if name == "amend" and ws.current is not None:
        return permissions.can_amend_verdict(user, ws.current)
    return permissions.ALLOW


def _surface(request: HttpRequest) -> str:
    return "review" if request.POST.get("surface") == "review" else "panel"


@workbench_view
@require_POST
def claim_action(request: HttpRequest, claim_id: int, action: str) -> HttpResponse:
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404("No such action.")
    claim = selectors.claim_for_user(request.user, claim_id, full=True)
    ws = Workspace.build(request, claim)
    decision = _role_allows(ws, spec.form or action)
    if not decision:
        return _after_failure(request, claim.pk, bound={}, status=403, refusal=decision.reason)
    form = ws.form(spec.form or action, request.POST)
    status, refusal, stale = 400, "", False
    if form.is_valid():
        try:
            shown = spec.run(ws, form.cleaned_data, request)
        except ValidationError as exc:
            apply_errors(form, exc)
        except (PermissionDenied, Conflict) as exc:
            status, refusal = error_status(exc), refusal_message(exc)
            stale = isinstance(exc, StaleVersion)
        else:
            shown_claim = shown if isinstance(shown, Claim) else claim
            return _after_action(request, shown_claim, spec.done, was=claim.pk)
    # Keep what the person typed; a form that is only a button (approve, publish) is shown
    # afresh, with the current version, once they have read why it was refused.
    typed = set(form.fields) - {"version"} if hasattr(form, "fields") else set()
    bound = {action: form} if typed or not refusal else {}
    return _after_failure(
        request, claim.pk, bound=bound, status=status, refusal=refusal, stale=stale
    )


def _after_action(
    request: HttpRequest, claim: Claim, done: str, *, was: int | None = None
) -> HttpResponse:
    surface = _surface(request)
    if not is_htmx(request):
        messages.success(request, done)
        name = "claim-review" if surface == "review" else "claim-detail"
        return redirect(reverse(name, args=[claim.pk]) + ("" if surface == "review" else "#panel"))
    fresh = selectors.claim_for_user(request.user, claim.pk, full=True)
    response = _workspace_response(request, fresh, surface, notice=done)
    if was is not None and fresh.pk != was:
        name = "claim-review" if surface == "review" else "claim-detail"
        response["HX-Push-Url"] = reverse(name, args=[fresh.pk])
    return response


def _workspace_response(
    request: HttpRequest, claim: Claim, surface: str, *, status: int = 200, **extra: Any
) -> HttpResponse:  # extra: workspace_context's keywords
    if surface == "review":
        ws = Workspace.build(request, claim)
        return render(
            request,
            "workbench/review.html#review-main",
            workspace_context(ws, **extra),
            status=status,
        )
    claims = list(selectors.article_claims(claim.article))
    ws = Workspace.build(request, claim, siblings=claims)
    context = workspace_context(ws, **extra)
    panel = render_to_string("workbench/panel.html", context, request=request)
    reader = reader_context(request, claim.article, claims, claim)
    oob = render_to_string("workbench/reader.html#reader-oob", reader, request=request)
    return HttpResponse(panel + oob, status=status)


def _after_failure(
    request: HttpRequest,
    claim_id: int,
    *,
    bound: dict[str, Any],
    status: int,
    refusal: str = "",
    stale: bool = False,
) -> HttpResponse:
    claim = selectors.claim_for_user(request.user, claim_id, full=True)
    surface = _surface(request)
    extra: dict[str, Any] = {"bound": bound, "refusal": refusal, "stale": stale}
    if is_htmx(request):
        return _workspace_response(request, claim, surface, status=status, **extra)
    if surface == "review":
        ws = Workspace.build(request, claim)
        return render(
            request, "workbench/review.html", workspace_context(ws, **extra), status=status
        )
    return _reader(request, claim.article, claim, status=status, **extra)


@workbench_view
@require_POST
def claim_promote(request: HttpRequest, article_id: int) -> HttpResponse:
    """A person makes a claim of a sentence below the threshold ("more sentences")."""
    article = selectors.article_for_user(request.user, article_id)
    form = PromoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, "That sentence could not be promoted: its offsets are missing.")
        return redirect(reverse("article-detail", args=[article.pk]) + "#more-sentences")
    data = form.cleaned_data
    try:
        claim = services.claim_promote(
            actor=request.user,
            article=article,
            start=data["start"],
            end=data["end"],
            types=list(data["types"]) or None,
        )
    except (ValidationError, Conflict) as exc:
        messages.error(request, refusal_message(exc))
    else:
        messages.success(request, "Sentence promoted to a claim; the machine's score is kept.")
        return redirect(reverse("claim-detail", args=[claim.pk]) + "#panel")
    return redirect(reverse("article-detail", args=[article.pk]) + "#more-sentences")


@workbench_view
@require_POST
def claim_add(request: HttpRequest, article_id: int) -> HttpResponse:
    """A person adds a claim over the text they selected."""
    article = selectors.article_for_user(request.user, article_id)
    form = ClaimAddForm(request.POST, prefix="add")
    status, refusal = 400, ""
    if form.is_valid():
        data = form.cleaned_data
        try:
            claim = services.claim_add(
                actor=request.user,
                article=article,
                start=data["start"],
                end=data["end"],
                types=list(data["types"]),
                speaker=data.get("speaker") or "",
                date=data.get("date"),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        except (PermissionDenied, Conflict) as exc:
            status, refusal = error_status(exc), refusal_message(exc)
        else:
            if not is_htmx(request):
                messages.success(request, "Claim added.")
                return redirect(reverse("claim-detail", args=[claim.pk]) + "#panel")
            fresh = selectors.claim_for_user(request.user, claim.pk, full=True)
            response = _workspace_response(request, fresh, "panel", notice="Claim added.")
            response["HX-Push-Url"] = reverse("claim-detail", args=[claim.pk])
            return response
    if is_htmx(request):
        claims = list(selectors.article_claims(article))
        context = reader_context(request, article, claims, None) | {
            "add_form": form,
            "add_refusal": refusal,
        }
        response = render(request, "workbench/reader.html#add-claim", context, status=status)
        response["HX-Retarget"] = "#add-claim"
        response["HX-Reswap"] = "outerHTML"
        return response
    selected = None
    from_claim = request.POST.get("from_claim")
    if from_claim and from_claim.isdigit():
        selected = Claim.objects.filter(pk=int(from_claim), article=article).first()
        if selected is not None:
            selected = selectors.claim_for_user(request.user, selected.pk, full=True)
    return _reader(
        request,
        article,
        selected,
        status=status,
        add_form=form,
        **({"refusal": refusal} if selected else {}),
    )


@workbench_view
@require_POST
def source_remove(request: HttpRequest, claim_id: int, use_id: int) -> HttpResponse:
    claim = selectors.claim_for_user(request.user, claim_id, full=True)
    use = next((u for u in claim.claim_sources.all() if u.pk == int(use_id)), None)
    if use is None:
        raise Http404("No such source on this claim.")
    decision = note_permissions.can_remove_source(request.user, use)
    if not decision:
        return _after_failure(request, claim.pk, bound={}, status=403, refusal=decision.reason)
    try:
        notes.source_detach(
            actor=request.user, claim_source=use, reason=request.POST.get("reason", "")
        )
    except (PermissionDenied, Conflict, ValidationError) as exc:
        return _after_failure(
            request, claim.pk, bound={}, status=error_status(exc), refusal=refusal_message(exc)
        )
    return _after_action(request, claim, "Source removed.")


@workbench_view
@require_POST
def annotation_edit(request: HttpRequest, claim_id: int, annotation_id: int) -> HttpResponse:
    claim = selectors.claim_for_user(request.user, claim_id, full=True)
    annotation = next((a for a in claim.annotations.all() if a.pk == int(annotation_id)), None)
    if annotation is None:
        raise Http404("No such annotation on this claim.")
    decision = note_permissions.can_change_annotation(request.user, annotation)
    if not decision:
        return _after_failure(request, claim.pk, bound={}, status=403, refusal=decision.reason)
    form = AnnotationEditForm(request.POST, prefix=f"note{annotation.pk}")
    status, refusal, stale = 400, "", False
    if form.is_valid():
        try:
            notes.annotation_update(
                actor=request.user,
                annotation=annotation,
                expected_version=form.cleaned_data["version"],
                comment=form.cleaned_data.get("comment") or "",
            )
        except ValidationError as exc:
            apply_errors(form, exc)
            refusal = " ".join(exc.messages)
        except (PermissionDenied, Conflict) as exc:
            status, refusal = error_status(exc), refusal_message(exc)
            stale = isinstance(exc, StaleVersion)
        else:
            return _after_action(request, claim, "Annotation updated.")
    return _after_failure(
        request,
        claim.pk,
        bound={},
        status=status,
        refusal=refusal or "Check the annotation's comment.",
        stale=stale,
    )


# --- checked before: confirm or reject a match, attach it; group the same claim ----------------


def _claim_id(value: Any) -> int | None:
    text = str(value or "").strip().removeprefix("#")
    return int(text) if text.isdigit() and 0 < len(text) < 19 else None


@workbench_view
@require_POST
def match_decide(request: HttpRequest, claim_id: int, verb: str) -> HttpResponse:
    """A reviewer says a match under "Checked before?" is, or is not, the same claim."""
    decide = {"confirm": services.match_confirm, "reject": services.match_reject}.get(verb)
    if decide is None:
        raise Http404("No such decision.")
    claim = selectors.claim_for_user(request.user, claim_id, full=True)
    decision = permissions.can_decide_match(request.user, claim)
    if not decision:
        return _after_failure(request, claim.pk, bound={}, status=403, refusal=decision.reason)
    post = request.POST
    why = (post.get("why") or "").strip()[:2000]
    version = post.get("version", "")
    try:
        decide(
            actor=request.user,
            claim=claim,
            factcheck=post.get("factcheck") or None,
            matched_claim=post.get("claim") or None,
            score=post.get("score"),
            explanation={"why": why} if why else {},
            expected_version=int(version) if version.isdigit() else None,
        )
    except (PermissionDenied, Conflict, ValidationError) as exc:
        return _after_failure(
            request, claim.pk, bound={}, status=error_status(exc), refusal=refusal_message(exc)
        )
    done = "Marked as the same claim." if verb == "confirm" else "Marked as not the same claim."
    return _after_action(request, claim, done)


@workbench_view
@require_POST
def match_attach(request: HttpRequest, claim_id: int, decision_id: int) -> HttpResponse:
    """Attach a confirmed fact-check to the claim as a source."""
    claim = selectors.claim_for_user(request.user, claim_id, full=True)
    found = claim.match_decisions.filter(pk=decision_id).first()
    if found is None:
        raise Http404("No such match on this claim.")
    try:
        notes.match_attach(
            actor=request.user,
            decision=found,
            stance=request.POST.get("stance") or "context",
            excerpt=(request.POST.get("excerpt") or ""),
        )
    except (PermissionDenied, Conflict, ValidationError) as exc:
        return _after_failure(
            request, claim.pk, bound={}, status=error_status(exc), refusal=refusal_message(exc)
        )
    return _after_action(request, claim, "The fact-check is attached as a source.")


@workbench_view
@require_POST
def claim_group(request: HttpRequest, claim_id: int) -> HttpResponse:
    """An editor groups this claim with another (``other``): the same claim, checked once.
    Into this claim's group when it has one, else the other's, else a new group."""
    claim = selectors.claim_for_user(request.user, claim_id, full=True)
    decision = permissions.can_group_claims(request.user)
    if not decision:
        return _after_failure(request, claim.pk, bound={}, status=403, refusal=decision.reason)
    other = _claim_id(request.POST.get("other"))
    try:
        if other is None:
            raise ValidationError("Give the number of the claim to group this one with.")
        mine = selectors.claim_group_of(claim)
        theirs = None
        if mine is None:
            member = Claim.objects.filter(pk=other).values_list(
                "group_membership__group_id", flat=True
            )
            theirs = next(iter(member), None)
        services.claims_group(
            actor=request.user,
            claims=[claim.pk, other],
            group=mine.group if mine is not None else theirs,
        )
    except (PermissionDenied, Conflict, ValidationError) as exc:
        return _after_failure(
            request, claim.pk, bound={}, status=error_status(exc), refusal=refusal_message(exc)
        )
    return _after_action(request, claim, "Grouped as the same claim.")


@workbench_view
@require_POST
def claim_ungroup(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = selectors.claim_for_user(request.user, claim_id, full=True)
    decision = permissions.can_group_claims(request.user)
    if not decision:
        return _after_failure(request, claim.pk, bound={}, status=403, refusal=decision.reason)
    try:
        services.claim_ungroup(
            actor=request.user, claim=claim, reason=request.POST.get("reason") or ""
        )
    except (PermissionDenied, Conflict, ValidationError) as exc:
        return _after_failure(
            request, claim.pk, bound={}, status=error_status(exc), refusal=refusal_message(exc)
        )
    return _after_action(request, claim, "Taken out of the group.")

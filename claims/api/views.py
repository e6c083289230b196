"""The workbench API for articles, claims, verdicts, history and the claim workflow.

Each endpoint reads through ``claims.selectors`` (an object the user may not see is a 404)
and changes things only through ``claims.services``, which check the permission predicates,
the workflow table and the version; ``workbench.api.problems`` turns their refusals into
400/403/409 problem details. Before it reads a body, an endpoint that changes something asks
the predicate for the person's role, so that someone who may not act is told so (403)
whatever they send, not what their body lacks.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from claims import permissions, selectors, services
from claims.api import serializers as s
from claims.api.filters import ClaimFilterSet
from claims.models import Article, Claim, ClaimStatus, RatingScale, Verdict
from workbench.api.inputs import renamed, valid
from workbench.api.permissions import require, require_workbench

User = get_user_model()
# Only a published verdict can be corrected: no query for a pending correction otherwise.
CORRECTABLE = (ClaimStatus.PUBLISHED, ClaimStatus.CORRECTED)


def _claim_detail(request: Request, claim_id: int, *, status_code: int = 200) -> Response:
    """The claim as the claim panel shows it: current verdict and what the user may do next."""
    claim = selectors.claim_for_user(request.user, claim_id, full=True)
    verdicts = list(claim.verdicts.all())
    current = next((v for v in reversed(verdicts) if v.state != Verdict.State.SUPERSEDED), None)
    context = {
        "request": request,
        "verdict": current,
        "actions": services.available_actions(request.user, claim, current),
        # Not public, and no reviewer's business: editors only.
        "pending_correction": (
            services.pending_correction(claim)
            if permissions.can_correct(request.user, claim) and claim.status in CORRECTABLE
            else None
        ),
    }
    return Response(s.ClaimDetailSerializer(claim, context=context).data, status=status_code)


# --- articles -------------------------------------------------------------------------------------


class ArticleListView(GenericAPIView):
    """Articles, newest first, with the number of claims in each status."""

    serializer_class = s.ArticleSerializer
    filter_backends = ()

    def get_queryset(self) -> Any:
        # Counting drops the model's default order (GROUP BY): newest first, stated again.
        return (
            selectors.articles_with_progress()
            .select_related("imported_by")
            .order_by("-imported_at", "-pk")
        )

    @extend_schema(operation_id="articles_list", responses=s.ArticleSerializer(many=True))
    def get(self, request: Request) -> Response:
        require_workbench(request.user)
        page = self.paginate_queryset(self.get_queryset())
        data = s.ArticleSerializer(page, many=True, context={"request": request}).data
        return self.get_paginated_response(data)

    @extend_schema(
        operation_id="articles_create_from_text",
        summary="Import an article from text",
        description="The same text imported twice is the same article (200 instead of 201).",
        request=s.ArticleTextInput,
        responses={201: s.ArticleDetailSerializer, 200: s.ArticleDetailSerializer},
    )
    def post(self, request: Request) -> Response:
        require(permissions.can_import_article(request.user))
        data = valid(s.ArticleTextInput, request)
        try:
            result = services.article_import(
                actor=request.user,
                text=data["text"],
                title=data.get("title") or None,
                byline=data.get("byline") or None,
                outlet=data.get("outlet") or None,
                url=data.get("source_url") or None,
                published=data.get("published"),
                source_format=Article.Format.TEXT,
            )
        except ValidationError as exc:
            raise renamed(exc, {"url": "source_url"}) from None
        return _article_detail(request, result.article.pk, created=result.created)


class ArticleFromUrlView(APIView):
    @extend_schema(
        operation_id="articles_create_from_url",
        summary="Import an article from a web page",
        request=s.ArticleUrlInput,
        responses={201: s.ArticleDetailSerializer, 200: s.ArticleDetailSerializer},
    )
    def post(self, request: Request) -> Response:
        require(permissions.can_import_article(request.user))
        data = valid(s.ArticleUrlInput, request)
        try:
            result = services.article_import_url(actor=request.user, url=data["source_url"])
        except ValidationError as exc:
            raise renamed(exc, {"url": "source_url"}) from None
        return _article_detail(request, result.article.pk, created=result.created)


class ArticleUploadView(APIView):
    parser_classes = (MultiPartParser, FormParser)

    @extend_schema(
        operation_id="articles_create_from_upload",
        summary="Import an article from a .txt, .md or .html file",
        request={"multipart/form-data": s.ArticleUploadInput},
        responses={201: s.ArticleDetailSerializer, 200: s.ArticleDetailSerializer},
    )
    def post(self, request: Request) -> Response:
        require(permissions.can_import_article(request.user))
        data = valid(s.ArticleUploadInput, request)
        upload = data["file"]
        result = services.article_import_upload(
            actor=request.user, data=upload.read(), filename=upload.name or "upload"
        )
        return _article_detail(request, result.article.pk, created=result.created)


class ArticleDetailView(APIView):
    @extend_schema(operation_id="articles_retrieve", responses=s.ArticleDetailSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return _article_detail(request, pk)


def _article_detail(request: Request, article_id: int, *, created: bool = False) -> Response:
    article = selectors.article_for_user(request.user, article_id)
    article = selectors.articles_with_progress(
        Article.objects.filter(pk=article.pk).select_related("imported_by")
    ).get()
    claims = list(selectors.article_claims(article))
    for claim in claims:
        claim.article = article  # already loaded: no query per claim
    context = {"request": request, "claims": claims}
    return Response(
        s.ArticleDetailSerializer(article, context=context).data,
        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
    )


# --- claims ---------------------------------------------------------------------------------------


class ClaimListView(GenericAPIView):
    """Claims, filtered; in reading order (best match first when searching)."""

    serializer_class = s.ClaimSerializer
    filterset_class = ClaimFilterSet

    def get_queryset(self) -> Any:
        return selectors.claim_queryset()

    @extend_schema(operation_id="claims_list", responses=s.ClaimSerializer(many=True))
    def get(self, request: Request) -> Response:
        require_workbench(request.user)
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        data = s.ClaimSerializer(page, many=True, context={"request": request}).data
        return self.get_paginated_response(data)

    @extend_schema(
        operation_id="claims_create",
        summary="Add a claim by selecting text in an article",
        request=s.ClaimCreateInput,
        responses={201: s.ClaimDetailSerializer},
    )
    def post(self, request: Request) -> Response:
        require(permissions.can_edit_claim(request.user))
        data = valid(s.ClaimCreateInput, request)
        try:
            article = selectors.article_for_user(request.user, data["article"])
        except Http404:
            raise ValidationError({"article": "There is no such article."}) from None
        claim = services.claim_add(
            actor=request.user,
            article=article,
            start=data["start"],
            end=data["end"],
            types=data["types"],
            speaker=data.get("speaker", ""),
            figures=data.get("figures"),
            date=data.get("date"),
        )
        return _claim_detail(request, claim.pk, status_code=status.HTTP_201_CREATED)


class ClaimDetailView(APIView):
    @extend_schema(operation_id="claims_retrieve", responses=s.ClaimDetailSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return _claim_detail(request, pk)

    @extend_schema(
        operation_id="claims_partial_update",
        summary="Correct a claim (span, types, speaker, figures, date)",
        description="Send the `version` you loaded; if someone changed the claim since, "
        "nothing is changed and the answer is a 409 with `current_version`.",
        request=s.ClaimUpdateInput,
        responses=s.ClaimDetailSerializer,
    )
    def patch(self, request: Request, pk: int) -> Response:
        claim = selectors.claim_for_user(request.user, pk)
        require(permissions.can_edit_claim(request.user, claim))
        data = valid(s.ClaimUpdateInput, request)
        version = data.pop("version")
        services.claim_update(actor=request.user, claim=claim.pk, expected_version=version, **data)
        return _claim_detail(request, claim.pk)


class ClaimSplitView(APIView):
    @extend_schema(
        operation_id="claims_split",
        summary="Split a claim in two at an offset",
        request=s.SplitInput,
        responses={201: s.ClaimSerializer(many=True)},
    )
    def post(self, request: Request, pk: int) -> Response:
        claim = selectors.claim_for_user(request.user, pk)
        require(permissions.can_edit_claim(request.user, claim))
        data = valid(s.SplitInput, request)
        parts = services.claim_split(
            actor=request.user, claim=claim.pk, at=data["at"], expected_version=data["version"]
        )
        fresh = selectors.claim_queryset().filter(pk__in=[p.pk for p in parts]).order_by("start")
        return Response(
            s.ClaimSerializer(fresh, many=True, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class ClaimMergeView(APIView):
    @extend_schema(
        operation_id="claims_merge",
        summary="Merge neighbouring claims of one article into one",
        request=s.MergeInput,
        responses={201: s.ClaimDetailSerializer},
    )
    def post(self, request: Request) -> Response:
        require_workbench(request.user)
        require(permissions.can_edit_claim(request.user))
        data = valid(s.MergeInput, request)
        versions = data["versions"]
        if len(versions) != len(data["claims"]):
            raise ValidationError({"versions": "Give one version for each claim."})
        merged = services.claim_merge(
            actor=request.user, claims=data["claims"], expected_versions=versions
        )
        return _claim_detail(request, merged.pk, status_code=status.HTTP_201_CREATED)


class ClaimHistoryView(APIView):
    @extend_schema(operation_id="claims_history", responses=s.HistorySerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        claim = selectors.claim_for_user(request.user, pk, full=True)
        rows = selectors.history_for_user(request.user, claim)
        return Response(s.HistorySerializer(rows, many=True).data)


class ClaimVerdictsView(APIView):
    @extend_schema(
        operation_id="claims_verdicts",
        summary="Every version of the claim's verdict, oldest first",
        responses=s.VerdictSerializer(many=True),
    )
    def get(self, request: Request, pk: int) -> Response:
        claim = selectors.claim_for_user(request.user, pk, full=True)
        return Response(
            s.VerdictSerializer(claim.verdicts.all(), many=True, context={"request": request}).data
        )


class VerdictDetailView(APIView):
    @extend_schema(operation_id="verdicts_retrieve", responses=s.VerdictSerializer)
    def get(self, request: Request, pk: int) -> Response:
        verdict = selectors.verdict_for_user(request.user, pk)
        return Response(s.VerdictSerializer(verdict, context={"request": request}).data)

    @extend_schema(
        operation_id="verdicts_partial_update",
        summary="Amend a proposed verdict",
        description="Whoever amends a verdict becomes one of its writers and may not approve "
        "it (four-eyes rule). Send the verdict's `version` you loaded.",
        request=s.VerdictAmendInput,
        responses=s.VerdictSerializer,
    )
    def patch(self, request: Request, pk: int) -> Response:
        verdict = selectors.verdict_for_user(request.user, pk)
        require(permissions.can_amend_verdict(request.user, verdict))
        data = valid(s.VerdictAmendInput, request)
        services.verdict_amend(
            actor=request.user,
            verdict=verdict.pk,
            expected_version=data["version"],
            label=data.get("label"),
            summary=data.get("summary"),
            justification=data.get("justification"),
            source_ids=data.get("sources"),
        )
        verdict = selectors.verdict_for_user(request.user, pk)
        return Response(s.VerdictSerializer(verdict, context={"request": request}).data)


# --- workflow actions -----------------------------------------------------------------------------


def _reviewer(actor: Any, username: str | None) -> Any:
    if not username:
        return actor
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise ValidationError({"reviewer": f"There is no active user {username!r}."})
    return user


def _with_reviewer(service: Callable[..., Any]) -> Callable[[Any, Claim, dict[str, Any]], Any]:
    def run(actor: Any, claim: Claim, d: dict[str, Any]) -> Any:
        return service(
            actor=actor,
            claim=claim.pk,
            reviewer=_reviewer(actor, d.get("reviewer")),
            expected_version=d.get("version"),
        )

    return run


def _propose(actor: Any, claim: Claim, d: dict[str, Any]) -> Any:
    return services.claim_propose(
        actor=actor,
        claim=claim.pk,
        label=d["label"],
        summary=d["summary"],
        justification=d["justification"],
        source_ids=d.get("sources"),
        expected_version=d.get("version"),
    )


def _correct(actor: Any, claim: Claim, d: dict[str, Any]) -> Any:
    return services.claim_correct(
        actor=actor,
        claim=claim.pk,
        note=d["note"],
        label=d.get("label"),
        summary=d.get("summary"),
        justification=d.get("justification"),
        source_ids=d.get("sources"),
        expected_version=d.get("version"),
    )


def _with_reason(service: Callable[..., Any]) -> Callable[[Any, Claim, dict[str, Any]], Any]:
    def run(actor: Any, claim: Claim, d: dict[str, Any]) -> Any:
        return service(
            actor=actor,
            claim=claim.pk,
            reason=d.get("reason", ""),
            expected_version=d.get("version"),
        )

    return run


def _plain(service: Callable[..., Any]) -> Callable[[Any, Claim, dict[str, Any]], Any]:
    def run(actor: Any, claim: Claim, d: dict[str, Any]) -> Any:
        return service(actor=actor, claim=claim.pk, expected_version=d.get("version"))

    return run


# url name → (input, service call, summary). One service function each; no rule here.
WORKFLOW_ACTIONS: dict[str, tuple[type[Any], Callable[..., Any], str]] = {
    "assign": (
        s.AssignInput,
        _with_reviewer(services.claim_assign),
        "Assign a reviewer (editors: anyone; reviewers: themselves)",
    ),
    "unassign": (
        s.AssignInput,
        _with_reviewer(services.claim_unassign),
        "Take a reviewer off the claim",
    ),
    "propose": (s.ProposeInput, _propose, "Propose a verdict to the editors"),
    "approve": (
        s.VersionInput,
        _plain(services.claim_approve),
        "Approve the proposed verdict (not one you wrote: four-eyes rule)",
    ),
    "request-changes": (
        s.ReasonInput,
        _with_reason(services.claim_request_changes),
        "Send the verdict back to its writers",
    ),
    "publish": (s.VersionInput, _plain(services.claim_publish), "Publish the approved verdict"),
    "correct": (
        s.CorrectInput,
        _correct,
        "Propose a correction of the published verdict; nothing public changes until "
        "another editor approves it",
    ),
    "approve-correction": (
        s.VersionInput,
        _plain(services.claim_approve_correction),
        "Approve the proposed correction (not one you proposed: four-eyes rule); it is "
        "published as the next version, the old one stays readable, marked corrected",
    ),
    "reject-correction": (
        s.ReasonInput,
        _with_reason(services.claim_reject_correction),
        "Reject the proposed correction; the published verdict stays as it was",
    ),
    "retract": (
        s.ReasonInput,
        _with_reason(services.claim_retract),
        "Retract the published verdict",
    ),
    "dismiss": (
        s.ReasonInput,
        _with_reason(services.claim_dismiss),
        "Dismiss the claim as not worth checking",
    ),
    "reopen": (
        s.OptionalReasonInput,
        _with_reason(services.claim_reopen),
        "Reopen a dismissed or retracted claim",
    ),
}


class ClaimActionView(APIView):
    action_name = ""

    def post(self, request: Request, pk: int) -> Response:
        claim = selectors.claim_for_user(request.user, pk)
        input_class, run, _ = WORKFLOW_ACTIONS[self.action_name]
        # The role, and the four-eyes rule (about the person, not the body); the status and the
        # body's reviewer (assigning: oneself) are the service's to check.
        name = self.action_name.replace("-", "_")
        verdict = services.current_verdict(claim) if name == "approve" else None
        require(services.action_permission(request.user, claim, name, verdict))
        run(request.user, claim, valid(input_class, request))
        return _claim_detail(request, claim.pk)


def _action_view(name: str) -> type[ClaimActionView]:
    input_class, _, summary = WORKFLOW_ACTIONS[name]

    def post(self: ClaimActionView, request: Request, pk: int) -> Response:
        return ClaimActionView.post(self, request, pk)

    # A function of its own for each action: the schema decoration is stored on it.
    documented = extend_schema(
        operation_id=f"claims_{name.replace('-', '_')}",
        summary=summary,
        tags=["workflow"],
        request=input_class,
        responses={
            200: OpenApiResponse(s.ClaimDetailSerializer, description="The claim after it."),
        },
    )(post)
    return type(
        f"Claim{name.title().replace('-', '')}View",
        (ClaimActionView,),
        {"action_name": name, "__doc__": summary, "post": documented},
    )


ACTION_VIEWS = {name: _action_view(name) for name in WORKFLOW_ACTIONS}


# --- reference data and the caller ----------------------------------------------------------------


class RatingLabelListView(APIView):
    @extend_schema(
        operation_id="rating_labels_list",
        summary="The labels of the organisation's rating scale",
        description="The labels a rating or a verdict may be given. Retired labels are not "
        "listed: ratings and verdicts that have one still show it, with `retired` true.",
        responses=s.RatingLabelSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        require_workbench(request.user)
        labels = (
            RatingScale.default()
            .labels.filter(retired_at__isnull=True)
            .select_related("scale")
            .order_by("position")
        )
        return Response(s.RatingLabelSerializer(labels, many=True).data)


class MeView(APIView):
    @extend_schema(
        operation_id="me", summary="Who the token or session belongs to", responses=s.MeSerializer
    )
    def get(self, request: Request) -> Response:
        user = request.user
        return Response(
            s.MeSerializer(
                {
                    "id": user.pk,
                    "username": user.get_username(),
                    "name": s.person_name(user),
                    "roles": sorted(user.groups.values_list("name", flat=True)),
                    "is_reviewer": permissions.is_reviewer(user),
                    "is_editor": permissions.is_editor(user),
                }
            ).data
        )

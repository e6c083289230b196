"""The workbench API for "checked before?": other organisations' fact-checks (import and
read), the matches of a claim with reviewers' decisions, and groups of the same claim.

Fact-checks are the workbench's reference material, shown with their publisher and the
publisher's rating in their words; none of this is on the public feed (``/api/v1/published``).
Like every endpoint, these ask the role's predicate before reading a body and change things
only through the services.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from claims import factchecks, permissions, selectors, services
from claims.api.serializers import MAX_ID, UserRefSerializer
from claims.models import ClaimGroup, FactCheck, MatchDecision
from workbench.api.fields import TextField
from workbench.api.inputs import valid
from workbench.api.permissions import require, require_workbench

# --- serializers ------------------------------------------------------------------------------


class FactCheckSerializer(serializers.ModelSerializer):
    ref = serializers.CharField(read_only=True, help_text="Its id as imported, else its url.")

    class Meta:
        model = FactCheck
        fields = (
            "id",
            "ref",
            "publisher",
            "external_id",
            "url",
            "claim_text",
            "title",
            "rating_text",
            "claimant",
            "published",
            "language",
            "imported_at",
            "updated_at",
        )
        read_only_fields = fields


class RowErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="The TSV line, or the ClaimReview's position.")
    ref = serializers.CharField(help_text="Its id or url, when known.")
    message = serializers.CharField()


class ImportReportSerializer(serializers.Serializer):
    format = serializers.CharField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    refused = RowErrorSerializer(many=True, help_text="The rows not imported, and why.")
    ignored_columns = serializers.ListField(child=serializers.CharField())
    summary = serializers.CharField()
    seconds = serializers.FloatField()


class FactCheckImportInput(serializers.Serializer):
    file = serializers.FileField(help_text="ClaimReview JSON-LD or TSV with a header row.")
    format = serializers.ChoiceField(choices=["", "claimreview", "tsv"], required=False, default="")
    publisher = TextField(
        required=False,
        allow_blank=True,
        default="",
        max_length=200,
        help_text="For records that name no publisher.",
    )


class MatchDecisionSerializer(serializers.ModelSerializer):
    actor = UserRefSerializer(read_only=True)
    ref = serializers.CharField(read_only=True)

    class Meta:
        model = MatchDecision
        fields = (
            "id",
            "claim",
            "ref",
            "factcheck",
            "matched_claim",
            "decision",
            "score",
            "explanation",
            "actor",
            "at",
            "attached_at",
            "version",
        )
        read_only_fields = fields


class MatchSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["factcheck", "claim"])
    ref = serializers.CharField(help_text='The fact-check\'s id as imported, or "claim:<id>".')
    factcheck = serializers.SerializerMethodField()
    claim = serializers.SerializerMethodField()
    publisher = serializers.CharField(help_text="Empty for our own verdicts.")
    rating = serializers.CharField(help_text="The publisher's rating in their words, or ours.")
    date = serializers.DateField(allow_null=True)
    url = serializers.CharField()
    text = serializers.CharField()
    score = serializers.FloatField(allow_null=True)
    why = serializers.CharField(source="why_text", help_text="Why it matched, if the matcher says.")
    offered = serializers.BooleanField(
        help_text="False for a match confirmed earlier that the matcher no longer offers."
    )
    decision = MatchDecisionSerializer(allow_null=True)

    def get_factcheck(self, row: selectors.MatchRow) -> int | None:
        return row.factcheck.pk if row.factcheck is not None else None

    def get_claim(self, row: selectors.MatchRow) -> int | None:
        return row.claim.pk if row.factcheck is None and row.claim is not None else None

    def to_representation(self, row: Any) -> dict[str, Any]:
        data = super().to_representation(row)
        request = self.context.get("request")
        if row.factcheck is None and data["url"].startswith("/") and request is not None:
            data["url"] = request.build_absolute_uri(data["url"])
        return data


class MatchDecisionInput(serializers.Serializer):
    factcheck = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    claim = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, help_text="One of our claims."
    )
    score = serializers.FloatField(required=False, allow_null=True, help_text="The score shown.")
    why = TextField(required=False, allow_blank=True, default="", max_length=2000)
    version = serializers.IntegerField(
        min_value=0,
        required=False,
        help_text="The decision's version when it was read (0: there was none).",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("factcheck" in attrs) == ("claim" in attrs):
            raise serializers.ValidationError("Give either factcheck or claim.")
        return attrs


class GroupClaimSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    text = serializers.CharField()
    status = serializers.CharField()
    article = serializers.IntegerField(source="article_id")
    article_title = serializers.CharField(source="article.title")


class ClaimGroupSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="group.pk")
    version = serializers.IntegerField(source="group.version")
    created_at = serializers.DateTimeField(source="group.created_at")
    articles = serializers.IntegerField(help_text="In how many of our articles it appears.")
    rated = serializers.IntegerField(help_text="How many of its claims have a published verdict.")
    summary = serializers.CharField(help_text='"appears in 4 articles, rated once"')
    claims = GroupClaimSerializer(many=True)


class SuggestionSerializer(serializers.Serializer):
    claim = GroupClaimSerializer()
    similarity = serializers.FloatField()


class ClaimGroupOfClaimSerializer(serializers.Serializer):
    group = ClaimGroupSerializer(allow_null=True)
    suggestions = SuggestionSerializer(
        many=True, help_text="Claims worded nearly the same in other articles (editors only)."
    )


class GroupInput(serializers.Serializer):
    claims = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID), min_length=1
    )
    group = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, help_text="Add to this group."
    )
    version = serializers.IntegerField(min_value=1, required=False)


class UngroupInput(serializers.Serializer):
    reason = TextField(required=False, allow_blank=True, default="", max_length=2000)


# --- fact-checks ------------------------------------------------------------------------------


def _sees(request: Request) -> bool:
    """An object the person may not see is a 404, as everywhere in the API."""
    return bool(permissions.can_view_workbench(request.user))


class FactCheckListView(GenericAPIView):
    """Imported fact-checks, newest first; ``publisher`` and ``q`` (in the claim or title)
    narrow them."""

    serializer_class = FactCheckSerializer
    filter_backends = ()

    def get_queryset(self) -> Any:
        qs = FactCheck.objects.order_by("-updated_at", "-pk")
        params = self.request.query_params
        if params.get("publisher"):
            qs = qs.filter(publisher=params["publisher"])
        if params.get("q"):
            q = params["q"][:200]
            qs = qs.filter(Q(claim_text__icontains=q) | Q(title__icontains=q))
        return qs

    @extend_schema(
        operation_id="factchecks_list",
        parameters=[
            OpenApiParameter("publisher", str, description="Only this publisher's."),
            OpenApiParameter("q", str, description="Words in the claim or the title."),
        ],
        responses=FactCheckSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        require_workbench(request.user)
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(FactCheckSerializer(page, many=True).data)


class FactCheckDetailView(APIView):
    @extend_schema(operation_id="factchecks_retrieve", responses=FactCheckSerializer)
    def get(self, request: Request, pk: int) -> Response:
        found = FactCheck.objects.filter(pk=pk).first() if _sees(request) else None
        if found is None:
            raise Http404("No such fact-check.")
        return Response(FactCheckSerializer(found).data)


class FactCheckImportView(APIView):
    parser_classes = (MultiPartParser, FormParser)

    @extend_schema(
        operation_id="factchecks_import",
        summary="Import fact-checks from a ClaimReview or TSV file (editors)",
        description="Idempotent on (publisher, id or url): importing again updates. Rows that "
        "cannot be imported are listed in refused; the others are imported.",
        request={"multipart/form-data": FactCheckImportInput},
        responses={200: ImportReportSerializer},
    )
    def post(self, request: Request) -> Response:
        require(permissions.can_import_factchecks(request.user))
        data = valid(FactCheckImportInput, request)
        upload = data["file"]
        report = factchecks.factchecks_import(
            actor=request.user,
            data=upload.read(),
            format=data.get("format") or None,
            publisher=data.get("publisher") or "",
            filename=upload.name or "",
        )
        body = {
            "format": report.format,
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "refused": report.errors,
            "ignored_columns": report.ignored_columns,
            "summary": report.summary(),
            "seconds": round(report.seconds, 3),
        }
        return Response(ImportReportSerializer(body).data)


# --- matches of a claim -----------------------------------------------------------------------

MATCH_LIMIT = 5


class ClaimMatchesView(APIView):
    @extend_schema(
        operation_id="claims_matches",
        summary='"Checked before?": fact-checks and our verdicts on the same claim',
        responses=MatchSerializer(many=True),
    )
    def get(self, request: Request, pk: int) -> Response:
        claim = selectors.claim_for_user(request.user, pk)
        rows = selectors.claim_matches(claim, limit=MATCH_LIMIT)
        return Response(MatchSerializer(rows, many=True, context={"request": request}).data)


def _decide(request: Request, pk: int, service: Any) -> Response:
    claim = selectors.claim_for_user(request.user, pk)
    require(permissions.can_decide_match(request.user, claim))
    data = valid(MatchDecisionInput, request)
    made = service(
        actor=request.user,
        claim=claim.pk,
        factcheck=data.get("factcheck"),
        matched_claim=data.get("claim"),
        score=data.get("score"),
        explanation={"why": data["why"]} if data.get("why") else {},
        expected_version=data.get("version"),
    )
    made = MatchDecision.objects.select_related("actor", "factcheck").get(pk=made.pk)
    return Response(MatchDecisionSerializer(made).data)


class MatchConfirmView(APIView):
    @extend_schema(
        operation_id="claims_matches_confirm",
        summary="Confirm that a match is the same claim",
        request=MatchDecisionInput,
        responses={200: MatchDecisionSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        return _decide(request, pk, services.match_confirm)


class MatchRejectView(APIView):
    @extend_schema(
        operation_id="claims_matches_reject",
        summary="Reject a match: not the same claim",
        request=MatchDecisionInput,
        responses={200: MatchDecisionSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        return _decide(request, pk, services.match_reject)


# --- groups of the same claim -----------------------------------------------------------------


def _group_view(group_id: int) -> selectors.ClaimGroupView:
    view = selectors.claim_group(group_id)
    if view is None:
        raise Http404("No such group.")
    return view


class ClaimGroupOfClaimView(APIView):
    @extend_schema(
        operation_id="claims_group_retrieve",
        summary="The claim's group: the same claim in other articles",
        responses=ClaimGroupOfClaimSerializer,
    )
    def get(self, request: Request, pk: int) -> Response:
        claim = selectors.claim_for_user(request.user, pk, full=True)
        suggestions: list[Any] = []
        if permissions.can_group_claims(request.user):
            suggestions = [
                {"claim": c, "similarity": sim}
                for c, sim in selectors.same_claim_suggestions(claim)
            ]
        body = {"group": selectors.claim_group_of(claim), "suggestions": suggestions}
        return Response(ClaimGroupOfClaimSerializer(body).data)

    @extend_schema(
        operation_id="claims_group_destroy",
        summary="Take the claim out of its group (editors)",
        request=UngroupInput,
        responses={204: None},
    )
    def delete(self, request: Request, pk: int) -> Response:
        claim = selectors.claim_for_user(request.user, pk)
        require(permissions.can_group_claims(request.user))
        data = valid(UngroupInput, request) if request.data else {}
        services.claim_ungroup(actor=request.user, claim=claim.pk, reason=data.get("reason", ""))
        return Response(status=status.HTTP_204_NO_CONTENT)


class ClaimGroupListView(APIView):
    """The 50 most recent groups: not paginated."""

    @extend_schema(
        operation_id="claim_groups_list",
        summary="The most recent groups of the same claim",
        responses=ClaimGroupSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        require_workbench(request.user)
        return Response(ClaimGroupSerializer(selectors.claim_groups(limit=50), many=True).data)

    @extend_schema(
        operation_id="claim_groups_create",
        summary="Group claims as the same claim, or add claims to a group (editors)",
        request=GroupInput,
        responses={201: ClaimGroupSerializer, 200: ClaimGroupSerializer},
    )
    def post(self, request: Request) -> Response:
        require_workbench(request.user)
        require(permissions.can_group_claims(request.user))
        data = valid(GroupInput, request)
        before = ClaimGroup.objects.filter(pk=data["group"]).exists() if "group" in data else False
        group = services.claims_group(
            actor=request.user,
            claims=data["claims"],
            group=data.get("group"),
            expected_version=data.get("version"),
        )
        code = status.HTTP_200_OK if before else status.HTTP_201_CREATED
        return Response(ClaimGroupSerializer(_group_view(group.pk)).data, status=code)


class ClaimGroupDetailView(APIView):
    @extend_schema(operation_id="claim_groups_retrieve", responses=ClaimGroupSerializer)
    def get(self, request: Request, pk: int) -> Response:
        if not _sees(request):
            raise Http404("No such group.")
        return Response(ClaimGroupSerializer(_group_view(pk)).data)

"""The workbench API for annotations, comments, sources, ratings and agreement.

Reads go through the selectors (a claim the user may not see is a 404; ratings through
``ratings_for``, the blind rule); every change is one call to ``annotations.services``, after
the role is checked with the predicate and before the body is read (a person who may not act
is told so whatever they send).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations import permissions as note_permissions
from annotations import selectors as note_selectors
from annotations import services as notes
from annotations.api import serializers as s
from annotations.api.filters import AgreementFilterSet, SourceFilterSet
from annotations.models import AnnotationLabel, Comment
from claims import selectors
from claims.models import Claim, MatchDecision
from workbench.api.inputs import renamed, valid
from workbench.api.permissions import require, require_workbench


def _claim(request: Request, pk: int) -> Claim:
    """The claim with its annotations, comments, sources and ratings (each one query)."""
    return selectors.claim_for_user(request.user, pk, full=True)


# --- annotations ----------------------------------------------------------------------------------


class ClaimAnnotationsView(APIView):
    @extend_schema(
        operation_id="claims_annotations_list", responses=s.AnnotationSerializer(many=True)
    )
    def get(self, request: Request, pk: int) -> Response:
        claim = _claim(request, pk)
        return Response(
            s.AnnotationSerializer(
                claim.annotations.all(), many=True, context={"request": request}
            ).data
        )

    @extend_schema(
        operation_id="claims_annotations_create",
        summary="Annotate a span of the claim's article",
        request=s.AnnotationCreateInput,
        responses={201: s.AnnotationSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        claim = selectors.claim_for_user(request.user, pk)
        require(note_permissions.can_annotate(request.user, claim))
        data = valid(s.AnnotationCreateInput, request)
        annotation = notes.annotation_create(
            actor=request.user,
            claim=claim.pk,
            start=data["start"],
            end=data["end"],
            label=data["label"],
            comment=data.get("comment", ""),
        )
        annotation = note_selectors.annotation_for_user(request.user, annotation.pk)
        return Response(
            s.AnnotationSerializer(annotation, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class AnnotationDetailView(APIView):
    @extend_schema(operation_id="annotations_retrieve", responses=s.AnnotationSerializer)
    def get(self, request: Request, pk: int) -> Response:
        annotation = note_selectors.annotation_for_user(request.user, pk)
        return Response(s.AnnotationSerializer(annotation, context={"request": request}).data)

    @extend_schema(
        operation_id="annotations_partial_update",
        summary="Change an annotation's label or comment",
        request=s.AnnotationUpdateInput,
        responses=s.AnnotationSerializer,
    )
    def patch(self, request: Request, pk: int) -> Response:
        annotation = note_selectors.annotation_for_user(request.user, pk)
        require(note_permissions.can_change_annotation(request.user, annotation))
        data = valid(s.AnnotationUpdateInput, request)
        notes.annotation_update(
            actor=request.user,
            annotation=annotation.pk,
            expected_version=data["version"],
            label=data.get("label"),
            comment=data.get("comment"),
        )
        annotation = note_selectors.annotation_for_user(request.user, pk)
        return Response(s.AnnotationSerializer(annotation, context={"request": request}).data)


class AnnotationLabelListView(APIView):
    @extend_schema(
        operation_id="annotation_labels_list", responses=s.AnnotationLabelSerializer(many=True)
    )
    def get(self, request: Request) -> Response:
        require_workbench(request.user)
        labels = AnnotationLabel.objects.filter(active=True)
        return Response(s.AnnotationLabelSerializer(labels, many=True).data)


# --- comments -------------------------------------------------------------------------------------


class ClaimCommentsView(APIView):
    @extend_schema(operation_id="claims_comments_list", responses=s.CommentSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        claim = _claim(request, pk)
        return Response(s.CommentSerializer(claim.comments.all(), many=True).data)

    @extend_schema(
        operation_id="claims_comments_create",
        summary="Comment on a claim, or reply to a comment",
        request=s.CommentInput,
        responses={201: s.CommentSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        claim = selectors.claim_for_user(request.user, pk)
        require(note_permissions.can_annotate(request.user, claim))
        data = valid(s.CommentInput, request)
        try:
            comment = notes.comment_add(
                actor=request.user, claim=claim.pk, body=data["body"], parent=data.get("parent")
            )
        except ValidationError as exc:
            # The service calls the text "comment"; the API's field is "body".
            raise renamed(exc, {"comment": "body"}) from None
        comment = Comment.objects.select_related("author").get(pk=comment.pk)
        return Response(s.CommentSerializer(comment).data, status=status.HTTP_201_CREATED)


# --- sources --------------------------------------------------------------------------------------


class ClaimSourcesView(APIView):
    @extend_schema(operation_id="claims_sources_list", responses=s.ClaimSourceSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        claim = _claim(request, pk)
        uses = list(claim.claim_sources.all())
        prefetch_related_objects(uses, "added_by")
        for use in uses:
            use.claim = claim  # for published_after_claim, without a query each
        return Response(s.ClaimSourceSerializer(uses, many=True, context={"request": request}).data)

    @extend_schema(
        operation_id="claims_sources_create",
        summary="Attach a source to a claim",
        description="A URL already known is the same source record, linked again (its empty "
        "fields are completed, never overwritten).",
        request=s.SourceAttachInput,
        responses={201: s.ClaimSourceSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        claim = selectors.claim_for_user(request.user, pk)
        require(note_permissions.can_annotate(request.user, claim))
        data = valid(s.SourceAttachInput, request)
        use = notes.source_attach(actor=request.user, claim=claim.pk, **data)
        use = note_selectors.claim_source_for_user(request.user, use.pk)
        return Response(
            s.ClaimSourceSerializer(use, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class ClaimSourceDetailView(APIView):
    @extend_schema(operation_id="claim_sources_retrieve", responses=s.ClaimSourceSerializer)
    def get(self, request: Request, pk: int) -> Response:
        use = note_selectors.claim_source_for_user(request.user, pk)
        return Response(s.ClaimSourceSerializer(use, context={"request": request}).data)

    @extend_schema(
        operation_id="claim_sources_destroy",
        summary="Detach a source from its claim",
        description="Only the reviewer who added it, or an editor, who must give the reason "
        "(in the body or as ?reason=) when it is someone else's. Refused (409) while a verdict "
        "on the claim relies on it.",
        request=s.SourceRemoveInput,
        responses={204: None},
    )
    def delete(self, request: Request, pk: int) -> Response:
        use = note_selectors.claim_source_for_user(request.user, pk)
        require(note_permissions.can_remove_source(request.user, use))
        data = valid(s.SourceRemoveInput, request) if request.data else {}
        reason = data.get("reason") or request.query_params.get("reason", "")
        notes.source_detach(actor=request.user, claim_source=use.pk, reason=reason)
        return Response(status=status.HTTP_204_NO_CONTENT)


class SourceListView(GenericAPIView):
    """Source records, to find one before adding it again."""

    serializer_class = s.SourceSerializer
    filterset_class = SourceFilterSet

    def get_queryset(self) -> Any:
        return note_selectors.search_sources(None)

    @extend_schema(operation_id="sources_list", responses=s.SourceSerializer(many=True))
    def get(self, request: Request) -> Response:
        require_workbench(request.user)
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        data = s.SourceSerializer(page, many=True, context={"request": request}).data
        return self.get_paginated_response(data)


class SourceDetailView(APIView):
    @extend_schema(operation_id="sources_retrieve", responses=s.SourceSerializer)
    def get(self, request: Request, pk: int) -> Response:
        source = note_selectors.source_for_user(request.user, pk)
        return Response(s.SourceSerializer(source, context={"request": request}).data)


# --- ratings --------------------------------------------------------------------------------------


def _ratings_response(request: Request, claim: Claim, *, status_code: int = 200) -> Response:
    ratings = list(claim.ratings.all())
    prefetch_related_objects(ratings, "label__scale")  # the label shows its scale's range
    view = note_selectors.ratings_for(request.user, claim, ratings)
    data = {
        "own": view.own,
        "ratings": view.visible,
        "hidden": view.hidden_count,
        "blind_reason": view.blind_reason,
    }
    return Response(s.RatingsSerializer(data).data, status=status_code)


class ClaimRatingsView(APIView):
    @extend_schema(
        operation_id="claims_ratings_list",
        summary="The claim's ratings you may see",
        description="Ratings are blind: a reviewer sees the others' ratings only after "
        "submitting their own; editors see them all.",
        responses=s.RatingsSerializer,
    )
    def get(self, request: Request, pk: int) -> Response:
        return _ratings_response(request, _claim(request, pk))

    @extend_schema(
        operation_id="claims_ratings_submit",
        summary="Submit or revise your own rating",
        request=s.RatingInput,
        responses={201: s.RatingsSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        claim = selectors.claim_for_user(request.user, pk)
        require(note_permissions.can_rate(request.user, claim))
        data = valid(s.RatingInput, request)
        notes.rating_submit(
            actor=request.user,
            claim=claim.pk,
            label=data["label"],
            justification=data["justification"],
            confidence=data["confidence"],
            expected_version=data.get("version"),
        )
        return _ratings_response(request, _claim(request, pk), status_code=201)


# --- agreement ------------------------------------------------------------------------------------


class AgreementView(GenericAPIView):
    """Agreement between reviewers over the claims chosen by the filters."""

    filterset_class = AgreementFilterSet
    pagination_class = None

    def get_queryset(self) -> Any:
        return Claim.objects.active()

    @extend_schema(
        operation_id="agreement",
        summary="Agreement between reviewers (editors)",
        description="Krippendorff's alpha (ordinal labels) overall and per claim type, "
        "Cohen's kappa per pair of reviewers and each reviewer's mean kappa.",
        responses=s.AgreementSerializer,
    )
    def get(self, request: Request) -> Response:
        require_workbench(request.user)
        require(note_permissions.can_view_agreement(request.user))
        report = note_selectors.agreement(self.filter_queryset(self.get_queryset()))
        return Response(s.AgreementSerializer(report).data)


class DisagreementsView(GenericAPIView):
    """Claims whose reviewers' ratings are two or more steps apart."""

    filterset_class = AgreementFilterSet
    serializer_class = s.DisagreementSerializer

    def get_queryset(self) -> Any:
        return Claim.objects.active()

    @extend_schema(
        operation_id="agreement_disagreements",
        summary="Claims the reviewers disagree on (editors)",
        responses=s.DisagreementSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        require_workbench(request.user)
        require(note_permissions.can_view_agreement(request.user))
        claims = note_selectors.disagreements(  # type: ignore[misc]
            self.filter_queryset(self.get_queryset())
        ).order_by("-rating_spread", "pk")
        page = self.paginate_queryset(claims)
        data = s.DisagreementSerializer(page, many=True, context={"request": request}).data
        return self.get_paginated_response(data)


# --- a confirmed fact-check, attached as a source ------------------------------------------------


class MatchAttachView(APIView):
    @extend_schema(
        operation_id="match_decisions_attach",
        summary="Attach a confirmed fact-check to its claim as a source",
        description="Its url, publisher, title and date become a source of the claim (stance "
        "context unless given). Refused (409) unless the match was confirmed.",
        request=s.MatchAttachInput,
        responses={201: s.ClaimSourceSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        found = MatchDecision.objects.filter(pk=pk).select_related("claim").first()
        if found is None:
            raise Http404("No such match decision.")
        claim = selectors.claim_for_user(request.user, found.claim_id)
        require(note_permissions.can_annotate(request.user, claim))
        data = valid(s.MatchAttachInput, request)
        use = notes.match_attach(actor=request.user, decision=found.pk, **data)
        use = note_selectors.claim_source_for_user(request.user, use.pk)
        return Response(
            s.ClaimSourceSerializer(use, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )

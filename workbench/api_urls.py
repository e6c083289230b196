"""The API under /api/: the workbench and the public feed in /api/v1/, the OpenAPI schema at
/api/schema/ (``?format=json`` for JSON) and Swagger UI at /api/docs/, served offline."""

from __future__ import annotations

from typing import Any

from django.urls import include, path, re_path
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import exceptions
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from annotations.api import views as notes
from claims.api import checked, public
from claims.api import views as claims
from workbench.api.problems import ProblemTypeView


class ApiRootView(APIView):
    """Where things are."""

    permission_classes = (AllowAny,)
    authentication_classes = ()

    @extend_schema(exclude=True)
    def get(self, request: Request) -> Response:
        def link(name: str) -> str:
            return reverse(name, request=request)

        return Response(
            {
                "articles": link("api-article-list"),
                "claims": link("api-claim-list"),
                "sources": link("api-source-list"),
                "agreement": link("api-agreement"),
                "factchecks": link("api-factcheck-list"),
                "claim_groups": link("api-claim-group-list"),
                "rating_labels": link("api-rating-labels"),
                "annotation_labels": link("api-annotation-labels"),
                "me": link("api-me"),
                "published": link("api-published-list"),
                "export_csv": link("api-published-export-csv"),
                "export_jsonl": link("api-published-export-jsonl"),
                "schema": link("api-schema") + "?format=json",
                "docs": link("api-docs"),
            }
        )


class ApiNotFoundView(APIView):
    """Any other address under /api/: a problem-details 404, not the HTML page."""

    permission_classes = (AllowAny,)
    authentication_classes = ()
    throttle_classes = ()
    schema = None  # not an endpoint

    def http_method_not_allowed(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        raise exceptions.NotFound("There is nothing at this address.")

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        raise exceptions.NotFound("There is nothing at this address.")

    post = put = patch = delete = head = options = get


claim_actions = [
    path(f"claims/<int:pk>/{name}/", view.as_view(), name=f"api-claim-{name}")
    for name, view in claims.ACTION_VIEWS.items()
]

v1 = [
    path("", ApiRootView.as_view(), name="api-root"),
    path("me/", claims.MeView.as_view(), name="api-me"),
    # articles
    path("articles/", claims.ArticleListView.as_view(), name="api-article-list"),
    path("articles/from-url/", claims.ArticleFromUrlView.as_view(), name="api-article-from-url"),
    path("articles/upload/", claims.ArticleUploadView.as_view(), name="api-article-upload"),
    path("articles/<int:pk>/", claims.ArticleDetailView.as_view(), name="api-article-detail"),
    # claims and their workflow
    path("claims/", claims.ClaimListView.as_view(), name="api-claim-list"),
    path("claims/merge/", claims.ClaimMergeView.as_view(), name="api-claim-merge"),
    path("claims/<int:pk>/", claims.ClaimDetailView.as_view(), name="api-claim-detail"),
    path("claims/<int:pk>/split/", claims.ClaimSplitView.as_view(), name="api-claim-split"),
    path("claims/<int:pk>/history/", claims.ClaimHistoryView.as_view(), name="api-claim-history"),
    path(
        "claims/<int:pk>/verdicts/", claims.ClaimVerdictsView.as_view(), name="api-claim-verdicts"
    ),
    *claim_actions,
    path("verdicts/<int:pk>/", claims.VerdictDetailView.as_view(), name="api-verdict-detail"),
    # what reviewers attach to claims
    path(
        "claims/<int:pk>/annotations/",
        notes.ClaimAnnotationsView.as_view(),
        name="api-claim-annotations",
    ),
    path(
        "annotations/<int:pk>/", notes.AnnotationDetailView.as_view(), name="api-annotation-detail"
    ),
    path("claims/<int:pk>/comments/", notes.ClaimCommentsView.as_view(), name="api-claim-comments"),
    path("claims/<int:pk>/sources/", notes.ClaimSourcesView.as_view(), name="api-claim-sources"),
    path(
        "claim-sources/<int:pk>/",
        notes.ClaimSourceDetailView.as_view(),
        name="api-claim-source-detail",
    ),
    path("sources/", notes.SourceListView.as_view(), name="api-source-list"),
    path("sources/<int:pk>/", notes.SourceDetailView.as_view(), name="api-source-detail"),
    path("claims/<int:pk>/ratings/", notes.ClaimRatingsView.as_view(), name="api-claim-ratings"),
    path("agreement/", notes.AgreementView.as_view(), name="api-agreement"),
    path(
        "agreement/disagreements/",
        notes.DisagreementsView.as_view(),
        name="api-disagreements",
    ),
    # checked before: other organisations' fact-checks, matches, groups of the same claim
    path("factchecks/", checked.FactCheckListView.as_view(), name="api-factcheck-list"),
    path("factchecks/import/", checked.FactCheckImportView.as_view(), name="api-factcheck-import"),
    path(
        "factchecks/<int:pk>/", checked.FactCheckDetailView.as_view(), name="api-factcheck-detail"
    ),
    path("claims/<int:pk>/matches/", checked.ClaimMatchesView.as_view(), name="api-claim-matches"),
    path(
        "claims/<int:pk>/matches/confirm/",
        checked.MatchConfirmView.as_view(),
        name="api-claim-match-confirm",
    ),
    path(
        "claims/<int:pk>/matches/reject/",
        checked.MatchRejectView.as_view(),
        name="api-claim-match-reject",
    ),
    path(
        "match-decisions/<int:pk>/attach/",
        notes.MatchAttachView.as_view(),
        name="api-match-decision-attach",
    ),
    path("claims/<int:pk>/group/", checked.ClaimGroupOfClaimView.as_view(), name="api-claim-group"),
    path("claim-groups/", checked.ClaimGroupListView.as_view(), name="api-claim-group-list"),
    path(
        "claim-groups/<int:pk>/",
        checked.ClaimGroupDetailView.as_view(),
        name="api-claim-group-detail",
    ),
    # reference data
    path("rating-labels/", claims.RatingLabelListView.as_view(), name="api-rating-labels"),
    path(
        "annotation-labels/",
        notes.AnnotationLabelListView.as_view(),
        name="api-annotation-labels",
    ),
    # the public feed
    path("published/", public.PublishedListView.as_view(), name="api-published-list"),
    path(
        "published/export.csv",
        public.PublishedExportCSVView.as_view(),
        name="api-published-export-csv",
    ),
    path(
        "published/export.jsonl",
        public.PublishedExportJSONLView.as_view(),
        name="api-published-export-jsonl",
    ),
    path("published/<int:pk>/", public.PublishedDetailView.as_view(), name="api-published-detail"),
]

urlpatterns = [
    path("v1/", include(v1)),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script as a file: the site's CSP forbids inline script.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api-schema", template_name="api/swagger_ui.html"
        ),
        name="api-docs",
    ),
    path("problems/<slug:code>", ProblemTypeView.as_view(), name="api-problem-type"),
    re_path(r"^.*$", ApiNotFoundView.as_view(), name="api-not-found"),
]

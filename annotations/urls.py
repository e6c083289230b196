"""The review desk: dashboard, agreement, reader, claim panel, editor's view and every action."""

from __future__ import annotations

from django.urls import path

from annotations import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("agreement/", views.agreement_page, name="agreement"),
    path("articles/<int:article_id>/", views.article_detail, name="article-detail"),
    path("articles/<int:article_id>/claims/add/", views.claim_add, name="claim-add"),
    path("articles/<int:article_id>/claims/promote/", views.claim_promote, name="claim-promote"),
    path("claims/<int:claim_id>/", views.claim_detail, name="claim-detail"),
    path("claims/<int:claim_id>/review/", views.claim_review, name="claim-review"),
    path(
        "claims/<int:claim_id>/sources/<int:use_id>/remove/",
        views.source_remove,
        name="claim-source-remove",
    ),
    path(
        "claims/<int:claim_id>/annotations/<int:annotation_id>/edit/",
        views.annotation_edit,
        name="annotation-edit",
    ),
    path(
        "claims/<int:claim_id>/matches/<slug:verb>/",
        views.match_decide,
        name="claim-match-decide",
    ),
    path(
        "claims/<int:claim_id>/matches/<int:decision_id>/attach/",
        views.match_attach,
        name="claim-match-attach",
    ),
    path("claims/<int:claim_id>/group/add/", views.claim_group, name="claim-group"),
    path("claims/<int:claim_id>/group/remove/", views.claim_ungroup, name="claim-ungroup"),
    path("claims/<int:claim_id>/<slug:action>/", views.claim_action, name="claim-action"),
]

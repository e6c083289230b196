"""Pages about articles and claims, the public ratings, and signing in and out."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from claims import views

urlpatterns = [
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("articles/", views.article_list, name="article-list"),
    path("articles/import/", views.article_import, name="article-import"),
    path("articles/<int:article_id>/status/", views.article_status, name="article-status"),
    path("articles/<int:article_id>/figures/", views.contested, name="article-figures"),
    path("figures/", views.contested, name="contested-figures"),
    path("search/", views.search, name="search"),
    path("factchecks/import/", views.factcheck_import, name="factcheck-import"),
    path("ratings/", views.public_list, name="public-ratings"),
    path("ratings/<int:claim_id>/", views.public_detail, name="public-rating"),
]

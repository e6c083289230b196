"""Root URLs: the admin, the API (workbench and public), the web workbench and public pages."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("workbench.api_urls")),
    path("accounts/", include("workbench.account_urls")),
    path("", include("annotations.urls")),
    path("", include("claims.urls")),
]

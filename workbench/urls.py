"""Root URLs: the admin, the API (workbench and public), the web workbench and public pages."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from workbench.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/", include("workbench.api_urls")),
    path("accounts/", include("workbench.account_urls")),
    path("", include("annotations.urls")),
    path("", include("claims.urls")),
]

"""Who may call the API at all; what they may then see or do is the predicates' business."""

from __future__ import annotations

from typing import Any

from rest_framework import exceptions
from rest_framework.permissions import BasePermission

from claims import permissions


class WorkbenchAccess(BasePermission):
    """Signed in (session or token). What the user may then see or do is decided by the
    predicates, through the selectors (404 for what they may not see) and the services."""

    def has_permission(self, request: Any, view: Any) -> bool:
        return bool(request.user and request.user.is_authenticated)


def require(decision: permissions.Decision) -> None:
    """A refused predicate is a 403 that says why."""
    if not decision:
        raise exceptions.PermissionDenied(decision.reason)


def require_workbench(user: Any) -> None:
    require(permissions.can_view_workbench(user))

"""The ways a workflow operation can be refused, each with a message a person can read.

Views and the API map them to responses: ``Conflict`` to 409; Django's ``PermissionDenied``
to 403 and ``ValidationError`` to 400 are used as they are.
"""

from __future__ import annotations


class Conflict(Exception):
    """The change cannot be made in the object's current state (HTTP 409)."""

    code = "conflict"

    def __init__(self, message: str, *, current_version: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.current_version = current_version


class StaleVersion(Conflict):
    """The change was based on an older version of the object: someone else changed it."""

    code = "stale_version"


class TransitionNotAllowed(Conflict):
    """The workflow does not allow this move from the claim's current status."""

    code = "transition_not_allowed"

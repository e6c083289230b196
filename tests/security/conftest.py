"""The API's persona clients, shared with tests/api."""

from __future__ import annotations

from tests.api.conftest import (  # noqa: F401  (fixtures)
    _fresh_throttle_counts,
    anon_api,
    client_for,
    editor_api,
    reviewer_api,
    second_editor_api,
    second_reviewer_api,
)

"""``/healthz``: is this instance able to serve? Polled by load balancers and orchestrators.

No authentication, no session, no template: it must answer fast and tell one thing, whether
the database is reachable. Exempt from the HTTPS redirect (SECURE_REDIRECT_EXEMPT) because
load balancers poll over plain HTTP inside the private network.
"""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

log = logging.getLogger(__name__)


@login_not_required
@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        # The reason goes to the log, not to whoever polls: it may name hosts or users.
        log.error("Health check: database unreachable: %s", exc)
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})

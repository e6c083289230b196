"""workbench.settings with psycopg's prepared statements, for ``bench/api.py --prepared`` only.

psycopg prepares a statement it has run five times on a connection (server-side binding), so
PostgreSQL plans it once; bench/api_baseline.py gets that by default. Django turns it off by
default, because PgBouncer in transaction mode (docs/scaling.md) could not keep the prepared
statements of a connection. This measures what the planning costs the API; it is not a
recommendation by itself.
"""

from __future__ import annotations

from workbench.settings import *  # noqa: F403
from workbench.settings import DATABASES

DATABASES["default"]["OPTIONS"] = {
    **DATABASES["default"].get("OPTIONS", {}),
    "server_side_binding": True,
    "prepare_threshold": 5,
}

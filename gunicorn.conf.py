"""gunicorn settings, read from the environment: ``gunicorn workbench.wsgi``.

WEB_CONCURRENCY  worker processes (default: 2 x CPU cores + 1, at most 8)
PORT             port to listen on, all interfaces (default 8000); BIND overrides both
GUNICORN_TIMEOUT seconds a request may take before its worker is replaced (default 60)
FORWARDED_ALLOW_IPS  proxies whose X-Forwarded-* headers are trusted (default 127.0.0.1)
"""

from __future__ import annotations

import multiprocessing
import os

wsgi_app = "workbench.wsgi:application"

bind = os.environ.get("BIND") or f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY") or min(2 * multiprocessing.cpu_count() + 1, 8))
# Threads let a worker overlap database waits; every view is thread-safe (no module state).
threads = int(os.environ.get("GUNICORN_THREADS", "2"))

# Extraction of a long article runs in the request with the immediate task backend; give it
# time, but never let a stuck worker hold a slot for ever.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))

# Replace workers now and then so that a slow leak cannot grow without bound; the jitter
# keeps them from all restarting at once.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "200"))

# Logs to stdout/stderr, where the platform collects them.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%({x-forwarded-for}i)s %(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'

# Only the reverse proxy in front may say which scheme and client a request came from
# (Django trusts X-Forwarded-Proto only with WORKBENCH_BEHIND_PROXY=1).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# Bounds on what a client may send before Django sees it.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190

# Load the application once in the master so workers fork with it (faster start, shared
# memory); Django opens database connections lazily, after the fork.
preload_app = True
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

"""Settings for the claim workbench, read from the environment.

One file, as healthchecks does it: every value a deployment changes comes from an
environment variable; SQLite is used unless DATABASE_URL names another database.
"""

from __future__ import annotations

import importlib.util
import os
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    # Only ever used on a developer's machine: DEBUG is on and no key was given.
    SECRET_KEY = "django-insecure-development-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "knox",
    "django_htmx",
    "django_tasks_db",
    "axes",
    "claims",
    "annotations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, so that it turns a refused sign-in into the lockout page (see AXES_ below).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "workbench.urls"
WSGI_APPLICATION = "workbench.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# SQLite next to the code unless DATABASE_URL says otherwise (PostgreSQL in CI and production).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the dev server and a db_worker share the file.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # A file, not shared-cache memory, so that tests with real concurrent transactions see
    # SQLite's normal locking (writers wait for each other) instead of "table is locked".
    # One file per test process, so that concurrent test runs never share it.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"workbench-test-{os.getpid()}.sqlite3")
    }
elif env_bool("DATABASE_PREPARED_STATEMENTS", True):
    # PostgreSQL: bind parameters on the server, so that psycopg prepares a statement it has
    # run five times on a connection and PostgreSQL plans it once (it pays with persistent
    # connections, DATABASE_CONN_MAX_AGE > 0). A public rating: 897 to 1,463 requests a second
    # (bench/RESULTS.md). Set DATABASE_PREPARED_STATEMENTS=0 behind a pooler in transaction
    # mode that cannot keep prepared statements (PgBouncer before 1.21, or without
    # max_prepared_statements).
    DATABASES["default"]["OPTIONS"] = {
        **DATABASES["default"].get("OPTIONS", {}),
        "server_side_binding": True,
        "prepare_threshold": 5,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and sessions: what several app servers must share ---------------------------------
# An app server keeps nothing of its own: sessions live in the database (or a shared cache), and
# the cache, which DRF's throttles count requests in, is selected by a URL (docs/scaling.md).
# The default, this process's memory, is right for one process (runserver, tests); with several
# gunicorn workers or machines each would count its own throttle and keep its own copies.

CACHE_URL_SCHEMES = {
    "locmem": "django.core.cache.backends.locmem.LocMemCache",
    "db": "django.core.cache.backends.db.DatabaseCache",
    "redis": "django.core.cache.backends.redis.RedisCache",
    "rediss": "django.core.cache.backends.redis.RedisCache",
    "dummy": "django.core.cache.backends.dummy.DummyCache",
}


def cache_from_url(url: str, *, key_prefix: str = "workbench") -> dict[str, object]:
    """A CACHES entry from a URL.

    ``locmem://`` this process only; ``db://<table>`` a table in the database (create it once
    with ``manage.py createcachetable``); ``redis://host:6379/0`` or ``rediss://...`` Redis
    (needs the ``redis`` package); ``dummy://`` no caching.
    """
    scheme, sep, rest = url.strip().partition("://")
    if not sep or scheme not in CACHE_URL_SCHEMES:
        raise ImproperlyConfigured(
            f"Cache URL {url!r} is not one of {', '.join(s + '://' for s in CACHE_URL_SCHEMES)}."
        )
    cache: dict[str, object] = {"BACKEND": CACHE_URL_SCHEMES[scheme], "KEY_PREFIX": key_prefix}
    if scheme == "db":
        table = rest.strip("/")
        if not table.replace("_", "").isalnum():
            raise ImproperlyConfigured(
                f"db:// needs a table name, e.g. db://workbench_cache (not {url!r})."
            )
        cache["LOCATION"] = table
    elif scheme in ("redis", "rediss"):
        if importlib.util.find_spec("redis") is None:
            # Otherwise the first request that touches the cache fails instead of the start.
            raise ImproperlyConfigured(
                f"{url!r} needs the redis package, which is not installed (make env installs it)."
            )
        cache["LOCATION"] = url.strip()
    elif scheme == "locmem":
        cache["LOCATION"] = rest or "workbench"
    return cache


SESSION_ENGINES = {
    "db": "django.contrib.sessions.backends.db",
    "cache": "django.contrib.sessions.backends.cache",
    "cached_db": "django.contrib.sessions.backends.cached_db",
}


def session_engine(name: str, cache: dict[str, object], *, debug: bool) -> str:
    """The session backend for a name; sessions in a cache only one process sees would sign
    people out (or, with cached_db, keep them signed in after signing out) depending on which
    process answers, so production refuses that."""
    if name not in SESSION_ENGINES:
        raise ImproperlyConfigured(
            f"WORKBENCH_SESSION_ENGINE {name!r} is not one of {', '.join(SESSION_ENGINES)}."
        )
    per_process = cache["BACKEND"] in (CACHE_URL_SCHEMES["locmem"], CACHE_URL_SCHEMES["dummy"])
    if name != "db" and per_process and not debug:
        raise ImproperlyConfigured(
            f"WORKBENCH_SESSION_ENGINE={name} keeps sessions in the cache, but the cache is not "
            "shared between processes; set WORKBENCH_CACHE_URL to db://... or redis://...."
        )
    return SESSION_ENGINES[name]


CACHES = {
    "default": cache_from_url(
        os.environ.get("WORKBENCH_CACHE_URL") or os.environ.get("REDIS_URL") or "locmem://",
        key_prefix=os.environ.get("WORKBENCH_CACHE_KEY_PREFIX", "workbench"),
    )
}
SESSION_ENGINE = session_engine(
    os.environ.get("WORKBENCH_SESSION_ENGINE", "db"), CACHES["default"], debug=DEBUG
)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"] if (BASE_DIR / "static").is_dir() else []
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Security -------------------------------------------------------------------------------
# Production (DEBUG off) gets HTTPS-only cookies, redirects and HSTS by default, so that
# `manage.py check --deploy --fail-level WARNING` passes; each can be changed from the
# environment for a deployment that terminates TLS elsewhere.

# Behind a reverse proxy that terminates TLS, Django sees plain HTTP; it may trust the proxy's
# X-Forwarded-Proto only when the proxy always sets it (and strips a client's own).
if env_bool("WORKBENCH_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("WORKBENCH_SSL_REDIRECT", not DEBUG)
# A load balancer polls the health check over plain HTTP inside the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("WORKBENCH_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("WORKBENCH_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("WORKBENCH_HSTS_PRELOAD", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("WORKBENCH_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Links to sources must not tell the sites a fact-checker visits which claim they work on.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content-Security-Policy, in development too so that a violation shows up before production.
# No inline script at all: every script is a file served by the project (no CDN), so markup
# that slips past escaping in article text, claims or comments still cannot run. Stylesheets
# likewise come only from files (no <style> elements); style="" attributes are allowed, for
# the colours of rating labels, which are data an admin sets, and computed bar widths. An
# attribute holds no selectors, so it cannot read the page, and url() in it can only load
# from this site (img-src, font-src). data: images are for icons Swagger UI draws inline.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "style-src-attr": [CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Sign-in lockout (django-axes). An account is locked after AXES_FAILURE_LIMIT wrong passwords
# in a row, from wherever they come, for AXES_COOLOFF_TIME; a successful sign-in resets the
# count, and an admin can unlock it earlier (admin → Axes → Access attempts → delete).
# Locking by username rather than by address: a newsroom's staff often share one office or VPN
# address, and one person's typos must not lock out everyone behind it. Password spraying from
# one address across many accounts is a job for the proxy's rate limits.
AUTHENTICATION_BACKENDS = [
    "workbench.lockout.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("WORKBENCH_SIGNIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("WORKBENCH_SIGNIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes warns when the address is not a lockout parameter, because locking by user agent or
# cookie alone can be dodged; a username cannot be rotated to get more tries at one account.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "workbench.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "workbench.lockout.client_ip"
# Successful sign-ins are in the admin's log too; failures are always recorded.
AXES_DISABLE_ACCESS_LOG = env_bool("WORKBENCH_SIGNIN_DISABLE_ACCESS_LOG", False)
AXES_VERBOSE = False

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# Uploads: articles are text; anything bigger than this is refused with a clear error.
ARTICLE_MAX_BYTES = env_int("WORKBENCH_ARTICLE_MAX_BYTES", 6 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = ARTICLE_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = ARTICLE_MAX_BYTES + 1024 * 1024
ARTICLE_FETCH_TIMEOUT = env_int("WORKBENCH_ARTICLE_FETCH_TIMEOUT", 15)
# Fetching pages on private or loopback addresses is refused (server-side request forgery)
# unless a deployment that imports from an intranet turns it on.
ARTICLE_FETCH_ALLOW_PRIVATE = env_bool("WORKBENCH_ARTICLE_FETCH_ALLOW_PRIVATE", False)

# Background work: Django's tasks framework. Immediate unless told to use the database queue,
# which a `manage.py db_worker` process then drains.
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "WORKBENCH_TASKS_BACKEND", "django.tasks.backends.immediate.ImmediateBackend"
        ),
        "QUEUES": ["default"],
    }
}


def env_rate(name: str, default: str) -> str | None:
    """A throttle rate such as "100/min"; "off" (or "none") turns that throttle off."""
    value = os.environ.get(name, default).strip()
    return None if value.lower() in {"", "off", "none"} else value


REST_FRAMEWORK = {
    # Token first: its WWW-Authenticate header turns "not signed in" into a 401, not a 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["workbench.api.permissions.WorkbenchAccess"],
    "DEFAULT_RENDERER_CLASSES": ["workbench.api.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "workbench.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "workbench.api.schema.ProblemAutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "workbench.api.pagination.PagePagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "workbench.api.problems.problem_exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "workbench.api.throttling.AnonymousThrottle",
        "workbench.api.throttling.TokenThrottle",
    ],
    # Anonymous clients are counted per IP address; signed-in clients per token (or per
    # user for the web UI's session).
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_rate("WORKBENCH_API_ANON_RATE", "120/min"),
        "token": env_rate("WORKBENCH_API_TOKEN_RATE", "1200/min"),
    },
    # Behind a reverse proxy, how many X-Forwarded-For hops to trust for the client's address.
    "NUM_PROXIES": env_int("WORKBENCH_NUM_PROXIES", 0) or None,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

# Personal API tokens (django-rest-knox): only a digest is stored; "Authorization: Token <key>".
# No expiry unless WORKBENCH_API_TOKEN_TTL_DAYS says otherwise.
REST_KNOX = {
    "AUTH_HEADER_PREFIX": "Token",
    "TOKEN_TTL": (
        timedelta(days=env_int("WORKBENCH_API_TOKEN_TTL_DAYS", 0))
        if env_int("WORKBENCH_API_TOKEN_TTL_DAYS", 0) > 0
        else None
    ),
    "TOKEN_LIMIT_PER_USER": None,
    "AUTO_REFRESH": False,
}

# What a CDN may do with the public feed: cache for max_age (browsers) / s_maxage (shared).
PUBLIC_API_CACHE_MAX_AGE = env_int("WORKBENCH_PUBLIC_API_MAX_AGE", 60)
PUBLIC_API_CACHE_S_MAXAGE = env_int("WORKBENCH_PUBLIC_API_S_MAXAGE", 300)
# Seconds to keep a rendered public feed page or rating in the cache (CACHES["default"]),
# under its ETag, so that the next request for it costs the validators' queries and one cache
# read; 0 (the default) builds every response. A new publication, correction or retraction,
# a renamed label or changed organisation settings change the ETag and so are never served
# stale; what the ETag does not cover (an article's title, a source's details) can be this
# old, as behind a CDN with s-maxage.
PUBLIC_API_RESPONSE_CACHE_SECONDS = env_int("WORKBENCH_PUBLIC_API_RESPONSE_CACHE", 0)

SPECTACULAR_SETTINGS = {
    "TITLE": "Claim workbench API",
    "DESCRIPTION": """\
Everything a reviewer or editor does in the web workbench, for the newsroom's scripts and
tools, under the same rules; and the public ratings feed for partner platforms.

**Authentication.** The web UI's session, or a personal token sent as
`Authorization: Token <key>` (create one on your account's *API tokens* page or with
`manage.py create_api_token USERNAME`). The public endpoints (`/api/v1/published/…`) need
none and ignore credentials.

**Errors** are RFC 9457 problem details (`application/problem+json`) with `type`, `title`,
`status`, `detail`, `instance` and a short `code`: `validation-error` (400, with `errors`
listing the messages for each field), `not-authenticated` / `authentication-failed` (401),
`permission-denied` (403, `detail` says why), `not-found` (404: also what you may not see),
`gone` (410: a retracted rating), `stale-version` (409, with `current_version`) and
`transition-not-allowed` (409), `throttled` (429, see `Retry-After`). A refused request
changes nothing.

**Concurrency.** Claims, verdicts, annotations and ratings carry a `version`. Send the one
you loaded when you change them; if someone changed the object since, the answer is a 409
with `current_version` and nothing is changed.

**Workflow.** `POST /api/v1/claims/{id}/{action}/` for assign, unassign, propose, approve,
request-changes, publish, correct, retract, dismiss and reopen. A claim's detail lists the
actions its status allows and whether you may take each (and why not).

**Public feed.** Only current published versions of published or corrected ratings; the id
is the claim's and stays the same across corrections. A retracted rating leaves the feed and
its detail answers 410 without its text. Responses carry `ETag`, `Last-Modified` and a
`Cache-Control` a CDN may honour, and answer `If-None-Match`/`If-Modified-Since` with 304.
Exports (CSV, JSON Lines) add each rating's AVeriTeC label.

**Throttling.** Anonymous clients per IP address, signed-in clients per token (rates in
`WORKBENCH_API_ANON_RATE` and `WORKBENCH_API_TOKEN_RATE`).
""",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "ClaimStatusEnum": "claims.models.ClaimStatus",
        "ClaimTypeEnum": "claims.models.ClaimType",
        "VerdictStateEnum": "claims.models.Verdict.State",
        "SourceKindEnum": "annotations.models.Source.Kind",
        "StanceEnum": "annotations.models.ClaimSource.Stance",
        "AveritecEnum": "claims.models.RatingLabel.Averitec",
        "HistoryActionEnum": "claims.models.ClaimHistory.Action",
        "ArticleFormatEnum": "claims.models.Article.Format",
        "ExtractionStatusEnum": "claims.models.Article.Extraction",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    # Every task's start and end is logged at INFO: too chatty for a terminal.
    "loggers": {"django.tasks": {"level": "WARNING"}},
}

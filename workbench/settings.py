"""Settings for the claim workbench, read from the environment.

One file, as healthchecks does it: every value a deployment changes comes from an
environment variable; SQLite is used unless DATABASE_URL names another database.
"""

from __future__ import annotations

import os
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

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
    "claims",
    "annotations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
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
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
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

SPECTACULAR_SETTINGS = {
    "TITLE": "Claim workbench API",
    "DESCRIPTION": (
        "Workbench operations for newsroom tools (sign in, or send a personal token as "
        "`Authorization: Token <key>`) and the public ratings feed with schema.org "
        "ClaimReview (no authentication). Errors are RFC 9457 problem details "
        "(`application/problem+json`)."
    ),
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

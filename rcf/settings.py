"""Settings of the platform, all read from the environment in this one module.

Every value has a typed reader that refuses a bad value loudly: a typo in a deployment must
stop the process at start, not change its behaviour silently. Nothing exists only in
production; ``RCF_ENV=production`` only makes the missing secrets fatal and turns on the
HTTPS-only protections.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {raw!r}") from None


RATE_PERIODS = {"s": 1, "min": 60, "h": 3600, "d": 86400}


def env_rate(name: str, default: str) -> tuple[int, int] | None:
    """A rate limit written ``COUNT/PERIOD`` (period ``s``, ``min``, ``h`` or ``d``, e.g.
    ``60/min``) as (count, seconds), or None for ``off``."""
    raw = os.environ.get(name) or default
    if raw.strip().lower() == "off":
        return None
    match = re.fullmatch(r"\s*([0-9]+)\s*/\s*(s|min|h|d)\s*", raw)
    if match is None or int(match[1]) < 1:
        raise ImproperlyConfigured(
            f"{name} must be COUNT/PERIOD (period s, min, h or d, e.g. 60/min) or off, not {raw!r}"
        )
    return int(match[1]), RATE_PERIODS[match[2]]


def env_json_object(name: str, default: dict[str, Any]) -> dict[str, Any]:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = json.loads(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a JSON object: {exc}") from None
    if not isinstance(value, dict):
        raise ImproperlyConfigured(f"{name} must be a JSON object, not {raw!r}")
    return value


RCF_ENV = env_str("RCF_ENV", "development")
if RCF_ENV not in {"development", "production"}:
    raise ImproperlyConfigured(f"RCF_ENV must be 'development' or 'production', not {RCF_ENV!r}")
PRODUCTION = RCF_ENV == "production"

RCF_DATA_DIR = Path(env_str("RCF_DATA_DIR", "var")).resolve()
# The SQLite file, uploads and signing keys live here; creating it is what a first run expects.
RCF_DATA_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = env_str("RCF_SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("RCF_SECRET_KEY is required when RCF_ENV=production")
    # Development only: a fixed key, so sessions survive restarts of `rcf demo`.
    SECRET_KEY = "rcf-development-only-not-a-secret-" + "x" * 20

RCF_BASE_URL = env_str("RCF_BASE_URL").rstrip("/")
if not RCF_BASE_URL:
    if PRODUCTION:
        raise ImproperlyConfigured("RCF_BASE_URL is required when RCF_ENV=production")
    RCF_BASE_URL = "http://127.0.0.1:8000"

DEBUG = env_bool("RCF_DEBUG", default=not PRODUCTION)

_allowed = env_str("RCF_ALLOWED_HOSTS")
if _allowed:
    ALLOWED_HOSTS = [h.strip() for h in _allowed.split(",") if h.strip()]
else:
    from urllib.parse import urlsplit

    ALLOWED_HOSTS = [urlsplit(RCF_BASE_URL).hostname or "127.0.0.1"]
    if not PRODUCTION:
        ALLOWED_HOSTS += ["127.0.0.1", "localhost", "testserver", "[::1]"]

RCF_SIGNING_KEY_FILE = Path(
    env_str("RCF_SIGNING_KEY_FILE", str(RCF_DATA_DIR / "signing-keys.json"))
)
RCF_UPLOAD_DIR = RCF_DATA_DIR / "uploads"
# Behind a reverse proxy: the request header holding the client address (the proxy appends
# it), e.g. HTTP_X_FORWARDED_FOR; used by the login throttle. Empty: REMOTE_ADDR.
RCF_CLIENT_IP_HEADER = env_str("RCF_CLIENT_IP_HEADER")
RCF_UPLOAD_MAX_BYTES = env_int("RCF_UPLOAD_MAX_BYTES", 20 * 1024 * 1024)
# The largest request body accepted, uploads included (413 past it, before reading it). The
# reverse proxy's client_max_body_size should say the same (deploy/nginx/rcf-proxy.conf).
RCF_REQUEST_MAX_BYTES = env_int("RCF_REQUEST_MAX_BYTES", 100 * 1024 * 1024)
# Requests per client address (RCF_CLIENT_IP_HEADER), counted in the database so that every
# instance shares the counts (rcf/core/ratelimit.py); "off" disables one.
RCF_RATE_LIMITS = {
    "precheck": env_rate("RCF_RATE_LIMIT_PRECHECK", "10/min"),
    "search": env_rate("RCF_RATE_LIMIT_SEARCH", "60/min"),
    "api": env_rate("RCF_RATE_LIMIT_API", "300/min"),
    "report": env_rate("RCF_RATE_LIMIT_REPORT", "5/h"),
}

# Readiness (/readyz, docs/operations.md): the thresholds past which a check fails.
RCF_READY_TICK_MAX_AGE_HOURS = env_int("RCF_READY_TICK_MAX_AGE_HOURS", 26)
RCF_READY_OUTBOX_MAX_AGE_MINUTES = env_int("RCF_READY_OUTBOX_MAX_AGE_MINUTES", 30)
RCF_READY_DISK_MIN_FREE_MB = env_int("RCF_READY_DISK_MIN_FREE_MB", 1024)
for _name in ("RCF_READY_TICK_MAX_AGE_HOURS", "RCF_READY_OUTBOX_MAX_AGE_MINUTES"):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"{_name} must be at least 1")
if RCF_READY_DISK_MIN_FREE_MB < 0:
    raise ImproperlyConfigured("RCF_READY_DISK_MIN_FREE_MB must not be negative")

# Metrics (/metrics, Prometheus text format) are served only to a bearer of this token; unset,
# the address answers 404 like any unknown one, so nothing leaks by default.
RCF_METRICS_TOKEN = env_str("RCF_METRICS_TOKEN")
if RCF_METRICS_TOKEN and len(RCF_METRICS_TOKEN) < 32:
    raise ImproperlyConfigured("RCF_METRICS_TOKEN must be at least 32 characters long")
# Every web worker process writes its request counters here and a scrape adds them up
# (prometheus_client's multiprocess mode), so any worker answers for all of them. The client
# library reads the variable when it is first imported: set it before anything imports it.
RCF_METRICS_DIR = Path(
    env_str("PROMETHEUS_MULTIPROC_DIR") or str(RCF_DATA_DIR / "metrics")
).resolve()
RCF_METRICS_DIR.mkdir(parents=True, exist_ok=True)
os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(RCF_METRICS_DIR)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rcf.core",
    "rcf.operations",
    "rcf.accounts",
    "rcf.journal",
    "rcf.members",
    "rcf.reports",
    "rcf.dsn",
    "rcf.notifications",
    "rcf.certification",
    "rcf.precheck",
    "rcf.credentials",
    "rcf.registry",
    "rcf.observatory",
    "rcf.demo",
    "rcf.front",
]

MIDDLEWARE = [
    # First, so that it times and counts every answer, redirects and errors included.
    "rcf.operations.middleware.RequestMetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "rcf.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Before anything reads the body: a refused request (413, 429) costs no parsing.
    "rcf.core.middleware.RequestLimitsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "rcf.urls"
WSGI_APPLICATION = "rcf.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

_default_db = f"sqlite:///{RCF_DATA_DIR / 'rcf.sqlite3'}"
# Connections are kept between the requests of a worker (a minute at most), checked before
# reuse: opening one costs more than most answers (≈ 1.4 ms for SQLite through Django, against
# 0.1 ms for the query of a certificate; docs/benchmarks.md).
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", _default_db), conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web server and `rcf tick` share the file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Outside the data directory when the reverse proxy serves them (deploy/: /var/cache/rcf).
STATIC_ROOT = Path(env_str("RCF_STATIC_ROOT", str(RCF_DATA_DIR / "static"))).resolve()
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Audit evidence files. Several instances must share it: a directory they all mount, or
    # an object store (django-storages' S3Storage, docs/operations.md).
    "evidence": env_json_object(
        "RCF_STORAGE_EVIDENCE", {"BACKEND": "rcf.core.storage.PrivateFileSystemStorage"}
    ),
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Form fields and non-file bodies (JSON of the API) held in memory; past it, 413.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("RCF_DATA_UPLOAD_MAX_MEMORY_SIZE", 2_621_440)
# Uploads up to this size stay in memory; larger ones go to a file with no name on disk, in a
# private directory, freed by the kernel even if the worker is killed (rcf/core/uploads.py).
FILE_UPLOAD_MAX_MEMORY_SIZE = env_int("RCF_FILE_UPLOAD_MAX_MEMORY_SIZE", 2_621_440)
FILE_UPLOAD_HANDLERS = [
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "rcf.core.uploads.UnlinkedFileUploadHandler",
]
FILE_UPLOAD_TEMP_DIR = str(RCF_DATA_DIR / "tmp")
Path(FILE_UPLOAD_TEMP_DIR).mkdir(mode=0o700, exist_ok=True)
DATA_UPLOAD_MAX_NUMBER_FILES = 60

EMAIL_BACKEND = env_str("RCF_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("RCF_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("RCF_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("RCF_EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("RCF_EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("RCF_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str(
    "RCF_DEFAULT_FROM_EMAIL", "Relation Client France <no-reply@localhost>"
)

SESSION_COOKIE_HTTPONLY = True
# A session ends after a working day without activity (docs/accounts.md), for every role: the
# staff who judge, audit and decide, and the applicants who submit their company's dossier.
# Each request of a logged-in user saves the session and so pushes its end 9 hours on; a
# person at work all day is never logged out mid-task, a browser left open overnight is.
# (An anonymous visitor has an empty session, which Django never saves.)
SESSION_COOKIE_AGE = 9 * 60 * 60
SESSION_SAVE_EVERY_REQUEST = True
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "rcf.front.errors.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("RCF_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("RCF_LOG_LEVEL", "WARNING")},
}

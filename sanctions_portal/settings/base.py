"""Settings shared by every environment.

With no environment variables set the portal runs whole on one machine: SQLite under
var/, a Celery worker fed by Kombu's filesystem transport, mail to the console.
DATABASE_URL and REDIS_URL switch to PostgreSQL and Redis, as production runs.
"""

from __future__ import annotations

import re
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from kombu import Queue

from reports.observability import logging_config

from .env import env_bool, env_crontab, env_email, env_int, env_list, env_storage, env_str, env_time_zone, env_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("PORTAL_VAR_DIR", str(BASE_DIR / "var")))

SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-never-use-in-production-2253")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Demo users and reports are allowed everywhere but production (see production.py).
DEMO_DATA_ALLOWED = True
DEMO_PASSWORD = env_str("DEMO_PASSWORD", "demo-pass-2253")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "axes",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "django_filters",
    "django_tables2",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "reports",
]

MIDDLEWARE = [
    # First: every log line of the request, and the tasks it queues, carry its id.
    "reports.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Pages compressed for delegations on slow links (the matrix is ~1 MB of HTML, ~60 kB
    # gzipped); Django's GZip adds random bytes against BREACH, and CSRF tokens are masked.
    "django.middleware.gzip.GZipMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below WhiteNoise (static files stay cacheable), above the session and CSRF middleware (it
    # sees the cookies they set on the way out).
    "reports.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "reports.middleware.SessionActivityMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "reports.middleware.RejectNulCharactersMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "reports.middleware.MfaRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    # Axes must come last: it inspects the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sanctions_portal.urls"
WSGI_APPLICATION = "sanctions_portal.wsgi.application"

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
                "reports.context_processors.portal",
            ],
        },
    },
]

# Database: PostgreSQL when DATABASE_URL is set, otherwise SQLite under var/.
DATABASE_URL = env_url("DATABASE_URL", schemes=("postgres", "postgresql", "sqlite"))
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60, minimum=0))}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "portal.sqlite3"),
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "reports.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

# django-allauth: accounts are created by the Secretariat, never by sign-up.
ACCOUNT_ADAPTER = "reports.adapters.PortalAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "UN sanctions reporting portal"
MFA_ADAPTER = "reports.adapters.PortalMFAAdapter"
# RFC 6238 allows one step of delay: at a deadline rush a page can take longer than the 30-second
# step between reading the code and sending it. A used code stays refused for all three steps
# (reports.adapters.totp_used_mark_install).
MFA_TOTP_TOLERANCE = 1
# allauth.usersessions: a user sees the devices signed in to the account and can end them.
# Sessions are recorded at sign-in; not tracking every request keeps pages at a fixed query count.
USERSESSIONS_TRACK_ACTIVITY = False

# The client's address behind proxies: how many proxies in front of gunicorn, each appending the
# address it saw to X-Forwarded-For (0: none, the header is ignored; 1: one TLS proxy). ONE setting
# for the audit trail, allauth (per-address limits, sessions list) and axes, all of which ask
# reports.services.audit.client_ip; a header written by the client itself is never believed.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0, maximum=10)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT  # should any allauth code read its own helper
AXES_CLIENT_IP_CALLABLE = "reports.services.audit.client_ip"

# django-axes: lock the pair (user name, address) after repeated failures; an admin unlocks it.
# Not the account alone: whoever knows a signatory's user name could then lock them out on the
# due date. Not the address alone: a whole Permanent Mission often sits behind one address.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = None
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "account/lockout.html"
# Against many addresses, a slower, temporary brake on the account itself (reports.services.security):
# from the LOGIN_THROTTLE_AFTER-th failed password in LOGIN_THROTTLE_WINDOW_SECONDS, from any
# address, the account waits 2**k seconds (k failures past the threshold, at most
# LOGIN_THROTTLE_MAX_SECONDS) between tries, and its owner gets one e-mail per window.
LOGIN_THROTTLE_AFTER = env_int("LOGIN_THROTTLE_AFTER", 10, minimum=1)
LOGIN_THROTTLE_MAX_SECONDS = env_int("LOGIN_THROTTLE_MAX_SECONDS", 15 * 60, minimum=1)
LOGIN_THROTTLE_WINDOW_SECONDS = env_int("LOGIN_THROTTLE_WINDOW_SECONDS", 24 * 3600, minimum=60)
# The account lock is axes' (clear page, admin unlock); allauth keeps only its per-address throttle
# on failed logins, so its own temporary per-account limit does not pre-empt the lockout page.
# Successful sign-ins per address: allauth's default (30 a minute) turns a deadline rush behind one
# shared address (a proxy, a ministry's NAT) into 429s; failed ones keep their tight limit.
LOGIN_RATE_PER_ADDRESS = env_int("LOGIN_RATE_PER_ADDRESS", 600, minimum=1)
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip", "login": f"{LOGIN_RATE_PER_ADDRESS}/m/ip"}
# Nothing silenced: every deployment check is answered in the settings (tests/security/test_hardening.py).
SILENCED_SYSTEM_CHECKS: list[str] = []

SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60, minimum=300)
# An inactivity timeout: the age counts from the last request, give or take SESSION_TOUCH_SECONDS
# (reports.middleware.SessionActivityMiddleware saves the session at most that often).
SESSION_SAVE_EVERY_REQUEST = False
SESSION_TOUCH_SECONDS = env_int("SESSION_TOUCH_SECONDS", 60, minimum=1)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
# A refused form gets the portal's page in the reader's language, not Django's bare one.
CSRF_FAILURE_VIEW = "reports.views.errors.csrf_failure"

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("ar", _("Arabic")),
    ("zh-hans", _("Chinese")),
    ("en", _("English")),
    ("fr", _("French")),
    ("ru", _("Russian")),
    ("es", _("Spanish")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
FORMAT_MODULE_PATH = ["sanctions_portal.formats"]  # dates as each UN language writes them
USE_TZ = True
TIME_ZONE = "UTC"  # UN Headquarters works in New York time, but stored times are UTC.
# Business dates (due, days late, reminders) are days in this zone: see reports/clock.py.
PORTAL_TIME_ZONE = env_time_zone("PORTAL_TIME_ZONE", "America/New_York")

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT: Path | None = None  # production.py collects into staticfiles/; here WhiteNoise serves from the finders
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Uploaded files and generated PDFs live in the "private" store (reports.storage): the folder
# PRIVATE_MEDIA_ROOT, outside the web root, or an S3-protocol bucket from STORAGE_URL (or the
# AWS_* variables) that every web and worker host shares (env.env_storage). Either way nothing has a
# public URL: files leave only through views that ask the access gate first.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private")))
MEDIA_ROOT = PRIVATE_MEDIA_ROOT
MEDIA_URL = None
_private_storage = env_storage(local_root=PRIVATE_MEDIA_ROOT)
STORAGES = {
    "default": _private_storage,
    "private": _private_storage,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# A register posts one page at a time: ~19 fields a row, at most 150 rows
# (reports.forms.registers.PAGE_MAX_FORMS), under 3,000 fields whatever the register's size.
# A request over the limit is answered 413 with a reason (reports.views.common.bad_request).
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024, minimum=1024)

# Caching and Celery: Redis when REDIS_URL is set, otherwise in-process cache and the
# filesystem transport, so a worker runs beside `runserver` with nothing else installed.
# Sessions live in the database (Django's default engine, named here because it matters): a
# Redis outage must not sign anyone out. The cache holds only what may be lost (allauth's
# rate-limit counters), and its backend answers "nothing cached" while Redis is away instead of
# raising (sanctions_portal.cache); see README, "When Redis is away".
SESSION_ENGINE = "django.contrib.sessions.backends.db"
REDIS_URL = env_url("REDIS_URL", schemes=("redis", "rediss"))
# Task time limits (seconds). E-mails and reminders are short; a PDF build has its own limits and
# its own queue ("pdf"), so mail and reminders never wait behind a document.
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 5 * 60, minimum=10)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 5
PDF_JOB_TIME_LIMIT = env_int("PDF_JOB_TIME_LIMIT", 8 * 60, minimum=30)
PDF_JOB_SOFT_TIME_LIMIT = PDF_JOB_TIME_LIMIT - 20
# A worker started without -Q consumes both queues (tests, a single small host); production
# runs one worker per queue (README), so a document never holds up the mail.
CELERY_TASK_QUEUES = (Queue("celery"), Queue("pdf"))
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_ROUTES = {
    "reports.pdf_job_build": {"queue": "pdf"},
    "reports.pdf_compendium_part": {"queue": "pdf"},
}
CELERY_TASK_ANNOTATIONS = {
    name: {"time_limit": PDF_JOB_TIME_LIMIT, "soft_time_limit": PDF_JOB_SOFT_TIME_LIMIT} for name in CELERY_TASK_ROUTES
}
# A message a worker took but did not acknowledge (the worker was killed) goes back to the queue
# after the visibility timeout: a little longer than the longest task may run, so a task still
# running is never handed to a second worker, and a dead worker's task is back within minutes.
CELERY_VISIBILITY_TIMEOUT = env_int("CELERY_VISIBILITY_TIMEOUT", max(CELERY_TASK_TIME_LIMIT, PDF_JOB_TIME_LIMIT) + 60, minimum=60)
if CELERY_VISIBILITY_TIMEOUT <= max(CELERY_TASK_TIME_LIMIT, PDF_JOB_TIME_LIMIT):
    raise ImproperlyConfigured(
        f"CELERY_VISIBILITY_TIMEOUT={CELERY_VISIBILITY_TIMEOUT} must exceed the longest task time limit "
        f"({max(CELERY_TASK_TIME_LIMIT, PDF_JOB_TIME_LIMIT)} s), or a running task is delivered twice."
    )
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "sanctions_portal.cache.TolerantRedisCache",
            "LOCATION": REDIS_URL,
            # A Redis that does not answer costs a page at most this long, not a hung worker.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {
        "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
        "socket_connect_timeout": 2,
    }
    # Only the health check's ping reads a result; whoever does gives up after a few seconds.
    CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"retry_policy": {"timeout": 3.0}}
    CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 2
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = "filesystem://"
    _celery_dir = VAR_DIR / "celery"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_celery_dir / "queue"),
        "data_folder_out": str(_celery_dir / "queue"),
        "control_folder": str(_celery_dir / "control"),
        "store_processed": False,
    }
    CELERY_RESULT_BACKEND = f"file://{_celery_dir / 'results'}"
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
# No task's result is read (but reports.ping's): publishing then never touches the result backend,
# which with Redis down was retried for seconds while the request waited.
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    # Reminders are idempotent per (State, cycle, step): a second run sends nothing.
    "reminders-due-daily": {"task": "reports.reminders_send_due", "schedule": crontab(hour=6, minute=0)},
    "overdue-notices-weekly": {"task": "reports.overdue_notices_send", "schedule": crontab(hour=6, minute=30, day_of_week=1)},
}

# The transactional outbox (reports/services/outbox.py): what the broker did not take when a
# request committed is handed to it again by this sweep, once it is this many seconds old.
OUTBOX_RESEND_AFTER_SECONDS = env_int("OUTBOX_RESEND_AFTER_SECONDS", 60, minimum=5)
CELERY_BEAT_SCHEDULE["outbox-sweep"] = {
    "task": "reports.outbox_sweep",
    "schedule": float(env_int("OUTBOX_SWEEP_SECONDS", 30, minimum=5)),
}
# The banner "background work is delayed" reads the broker's health at most this often per process.
BROKER_HEALTH_CACHE_SECONDS = env_int("BROKER_HEALTH_CACHE_SECONDS", 10, minimum=1)

# Council PDFs (reports/services/pdf_jobs.py, pdf_compendium.py, pdf_schedule.py): heartbeat, stale-job sweep, compendium fan-out, and
# the summaries of open cycles built ahead of the Council's briefings (a cron line, or "off").
PDF_JOB_HEARTBEAT_SECONDS = env_int("PDF_JOB_HEARTBEAT_SECONDS", 10, minimum=1)
PDF_JOB_STALE_SECONDS = env_int("PDF_JOB_STALE_SECONDS", 120, minimum=5)
PDF_JOB_MAX_ATTEMPTS = env_int("PDF_JOB_MAX_ATTEMPTS", 3, minimum=1)
PDF_JOB_QUEUED_TIMEOUT_SECONDS = env_int("PDF_JOB_QUEUED_TIMEOUT_SECONDS", 6 * 3600, minimum=60)
PDF_COMPENDIUM_CHUNK_SIZE = env_int("PDF_COMPENDIUM_CHUNK_SIZE", 8, minimum=1, maximum=193)
PDF_BRIEFING_GRACE_DAYS = env_int("PDF_BRIEFING_GRACE_DAYS", 90, minimum=0)
CELERY_BEAT_SCHEDULE["pdf-jobs-sweep-stale"] = {
    "task": "reports.pdf_jobs_sweep_stale",
    "schedule": float(env_int("PDF_JOB_SWEEP_SECONDS", 60, minimum=5)),
}
# Compendium parts (reports/services/pdf_parts.py) not written for this many days are deleted
# nightly; one still wanted is rendered again, so a document never changes by it.
PDF_PARTS_KEEP_DAYS = env_int("PDF_PARTS_KEEP_DAYS", 30, minimum=1)

# Screening named parties against the Sanctions List (docs/screening.md): a pair scoring this
# much (0-100) becomes a candidate match for the Monitoring Team to confirm or dismiss.
SCREENING_THRESHOLD = env_int("SCREENING_THRESHOLD", 85, minimum=50, maximum=100)
CELERY_BEAT_SCHEDULE["pdf-parts-prune"] = {"task": "reports.pdf_parts_prune", "schedule": crontab(hour=4, minute=15)}
_pdf_briefing_cron = env_crontab("PDF_BRIEFING_SCHEDULE", "0 6 * * 1-5")  # weekdays 06:00 UTC, before New York's morning
if _pdf_briefing_cron:
    CELERY_BEAT_SCHEDULE["pdf-briefing-summaries"] = {
        "task": "reports.pdf_briefing_summaries",
        "schedule": crontab(**_pdf_briefing_cron),
    }

# The ISIL (Da'esh) & Al-Qaida Sanctions List (reports/services/sanctions_import.py): the largest file
# an import takes, and the address the daily fetch reads. Unset (the default), nothing is fetched:
# the portal never needs the internet; the Secretariat uploads the file or runs the command.
SANCTIONS_LIST_MAX_BYTES = env_int("SANCTIONS_LIST_MAX_BYTES", 50 * 1024 * 1024, minimum=1024)
SANCTIONS_LIST_FETCH_TIMEOUT = env_int("SANCTIONS_LIST_FETCH_TIMEOUT", 60, minimum=1, maximum=600)
SANCTIONS_LIST_URL = env_url("SANCTIONS_LIST_URL", schemes=("http", "https"))
_sanctions_fetch_cron = env_crontab("SANCTIONS_LIST_FETCH_SCHEDULE", "30 5 * * *")  # daily, 05:30 UTC
if SANCTIONS_LIST_URL and _sanctions_fetch_cron:
    CELERY_BEAT_SCHEDULE["sanctions-list-fetch"] = {
        "task": "reports.sanctions_list_fetch",
        "schedule": crontab(**_sanctions_fetch_cron),
    }

# Outgoing mail: EMAIL_URL (smtp+tls://user:password@relay:587) or EMAIL_HOST, EMAIL_PORT,
# EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS / EMAIL_USE_SSL; a malformed value stops the
# process (env.env_email). With none of them, mail goes to the console.
_email = env_email()
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if _email["configured"] else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST: str = _email["EMAIL_HOST"]
EMAIL_PORT: int = _email["EMAIL_PORT"]
EMAIL_HOST_USER: str = _email["EMAIL_HOST_USER"]
EMAIL_HOST_PASSWORD: str = _email["EMAIL_HOST_PASSWORD"]
EMAIL_USE_TLS: bool = _email["EMAIL_USE_TLS"]
EMAIL_USE_SSL: bool = _email["EMAIL_USE_SSL"]
EMAIL_TIMEOUT: int = _email["EMAIL_TIMEOUT"]
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "sanctions-reporting@un.example")
PORTAL_BASE_URL = env_str("PORTAL_BASE_URL", "http://127.0.0.1:8000")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5.html"

# Content-Security-Policy (django-csp 4): nothing inline, nothing from outside.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Logs: one line per event with the request id; LOG_FORMAT=json for JSON lines (production's
# default), "plain" for people (development's). reports.observability holds the formatter.
LOG_FORMAT = env_str("LOG_FORMAT", "plain")
LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
LOGGING = logging_config(fmt=LOG_FORMAT, level=LOG_LEVEL)

# The machine API (/api/v1/, docs/api.md): personal tokens only (Authorization: Bearer), no session,
# so no CSRF to reason about; errors as RFC 9457 problem+json; each token limited to API_TOKEN_RATE
# requests (a count per token in the cache: "600/min", "10000/hour"); a token lasts at most
# API_TOKEN_MAX_DAYS.
API_TOKEN_RATE = env_str("API_TOKEN_RATE", "600/min")
if not re.fullmatch(r"[1-9][0-9]*/(s|sec|second|m|min|minute|h|hour|d|day)", API_TOKEN_RATE):
    raise ImproperlyConfigured(f"API_TOKEN_RATE={API_TOKEN_RATE!r}: write it as a count per period, e.g. 600/min")
API_TOKEN_MAX_DAYS = env_int("API_TOKEN_MAX_DAYS", 365, minimum=1, maximum=3650)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["reports.api.auth.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["reports.api.permissions.TokenRequired"],
    "DEFAULT_THROTTLE_CLASSES": ["reports.api.auth.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api_token": API_TOKEN_RATE},
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer", "reports.api.problems.ProblemJSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "reports.api.problems.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ISIL (Da'esh) and Al-Qaida sanctions reporting portal API",
    "DESCRIPTION": (
        "The machine API of the implementation reporting portal. Authenticate with a personal token "
        "(`Authorization: Bearer sp_...`), made on the account page; it acts as its user, with that "
        "user's role and State. A delegation reads its State's obligations, cycles, reports, versions and "
        "attachments, starts its report for a cycle and writes its open draft's checklist and registers "
        "(a token with the read_write_draft scope). "
        "**The API cannot submit a report**: a signatory submits in the browser, with a second factor. "
        "The Secretariat and the Monitoring Team read reporting status, the implementation matrix, named "
        "parties and inconsistencies. Errors are RFC 9457 problem+json; send Accept-Language (ar, zh-hans, "
        "en, fr, ru, es) for labels and messages in that language."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
}

# /metrics (Prometheus text format): back-office users, or a scraper sending
# "Authorization: Bearer <METRICS_TOKEN>". Without a token set, only signed-in back office.
METRICS_TOKEN = env_str("METRICS_TOKEN", "")

# Draft workbooks (docs/workbook.md): the largest upload, what its zip may unpack to, how tightly
# a member may be packed, and how long a dry run waits for its confirmation.
WORKBOOK_MAX_BYTES = env_int("WORKBOOK_MAX_BYTES", 20 * 1024 * 1024, minimum=1024)
WORKBOOK_MAX_UNPACKED_BYTES = env_int("WORKBOOK_MAX_UNPACKED_BYTES", 200 * 1024 * 1024, minimum=1024 * 1024)
WORKBOOK_MAX_RATIO = env_int("WORKBOOK_MAX_RATIO", 200, minimum=10)
WORKBOOK_DRY_RUN_SECONDS = env_int("WORKBOOK_DRY_RUN_SECONDS", 3600, minimum=60)
# Issue 12: days a State has to agree with or comment on a shared assessment (1540 pattern).
ASSESSMENT_RESPONSE_DAYS = env_int("ASSESSMENT_RESPONSE_DAYS", 30, minimum=1, maximum=365)

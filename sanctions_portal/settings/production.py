"""Production: every secret from the environment, HTTPS everywhere, no demo data."""

from __future__ import annotations

from reports.observability import logging_config

from .base import *  # noqa: F403
from .base import BASE_DIR, LOG_LEVEL, STORAGES
from .env import env_bool, env_int, env_str

SECRET_KEY = env_str("SECRET_KEY")  # no default: refuse to start without one
DEBUG = False
DEMO_DATA_ALLOWED = False

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_HTTPONLY = True  # the language is switched by a form post, never by script
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
STATIC_ROOT = BASE_DIR / "staticfiles"
WHITENOISE_USE_FINDERS = False
WHITENOISE_AUTOREFRESH = False
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}

# JSON lines for the log collector unless LOG_FORMAT says otherwise.
LOG_FORMAT = env_str("LOG_FORMAT", "json")
LOGGING = logging_config(fmt=LOG_FORMAT, level=LOG_LEVEL)

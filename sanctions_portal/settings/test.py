"""Tests: fast hashing, mail kept in memory, tasks run eagerly unless a test starts a worker."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403

SECRET_KEY = "test-secret-key-not-for-anything-else"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
PRIVATE_MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="portal-test-media-"))
MEDIA_ROOT = PRIVATE_MEDIA_ROOT
_local_storage = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
}
# Tests use a fresh folder whatever the environment says; tests/storage/ point the store at a
# local S3-protocol server (moto) themselves.
STORAGES = {
    "default": _local_storage,
    "private": _local_storage,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
AXES_ENABLED = os.environ.get("AXES_ENABLED_IN_TESTS", "1") == "1"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}

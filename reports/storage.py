"""The private file store: attachments, Council PDFs and the compendium's parts.

Everything the portal writes goes through ``private_storage`` (Django's storage named "private"
in STORAGES): the local folder PRIVATE_MEDIA_ROOT by default, an S3-protocol bucket when
STORAGE_URL is set (sanctions_portal/settings/env.py, env_storage). Code reads and writes bytes
through it and never asks for a local path, so a worker on another host, with another disk or
none, reads what its peer wrote. Nothing in it has a public URL: files leave only through the
download views, after the access gate (reports/selectors/access.py), streamed by the portal.
"""

from __future__ import annotations

from typing import Any

from django.core.files.storage import Storage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty


class _PrivateStorage(LazyObject):
    def _setup(self) -> None:
        self._wrapped = storages["private"]


private_storage: Storage = _PrivateStorage()  # type: ignore[assignment]


def get_private_storage() -> Storage:
    """For FileField(storage=...): a callable, so migrations name it instead of freezing a backend."""
    return private_storage


@receiver(setting_changed)
def _storages_changed(*, setting: str, **kwargs: Any) -> None:
    # Django resets its own storages on this signal (tests override STORAGES); follow it.
    if setting in ("STORAGES", "PRIVATE_MEDIA_ROOT"):
        private_storage._wrapped = empty  # type: ignore[attr-defined]

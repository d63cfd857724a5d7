"""What /healthz reports (can we reach the database and the broker) and what /readyz reports
(may this process take traffic: every migration applied, the file storage writable and readable)."""

from __future__ import annotations

import threading
import time
from typing import Any

from django.conf import settings
from django.db import connection


def service_health() -> dict[str, dict[str, Any]]:
    return {"database": _database(), "broker": _broker()}


def _database() -> dict[str, Any]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return {"ok": True, "engine": connection.vendor}
    except Exception as exc:  # noqa: BLE001 - any failure means "down", and the reason is shown
        return {"ok": False, "engine": connection.vendor, "error": type(exc).__name__}


_broker_seen: dict[str, float | bool] = {}
_broker_lock = threading.Lock()


def broker_available() -> bool:
    """Whether the broker answers, as last seen by this process at most BROKER_HEALTH_CACHE_SECONDS ago.

    Pages call it for the "background work is delayed" banner: one ping per process every few
    seconds, none while a recent answer is at hand, and only one thread pings at a time.
    """
    now = time.monotonic()
    if now < float(_broker_seen.get("until", 0.0)):
        return bool(_broker_seen["ok"])
    if not _broker_lock.acquire(blocking=False):
        return bool(_broker_seen.get("ok", True))  # another thread is asking: use the last answer
    try:
        ok = bool(_broker(timeout=1, retries=0)["ok"])
        _broker_seen.update(ok=ok, until=time.monotonic() + settings.BROKER_HEALTH_CACHE_SECONDS)
        return ok
    finally:
        _broker_lock.release()


def _broker(timeout: int = 2, retries: int = 1) -> dict[str, Any]:
    from sanctions_portal.celery import app

    url = app.conf.broker_url or ""
    transport = url.split("://", 1)[0]
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=retries, timeout=timeout)
        return {"ok": True, "transport": transport}
    except Exception as exc:  # noqa: BLE001
        return {"ok": False, "transport": transport, "error": type(exc).__name__}


_migrations_applied = False  # once true it stays true for the life of the process


def service_readiness() -> dict[str, dict[str, Any]]:
    return {"migrations": _migrations(), "storage": _storage()}


def _migrations() -> dict[str, Any]:
    global _migrations_applied
    if _migrations_applied:
        return {"ok": True}
    from django.db.migrations.executor import MigrationExecutor

    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as exc:  # noqa: BLE001 - the database is down or unreadable: not ready
        return {"ok": False, "error": type(exc).__name__}
    if pending:
        return {"ok": False, "pending": [f"{m.app_label}.{m.name}" for m, _backwards in pending][:20]}
    _migrations_applied = True
    return {"ok": True}


def _storage() -> dict[str, Any]:
    """A round trip through the private storage (the local folder, or an S3-protocol store)."""
    import os
    import socket

    from django.core.files.base import ContentFile

    from reports.storage import private_storage

    probe = b"readyz"
    try:
        name = private_storage.save(f"readyz/{socket.gethostname()}-{os.getpid()}.txt", ContentFile(probe))
        try:
            with private_storage.open(name, "rb") as handle:
                ok = handle.read() == probe
        finally:
            private_storage.delete(name)
    except Exception as exc:  # noqa: BLE001
        return {"ok": False, "backend": private_storage.__class__.__name__, "error": type(exc).__name__}
    return {"ok": ok, "backend": private_storage.__class__.__name__}

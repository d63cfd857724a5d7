"""What /healthz reports (can we reach the database and the broker) and what /readyz reports
(may this process take traffic: every migration applied, the file storage writable and readable)."""

from __future__ import annotations

from typing import Any

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


def _broker() -> dict[str, Any]:
    from sanctions_portal.celery import app

    url = app.conf.broker_url or ""
    transport = url.split("://", 1)[0]
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
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
    """A round trip through the default storage (the local folder, or an S3-protocol store)."""
    import os
    import socket

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    probe = b"readyz"
    try:
        name = default_storage.save(f"readyz/{socket.gethostname()}-{os.getpid()}.txt", ContentFile(probe))
        try:
            with default_storage.open(name, "rb") as handle:
                ok = handle.read() == probe
        finally:
            default_storage.delete(name)
    except Exception as exc:  # noqa: BLE001
        return {"ok": False, "backend": default_storage.__class__.__name__, "error": type(exc).__name__}
    return {"ok": ok, "backend": default_storage.__class__.__name__}

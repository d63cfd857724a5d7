"""What /healthz reports: can we reach the database and the broker."""

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

"""What an operator sees: a request id on every log line (and on the Celery tasks a request
queues), JSON log lines, and the counters the /metrics view reads.

Standard library only: a context variable holds the id of the request (or task) being served;
a logging filter copies it onto every record; RequestIdMiddleware (reports.middleware) sets it;
the Celery signals in sanctions_portal/celery.py carry it in the task message's headers.
Nothing here imports models, so the settings' LOGGING can name these classes.
"""

from __future__ import annotations

import contextvars
import datetime
import json
import logging
import re
import uuid
from typing import Any

REQUEST_ID_HEADER = "X-Request-ID"
# Headers a client (or the proxy) may send; anything else is replaced by a fresh id. A UUID or a
# short token of letters, digits, dot, dash and underscore: nothing a log reader could mistake
# for another field or another line.
_REQUEST_ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{7,63}")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")

_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("portal_request_id", default=None)


def request_id_accept(value: str | None) -> str | None:
    """The incoming id if it looks like a UUID or a short token, else None."""
    if value and _REQUEST_ID_RE.fullmatch(value):
        return value
    return None


def request_id_new() -> str:
    return uuid.uuid4().hex


def request_id_current() -> str | None:
    return _request_id.get()


def request_id_set(value: str | None) -> contextvars.Token[str | None]:
    return _request_id.set(value)


def request_id_reset(token: contextvars.Token[str | None]) -> None:
    _request_id.reset(token)


def printable(text: str, limit: int = 300) -> str:
    """Text from a request made safe for a plain log line: control characters escaped, length bounded."""
    return _CONTROL_RE.sub(lambda m: f"\\x{ord(m.group()):02x}", text[:limit])


class RequestIdFilter(logging.Filter):
    """Adds request_id (or "-") and, inside a Celery task, task_id and task_name to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get() or "-"
        if not hasattr(record, "task_id"):
            from celery import current_task

            task = current_task._get_current_object() if current_task else None  # type: ignore[attr-defined]
            record.task_id = getattr(task.request, "id", None) if task is not None else None
            record.task_name = getattr(task, "name", None) if task is not None else None
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, request_id,
    task_id/task_name inside a task, and the traceback as one string when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": request_id if (request_id := getattr(record, "request_id", None)) not in (None, "-") else None,
        }
        for key in ("task_id", "task_name", "method", "path", "status", "duration_ms"):
            value = getattr(record, key, None)
            if value is not None:
                entry[key] = value
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exc"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False, default=str)


def logging_config(*, fmt: str, level: str) -> dict[str, Any]:
    """The LOGGING setting: "json" for JSON lines, "plain" for people; the request id on both."""
    if fmt not in ("json", "plain"):
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"LOG_FORMAT must be 'json' or 'plain', not {fmt!r}.")
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "reports.observability.RequestIdFilter"}},
        "formatters": {
            "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
            "json": {"()": "reports.observability.JsonFormatter"},
        },
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": fmt, "filters": ["request_id"]}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {"django.db.backends": {"level": "WARNING"}},
    }


# --- request counts -----------------------------------------------------------------------------
# Counted in Redis when REDIS_URL is set, so every gunicorn worker adds to the same figures;
# otherwise in this process (runserver, tests). A failure to count never fails the request.
REQUEST_COUNTS_KEY = "portal:metrics:requests"
_local_counts: dict[str, int] = {}
_redis_client: Any = None


def _redis() -> Any:
    global _redis_client
    from django.conf import settings

    url = getattr(settings, "REDIS_URL", "")
    if not url:
        return None
    if _redis_client is None:
        import redis

        _redis_client = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
    return _redis_client


def status_class(status: int) -> str:
    return f"{status // 100}xx" if 100 <= status < 600 else "other"


def request_count(status: int) -> None:
    label = status_class(status)
    client = _redis()
    if client is not None:
        try:
            client.hincrby(REQUEST_COUNTS_KEY, label, 1)
            return
        except Exception:
            logging.getLogger(__name__).warning("Could not count a request in Redis", exc_info=True)
            return
    _local_counts[label] = _local_counts.get(label, 0) + 1


def request_counts() -> dict[str, int]:
    client = _redis()
    if client is not None:
        raw = client.hgetall(REQUEST_COUNTS_KEY)
        return {k.decode(): int(v) for k, v in raw.items()}
    return dict(_local_counts)

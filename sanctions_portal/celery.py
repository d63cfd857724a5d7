"""The Celery application. Workers run anywhere the settings can reach the broker."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from celery import Celery
from celery.signals import before_task_publish, task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanctions_portal.settings.base")

app = Celery("sanctions_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def ensure_filesystem_broker_dirs() -> None:
    """The filesystem transport needs its folders before the first message."""
    from django.conf import settings

    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        for key in ("data_folder_in", "data_folder_out", "control_folder"):
            Path(str(settings.CELERY_BROKER_TRANSPORT_OPTIONS[key])).mkdir(parents=True, exist_ok=True)
        Path(settings.CELERY_RESULT_BACKEND.removeprefix("file://")).mkdir(parents=True, exist_ok=True)


# --- the request id travels with the tasks a request queues (reports.observability) -------------
REQUEST_ID_TASK_HEADER = "portal_request_id"


@before_task_publish.connect
def _request_id_to_headers(headers: dict[str, Any] | None = None, **_: Any) -> None:
    """Put the id of the request (or task) queuing this task in the message's headers."""
    from reports.observability import request_id_current

    request_id = request_id_current()
    if request_id and headers is not None:
        headers.setdefault(REQUEST_ID_TASK_HEADER, request_id)


@task_prerun.connect
def _request_id_from_headers(task_id: str | None = None, task: Any = None, **_: Any) -> None:
    """A worker's task logs with the id its message carries. An eager task runs inside the
    request and already has it; a task without one keeps none (never its predecessor's)."""
    from reports.observability import request_id_accept, request_id_current, request_id_set

    carried = None
    if task is not None:  # a worker's Context has custom headers as attributes; apply() keeps them in .headers
        request = task.request
        carried = request_id_accept(
            getattr(request, REQUEST_ID_TASK_HEADER, None) or (request.headers or {}).get(REQUEST_ID_TASK_HEADER)
        )
    if task is not None and getattr(task.request, "is_eager", False) and carried is None:
        carried = request_id_current()
    _tokens[task_id or ""] = request_id_set(carried)


@task_postrun.connect
def _request_id_clear(task_id: str | None = None, **_: Any) -> None:
    from reports.observability import request_id_reset

    token = _tokens.pop(task_id or "", None)
    if token is not None:
        request_id_reset(token)


_tokens: dict[str, Any] = {}

"""A task queued under a request id runs in a real worker (Redis broker) with that id."""

import pytest

from reports.observability import request_id_current, request_id_reset, request_id_set
from sanctions_portal.celery import app

pytestmark = pytest.mark.integration


@app.task(name="tests.request_id_echo", ignore_result=False)  # the portal ignores results by default
def request_id_echo() -> str | None:
    return request_id_current()


def test_the_worker_runs_a_task_with_the_request_id_of_whoever_queued_it(celery_worker_real):
    token = request_id_set("0f8e6c2a-1b2d-4e5f-8a9b-0c1d2e3f4a5b")
    try:
        queued_in_request = request_id_echo.delay()
    finally:
        request_id_reset(token)
    queued_outside = request_id_echo.delay()
    assert queued_in_request.get(timeout=30) == "0f8e6c2a-1b2d-4e5f-8a9b-0c1d2e3f4a5b"
    assert queued_outside.get(timeout=30) is None  # not the previous task's id

"""Tasks every area shares."""

from __future__ import annotations

from celery import shared_task

from reports.models import MemberState


@shared_task(name="reports.ping", ignore_result=False)  # the one task whose result is read
def ping() -> dict[str, int | str]:
    """A round trip through the broker and the database, for health checks and tests."""
    return {"pong": "ok", "states": MemberState.objects.count()}

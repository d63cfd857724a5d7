"""The outbox sweep, run by Celery beat (CELERY_BEAT_SCHEDULE: "outbox-sweep")."""

from __future__ import annotations

from celery import shared_task

from reports.services.outbox import outbox_sweep


@shared_task(name="reports.outbox_sweep", ignore_result=True)
def outbox_sweep_task() -> dict[str, int]:
    """Hand to the broker again what it did not take when the request committed."""
    result = outbox_sweep()
    return {"sent": len(result.sent), "failed": len(result.failed)}

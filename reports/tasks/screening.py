"""Screening named parties against the Sanctions List in the background."""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import OperationalError

from reports.models import RunStatus, ScreeningRun
from reports.services.screening.runs import screen_all, screening_run_fail

logger = logging.getLogger(__name__)


@shared_task(name="reports.screening_run", autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def screening_run_task(run_id: int) -> str:
    """Idempotent: a run already done is left alone; a redelivered or retried run starts over (it
    creates nothing twice and never touches a decision)."""
    run = ScreeningRun.objects.select_related("snapshot").filter(pk=run_id).first()
    if run is None or run.status == RunStatus.DONE:
        return "skipped"
    try:
        screen_all(run=run)
    except OperationalError:
        raise
    except Exception as exc:
        logger.exception("screening run %s failed", run_id)
        screening_run_fail(run=run, reason=f"{type(exc).__name__}: {exc}")
        return "failed"
    return "done"

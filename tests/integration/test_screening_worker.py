"""An import of the Sanctions List screens every named party in a real Celery worker (real Redis)."""

from __future__ import annotations

import threading

import pytest
from celery.signals import task_postrun

from reports.models import RunStatus, ScreeningMatch, ScreeningRun
from tests.integration.test_receipt_worker import wait_for
from tests.sanctions.conftest import DEMO_1
from tests.screening.conftest import submit_parties

pytestmark = pytest.mark.integration


def test_an_import_screens_named_parties_in_the_worker(celery_worker_real, report_a):
    import datetime

    from reports.services.sanctions_import import import_sanctions_list

    runs: list[tuple[str, str]] = []

    def record(sender=None, task=None, retval=None, **kwargs):  # type: ignore[no-untyped-def]
        runs.append((task.name, threading.current_thread().name))

    task_postrun.connect(record, weak=False)
    try:
        submit_parties(report_a, ["Abd al-Rahman al-Anizi"], when=datetime.datetime(2014, 1, 1, tzinfo=datetime.UTC))
        snapshot = import_sanctions_list(DEMO_1.read_bytes(), source="integration").snapshot
        run = ScreeningRun.objects.get(snapshot=snapshot)
        wait_for(lambda: ScreeningRun.objects.get(pk=run.pk).status == RunStatus.DONE)
    finally:
        task_postrun.disconnect(record)
    run.refresh_from_db()
    assert run.percent == 100 and run.names_total == 1 and run.matches_new >= 1
    assert ScreeningMatch.objects.filter(entry__reference="QDi.901", listed_after_report=True).exists()
    assert any(name == "reports.screening_run" and thread != threading.main_thread().name for name, thread in runs)

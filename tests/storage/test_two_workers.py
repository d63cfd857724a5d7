"""The compendium built by two Celery worker processes that share nothing but the S3-protocol store
(moto_server) and PostgreSQL: each has its own empty PRIVATE_MEDIA_ROOT, which stays empty; the
parts one renders, the other reads to merge (or they share the parts, whoever finishes last merges)."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from django.db import connection
from pypdf import PdfReader

from reports.models import JobStatus, PdfKind
from reports.services.pdf_jobs import pdf_job_request
from tests.integration.test_pdf_worker import ROOT, _stop, _wait_ping, _worker, read, wait_for
from tests.pdf.world import build_world
from tests.storage.conftest import objects

pytestmark = pytest.mark.integration


def _tasks_done_by(app, name: str) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """The tasks a worker ran, by name (Celery's own count, from the worker itself)."""
    stats = app.control.inspect(timeout=5).stats() or {}
    return next((s.get("total", {}) for worker, s in stats.items() if worker.startswith(f"{name}-{os.getpid()}@")), {})


def test_two_workers_sharing_only_the_store_and_the_database_build_the_compendium(
    redis_url, transactional_db, reference, settings, s3_store, s3_endpoint, s3_bucket, storage_url, tmp_path
):
    if connection.vendor != "postgresql":
        pytest.skip("worker processes need a database they can share (PostgreSQL)")
    from sanctions_portal.celery import app

    db = connection.settings_dict
    disks = {name: tmp_path / f"{name}-disk" for name in ("left", "right")}
    workers = {}
    app.conf.task_always_eager = False
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.control.purge()
    world = build_world()
    try:
        for name, disk in disks.items():
            disk.mkdir()
            env = {
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "sanctions_portal.settings.base",
                "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
                "REDIS_URL": redis_url,
                "STORAGE_URL": storage_url,
                "PRIVATE_MEDIA_ROOT": str(disk / "private"),  # not created: nothing may need it
                "PORTAL_VAR_DIR": str(disk),
                "CELERY_TASK_ALWAYS_EAGER": "0",
                "PDF_COMPENDIUM_CHUNK_SIZE": "40",  # five parts of States, plus the summary
                "PYTHONPATH": str(ROOT),
            }
            workers[name] = _worker(env, name)
        for name in workers:
            _wait_ping(app, name)

        job = pdf_job_request(actor=None, kind=PdfKind.COMPENDIUM, cycle=world.cycle)
        job = wait_for(job, (JobStatus.DONE, JobStatus.FAILED), timeout=400)
        assert job.status == JobStatus.DONE, job.error_text
        reader = PdfReader(io.BytesIO(read(job)))  # read from the bucket by this process
        assert len(reader.outline[-1]) == 193 and job.pages == len(reader.pages)

        # Both workers worked: each rendered parts, and the one that merged read the other's from the store.
        done = {name: _tasks_done_by(app, name) for name in workers}
        assert all(counts.get("reports.pdf_compendium_part", 0) >= 1 for counts in done.values()), done
        stored = objects(s3_endpoint, s3_bucket)
        assert f"portal/{job.file.name}" in stored
        assert sum(key.startswith("portal/pdf/parts/") and key.endswith(".pdf") for key in stored) >= 6
        # Nothing on either worker's disk (only Celery's own folders, if any, under PORTAL_VAR_DIR).
        for disk in disks.values():
            assert not (disk / "private").exists()
            assert list(Path(disk).rglob("*.pdf")) == []
    finally:
        for process in workers.values():
            _stop(process)
        app.conf.task_always_eager = True

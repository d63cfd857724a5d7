"""Build a Council document from the command line, through the same service as the portal.

    python manage.py build_pdf summary --cycle committee-update-2025 --out summary.pdf
    python manage.py build_pdf profile --state FRA [--cycle ID|CODE] --distribution restricted --out fra.pdf
    python manage.py build_pdf compendium --cycle ID|CODE --out compendium.pdf

The job is recorded (PdfJob, audit trail) like one asked for on a page, then built here in
this process (compendium parts one after the other), unless --queue hands it to the workers.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from reports.models import Distribution, JobStatus, MemberState, PdfJob, PdfKind, ReportingCycle
from reports.services.pdf_jobs import PdfJobError, pdf_job_enqueue, pdf_job_request, pdf_job_run


class Command(BaseCommand):
    help = "Build a Council summary, a State profile or the compendium as a PDF file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=[PdfKind.SUMMARY, PdfKind.PROFILE, PdfKind.COMPENDIUM])
        parser.add_argument("--cycle", help="reporting cycle: id or code (default: the latest periodic cycle)")
        parser.add_argument("--state", help="ISO 3166 alpha-3 code, for a profile")
        parser.add_argument("--distribution", choices=Distribution.values, default=Distribution.GENERAL)
        parser.add_argument("--language", default="en", help="ar, zh, en, fr, ru or es")
        parser.add_argument("--out", required=True, help="where to write the PDF")
        parser.add_argument("--queue", action="store_true", help="let the Celery workers build it, and wait")

    def handle(self, *args: Any, **options: Any) -> None:
        kind = options["kind"]
        cycle = self._cycle(options["cycle"], required=kind != PdfKind.PROFILE)
        state = None
        if kind == PdfKind.PROFILE:
            if not options["state"]:
                raise CommandError("A profile needs --state ISO3.")
            state = MemberState.objects.filter(iso3=str(options["state"]).upper()).first()
            if state is None:
                raise CommandError(f"Unknown State {options['state']!r}.")
        try:
            with transaction.atomic():
                job = pdf_job_request(
                    actor=None,
                    kind=kind,
                    distribution=options["distribution"],
                    cycle=cycle,
                    state=state,
                    language=options["language"],
                    enqueue=False,
                )
        except PdfJobError as exc:
            raise CommandError(str(exc)) from None
        if options["queue"]:
            pdf_job_enqueue(job_id=job.pk)
            while job.status in (JobStatus.QUEUED, JobStatus.RUNNING):
                time.sleep(0.5)
                job.refresh_from_db()
        else:
            from django.conf import settings

            from sanctions_portal.celery import app

            # Inline: the compendium's parts run here, one after the other.
            app.conf.task_always_eager = True
            settings.CELERY_TASK_ALWAYS_EAGER = True
            pdf_job_run(job_id=job.pk, attempt=job.attempts)
            job = PdfJob.objects.get(pk=job.pk)
        if job.status != JobStatus.DONE:
            raise CommandError(f"Job {job.pk} failed: {job.error_text or job.status}")
        out = Path(options["out"])
        with job.file.open("rb") as source:
            out.write_bytes(source.read())
        self.stdout.write(
            f"{out}: {job.pages} pages, sha256 {job.sha256}, data as of {job.data_as_of:%Y-%m-%d %H:%M:%S %Z} (job {job.pk})"
        )

    def _cycle(self, value: str | None, *, required: bool) -> ReportingCycle | None:
        cycles = ReportingCycle.objects.filter(state__isnull=True)
        if not value:
            cycle = cycles.order_by("-due").first()
            if cycle is None and required:
                raise CommandError("No reporting cycle: load the reference data first.")
            return cycle
        found = cycles.filter(pk=int(value)).first() if value.isdigit() else cycles.filter(code=value).first()
        if found is None:
            raise CommandError(f"Unknown reporting cycle {value!r}.")
        return found

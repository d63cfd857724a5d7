"""Council PDFs: the compendium end to end through real workers, against the floor.

    DATABASE_URL=postgres://... REDIS_URL=redis://... python -m bench pdf [--workers 1,2] [--cycle CODE]

Prints, in one run:
- floor: a bare WeasyPrint render of the same HTML (summary + 193 profiles) as one document;
- the compendium end to end (request -> fan-out -> merge -> stored) with 1 worker, then 2;
- the summary alone, end to end through one worker and as a bare render;
- the compendium rebuilt after one State's amendment (its stored parts reused: that State's
  chunk and the summary rendered again), with 1 worker, against the floor (target <= 0.15x).
The full builds start from an empty part store (pdf/parts is emptied before each); the rebuild
files a real addendum (a copy of a submitted report of the cycle, as its State's signatory) in
the bench's database each round.
Needs Redis (REDIS_URL) and a database the workers share (DATABASE_URL); migrates it and loads
the reference and demo data if they are missing. Workers are `celery worker --pool=solo`
subprocesses, started and stopped here.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench pdf")
    parser.add_argument("--workers", default="1,2", help="worker counts to time, comma-separated")
    parser.add_argument("--cycle", default="committee-update-2025")
    parser.add_argument("--distribution", default="general")
    parser.add_argument("--repeat", type=int, default=2, help="rounds; the best time of each measure is kept")
    args = parser.parse_args(argv)
    if not os.environ.get("REDIS_URL") or not os.environ.get("DATABASE_URL"):
        sys.exit("bench pdf: set DATABASE_URL and REDIS_URL (the workers must share the database and the broker)")
    os.environ["DJANGO_SETTINGS_MODULE"] = "sanctions_portal.settings.base"
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "0"
    os.environ.setdefault("PORTAL_VAR_DIR", "/tmp/bench-pdf-var")
    import logging

    import django

    django.setup()
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("weasyprint.progress").setLevel(logging.ERROR)
    from django.core.management import call_command

    from reports.models import MemberState, PdfKind, Report, ReportingCycle
    from reports.pdf.documents import DocumentRequest, profiles_html, summary_html
    from reports.pdf.render import render_pdf
    from reports.services.demo import demo_seed
    from reports.services.reference_data import reference_data_load

    call_command("migrate", verbosity=0)
    if MemberState.objects.count() < 193:
        reference_data_load()
    if not Report.objects.exists():
        demo_seed()
    cycle = ReportingCycle.objects.get(code=args.cycle)
    states = list(MemberState.objects.order_by("name"))
    request = DocumentRequest(kind=PdfKind.COMPENDIUM, distribution=args.distribution, today=_today(), cycle=cycle)
    print(
        f"bench pdf: {len(states)} States, cycle {cycle.code}, {os.cpu_count()} CPUs (shared with other work: figures are noisy)"
    )

    # Rounds alternate the floor and the end-to-end runs, and the best of each is kept: the
    # machine is shared, and a burst of someone else's work should not decide a ratio.
    counts = [int(n) for n in args.workers.split(",") if n.strip()]
    floors: list[float] = []
    floor_cpu: list[float] = []
    cpu: dict[int, list[float]] = {count: [] for count in counts}
    summaries_bare: list[float] = []
    summaries_e2e: list[float] = []
    results: dict[int, list[float]] = {count: [] for count in counts}
    rebuilds: list[float] = []
    rebuild_cpu: list[float] = []
    pages = 0
    for round_number in range(1, args.repeat + 1):
        started, started_cpu = time.perf_counter(), time.process_time()
        summary = summary_html(request)
        profiles = profiles_html(request, states)
        floor_pdf = render_pdf(_join(summary.html, profiles.html))
        floors.append(time.perf_counter() - started)
        floor_cpu.append(time.process_time() - started_cpu)
        print(
            f"[{round_number}] floor (one document, bare WeasyPrint, {floor_pdf.pages} pages): {floors[-1]:.2f} s "
            f"({floor_cpu[-1]:.2f} CPU-s), load {os.getloadavg()[0]:.1f}"
        )
        started = time.perf_counter()
        bare = render_pdf(
            summary_html(DocumentRequest(kind=PdfKind.SUMMARY, distribution=args.distribution, today=_today(), cycle=cycle)).html
        )
        summaries_bare.append(time.perf_counter() - started)
        print(f"[{round_number}] summary, bare render ({bare.pages} pages): {summaries_bare[-1]:.2f} s")
        for count in counts:
            with _workers(count) as workers:
                _parts_clear()
                before = workers.cpu_seconds()
                seconds, job = _timed_job(kind=PdfKind.COMPENDIUM, cycle=cycle, distribution=args.distribution)
                results[count].append(seconds)
                cpu[count].append(workers.cpu_seconds() - before)
                pages = job.pages or 0
                print(
                    f"[{round_number}] compendium end to end, {count} worker(s): {seconds:.2f} s "
                    f"({cpu[count][-1]:.2f} CPU-s in the workers), {job.pages} pages, load {os.getloadavg()[0]:.1f} "
                    f"({job.status}{': ' + job.error if job.error else ''})"
                )
                if count == counts[0]:
                    state = _amend_one(cycle)
                    before = workers.cpu_seconds()
                    seconds, job = _timed_job(kind=PdfKind.COMPENDIUM, cycle=cycle, distribution=args.distribution)
                    rebuilds.append(seconds)
                    rebuild_cpu.append(workers.cpu_seconds() - before)
                    print(
                        f"[{round_number}] compendium rebuilt after {state}'s amendment, {count} worker(s): {seconds:.2f} s "
                        f"({rebuild_cpu[-1]:.2f} CPU-s), parts rendered {job.params.get('rendered')} of {job.params.get('parts')} "
                        f"({job.status}{': ' + job.error if job.error else ''})"
                    )
                    seconds, job = _timed_job(kind=PdfKind.SUMMARY, cycle=cycle, distribution=args.distribution)
                    summaries_e2e.append(seconds)
                    print(
                        f"[{round_number}] summary end to end, {count} worker(s): {seconds:.2f} s ({job.pages} pages, {job.status})"
                    )
    floor = min(floors)
    print(
        f"best of {args.repeat}: floor {floor:.2f} s; summary {min(summaries_e2e):.2f} s end to end, {min(summaries_bare):.2f} s bare"
    )
    for count in counts:
        best = min(results[count])
        print(f"  compendium ({pages} pages), {count} worker(s): {best:.2f} s = {best / floor:.2f}x the floor")
    print(f"  rebuild after one amendment, {counts[0]} worker(s): {min(rebuilds):.2f} s = {min(rebuilds) / floor:.2f}x the floor")
    # CPU time does not depend on what else the machine runs: the fan-out's real overhead.
    best_cpu = min(floor_cpu)
    for count in counts:
        print(
            f"  CPU: floor {best_cpu:.2f} CPU-s; compendium with {count} worker(s) {min(cpu[count]):.2f} CPU-s = {min(cpu[count]) / best_cpu:.2f}x"
        )
    print(f"  CPU: rebuild after one amendment {min(rebuild_cpu):.2f} CPU-s = {min(rebuild_cpu) / best_cpu:.2f}x")
    print("targets: 1 worker <= 1.3x floor; 2 workers < floor; rebuild after one amendment <= 0.15x; summary in a few seconds")


def _today():  # type: ignore[no-untyped-def]
    from reports.clock import portal_today

    return portal_today()


def _parts_clear() -> None:
    """Empty the part store, so that a full build renders every part."""
    import datetime

    from reports.services.pdf_parts import pdf_parts_prune

    pdf_parts_prune(older_than=datetime.timedelta(minutes=-1))  # through the store: a folder or a bucket


def _amend_one(cycle) -> str:  # type: ignore[no-untyped-def]
    """File an addendum to one submitted report of the cycle (the same content, a new version)."""
    from reports.models import Report
    from reports.services.reports import report_open_addendum, report_submit_unchecked
    from tests.factories import signatory_of

    report = (
        Report.objects.filter(cycle=cycle, current_version__isnull=False).select_related("state").order_by("state__name").first()
    )
    assert report is not None, "no submitted report in the cycle"
    signatory = signatory_of(report.state, prefix="bench-pdf")
    report_open_addendum(report=report, actor=signatory)
    report_submit_unchecked(report=report, actor=signatory)
    return report.state.iso3


def _join(first: str, second: str) -> str:
    body = re.search(r"<body[^>]*>(.*)</body>", first, re.DOTALL)
    assert body is not None
    return second.replace("</div>\n", "</div>\n" + body.group(1) + "\n", 1)


def _timed_job(*, kind: str, cycle, distribution: str):  # type: ignore[no-untyped-def]
    from reports.models import JobStatus, PdfJob
    from reports.services.pdf_jobs import pdf_job_request

    started = time.perf_counter()
    job = pdf_job_request(actor=None, kind=kind, cycle=cycle, distribution=distribution)
    while True:
        job = PdfJob.objects.get(pk=job.pk)
        if job.status in (JobStatus.DONE, JobStatus.FAILED):
            return time.perf_counter() - started, job
        if time.perf_counter() - started > 900:
            return time.perf_counter() - started, job
        time.sleep(0.05)


class _workers:
    def __init__(self, count: int) -> None:
        self.count = count
        self.processes: list[subprocess.Popen[bytes]] = []

    def __enter__(self) -> _workers:
        from sanctions_portal.celery import app

        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        celery = str(Path(sys.executable).parent / "celery")
        for n in range(self.count):
            self.processes.append(
                subprocess.Popen(
                    [
                        celery,
                        "-A",
                        "sanctions_portal",
                        "worker",
                        "--pool=solo",
                        "--loglevel=ERROR",
                        "-n",
                        f"bench{n}-{os.getpid()}@%h",
                    ],
                    cwd=ROOT,
                    env=env,
                    start_new_session=True,
                )
            )
        deadline = time.time() + 60
        while time.time() < deadline:
            replies = app.control.ping(timeout=1.0) or []
            if (
                sum(1 for reply in replies for name in reply if name.startswith("bench") and str(os.getpid()) in name)
                >= self.count
            ):
                return self
        raise SystemExit("bench pdf: the workers did not answer within 60 s")

    def cpu_seconds(self) -> float:
        """User + system CPU time of the worker processes so far (Linux /proc)."""
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0.0
        for process in self.processes:
            fields = Path(f"/proc/{process.pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks
        return total

    def __exit__(self, *exc: object) -> None:
        for process in self.processes:
            os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)

"""The compendium's parts are kept by the hash of their data: a rebuild after one State's amendment
renders that State's chunk and the summary only, and gives the bytes of a build from nothing."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import pytest

from reports.models import JobStatus, MemberState, PdfJob, PdfKind
from reports.services import pdf_compendium, pdf_jobs, pdf_parts
from reports.services.reports import report_open_addendum, report_submit_unchecked
from tests.factories import at, signatory_of
from tests.pdf.world import DUE, PREFIX, TODAY, build_world

CHUNK = 50  # four chunks of profiles


@pytest.fixture
def world(reference):  # type: ignore[no-untyped-def]
    return build_world()


@pytest.fixture
def storage(settings, tmp_path: Path) -> Path:
    """A storage of its own, so no part comes from another test."""
    private = settings.STORAGES["private"]
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {**private, "OPTIONS": {**private.get("OPTIONS", {}), "location": tmp_path}},
    }
    settings.PDF_COMPENDIUM_CHUNK_SIZE = CHUNK
    return tmp_path


@pytest.fixture
def renders(monkeypatch) -> list[str]:  # type: ignore[no-untyped-def]
    """The identifier of every document WeasyPrint renders for a job (a part's identifier is its key)."""
    seen: list[str] = []
    real = pdf_jobs.render_pdf

    def counting(html: str, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(kwargs.get("identifier") or "")
        return real(html, **kwargs)

    monkeypatch.setattr(pdf_jobs, "render_pdf", counting)
    monkeypatch.setattr(pdf_compendium, "render_pdf", counting)
    return seen


def build() -> tuple[bytes, PdfJob]:
    job = pdf_jobs.pdf_job_request(actor=None, kind=PdfKind.COMPENDIUM, cycle=_cycle(), today=TODAY, enqueue=False)
    pdf_jobs.pdf_job_run(job_id=job.pk, attempt=0)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error_text
    with job.file.open("rb") as handle:
        return handle.read(), job


def _cycle():  # type: ignore[no-untyped-def]
    from reports.models import ReportingCycle

    return ReportingCycle.objects.get(code="pdf-cycle")


def rendered_parts(renders: list[str], job: PdfJob) -> list[int]:
    """Which of the job's parts (0: the summary, then the chunks) were rendered."""
    keys = job.params["part_keys"]
    return sorted(keys.index(key) for key in renders if key in keys)


def chunk_of(state: MemberState) -> int:
    names = list(MemberState.objects.order_by("name").values_list("pk", flat=True))
    return names.index(state.pk) // CHUNK + 1


def test_rebuild_after_one_amendment_renders_that_states_chunk_and_the_summary_only(world, storage, renders):
    first, job = build()
    assert rendered_parts(renders, job) == [0, 1, 2, 3, 4]  # nothing stored yet: every part

    renders.clear()
    again, job = build()
    assert rendered_parts(renders, job) == [] and renders == []  # same data: not even the contents
    assert again == first

    signatory = signatory_of(world.fra, prefix=PREFIX)
    report = world.fra.reports.get(cycle=world.cycle)
    report_open_addendum(report=report, actor=signatory)
    report_submit_unchecked(report=report, actor=signatory, now=at(DUE + datetime.timedelta(days=2)))
    renders.clear()
    rebuilt, job = build()
    assert rendered_parts(renders, job) == [0, chunk_of(world.fra)]
    assert rebuilt != first

    # The same data from nothing: every part rendered again, the same bytes.
    shutil.rmtree(storage / pdf_parts.PARTS_DIR)
    renders.clear()
    fresh, job = build()
    assert rendered_parts(renders, job) == [0, 1, 2, 3, 4]
    assert fresh == rebuilt


def test_a_part_is_kept_per_distribution_and_language(world, storage):
    from reports.models import Distribution
    from reports.pdf.documents import DocumentRequest

    chunks = [[world.fra.pk]]
    keys = set()
    for distribution in (Distribution.GENERAL, Distribution.RESTRICTED):
        for language in ("en", "ar"):
            request = DocumentRequest(
                kind=PdfKind.COMPENDIUM, distribution=distribution, today=TODAY, language=language, cycle=world.cycle
            )
            keys.add(pdf_parts.profile_part_keys(request, chunks, reference="r")[0])
    assert len(keys) == 4

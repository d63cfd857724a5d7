"""Council documents and receipts are tagged for assistive technology and archival (PDF/A-2a):
their structure tree is read back with pypdf (tests/pdf/structure.py)."""

from __future__ import annotations

import io

import pytest
import time_machine
from django.utils import translation
from pypdf import PdfReader

from reports.models import Distribution, PdfKind
from reports.services.receipts import receipt_pdf
from tests.pdf.structure import Structure, structure_of
from tests.pdf.test_documents import build


def assert_tagged(structure: Structure, *, lang: str, pages: int) -> None:
    assert structure.lang == lang
    assert structure.marked
    assert structure.pdfa == "2A"  # XMP: PDF/A part 2, conformance A (accessible)
    assert structure.tags["Document"] == 1
    assert structure.tags["H1"] >= 1
    assert structure.tags["TH"] >= 1 and structure.tags["TD"] >= 1
    assert structure.tagged_pages == pages  # every page maps its marked content to the tree
    assert structure.pages_with_tags == set(range(pages))
    assert structure.misplaced == []


@pytest.mark.parametrize("language", ["en", "ar"])
def test_summary_is_tagged_in_its_own_language(world, language):
    from reports.services.pdf_jobs import pdf_job_request, pdf_job_run

    job = pdf_job_request(actor=None, kind=PdfKind.SUMMARY, cycle=world.cycle, language=language, enqueue=False)
    pdf_job_run(job_id=job.pk, attempt=0)
    job.refresh_from_db()
    with job.file.open("rb") as handle:
        content = handle.read()
    structure = structure_of(content)
    assert_tagged(structure, lang=language, pages=job.pages)
    # The sections are headings (I. to V.), the tables have header cells, in document order.
    assert structure.tags["H2"] == 5
    assert structure.order.index("H1") < structure.order.index("H2") < structure.order.index("TH")
    info = PdfReader(io.BytesIO(content)).metadata
    assert info is not None and info.title  # the title a reader announces (DisplayDocTitle)


def test_profile_is_tagged_with_its_tables_headers(world):
    content, job = build(PdfKind.PROFILE, world, state=world.fra, distribution=Distribution.RESTRICTED)
    structure = structure_of(content)
    assert_tagged(structure, lang="en", pages=job.pages)
    # WeasyPrint tags a box split over two pages as two elements (the profile's section, here).
    assert structure.tags["Sect"] == job.pages and structure.tags["H1"] == 1 and structure.tags["H2"] >= 3
    # Every header cell is a TH: reports (6), checklist (4), oil (7) and assets (5) registers.
    assert structure.tags["TH"] == 6 + 4 + 7 + 5


def test_compendium_keeps_every_parts_structure_tree(world, settings):
    settings.PDF_COMPENDIUM_CHUNK_SIZE = 70  # the summary, contents and three chunks, merged
    content, job = build(PdfKind.COMPENDIUM, world)
    structure = structure_of(content)
    assert_tagged(structure, lang="en", pages=job.pages)
    assert structure.tags["Part"] == 5  # summary, contents, three chunks under one Document
    assert structure.tags["H1"] == 1 + 1 + 193  # the summary's title, "Contents", each State's name
    assert structure.tags["Sect"] >= 193
    # The page numbers laid over the merged pages are pagination, not text in the reading order.
    reader = PdfReader(io.BytesIO(content))
    assert b"/Artifact" in reader.pages[-1].get_contents().get_data()


def test_arabic_compendium_is_tagged_in_arabic(world, settings):
    from reports.services.pdf_jobs import pdf_job_request, pdf_job_run

    settings.PDF_COMPENDIUM_CHUNK_SIZE = 100
    job = pdf_job_request(actor=None, kind=PdfKind.COMPENDIUM, cycle=world.cycle, language="ar", enqueue=False)
    with translation.override("en"):
        pdf_job_run(job_id=job.pk, attempt=0)
    job.refresh_from_db()
    with job.file.open("rb") as handle:
        structure = structure_of(handle.read())
    assert_tagged(structure, lang="ar", pages=job.pages)


@pytest.mark.parametrize("language", ["en", "ar"])
def test_receipt_is_tagged_in_the_signatorys_language(world, language):
    version = world.fra.reports.get(cycle=world.cycle).current_version
    with translation.override(language):
        pdf = receipt_pdf(version=version)
    structure = structure_of(pdf.content)
    assert structure.lang == language and structure.marked and structure.pdfa == "2A"
    assert structure.tags["H1"] == 1
    assert structure.tags["TH"] == 16  # one row header per line of the two tables
    assert structure.tagged_pages == pdf.pages and structure.misplaced == []


@time_machine.travel("2026-08-15 12:00:00Z")
def test_the_same_receipt_is_the_same_file(world):
    version = world.fra.reports.get(cycle=world.cycle).current_version
    assert receipt_pdf(version=version).content == receipt_pdf(version=version).content

"""A Council document's language is chosen, shown and part of its identity; the six at once
are one set, built from the same data, watched through one progress bar."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import translation

from reports.models import AuditEvent, DocumentLanguage, JobStatus, PdfJob, PdfKind, Report
from reports.models.pdf import LANGUAGE_OWN_NAME, JobError
from reports.services.pdf_jobs import pdf_job_request_all_languages, pdf_job_run
from reports.services.reports import report_submit_unchecked
from tests.factories import open_cycle, signatory_of
from tests.pdf.world import PREFIX, TODAY, build_world, pdf_text

SYMBOL = re.compile(r"S/AC\.37/\d{4}/\S+")


@pytest.fixture
def world(reference):  # type: ignore[no-untyped-def]
    return build_world()


def download(client, job: PdfJob) -> tuple[str, bytes]:  # type: ignore[no-untyped-def]
    response = client.get(reverse("monitoring:job_download", args=[job.pk]))
    assert response.status_code == 200
    name = re.search(r'filename="([^"]+)"', response["Content-Disposition"]).group(1)  # type: ignore[union-attr]
    return name, b"".join(response.streaming_content)


def test_the_chosen_language_is_stored_shown_and_named(client, monitoring, world, django_capture_on_commit_callbacks):
    client.force_login(monitoring)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("monitoring:job_create"),
            {"kind": "profile", "state": "FRA", "cycle": world.cycle.pk, "distribution": "general", "language": "fr"},
        )
    job = PdfJob.objects.get()
    assert response.status_code == 302 and job.language == "fr" and job.status == JobStatus.DONE
    table = client.get(reverse("monitoring:jobs_table")).content.decode()
    assert re.search(r'data-testid="pdf-job-language"><span lang="fr">French</span>', table)
    assert "French" in client.get(reverse("monitoring:job_detail", args=[job.pk])).content.decode()
    name, content = download(client, job)
    assert name.endswith("-FR.pdf"), name
    text = pdf_text(content)
    assert "Français (F)" in text  # the language version, under "Original: English" in the masthead
    event = AuditEvent.objects.get(action="pdf_job_request")
    assert event.detail["language"] == "fr"


def test_without_a_choice_the_document_takes_the_interface_language(client, monitoring, world):
    client.force_login(monitoring)
    client.cookies["django_language"] = "zh-hans"
    with translation.override(translation.get_language()):
        page = client.get(reverse("monitoring:jobs")).content.decode()
        assert re.search(r'<option value="zh-hans"\s+selected', page), "the form preselects the interface language"
        client.post(reverse("monitoring:job_create"), {"kind": "summary", "cycle": world.cycle.pk, "distribution": "general"})
    assert PdfJob.objects.get().language == "zh-hans"


@pytest.mark.parametrize("language", ["xx", "zh", "<script>", "EN" * 50])
def test_an_unknown_language_is_a_form_error(client, monitoring, world, language):
    client.force_login(monitoring)
    response = client.post(
        reverse("monitoring:job_create"),
        {"kind": "summary", "cycle": world.cycle.pk, "distribution": "general", "language": language},
    )
    assert response.status_code == 400
    assert "Unknown language" in " ".join(response.context["form"].errors["language"])
    assert not PdfJob.objects.exists()


@pytest.mark.parametrize("kind", ["summary", "compendium"])
def test_a_cycle_with_no_reports_gets_a_clear_message(client, monitoring, world, kind):
    client.force_login(monitoring)
    empty = open_cycle("empty-cycle", due=datetime.date(2026, 12, 31))
    response = client.post(
        reverse("monitoring:job_create"), {"kind": kind, "cycle": empty.pk, "distribution": "general", "language": "all"}
    )
    assert response.status_code == 400
    assert "No State has submitted a report for this cycle yet" in response.content.decode()
    assert not PdfJob.objects.exists()


def test_six_languages_are_one_set_with_one_progress_bar_and_the_same_data(
    client, monitoring, world, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    client.force_login(monitoring)
    response = client.post(
        reverse("monitoring:job_create"),
        {"kind": "profile", "state": "FRA", "cycle": world.cycle.pk, "distribution": "general", "language": "all"},
    )
    jobs = list(PdfJob.objects.order_by("id"))
    assert [job.language for job in jobs] == list(DocumentLanguage.values)
    assert len({job.batch for job in jobs}) == 1 and jobs[0].batch is not None
    assert len({job.params["data_as_of"] for job in jobs}) == 1 and len({job.params["today"] for job in jobs}) == 1
    assert response.status_code == 302 and response.url == reverse("monitoring:batch_detail", args=[jobs[0].batch])

    with django_assert_max_num_queries(8):
        page = client.get(response.url).content.decode()
    assert page.count("<progress") == 1 and 'hx-trigger="every 1s"' in page
    assert reverse("monitoring:batch_progress", args=[jobs[0].batch]) in page
    PdfJob.objects.filter(pk=jobs[0].pk).update(status=JobStatus.RUNNING, progress=60)
    PdfJob.objects.filter(pk=jobs[1].pk).update(status=JobStatus.DONE, progress=100, sha256="x" * 64)
    fragment = client.get(reverse("monitoring:batch_progress", args=[jobs[0].batch])).content.decode()
    assert 'value="26"' in fragment  # (60 + 100 + 0 * 4) / 6, the mean of the six
    assert "1 of 6 language versions done" in fragment
    PdfJob.objects.filter(pk__in=[jobs[0].pk, jobs[1].pk]).update(status=JobStatus.QUEUED, progress=0, sha256="")

    for job in jobs:
        pdf_job_run(job_id=job.pk, attempt=0)
    for job in jobs:
        job.refresh_from_db()
    assert all(job.status == JobStatus.DONE for job in jobs), [job.error_text for job in jobs]
    assert len({job.data_as_of for job in jobs}) == 1
    assert jobs[0].data_as_of.isoformat() == jobs[0].params["data_as_of"]
    fragment = client.get(reverse("monitoring:batch_progress", args=[jobs[0].batch])).content.decode()
    assert "hx-trigger" not in fragment and fragment.count('data-testid="pdf-download"') == 6

    names, symbols, marks = set(), set(), set()
    for job in jobs:
        name, content = download(client, job)
        names.add(name.rsplit("-", 1)[1])
        # Plain mode: pypdf's layout mode drops the Arabic edition's right-to-left language line.
        text = pdf_text(content, layout=False)
        symbols.add(SYMBOL.search(text).group(0))  # type: ignore[union-attr]
        # "Français (F)"; a right-to-left line reads back in visual order, "العربية ()A" or ")A( العربية".
        letter = job.language_letter
        if LANGUAGE_OWN_NAME[job.language] in text and re.search(rf"[()]{letter}[()]|\(\){letter}", text):
            marks.add(letter)
    assert names == {"AR.pdf", "ZH.pdf", "EN.pdf", "FR.pdf", "RU.pdf", "ES.pdf"}
    assert len(symbols) == 1, symbols  # one document, one symbol, in every language
    assert marks == {"A", "C", "E", "F", "R", "S"}


def test_a_language_version_built_after_the_data_changed_fails_with_the_reason(world):
    jobs = pdf_job_request_all_languages(actor=None, kind=PdfKind.SUMMARY, cycle=world.cycle, today=TODAY, enqueue=False)
    # China submits its draft after the set was asked for: the figures of the cycle move.
    chn = Report.objects.get(state=world.chn, cycle=world.cycle)
    report_submit_unchecked(report=chn, actor=signatory_of(world.chn, prefix=PREFIX))
    pdf_job_run(job_id=jobs[0].pk, attempt=0)
    jobs[0].refresh_from_db()
    assert jobs[0].status == JobStatus.FAILED and jobs[0].error == JobError.DATA_CHANGED
    assert not jobs[0].file


def test_another_role_and_an_unknown_set_get_404(client, committee, monitoring, world):
    jobs = pdf_job_request_all_languages(actor=monitoring, kind=PdfKind.SUMMARY, cycle=world.cycle, today=TODAY, enqueue=False)
    client.force_login(committee)
    assert client.get(reverse("monitoring:batch_detail", args=[jobs[0].batch])).status_code in (403, 404)
    client.force_login(monitoring)
    assert client.get(reverse("monitoring:batch_detail", args=["00000000-0000-0000-0000-000000000000"])).status_code == 404
    assert client.get(reverse("monitoring:batch_progress", args=[jobs[0].batch])).status_code == 200

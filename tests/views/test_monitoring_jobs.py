"""Council documents pages: ask, watch the progress, download; who may see what; bad input."""

from __future__ import annotations

import pytest
from django.urls import reverse

from reports.models import AuditEvent, Distribution, JobStatus, PdfJob, PdfKind
from reports.services.pdf_jobs import pdf_job_request, pdf_job_run
from tests.pdf.world import TODAY, build_world, pdf_text


@pytest.fixture
def world(reference):  # type: ignore[no-untyped-def]
    return build_world()


def done_job(world, kind=PdfKind.SUMMARY, distribution=Distribution.GENERAL, state=None) -> PdfJob:  # type: ignore[no-untyped-def]
    job = pdf_job_request(
        actor=None, kind=kind, distribution=distribution, cycle=world.cycle, state=state, today=TODAY, enqueue=False
    )
    pdf_job_run(job_id=job.pk, attempt=0)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    return job


def test_analyst_asks_for_a_summary_and_downloads_it(client, monitoring, world, django_capture_on_commit_callbacks):
    client.force_login(monitoring)
    with django_capture_on_commit_callbacks(execute=True):  # tasks run eagerly in tests
        response = client.post(
            reverse("monitoring:job_create"), {"kind": "summary", "cycle": world.cycle.pk, "distribution": "restricted"}
        )
    job = PdfJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("monitoring:job_detail", args=[job.pk])
    assert (job.requested_by, job.kind, job.distribution, job.status) == (monitoring, "summary", "restricted", JobStatus.DONE)
    page = client.get(response.url)
    assert b"Download the PDF" in page.content and job.sha256.encode() in page.content
    download = client.get(reverse("monitoring:job_download", args=[job.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    content = b"".join(download.streaming_content)
    assert download["X-Content-SHA256"] == job.sha256
    assert "Distr.: Restricted" in pdf_text(content)
    event = AuditEvent.objects.get(action="pdf_download")
    assert (event.actor, event.object_id, event.detail["distribution"]) == (monitoring, str(job.pk), "restricted")


def test_progress_fragment_polls_while_running_and_stops_when_done(client, monitoring, world):
    client.force_login(monitoring)
    job = pdf_job_request(actor=monitoring, kind=PdfKind.SUMMARY, cycle=world.cycle, enqueue=False)
    PdfJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, progress=42, message="Laying out the pages")
    fragment = client.get(reverse("monitoring:job_progress", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in fragment and 'value="42"' in fragment and "Laying out the pages" in fragment
    assert "<script" not in fragment and "style=" not in fragment
    PdfJob.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, error="ValueError: no paper")
    fragment = client.get(reverse("monitoring:job_progress", args=[job.pk])).content.decode()
    assert "hx-trigger" not in fragment and "ValueError: no paper" in fragment


def test_job_list_shows_history_and_polls_only_while_something_runs(client, secretariat, world, django_assert_max_num_queries):
    client.force_login(secretariat)
    done = [done_job(world) for _ in range(3)]
    failed = pdf_job_request(actor=secretariat, kind=PdfKind.PROFILE, state=world.fra, cycle=world.cycle, enqueue=False)
    PdfJob.objects.filter(pk=failed.pk).update(status=JobStatus.FAILED, error="RuntimeError: disk full")
    with django_assert_max_num_queries(12):
        page = client.get(reverse("monitoring:jobs")).content.decode()
    assert "RuntimeError: disk full" in page and "hx-trigger" not in page
    for job in done:
        assert reverse("monitoring:job_download", args=[job.pk]) in page
    pdf_job_request(actor=secretariat, kind=PdfKind.SUMMARY, cycle=world.cycle, enqueue=False)
    with django_assert_max_num_queries(12):
        table = client.get(reverse("monitoring:jobs_table")).content.decode()
    assert 'hx-trigger="every 2s"' in table


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"kind": "summary", "cycle": "nonsense", "distribution": "general"}, "cycle", "Unknown reporting cycle."),
        ({"kind": "summary", "cycle": "-1", "distribution": "general"}, "cycle", "Unknown reporting cycle."),
        ({"kind": "summary", "cycle": "9" * 40, "distribution": "general"}, "cycle", "Unknown reporting cycle."),
        ({"kind": "summary", "cycle": "", "distribution": "general"}, "cycle", "Choose the reporting cycle."),
        ({"kind": "profile", "state": "XXX", "distribution": "general"}, "state", "Unknown State."),
        ({"kind": "profile", "state": "<script>alert(1)</script>", "distribution": "general"}, "state", "Unknown State."),
        ({"kind": "profile", "state": "", "distribution": "general"}, "state", "Choose the State."),
        ({"kind": "receipt", "distribution": "general"}, "kind", "Select a valid choice"),
        ({"kind": "summary", "cycle": "1", "distribution": "top-secret"}, "distribution", "Unknown distribution"),
    ],
)
def test_bad_input_is_a_form_error_never_a_500(client, monitoring, world, data, field, message):
    client.force_login(monitoring)
    response = client.post(reverse("monitoring:job_create"), data)
    assert response.status_code == 400
    assert message in " ".join(str(e) for e in response.context["form"].errors[field])
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert not PdfJob.objects.exists()


def test_profile_request_accepts_a_lowercase_iso3(client, monitoring, world, django_capture_on_commit_callbacks):
    client.force_login(monitoring)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("monitoring:job_create"),
            {"kind": "profile", "state": "SAU", "cycle": world.cycle.pk, "distribution": "general"},
        )
    assert response.status_code == 302
    assert PdfJob.objects.get().state == world.sau


def test_committee_downloads_general_and_restricted_summaries_only(client, committee, world):
    general = done_job(world)
    restricted = done_job(world, distribution=Distribution.RESTRICTED)
    internal = done_job(world, distribution=Distribution.INTERNAL)
    profile = done_job(world, kind=PdfKind.PROFILE, state=world.fra)
    client.force_login(committee)
    assert client.get(reverse("monitoring:job_download", args=[general.pk])).status_code == 200
    assert client.get(reverse("monitoring:job_download", args=[restricted.pk])).status_code == 200
    assert client.get(reverse("monitoring:job_download", args=[internal.pk])).status_code == 404
    assert client.get(reverse("monitoring:job_download", args=[profile.pk])).status_code == 404
    listing = client.get(reverse("monitoring:summaries")).content.decode()
    assert reverse("monitoring:job_download", args=[general.pk]) in listing
    assert reverse("monitoring:job_download", args=[restricted.pk]) in listing
    assert "Restricted" in listing
    assert reverse("monitoring:job_download", args=[internal.pk]) not in listing
    for name in ("jobs", "jobs_table"):
        assert client.get(reverse(f"monitoring:{name}")).status_code == 404
    assert client.get(reverse("monitoring:job_detail", args=[general.pk])).status_code == 404
    assert client.post(reverse("monitoring:job_create"), {"kind": "summary", "cycle": world.cycle.pk}).status_code == 404


def test_delegations_see_no_council_document(client, focal_a, world):
    general = done_job(world)
    restricted = done_job(world, distribution=Distribution.RESTRICTED)
    internal = done_job(world, distribution=Distribution.INTERNAL)
    client.force_login(focal_a)
    for job in (general, restricted, internal):
        assert client.get(reverse("monitoring:job_download", args=[job.pk])).status_code == 404
        assert client.get(reverse("monitoring:job_progress", args=[job.pk])).status_code == 404
    assert client.get(reverse("monitoring:jobs")).status_code == 404
    assert client.get(reverse("monitoring:summaries")).status_code == 404
    assert not AuditEvent.objects.filter(action="pdf_download").exists()


def test_unfinished_or_missing_jobs_are_404(client, monitoring, world):
    client.force_login(monitoring)
    job = pdf_job_request(actor=monitoring, kind=PdfKind.SUMMARY, cycle=world.cycle, enqueue=False)
    assert client.get(reverse("monitoring:job_download", args=[job.pk])).status_code == 404
    assert client.get(reverse("monitoring:job_detail", args=[job.pk + 1000])).status_code == 404


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(reverse("monitoring:jobs"))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_committee_finds_the_summaries_in_the_menu(client, committee, world):
    client.force_login(committee)
    page = client.get(reverse("monitoring:summaries")).content.decode()
    assert f'href="{reverse("monitoring:summaries")}"' in page
    assert reverse("monitoring:jobs") + '"' not in page


def test_receipts_are_not_council_documents(client, monitoring, world):
    receipt = PdfJob.objects.create(kind=PdfKind.RECEIPT, requested_by=monitoring)
    client.force_login(monitoring)
    assert client.get(reverse("monitoring:job_detail", args=[receipt.pk])).status_code == 404
    assert reverse("monitoring:job_detail", args=[receipt.pk]) not in client.get(reverse("monitoring:jobs")).content.decode()

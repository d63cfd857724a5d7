"""The private store on a real S3-protocol server (moto_server): attachments, receipts and Council
PDFs are written to the bucket and read back through the portal's gate; nothing lands on the disk."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reports.models import Attachment, AttachmentKind, JobStatus, PdfJob, PdfKind
from reports.services.pdf_jobs import pdf_job_request
from reports.services.reports import report_submit_unchecked
from reports.storage import private_storage
from tests.delegation import draft_of, pdf_bytes
from tests.storage.conftest import local_files, objects, s3_client

pytestmark = pytest.mark.django_db


def test_the_private_store_is_the_bucket(s3_store, s3_endpoint, s3_bucket):
    assert private_storage.__class__.__name__ == "S3Storage"
    name = private_storage.save("probe/hello.txt", SimpleUploadedFile("hello.txt", b"hello"))
    assert objects(s3_endpoint, s3_bucket) == {f"portal/{name}": b"hello"}  # under the URL's prefix
    assert private_storage.open(name).read() == b"hello"
    # Never overwritten in place: a second file of the same name gets a name of its own.
    assert private_storage.save("probe/hello.txt", SimpleUploadedFile("hello.txt", b"other")) != name


def test_an_attachment_is_uploaded_to_the_bucket_and_downloaded_through_the_gate(
    client, s3_store, s3_endpoint, s3_bucket, settings, focal_a, focal_b, report_a, django_capture_on_commit_callbacks
):
    draft = draft_of(report_a)
    content = pdf_bytes() + b"%" + b"x" * 300_000  # bigger than one read, streamed in chunks
    client.force_login(focal_a)
    response = client.post(
        reverse("delegation:attachment_upload", args=[draft.pk]),
        {"file": SimpleUploadedFile("Loi 2015-912.pdf", content, content_type="application/pdf"), "kind": AttachmentKind.OTHER},
    )
    assert response.status_code == 302, response.content[:2000]
    attachment = Attachment.objects.get(version=draft)
    stored = objects(s3_endpoint, s3_bucket)
    assert stored == {f"portal/{attachment.file.name}": content}
    assert local_files(settings) == []  # nothing on this host's disk

    # Private: the object's ACL grants nobody but its owner, and it has no public address.
    acl = s3_client(s3_endpoint).get_object_acl(Bucket=s3_bucket, Key=f"portal/{attachment.file.name}")
    assert [grant["Permission"] for grant in acl["Grants"]] == ["FULL_CONTROL"]
    assert all("AllUsers" not in str(grant["Grantee"]) for grant in acl["Grants"])
    assert "Signature=" in attachment.file.url or "X-Amz-Signature=" in attachment.file.url  # signed, if ever asked

    url = reverse("delegation:attachment_download", args=[attachment.pk])
    download = client.get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == content  # type: ignore[attr-defined]
    assert hashlib.sha256(content).hexdigest() == attachment.sha256

    client.force_login(focal_b)  # another State: the gate answers 404 before the store is asked
    assert client.get(url).status_code == 404

    client.force_login(focal_a)
    with django_capture_on_commit_callbacks(execute=True):
        removed = client.post(reverse("delegation:attachment_remove", args=[draft.pk, attachment.pk]))
    assert removed.status_code == 302
    assert objects(s3_endpoint, s3_bucket) == {}  # the object goes with the row


def test_a_missing_object_answers_404_not_500(client, s3_store, s3_endpoint, s3_bucket, focal_a, report_a):
    from reports.services.attachments import attachment_add

    attachment = attachment_add(version=draft_of(report_a), actor=focal_a, upload=SimpleUploadedFile("law.pdf", pdf_bytes()))
    s3_client(s3_endpoint).delete_object(Bucket=s3_bucket, Key=f"portal/{attachment.file.name}")
    client.force_login(focal_a)
    assert client.get(reverse("delegation:attachment_download", args=[attachment.pk])).status_code == 404


def test_a_receipt_is_written_to_the_bucket_once_and_read_back(
    client, s3_store, s3_endpoint, s3_bucket, settings, focal_a, signatory_a, report_a, monkeypatch
):
    version = report_submit_unchecked(report=report_a, actor=signatory_a)
    client.force_login(focal_a)
    url = reverse("delegation:receipt", args=[report_a.pk, version.number])
    first = client.get(url)
    assert first.status_code == 200 and first.content.startswith(b"%PDF")
    stored = objects(s3_endpoint, s3_bucket)
    assert list(stored.values()) == [first.content]
    assert next(iter(stored)).startswith(f"portal/receipts/{report_a.state.iso3}/")

    # The second download reads the stored receipt: nothing is rendered again.
    from reports.services import receipts

    monkeypatch.setattr(receipts, "render_pdf", lambda *a, **k: pytest.fail("rendered again"))
    assert client.get(url).content == first.content
    assert local_files(settings) == []


def test_a_council_pdf_job_writes_its_file_to_the_bucket(
    client, s3_store, s3_endpoint, s3_bucket, settings, reference, monitoring, focal_a, django_capture_on_commit_callbacks
):
    from tests.pdf.world import build_world

    world = build_world()
    with django_capture_on_commit_callbacks(execute=True):  # queued on commit, run eagerly in tests
        job = pdf_job_request(actor=monitoring, kind=PdfKind.SUMMARY, cycle=world.cycle)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error_text
    stored = objects(s3_endpoint, s3_bucket)
    content = stored[f"portal/{job.file.name}"]
    assert hashlib.sha256(content).hexdigest() == job.sha256
    assert local_files(settings) == []

    client.force_login(monitoring)
    download = client.get(reverse("monitoring:job_download", args=[job.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == content  # type: ignore[attr-defined]
    assert PdfJob.objects.filter(pk=job.pk, file=job.file.name).exists()
    client.force_login(focal_a)  # not a reader of Council PDFs: 404 before the store is asked
    assert client.get(reverse("monitoring:job_download", args=[job.pk])).status_code == 404


def test_readyz_checks_the_bucket(client, s3_store, s3_endpoint, settings, monkeypatch):
    body = client.get("/readyz").json()
    assert body["checks"]["storage"] == {"ok": True, "backend": "S3Storage"}

    from sanctions_portal.settings.env import env_storage

    monkeypatch.setenv("STORAGE_URL", f"s3://k:s@no-such-bucket?endpoint_url={s3_endpoint}&region=us-east-1")
    gone = env_storage(local_root=settings.PRIVATE_MEDIA_ROOT)
    settings.STORAGES = {**settings.STORAGES, "default": gone, "private": gone}
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["storage"]["ok"] is False


def test_compendium_parts_are_kept_found_and_pruned_in_the_bucket(s3_store, s3_endpoint, s3_bucket, settings):
    import datetime

    from reports.services import pdf_parts

    key = "ab" + "0" * 62
    pdf_parts.part_put(key=key, content=b"%PDF-part", pages=3, entries=[("FRA", "France", 1)])
    pdf_parts.part_put(key=key, content=b"%PDF-part", pages=3, entries=[("FRA", "France", 1)])  # a second worker: kept once
    assert sorted(objects(s3_endpoint, s3_bucket)) == [f"portal/pdf/parts/ab/{key}.json", f"portal/pdf/parts/ab/{key}.pdf"]
    found = pdf_parts.part_get(key)
    assert found is not None and (found.pages, found.entries) == (3, [("FRA", "France", 1)])
    assert pdf_parts.part_content(key) == b"%PDF-part"
    assert pdf_parts.pdf_parts_prune(older_than=datetime.timedelta(days=1)) == 0  # fresh: kept
    assert pdf_parts.pdf_parts_prune(older_than=datetime.timedelta(minutes=-1)) == 2
    assert objects(s3_endpoint, s3_bucket) == {} and local_files(settings) == []

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from reports.models import Attachment
from reports.services.attachments import DOC, DOCX, JPEG, PDF, PNG, XLS, XLSX, AttachmentRefused, attachment_add
from reports.services.reports import ReportError, report_submit_unchecked
from tests.delegation import draft_of, jpeg_bytes, ole_bytes, ooxml_bytes, pdf_bytes, png_bytes

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("law.pdf", pdf_bytes(), PDF),
        ("scan.png", png_bytes(), PNG),
        ("scan.jpeg", jpeg_bytes(), JPEG),
        ("note.docx", ooxml_bytes("word/document.xml"), DOCX),
        ("table.xlsx", ooxml_bytes("xl/workbook.xml"), XLSX),
        ("old.doc", ole_bytes("WordDocument"), DOC),
        ("old.xls", ole_bytes("Workbook"), XLS),
        ("no-extension", pdf_bytes(), PDF),
    ],
)
def test_allowed_types_are_recognised_from_their_content(report_a, focal_a, name, content, expected):
    attachment = attachment_add(version=draft_of(report_a), actor=focal_a,
                                upload=SimpleUploadedFile(name, content, content_type="text/plain"))  # fmt: skip
    assert attachment.content_type == expected
    assert attachment.size == len(content) and len(attachment.sha256) == 64


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("law.pdf", b"<html><script>alert(1)</script></html>", "not accepted"),
        ("law.pdf", png_bytes(), "another type"),
        ("payload.exe", b"MZ\x90\x00" + b"\x00" * 100, "not accepted"),
        ("fake.docx", ooxml_bytes("random.xml"), "not accepted"),
        ("broken.docx", b"PK\x03\x04 not really a zip", "not accepted"),
        ("slides.doc", ole_bytes("PowerPoint Document"), "not accepted"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_files_lying_about_their_type_or_empty_are_refused(report_a, focal_a, name, content, reason):
    with pytest.raises(AttachmentRefused, match=reason):
        attachment_add(version=draft_of(report_a), actor=focal_a,
                       upload=SimpleUploadedFile(name, content, content_type="application/pdf"))  # fmt: skip
    assert not Attachment.objects.exists()


def test_a_file_over_20_mb_is_refused(report_a, focal_a, settings):
    assert settings.ATTACHMENT_MAX_BYTES == 20 * 1024 * 1024
    content = pdf_bytes() + b"0" * (20 * 1024 * 1024)
    with pytest.raises(AttachmentRefused, match="larger than 20 MB"):
        attachment_add(version=draft_of(report_a), actor=focal_a, upload=SimpleUploadedFile("big.pdf", content))
    assert not Attachment.objects.exists()


def test_the_original_name_is_kept_but_never_used_as_a_path(report_a, focal_a):
    attachment = attachment_add(version=draft_of(report_a), actor=focal_a,
                                upload=SimpleUploadedFile("../../etc/passwd.pdf", pdf_bytes()))  # fmt: skip
    assert attachment.original_name == "passwd.pdf"
    assert attachment.file.name.startswith(f"attachments/{report_a.state_id}/")
    assert "passwd" not in attachment.file.name and ".." not in attachment.file.name
    with attachment.file.open("rb") as handle:
        assert handle.read() == pdf_bytes()


def test_a_submitted_version_takes_no_attachment(report_a, focal_a, signatory_a):
    version = report_submit_unchecked(report=report_a, actor=signatory_a)
    with pytest.raises(ReportError):
        attachment_add(version=version, actor=focal_a, upload=SimpleUploadedFile("law.pdf", pdf_bytes()))

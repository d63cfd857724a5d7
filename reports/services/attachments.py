"""Attachments: the type is read from the content, never from the name or the browser.

Allowed: PDF, Word (DOCX, DOC), Excel (XLSX, XLS), PNG and JPEG, at most
settings.ATTACHMENT_MAX_BYTES. Files are stored under generated names outside the web
root; the original name is kept only as a label for the download.
"""

from __future__ import annotations

import hashlib
import os
import unicodedata
import zipfile
from typing import IO

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from reports.models import Attachment, AttachmentKind, ReportVersion, User

from .audit import audit_log
from .reports import ReportError

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOC = "application/msword"
XLS = "application/vnd.ms-excel"

# The extensions a name may carry for each detected type; a name that claims another type is refused.
EXTENSIONS = {
    PDF: {".pdf"},
    PNG: {".png"},
    JPEG: {".jpg", ".jpeg"},
    DOCX: {".docx"},
    XLSX: {".xlsx"},
    DOC: {".doc"},
    XLS: {".xls"},
}
OLE_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")


class AttachmentRefused(ReportError):
    pass


def sniff_content_type(handle: IO[bytes]) -> str | None:
    """The type the bytes show, or None if they are none of the allowed types."""
    handle.seek(0)
    head = handle.read(8)
    handle.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        return _sniff_ooxml(handle)
    if head == OLE_SIGNATURE:
        return _sniff_ole(handle)
    return None


def _sniff_ooxml(handle: IO[bytes]) -> str | None:
    # Only the central directory is read: nothing is decompressed, so a zip bomb costs nothing.
    try:
        with zipfile.ZipFile(handle) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        handle.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None


def _sniff_ole(handle: IO[bytes]) -> str | None:
    # A compound file names its streams in UTF-16 in its directory: Word has "WordDocument",
    # Excel "Workbook" (or "Book" before Excel 97).
    data = handle.read()
    handle.seek(0)
    if "WordDocument".encode("utf-16-le") in data:
        return DOC
    if "Workbook".encode("utf-16-le") in data or "Book\x00".encode("utf-16-le") in data:
        return XLS
    return None


def clean_original_name(name: str) -> str:
    name = os.path.basename(str(name).replace("\\", "/"))
    name = "".join(ch for ch in unicodedata.normalize("NFC", name) if unicodedata.category(ch)[0] != "C")
    return name.strip()[:255] or "attachment"


def attachment_check(upload: UploadedFile) -> tuple[str, str]:
    """(content type, SHA-256) of an acceptable upload; AttachmentRefused with the reason otherwise."""
    size = upload.size or 0
    if size <= 0:
        raise AttachmentRefused(_("The file is empty."))
    if size > settings.ATTACHMENT_MAX_BYTES:
        raise AttachmentRefused(_("The file is larger than %(mb)d MB.") % {"mb": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)})
    if upload.file is None:
        raise AttachmentRefused(_("The file is empty."))
    content_type = sniff_content_type(upload.file)
    if content_type is None:
        raise AttachmentRefused(_("This type of file is not accepted: attach PDF, Word, Excel, PNG or JPEG files."))
    extension = os.path.splitext(clean_original_name(upload.name or ""))[1].lower()
    if extension and extension not in EXTENSIONS[content_type]:
        raise AttachmentRefused(
            _("The file's name ends in %(ext)s but its content is of another type (%(type)s).")
            % {"ext": extension, "type": content_type}
        )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return content_type, digest.hexdigest()


@transaction.atomic
def attachment_add(
    *, version: ReportVersion, actor: User, upload: UploadedFile, kind: str = AttachmentKind.OTHER, description: str = ""
) -> Attachment:
    version = ReportVersion.objects.select_for_update().select_related("report__state").get(pk=version.pk)
    if not version.is_draft:
        raise ReportError(_("This version has been submitted and can no longer change."))
    content_type, sha256 = attachment_check(upload)
    attachment = Attachment(
        version=version,
        original_name=clean_original_name(upload.name or ""),
        content_type=content_type,
        size=upload.size or 0,
        sha256=sha256,
        kind=kind if kind in AttachmentKind.values else AttachmentKind.OTHER,
        description=description[:500],
        uploaded_by=actor,
    )
    # upload_to ignores the name it is given: the stored name is generated.
    attachment.file.save("upload", upload, save=False)
    attachment.save()
    audit_log(
        action="attachment_add", actor=actor, state=version.report.state, obj=attachment, sha256=sha256, size=attachment.size
    )
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: Attachment, actor: User) -> None:
    version = ReportVersion.objects.select_for_update().select_related("report__state").get(pk=attachment.version_id)
    if not version.is_draft:
        raise ReportError(_("This version has been submitted and can no longer change."))
    name = attachment.file.name
    audit_log(action="attachment_remove", actor=actor, state=version.report.state, obj=attachment, sha256=attachment.sha256)
    attachment.delete()
    # Frozen versions share the stored file with the draft they came from: delete it only when unused.
    if name and not Attachment.objects.filter(file=name).exists():
        transaction.on_commit(lambda: attachment.file.storage.delete(name))

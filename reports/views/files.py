"""A State's file served through the access gate, the same way wherever it is asked for (the
attachment download page, the API): audited, as an attachment, never sniffed, never run.
(`Cache-Control: no-store` is NoStoreMiddleware's, on every file.)"""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest

from reports.models import Attachment, User
from reports.services.audit import audit_log


def attachment_response(request: HttpRequest, attachment: Attachment, *, reader: User) -> FileResponse:
    """The file of an attachment `reader` has from the gate (get_attachment_for_user); 404 when
    its file is missing from storage."""
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    audit_log(
        action="attachment_download",
        actor=reader,
        state=attachment.version.report.state,
        obj=attachment,
        request=request,
        sha256=attachment.sha256,
    )
    response = FileResponse(handle, as_attachment=True, filename=attachment.original_name, content_type=attachment.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response

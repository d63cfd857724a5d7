"""The delegation side: a State's obligations, its reports, the editor, submission and history."""

from .attachments import attachment_download, attachment_remove, attachment_upload
from .dashboard import dashboard, event_report_new, report_start
from .editor import editor, editor_start
from .reports import report_addendum, report_detail, report_history, report_review, version_detail, version_receipt
from .sanctions import sanctions_suggest

__all__ = [
    "attachment_download",
    "attachment_remove",
    "attachment_upload",
    "dashboard",
    "editor",
    "editor_start",
    "event_report_new",
    "report_addendum",
    "report_detail",
    "report_history",
    "report_review",
    "report_start",
    "sanctions_suggest",
    "version_detail",
    "version_receipt",
]

from django.urls import path

from reports.views import delegation, threads

app_name = "delegation"

urlpatterns = [
    path("", delegation.dashboard, name="dashboard"),
    path("cycles/<int:cycle_id>/start/", delegation.report_start, name="start"),
    path("notifications/oil/", delegation.event_report_new, name="event_new"),
    path("reports/<int:pk>/", delegation.report_detail, name="report"),
    path("reports/<int:pk>/edit/", delegation.editor_start, name="edit"),
    path("reports/<int:pk>/review/", delegation.report_review, name="review"),
    path("reports/<int:pk>/addendum/", delegation.report_addendum, name="addendum"),
    path("reports/<int:pk>/assessments/<int:measure_id>/answer/", threads.assessment_answer, name="assessment_answer"),
    path("threads/<int:thread_id>/reply/", threads.thread_reply_view, name="thread_reply"),
    path("reports/<int:pk>/history/", delegation.report_history, name="history"),
    path("reports/<int:pk>/versions/<int:number>/", delegation.version_detail, name="version"),
    path("reports/<int:pk>/versions/<int:number>/receipt.pdf", delegation.version_receipt, name="receipt"),
    path("drafts/<int:pk>/attachments/upload/", delegation.attachment_upload, name="attachment_upload"),
    path("drafts/<int:pk>/attachments/<int:attachment_pk>/remove/", delegation.attachment_remove, name="attachment_remove"),
    path("drafts/<int:pk>/workbook/", delegation.workbook_page, name="workbook"),
    path("drafts/<int:pk>/workbook.xlsx", delegation.workbook_download, name="workbook_download"),
    path("drafts/<int:pk>/workbook/<str:token>/", delegation.workbook_dry_run, name="workbook_dry_run"),
    path("drafts/<int:pk>/workbook/<str:token>/apply/", delegation.workbook_apply, name="workbook_apply"),
    path("drafts/<int:pk>/workbook/<str:token>/fresh/", delegation.workbook_fresh, name="workbook_fresh"),
    path("drafts/<int:pk>/carry-over/", delegation.draft_carry_over_view, name="carry_over"),
    path("drafts/<int:pk>/carried/<int:measure_pk>/confirm/", delegation.answer_confirm_view, name="answer_confirm"),
    path("drafts/<int:pk>/<slug:section>/", delegation.editor, name="editor"),
    path("attachments/<int:pk>/", delegation.attachment_download, name="attachment_download"),
    path("sanctions-list/suggestions/", delegation.sanctions_suggest, name="sanctions_suggest"),
]

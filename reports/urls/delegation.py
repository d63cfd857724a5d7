from django.urls import path

from reports.views import delegation

app_name = "delegation"

urlpatterns = [
    path("", delegation.dashboard, name="dashboard"),
    path("cycles/<int:cycle_id>/start/", delegation.report_start, name="start"),
    path("notifications/oil/", delegation.event_report_new, name="event_new"),
    path("reports/<int:pk>/", delegation.report_detail, name="report"),
    path("reports/<int:pk>/edit/", delegation.editor_start, name="edit"),
    path("reports/<int:pk>/review/", delegation.report_review, name="review"),
    path("reports/<int:pk>/addendum/", delegation.report_addendum, name="addendum"),
    path("reports/<int:pk>/history/", delegation.report_history, name="history"),
    path("reports/<int:pk>/versions/<int:number>/", delegation.version_detail, name="version"),
    path("reports/<int:pk>/versions/<int:number>/receipt.pdf", delegation.version_receipt, name="receipt"),
    path("drafts/<int:pk>/attachments/upload/", delegation.attachment_upload, name="attachment_upload"),
    path("drafts/<int:pk>/attachments/<int:attachment_pk>/remove/", delegation.attachment_remove, name="attachment_remove"),
    path("drafts/<int:pk>/<slug:section>/", delegation.editor, name="editor"),
    path("attachments/<int:pk>/", delegation.attachment_download, name="attachment_download"),
    path("sanctions-list/suggestions/", delegation.sanctions_suggest, name="sanctions_suggest"),
]

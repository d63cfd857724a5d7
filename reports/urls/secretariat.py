from django.urls import path

from reports.views import secretariat, threads

app_name = "secretariat"

urlpatterns = [
    path("", secretariat.dashboard, name="dashboard"),
    path("cycles/<str:cycle_id>/states/", secretariat.status_list, name="status"),
    path("cycles/<str:cycle_id>/matrix/", secretariat.matrix, name="matrix"),
    path("cycles/<str:cycle_id>/register/", secretariat.register, name="register"),
    path("cycles/<str:cycle_id>/register/<slug:section>/", secretariat.register, name="register_section"),
    path("parties/", secretariat.parties, name="parties"),
    path("follow-ups/", secretariat.followup, name="followup"),
    path("sanctions-list/", secretariat.sanctions_list, name="sanctions_list"),
    path("sanctions-list/imports/", secretariat.sanctions_snapshots, name="sanctions_snapshots"),
    path("sanctions-list/imports/new/", secretariat.sanctions_upload, name="sanctions_upload"),
    path("sanctions-list/entries/<str:reference>/", secretariat.sanctions_entry, name="sanctions_entry"),
    path("sanctions-list/screening/", secretariat.screening, name="screening"),
    path("sanctions-list/screening/decide/", secretariat.screening_decide, name="screening_decide"),
    path("sanctions-list/screening/run/", secretariat.screening_rerun, name="screening_rerun"),
    path("reports/", secretariat.reports, name="reports"),
    path("reports/<str:pk>/", secretariat.report_detail, name="report"),
    path("reports/<str:pk>/assess/", secretariat.report_assess, name="assess"),
    path("reports/<str:pk>/measures/<str:measure_id>/", secretariat.matrix_cell, name="cell"),
    path("reports/<str:pk>/threads/new/", threads.thread_new, name="thread_new"),
    path("reports/<str:pk>/assessments/share/", threads.assessments_share_view, name="assessments_share"),
    path("reports/<str:pk>/assessments/finalise/", threads.assessments_finalise_view, name="assessments_finalise"),
    path("reports/<str:pk>/<slug:action>/", secretariat.report_action, name="report_action"),
    path("threads/<str:thread_id>/reply/", threads.thread_reply_view, name="thread_reply"),
    path("threads/<str:thread_id>/resolve/", threads.thread_resolve_view, name="thread_resolve"),
    path("reminders/", secretariat.reminders, name="reminders"),
    path("reminders/send/", secretariat.reminders_send, name="reminders_send"),
    path("reminders/batches/<str:pk>/", secretariat.reminder_batch_detail, name="reminder_batch"),
    path("states/without-accounts/", secretariat.states_unreachable, name="states_unreachable"),
    path("states/<str:iso3>/", secretariat.state_detail, name="state"),
    path("states/<str:iso3>/remind/", secretariat.state_remind, name="remind"),
]

from django.urls import path

from reports.views import secretariat

app_name = "secretariat"

urlpatterns = [
    path("", secretariat.dashboard, name="dashboard"),
    path("cycles/<str:cycle_id>/states/", secretariat.status_list, name="status"),
    path("cycles/<str:cycle_id>/matrix/", secretariat.matrix, name="matrix"),
    path("cycles/<str:cycle_id>/register/", secretariat.register, name="register"),
    path("cycles/<str:cycle_id>/register/<slug:section>/", secretariat.register, name="register_section"),
    path("parties/", secretariat.parties, name="parties"),
    path("follow-ups/", secretariat.followup, name="followup"),
    path("reports/", secretariat.reports, name="reports"),
    path("reports/<str:pk>/", secretariat.report_detail, name="report"),
    path("reports/<str:pk>/assess/", secretariat.report_assess, name="assess"),
    path("reports/<str:pk>/measures/<str:measure_id>/", secretariat.matrix_cell, name="cell"),
    path("reports/<str:pk>/<slug:action>/", secretariat.report_action, name="report_action"),
    path("reminders/", secretariat.reminders, name="reminders"),
    path("reminders/send/", secretariat.reminders_send, name="reminders_send"),
    path("reminders/batches/<str:pk>/", secretariat.reminder_batch_detail, name="reminder_batch"),
    path("states/without-accounts/", secretariat.states_unreachable, name="states_unreachable"),
    path("states/<str:iso3>/", secretariat.state_detail, name="state"),
    path("states/<str:iso3>/remind/", secretariat.state_remind, name="remind"),
]

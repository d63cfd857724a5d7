from django.urls import path

from reports.views import committee

app_name = "committee"

urlpatterns = [
    path("", committee.reports, name="reports"),
    path("reports/<int:pk>/", committee.report_detail, name="report"),
]

from django.urls import path

from reports.views import monitoring

app_name = "monitoring"

urlpatterns = [
    path("", monitoring.jobs, name="jobs"),
]

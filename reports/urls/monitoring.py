from django.urls import path

from reports.views import monitoring

app_name = "monitoring"

urlpatterns = [
    path("", monitoring.jobs, name="jobs"),
    path("jobs/new/", monitoring.job_create, name="job_create"),
    path("jobs/table/", monitoring.jobs_table, name="jobs_table"),
    path("jobs/<int:pk>/", monitoring.job_detail, name="job_detail"),
    path("jobs/<int:pk>/progress/", monitoring.job_progress, name="job_progress"),
    path("jobs/<int:pk>/download/", monitoring.job_download, name="job_download"),
    path("jobs/sets/<uuid:batch>/", monitoring.batch_detail, name="batch_detail"),
    path("jobs/sets/<uuid:batch>/progress/", monitoring.batch_progress, name="batch_progress"),
    path("summaries/", monitoring.summaries, name="summaries"),
]

from django.urls import path

from reports.views import secretariat

app_name = "secretariat"

urlpatterns = [
    path("", secretariat.dashboard, name="dashboard"),
]

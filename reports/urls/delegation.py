from django.urls import path

from reports.views import delegation

app_name = "delegation"

urlpatterns = [
    path("", delegation.dashboard, name="dashboard"),
]

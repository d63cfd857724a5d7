from django.urls import path

from reports.views import security

app_name = "security"

urlpatterns = [
    path("account/", security.account, name="account"),
    path("audit/", security.audit, name="audit"),
]

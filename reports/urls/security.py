from django.urls import path

from reports.views import security

app_name = "security"

urlpatterns = [
    path("account/", security.account, name="account"),
    path("account/tokens/", security.token_create, name="token_create"),
    path("account/tokens/<int:pk>/revoke/", security.token_revoke, name="token_revoke"),
    path("audit/", security.audit, name="audit"),
]

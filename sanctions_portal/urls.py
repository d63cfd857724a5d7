from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from reports.views import common, metrics

# The admin signs in through the portal's own login (allauth, with MFA and lockout).
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]
admin.site.site_header = "ISIL (Da'esh) and Al-Qaida sanctions reporting: administration"

urlpatterns = [
    path("", common.home, name="home"),
    path("healthz", common.healthz, name="healthz"),
    path("readyz", common.readyz, name="readyz"),
    path("metrics", metrics.metrics, name="metrics"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("delegation/", include("reports.urls.delegation")),
    path("secretariat/", include("reports.urls.secretariat")),
    path("monitoring/", include("reports.urls.monitoring")),
    path("committee/", include("reports.urls.committee")),
    path("security/", include("reports.urls.security")),
    path("api/v1/", include("reports.api.urls")),
]

# A request over DATA_UPLOAD_MAX_NUMBER_FIELDS or DATA_UPLOAD_MAX_MEMORY_SIZE: a reason, not a bare 400.
handler400 = "reports.views.common.bad_request"
# The other error pages in the portal's layout and the reader's language (reports/views/errors.py).
handler403 = "reports.views.errors.permission_denied"
handler404 = "reports.views.errors.page_not_found"
handler500 = "reports.views.errors.server_error"

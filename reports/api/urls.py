from csp.decorators import csp_update
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import views

app_name = "api"

# Swagger UI (served from static by drf-spectacular-sidecar) sets style attributes from its
# script: this one page may use inline styles; its scripts stay 'self' only (the split view
# serves the initialiser as a file, not inline). Every other page keeps the strict policy.
docs = csp_update({"style-src": ["'unsafe-inline'"]})(SpectacularSwaggerSplitView.as_view(url_name="api:schema"))

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", docs, name="docs"),
    path("obligations/", views.ObligationList.as_view(), name="obligations"),
    path("my/cycles/", views.OwnCycleList.as_view(), name="own_cycles"),
    path("cycles/", views.CycleList.as_view(), name="cycles"),
    path("cycles/<str:pk>/status/", views.CycleStatus.as_view(), name="cycle_status"),
    path("cycles/<str:pk>/matrix/", views.CycleMatrix.as_view(), name="cycle_matrix"),
    path("cycles/<str:pk>/inconsistencies/", views.Inconsistencies.as_view(), name="cycle_inconsistencies"),
    path("parties/", views.NamedParties.as_view(), name="parties"),
    path("screening/matches/", views.ScreeningMatches.as_view(), name="screening_matches"),
    path("reports/", views.ReportList.as_view(), name="reports"),
    path("reports/<str:pk>/", views.ReportDetail.as_view(), name="report"),
    path("reports/<str:pk>/versions/", views.VersionList.as_view(), name="versions"),
    path("reports/<str:pk>/versions/<str:number>/", views.VersionDetail.as_view(), name="version"),
    path("reports/<str:pk>/draft/", views.DraftDetail.as_view(), name="draft"),
    path("reports/<str:pk>/draft/checklist/", views.DraftChecklist.as_view(), name="draft_checklist"),
    *[
        path(f"reports/<str:pk>/draft/registers/{section}/", view.as_view(), name=f"draft_register_{section}")
        for section, view in views.REGISTER_VIEWS.items()
    ],
]

# A report's attachments: the list, and each file streamed through the gate.
urlpatterns += [
    path("reports/<str:pk>/attachments/", views.AttachmentList.as_view(), name="report_attachments"),
    path("reports/<str:pk>/attachments/<str:aid>/", views.AttachmentFile.as_view(), name="report_attachment"),
]

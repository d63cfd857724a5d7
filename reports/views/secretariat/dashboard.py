"""The cycle dashboard and the lists of States behind each of its numbers."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_tables2 import RequestConfig

from reports.charts import reporting_rate_chart, status_chart, svg_data_uri, trend_chart
from reports.exports import status_dataset
from reports.filters import StatusFilterForm
from reports.selectors.dashboard import cycle_status_summary, cycle_trend, filter_states
from reports.tables import StatusTable
from reports.views.decorators import back_office_required

from .common import cycle_from_query, cycle_or_404, maybe_export, query_without, today


@back_office_required
def dashboard(request: HttpRequest) -> HttpResponse:
    form, cycle = cycle_from_query(request)
    context: dict[str, object] = {"cycle_form": form, "cycle": cycle, "sec_tab": "dashboard"}
    if cycle is not None:
        day = today()
        summary = cycle_status_summary(cycle=cycle, today=day)
        trend = cycle_trend(today=day)
        context.update(
            summary=summary,
            trend=trend,
            overdue=summary.overdue_states[:15],
            rate_chart=svg_data_uri(reporting_rate_chart(summary)),
            status_chart=svg_data_uri(status_chart(summary)),
            trend_chart=svg_data_uri(trend_chart(trend)),
        )
    return render(request, "secretariat/dashboard.html", context)


@back_office_required
def status_list(request: HttpRequest, cycle_id: str) -> HttpResponse:
    cycle = cycle_or_404(cycle_id)
    summary = cycle_status_summary(cycle=cycle, today=today())
    form = StatusFilterForm(request.GET or None)
    values = form.values() if form.is_bound else {"category": "", "group": ""}
    rows = filter_states(summary, **values) if values else []
    summary.states = rows  # the export holds exactly the rows on screen

    exported = maybe_export(request, lambda: status_dataset(summary), f"status-{cycle.code}")
    if exported is not None:
        return exported
    table = StatusTable(rows)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(
        request,
        "secretariat/status.html",
        {
            "cycle": cycle,
            "form": form,
            "table": table,
            "count": len(rows),
            "export_query": query_without(request, "export", "page"),
        },
    )

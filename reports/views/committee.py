"""Committee members (the Council members' experts) read accepted reports.

Read only. Every lookup goes through reports.selectors.access: a report the member may not
read (a draft, one not accepted yet, one marked Secretariat-only, a bad id) answers 404, and a
section the State marked for the Secretariat only is replaced by a plain note.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from reports.forms.committee import CommitteeFilterForm
from reports.models import Measure, MeasureArea, Role, Section
from reports.selectors.access import attachments_visible_to, get_report_for_user, section_visible
from reports.selectors.committee import committee_cycles, committee_reports
from reports.selectors.delegation import measures_by_code

from .decorators import role_required
from .delegation.content import Table, content_tables

REPORTS_PER_PAGE = 25
committee_required = role_required(Role.COMMITTEE)


@committee_required
@require_GET
def reports(request: HttpRequest) -> HttpResponse:
    form = CommitteeFilterForm(request.GET or None, cycles=committee_cycles(user=request.user))
    status = 200
    filters: dict[str, Any] = {}
    if form.is_bound:
        if form.is_valid():
            filters = {"cycle": form.cleaned_data["cycle"], "regional_group": form.cleaned_data["group"]}
        else:
            status = 400
    rows = committee_reports(user=request.user, **filters) if status == 200 else committee_reports(user=request.user).none()
    page = Paginator(rows, REPORTS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "committee/reports.html", {"form": form, "page": page, "query": query.urlencode()}, status=status)


@committee_required
@require_GET
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request.user, pk)
    version = report.current_version
    if version is None:  # the gate only lets through submitted reports; belt and braces
        raise Http404
    version.report = report
    content = version.content or {}
    codes = [row["measure"] for row in content.get("checklist", [])]
    measures = measures_by_code(codes)
    visible = {key: section_visible(request.user, version, key) for key in Section.values}
    tables = _readable_tables(content_tables(content, measures), content, measures, visible)
    # Listed through the gate too, so a link is only shown where the download will answer.
    attachments = (
        list(attachments_visible_to(request.user).filter(version=version).order_by("pk")) if visible[Section.ATTACHMENTS] else []
    )
    return render(
        request,
        "committee/report.html",
        {"report": report, "version": version, "tables": tables, "attachments": attachments},
    )


def _readable_tables(
    tables: list[Table], content: dict[str, Any], measures: dict[str, Measure], visible: dict[str, bool]
) -> list[Table]:
    """Restricted sections become an empty, flagged table (no rows, no count); the checklist is
    split into one table per area of measures."""
    readable: list[Table] = []
    for table in tables:
        if not visible.get(table.key, False):
            readable.append(Table(table.key, table.label, [], restricted=True))
        elif table.key == Section.CHECKLIST:
            codes = [row.get("measure", "") for row in content.get("checklist", [])]
            readable.extend(_checklist_by_area(table, codes, measures))
        else:
            readable.append(table)
    return readable


def _checklist_by_area(table: Table, codes: list[str], measures: dict[str, Measure]) -> list[Table]:
    """`codes` are the measures of the table's rows, in the same order (both come from the content)."""
    by_area: dict[str, list[list[str]]] = defaultdict(list)
    for code, cells in zip(codes, table.rows, strict=True):
        measure = measures.get(code)
        by_area[measure.area if measure else ""].append(cells)
    if not by_area:
        return [table]
    labels = dict(MeasureArea.choices)
    order = [*MeasureArea.values, ""]
    grouped = []
    for area in sorted(by_area, key=order.index):
        rows = by_area[area]
        label = f"{table.label} · {labels.get(area, area)}" if area else table.label
        grouped.append(Table(f"{table.key}-{area or 'other'}", label, table.columns, rows, [""] * len(rows), table.level))
    return grouped

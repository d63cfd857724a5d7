"""The non-compliance register: its tabs, the named-party register, and closing a finding."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig, Table

from reports import exports, tables
from reports.filters import PartyFilterForm, RegisterFilterForm
from reports.models import MemberState
from reports.selectors import noncompliance as nc
from reports.selectors.access import is_secretariat
from reports.services.followups import followup_update
from reports.services.reports import ReportError
from reports.views.decorators import back_office_required, secretariat_required

from .common import cycle_or_404, export_requested, maybe_export, query_without, safe_next, today
from .forms import FollowUpForm

SECTIONS: dict[str, Any] = {
    "overdue": gettext_lazy("Not reported or overdue"),
    "incomplete": gettext_lazy("Incomplete reports"),
    "gaps": gettext_lazy("Measures not in place"),
    "inconsistencies": gettext_lazy("Inconsistencies across reports"),
    "listed": gettext_lazy("Reported parties since listed"),
}


TABLES: dict[str, type[Table]] = {
    "overdue": tables.OverdueTable,
    "incomplete": tables.IncompleteTable,
    "gaps": tables.GapTable,
    "inconsistencies": tables.InconsistencyTable,
    "listed": tables.ListedPartyTable,
}


def _findings(section: str, request: HttpRequest, cycle: Any, values: dict[str, str]) -> tuple[list[Any], type[Table], Callable]:
    user = request.user
    group = values.get("group", "")
    if section == "overdue":
        rows: list[Any] = nc.overdue_findings(cycle=cycle, today=today())
        if group:
            rows = [r for r in rows if r.regional_group == group]
        return rows, tables.OverdueTable, exports.overdue_dataset
    if section == "incomplete":
        rows = nc.incomplete_findings(user=user, cycle=cycle)
        if group:
            rows = [r for r in rows if r.regional_group == group]
        return rows, tables.IncompleteTable, exports.incomplete_dataset
    if section == "gaps":
        rows = nc.gap_findings(user=user, cycle=cycle, area=values.get("area", ""), group=group)
        return rows, tables.GapTable, exports.gaps_dataset
    if section == "listed":
        rows = nc.listed_party_findings(user=user, cycle=cycle)
        return rows, tables.ListedPartyTable, exports.listed_parties_dataset
    rows = nc.inconsistencies(user=user, cycle=cycle)
    if group:  # a pair concerns the group when either State belongs to it
        rows = [r for r in rows if group in (r.reporter_group, r.other_group)]
    return rows, tables.InconsistencyTable, exports.inconsistencies_dataset


@back_office_required
def register(request: HttpRequest, cycle_id: str, section: str = "overdue") -> HttpResponse:
    if section not in SECTIONS:
        raise Http404
    cycle = cycle_or_404(cycle_id)
    form = RegisterFilterForm(request.GET or None, section=section)
    values = form.values() if form.is_bound else {"closed": "", "group": "", "area": ""}
    if values:
        rows, table_class, dataset = _findings(section, request, cycle, values)
    else:  # an invalid filter: the form shows the error, the table stays empty
        rows, table_class, dataset = [], TABLES[section], None
    rows = nc.filter_open(rows, values.get("closed", "")) if values else []
    if dataset is not None:
        exported = maybe_export(request, lambda: dataset(rows), f"{section}-{cycle.code}")
        if exported is not None:
            return exported
    table = table_class(rows)
    table.can_follow_up = is_secretariat(request.user)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(
        request,
        "secretariat/register.html",
        {
            "cycle": cycle,
            "section": section,
            "sections": SECTIONS,
            "section_label": SECTIONS[section],
            "form": form,
            "table": table,
            "count": len(rows),
            "export_query": query_without(request, "export", "page"),
            "sec_tab": "register",
        },
    )


@back_office_required
def parties(request: HttpRequest) -> HttpResponse:
    """Parties named across all reports (or one cycle's), and Sanctions List references grouped."""
    form = PartyFilterForm(request.GET or None)
    rows: list[Any] = []
    refs: list[Any] = []
    values: dict[str, Any] = {}
    if not form.is_bound or form.is_valid():
        values = form.cleaned_data if form.is_bound else {}
        cycle = values.get("cycle")
        rows = nc.named_parties(
            user=request.user,
            cycle=cycle,
            search=values.get("search") or "",
            list_ref=values.get("list_ref") or "",
            state=values.get("state") or "",
            details=export_requested(request) is not None,
        )
        rows = nc.filter_open(rows, values.get("closed") or "")
        refs = nc.named_list_refs(user=request.user, cycle=cycle)
    which = request.GET.get("table", "parties")
    if which == "refs":
        exported = maybe_export(request, lambda: exports.list_refs_dataset(refs), "sanctions-list-references")
    else:
        exported = maybe_export(request, lambda: exports.named_parties_dataset(rows), "named-parties")
    if exported is not None:
        return exported
    table = tables.NamedPartyTable(rows, prefix="p-")
    table.can_follow_up = is_secretariat(request.user)
    RequestConfig(request, paginate={"per_page": 25}).configure(table)
    nc.party_details_fill([row.record for row in table.page.object_list] if table.page else [])
    ref_table = tables.ListRefTable(refs, prefix="r-")
    RequestConfig(request, paginate={"per_page": 25}).configure(ref_table)
    return render(
        request,
        "secretariat/parties.html",
        {
            "form": form,
            "table": table,
            "ref_table": ref_table,
            "count": len(rows),
            "export_query": query_without(request, "export", "table", "p-page", "r-page"),
            "sec_tab": "parties",
        },
    )


@require_POST
@secretariat_required
def followup(request: HttpRequest) -> HttpResponse:
    form = FollowUpForm(request.POST)
    fallback = reverse("secretariat:dashboard")
    if not form.is_valid():
        messages.error(request, _("The follow-up could not be saved: %(errors)s") % {"errors": form.errors.as_text()})
        return redirect(safe_next(request, fallback))
    data = form.cleaned_data
    state = MemberState.objects.filter(iso3=data["state"]).first() if data.get("state") else None
    try:
        followup_update(
            kind=data["kind"],
            key=data["key"],
            actor=request.user,  # type: ignore[arg-type]
            note=data["note"],
            close=data["close"],
            cycle=data.get("cycle"),
            state=state,
        )
    except ReportError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Finding closed.") if data["close"] else _("Follow-up saved."))
    return redirect(safe_next(request, fallback))

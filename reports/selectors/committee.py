"""What a Committee member reads: accepted reports (through the access gate) and their content."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from reports.models import Report, ReportingCycle
from reports.selectors.access import reports_visible_to

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from reports.models import User


def committee_reports(
    *, user: User | AnonymousUser, cycle: ReportingCycle | None = None, regional_group: str = ""
) -> QuerySet[Report]:
    """The reports the user may read, newest cycle first, with what a list row prints."""
    reports = reports_visible_to(user).select_related("state", "cycle", "current_version")
    if cycle is not None:
        reports = reports.filter(cycle=cycle)
    if regional_group:
        reports = reports.filter(state__regional_group=regional_group)
    return reports.order_by("-cycle__due", "cycle__code", "state__sort_key", "pk")


def committee_cycles(*, user: User | AnonymousUser) -> QuerySet[ReportingCycle]:
    """Cycles with at least one report the user may read (the filter's choices)."""
    return ReportingCycle.objects.filter(reports__in=reports_visible_to(user)).distinct().order_by("-due", "code")

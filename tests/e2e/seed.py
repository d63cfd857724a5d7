"""Data the journeys start from, made through the domain's services (the UI paths are the tests)."""

from __future__ import annotations

from reports.models import Answer, ChecklistAnswer, Report, ReportingCycle, User
from reports.selectors.matrix import cycle_measures
from reports.services.demo import demo_seed
from reports.services.reports import report_get_or_create, report_submit_unchecked

OPEN_CYCLE = "committee-update-2026"


def demo_world() -> None:
    """The demo data set: 193 States, two cycles, about 280 reports in every status (~8 s)."""
    demo_seed()


def report_submitted(iso3: str, *, cycle_code: str = OPEN_CYCLE, legal_reference: str = "Act No. 12/2016, art. 4") -> Report:
    """The State's report for the cycle, every measure answered 'in place', submitted by its signatory."""
    signatory = User.objects.get(username=f"signatory-{iso3.lower()}")
    cycle = ReportingCycle.objects.get(code=cycle_code)
    report = report_get_or_create(state=signatory.state, cycle=cycle, actor=signatory)
    draft = report.versions.get(is_draft=True)
    ChecklistAnswer.objects.filter(version=draft).delete()
    ChecklistAnswer.objects.bulk_create(
        ChecklistAnswer(version=draft, measure=m, answer=Answer.IN_PLACE, legal_reference=f"{legal_reference} ({m.code})")
        for m in cycle_measures(cycle)
    )
    report_submit_unchecked(report=report, actor=signatory)
    report.refresh_from_db()
    return report

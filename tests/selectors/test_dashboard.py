"""The cycle dashboard's numbers, recomputed independently from the database."""

from __future__ import annotations

import datetime

import pytest

from reports.charts import reporting_rate_chart, status_chart, svg_data_uri, trend_chart
from reports.models import MemberState, Report
from reports.selectors.dashboard import Category, cycle_status_summary, cycle_trend, filter_states
from tests.secretariat.fixtures import DUE, TODAY, build_world, world  # noqa: F401

pytestmark = pytest.mark.django_db


def recount(cycle, today):  # type: ignore[no-untyped-def]
    """A second, naive count: one query per State, no shared code with the selector."""
    counts = {"expected": 0, "on_time": 0, "late": 0, "draft": 0, "nothing": 0, "overdue": 0}
    for state in MemberState.objects.all():
        counts["expected"] += 1
        report = Report.objects.filter(state=state, cycle=cycle).first()
        if report is None:
            counts["nothing"] += 1
        elif report.current_version_id is None:
            counts["draft"] += 1
        elif report.first_submitted_at.date() > cycle.due:
            counts["late"] += 1
        else:
            counts["on_time"] += 1
        if (report is None or report.current_version_id is None) and today > cycle.due:
            counts["overdue"] += 1
    return counts


def test_summary_matches_an_independent_count(world):  # noqa: F811
    summary = cycle_status_summary(cycle=world.cycle, today=TODAY)
    expected = recount(world.cycle, TODAY)
    assert summary.expected == expected["expected"] == MemberState.objects.count() == 193
    assert (summary.on_time, summary.late, summary.drafts_only, summary.nothing) == (
        expected["on_time"],
        expected["late"],
        expected["draft"],
        expected["nothing"],
    )
    assert (summary.on_time, summary.late, summary.drafts_only) == (3, 1, 1)
    assert summary.received == 4
    assert summary.overdue == expected["overdue"] == 189
    assert summary.reporting_rate == round(100 * 4 / 193, 1)
    assert summary.on_time_rate == round(100 * 3 / 193, 1)


def test_groups_add_up_to_the_total(world):  # noqa: F811
    summary = cycle_status_summary(cycle=world.cycle, today=TODAY)
    assert sum(g.expected for g in summary.groups) == 193
    assert sum(g.received for g in summary.groups) == summary.received
    weog = next(g for g in summary.groups if g.code == "WEOG")
    # FRA on time, DEU late; USA is in WEOG as an observer and has nothing.
    assert weog.expected == MemberState.objects.filter(regional_group="WEOG").count()
    assert (weog.on_time, weog.late) == (1, 1)


def test_overdue_list_has_days_late(world):  # noqa: F811
    summary = cycle_status_summary(cycle=world.cycle, today=TODAY)
    by_iso = {s.iso3: s for s in summary.overdue_states}
    assert by_iso["NGA"].category == Category.DRAFT
    assert by_iso["NGA"].days_late == (TODAY - DUE).days == 46
    assert by_iso["USA"].category == Category.NOTHING
    assert "FRA" not in by_iso and "DEU" not in by_iso
    deu = next(s for s in summary.states if s.iso3 == "DEU")
    assert deu.days_late == 12 and deu.category == Category.LATE


def test_before_the_due_date_nobody_is_overdue(world):  # noqa: F811
    summary = cycle_status_summary(cycle=world.cycle, today=DUE - datetime.timedelta(days=40))
    assert summary.overdue == 0 and summary.overdue_states == []


def test_filter_states_behind_each_number(world):  # noqa: F811
    summary = cycle_status_summary(cycle=world.cycle, today=TODAY)
    assert {s.iso3 for s in filter_states(summary, category="late")} == {"DEU"}
    assert {s.iso3 for s in filter_states(summary, category="received", group="WEOG")} == {"FRA", "DEU"}
    assert len(filter_states(summary, category="overdue")) == summary.overdue
    assert filter_states(summary, category="<script>") == []
    assert filter_states(summary, group="NOPE") == []


def test_summary_makes_two_queries_for_any_number_of_states(reference, django_assert_num_queries):  # type: ignore[no-untyped-def]
    few = build_world()
    with django_assert_num_queries(2):
        cycle_status_summary(cycle=few.cycle, today=TODAY)
    many = build_world(extra_states=30, code="sec-cycle-many")
    with django_assert_num_queries(2):
        cycle_status_summary(cycle=many.cycle, today=TODAY)
    with django_assert_num_queries(3):
        cycle_trend(today=TODAY)


def test_trend_counts_match_the_summary(world):  # noqa: F811
    points = {p.code: p for p in cycle_trend(today=TODAY)}
    summary = cycle_status_summary(cycle=world.cycle, today=TODAY)
    point = points[world.cycle.code]
    assert (point.received, point.on_time, point.late, point.drafts_only, point.nothing) == (
        summary.received,
        summary.on_time,
        summary.late,
        summary.drafts_only,
        summary.nothing,
    )


def test_charts_are_svg_without_script(world):  # noqa: F811
    summary = cycle_status_summary(cycle=world.cycle, today=TODAY)
    for svg in (reporting_rate_chart(summary), status_chart(summary), trend_chart(cycle_trend(today=TODAY))):
        assert svg.startswith("<svg")
        assert "<script" not in svg and "<?xml" not in svg
    assert "Western European and other States" in reporting_rate_chart(summary)
    assert svg_data_uri("<svg/>").startswith("data:image/svg+xml;base64,")

"""Which measures a cycle asks for: one definition for the editor, validation, matrix and review."""

import datetime

from reports.models import Measure
from reports.selectors.matrix import cycle_measures, report_measure_rows
from reports.services.event_reports import event_report_open
from reports.services.reports import report_submit_unchecked


def test_a_cycle_asks_for_the_active_measures_of_its_resolution(cycle):
    expected = list(Measure.objects.filter(resolution=cycle.obligation.resolution, active=True).order_by("order", "code"))
    assert len(expected) >= 8
    assert list(cycle_measures(cycle)) == expected
    assert {m.area for m in cycle_measures(cycle, area="oil")} == {"oil"}


def test_an_event_notice_has_no_checklist(signatory_a, state_a):
    report = event_report_open(state=state_a, event_date=datetime.date(2026, 11, 1), actor=signatory_a)
    assert report.cycle.obligation.kind == "event"
    assert not cycle_measures(report.cycle).exists()
    report_submit_unchecked(report=report, actor=signatory_a)
    report.refresh_from_db()
    assert report_measure_rows(report=report) == []


def test_review_rows_keep_the_three_layers(report_a, signatory_a):
    draft = report_a.versions.get()
    measure = cycle_measures(report_a.cycle).first()
    draft.answers.create(measure=measure, answer="in_place", legal_reference="Act 1")
    report_submit_unchecked(report=report_a, actor=signatory_a)
    report_a.refresh_from_db()
    rows = {row["measure"].pk: row for row in report_measure_rows(report=report_a)}
    assert len(rows) == cycle_measures(report_a.cycle).count()
    assert rows[measure.pk]["answer"].answer == "in_place" and rows[measure.pk]["assessment"] is None
    others = [row for pk, row in rows.items() if pk != measure.pk and row["measure"].required]
    assert others and all(row["answer"] is None for row in others)
    assert rows[measure.pk]["flag"] != others[0]["flag"]

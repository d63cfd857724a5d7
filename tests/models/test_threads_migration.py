"""Migration 0020 turns the clarification requests already addressed to States into threads:
open while the report still awaits that request, resolved once the State amended."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from reports.models import Thread, ThreadStatus
from reports.services.reports import report_open_addendum, report_submit_unchecked
from reports.services.review import report_comment, report_request_clarification, report_start_review
from tests.factories import make_report, signatory_of

BEFORE = [("reports", "0019_xlsx")]


def migrate(target: list[tuple[str, str]]) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)


@pytest.mark.django_db(transaction=True)
def test_clarification_requests_become_threads(cycle, state_a, state_b, focal_a, focal_b, signatory_a, secretariat):
    waiting = make_report(state_a, cycle, focal_a)
    report_submit_unchecked(report=waiting, actor=signatory_a)
    report_start_review(report=waiting, actor=secretariat)
    report_request_clarification(report=waiting, actor=secretariat, comment="Which act covers oil?", section="checklist")
    report_comment(report=waiting, actor=secretariat, comment="internal only")  # not a request: no thread

    answered = make_report(state_b, cycle, focal_b)
    signatory_b = signatory_of(state_b)
    report_submit_unchecked(report=answered, actor=signatory_b)
    report_start_review(report=answered, actor=secretariat)
    report_request_clarification(report=answered, actor=secretariat, comment="Which port?")
    report_open_addendum(report=answered, actor=signatory_b)
    report_submit_unchecked(report=answered, actor=signatory_b)
    try:
        migrate(BEFORE)
        migrate([("reports", "0020_threads")])
        threads = {t.report_id: t for t in Thread.objects.all()}
        assert set(threads) == {waiting.pk, answered.pk}
        open_one, resolved = threads[waiting.pk], threads[answered.pk]
        assert (open_one.status, open_one.anchor, open_one.section) == (ThreadStatus.OPEN, "section", "checklist")
        assert [m.body for m in open_one.messages.all()] == ["Which act covers oil?"]
        assert open_one.opened_by_id == secretariat.pk and open_one.resolved_at is None
        assert (resolved.status, resolved.anchor) == (ThreadStatus.RESOLVED, "report")
        assert resolved.resolved_at is not None and resolved.resolved_at >= resolved.opened_at
    finally:
        executor = MigrationExecutor(connection)
        migrate(executor.loader.graph.leaf_nodes())

"""The audit trail shows every step of a report's life, in order, with actor, role, State and IP."""

from __future__ import annotations

from reports.models import AuditEvent, Measure
from reports.services.assessments import measure_assess
from reports.services.reports import report_open_addendum, report_submit_unchecked
from reports.services.review import report_accept, report_request_clarification, report_start_review
from tests.security.world import World, world  # noqa: F401  (fixture)


def test_a_reports_life_is_on_the_record(client, world: World, signatory_a, secretariat, monitoring, state_a):  # noqa: F811
    report = world.reports["A"]
    tokens = world.tokens("A")
    start = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()

    # The back office reviews version 1 (the world's addendum draft waits), then the addendum.
    report_start_review(report=report, actor=secretariat)
    report_request_clarification(report=report, actor=secretariat, comment="Which act freezes the assets?")
    report.refresh_from_db()
    report_submit_unchecked(report=report, actor=signatory_a)  # the world's open addendum, amended
    report.refresh_from_db()
    report_start_review(report=report, actor=secretariat)
    measure = Measure.objects.get(pk=tokens["measure"])
    measure_assess(report=report, measure=measure, rating="implemented", actor=secretariat)
    report_accept(report=report, actor=secretariat)
    report.refresh_from_db()
    report_open_addendum(report=report, actor=signatory_a)

    # Reads that leave the portal are on the record too.
    client.force_login(secretariat)
    assert client.get(f"/delegation/attachments/{tokens['attachment']}/", REMOTE_ADDR="203.0.113.9").status_code == 200
    assert client.get(f"/secretariat/cycles/{tokens['cycle']}/register/gaps/", {"export": "csv"}).status_code == 200
    client.force_login(monitoring)
    assert client.get(f"/monitoring/jobs/{tokens['job']}/download/").status_code == 200
    client.force_login(signatory_a)
    assert client.get(f"/delegation/reports/{report.pk}/versions/1/receipt.pdf").status_code == 200

    events = list(AuditEvent.objects.filter(id__gt=start or 0).order_by("id"))
    actions = [e.action for e in events]
    expected_in_order = [
        "report_start_review", "report_request_clarification", "report_submit", "report_start_review",
        "measure_assess", "report_accept", "report_open_addendum", "attachment_download", "export", "pdf_download",
        "receipt_download",
    ]  # fmt: skip
    positions = [actions.index(a) if a in actions else -1 for a in expected_in_order]
    assert -1 not in positions, f"missing: {[a for a, p in zip(expected_in_order, positions, strict=True) if p < 0]}"
    reviewed = next(e for e in events if e.action == "report_accept")
    assert reviewed.actor == secretariat and reviewed.actor_role == "secretariat" and reviewed.state == state_a
    assert reviewed.object_type == "Report" and reviewed.object_id == str(report.pk)
    download = next(e for e in events if e.action == "attachment_download")
    assert download.ip == "203.0.113.9"
    submitted = next(e for e in events if e.action == "report_submit")
    assert submitted.actor == signatory_a and submitted.actor_role == "signatory"

    # The Secretariat finds them on its audit page, filtered by State.
    client.force_login(secretariat)
    page = client.get("/security/audit/", {"state": "FRA"})
    shown = {e.action for e in page.context["page"]}
    assert {"report_accept", "measure_assess", "report_submit"} <= shown

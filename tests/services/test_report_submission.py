import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core import mail

from reports.models import (
    Answer,
    ChecklistAnswer,
    Measure,
    OilInterdiction,
    ReportingCycle,
    ReportStatus,
    Role,
)
from reports.selectors.delegation import content_diff
from reports.services.event_reports import event_report_open
from reports.services.receipts import receipt_pdf
from reports.services.reports import ReportError, report_open_addendum, report_submit_unchecked
from reports.services.submission import SubmissionBlocked, report_submit
from reports.services.validation import Severity, date_window, sections_for, version_issues
from tests.delegation import draft_of
from tests.factories import make_report, make_user, open_cycle
from tests.pdf.world import pdf_text

pytestmark = pytest.mark.django_db


def answer_all(version):  # type: ignore[no-untyped-def]
    measures = Measure.objects.filter(resolution=version.report.cycle.obligation.resolution, active=True)
    ChecklistAnswer.objects.bulk_create(
        ChecklistAnswer(version=version, measure=m, answer=Answer.IN_PLACE, legal_reference="Loi 2015-912") for m in measures
    )


def add_oil(version, quantity, **kwargs):  # type: ignore[no-untyped-def]
    values = {"date": datetime.date(2026, 10, 1), "place": "Ceyhan", "commodity": "crude", "unit": "barrels",
              "direction": "from", "quantity": Decimal(quantity)}  # fmt: skip
    values.update(kwargs)
    return OilInterdiction.objects.create(version=version, **values)


@time_machine.travel("2026-11-20 15:00:00Z")
def test_unanswered_required_measures_block_submission(report_a, signatory_a):
    draft = draft_of(report_a)
    issues = version_issues(version=draft)
    errors = [i for i in issues if i.severity == Severity.ERROR]
    assert errors and all(i.section == "checklist" and i.field_id.startswith("id_m") for i in errors)
    with pytest.raises(SubmissionBlocked):
        report_submit(report=report_a, actor=signatory_a, revision=draft.revision, warnings_acknowledged=True)
    draft.refresh_from_db()
    assert draft.is_draft


@time_machine.travel("2026-11-20 15:00:00Z")
def test_a_quantity_far_above_the_previous_report_must_be_acknowledged(state_a, report_a, focal_a, signatory_a):
    earlier = make_report(state_a, open_cycle("earlier-cycle", due=datetime.date(2026, 6, 1)), focal_a)
    add_oil(draft_of(earlier), "100")
    add_oil(draft_of(earlier), "50")
    report_submit_unchecked(report=earlier, actor=signatory_a)
    draft = draft_of(report_a)
    answer_all(draft)
    add_oil(draft, "1501")  # > 10 x 150 barrels
    add_oil(draft, "20", unit="tonnes")  # another unit: nothing to compare with
    warnings = [i for i in version_issues(version=draft) if i.severity == Severity.WARNING]
    assert len(warnings) == 1 and warnings[0].field_id == "id_oil-0-quantity"
    with pytest.raises(SubmissionBlocked, match="warnings"):
        report_submit(report=report_a, actor=signatory_a, revision=draft.revision, warnings_acknowledged=False)
    version = report_submit(report=report_a, actor=signatory_a, revision=draft.revision, warnings_acknowledged=True)
    assert not version.is_draft


@time_machine.travel("2026-11-20 15:00:00Z")
def test_submission_freezes_and_emails_a_receipt_to_the_states_users(
    report_a, focal_a, signatory_a, focal_b, django_capture_on_commit_callbacks
):
    draft = draft_of(report_a)
    answer_all(draft)
    with django_capture_on_commit_callbacks(execute=True):
        version = report_submit(report=report_a, actor=signatory_a, revision=draft.revision, warnings_acknowledged=False)
    version.refresh_from_db()
    report_a.refresh_from_db()
    assert not version.is_draft and len(version.content_sha256) == 64
    assert version.reference == f"S/AC.37/2026/FRA/{report_a.cycle.code}/1"
    assert report_a.status == ReportStatus.SUBMITTED and not report_a.is_late
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted([focal_a.email, signatory_a.email])  # not Germany's focal point
    assert version.reference in mail.outbox[0].subject and version.content_sha256 in mail.outbox[0].body


def test_only_a_signatory_files(report_a, focal_a):
    draft = draft_of(report_a)
    with pytest.raises(ReportError, match="signatory"):
        report_submit(report=report_a, actor=focal_a, revision=draft.revision, warnings_acknowledged=True)


def test_a_draft_changed_since_the_review_page_is_not_filed(report_a, signatory_a):
    draft = draft_of(report_a)
    answer_all(draft)
    with pytest.raises(ReportError, match="changed"):
        report_submit(report=report_a, actor=signatory_a, revision=draft.revision + 1, warnings_acknowledged=True)


def test_a_late_submission_is_accepted_and_marked_late(state_a, focal_a, signatory_a):
    cycle = open_cycle("late-cycle", due=datetime.date(2026, 3, 1))
    report = make_report(state_a, cycle, focal_a)
    answer_all(draft_of(report))
    with time_machine.travel("2026-03-11 15:00:00Z"):
        notices = [i for i in version_issues(version=draft_of(report)) if i.severity == Severity.NOTICE]
        assert notices and "10 days" in notices[0].message
        version = report_submit(report=report, actor=signatory_a, revision=0, warnings_acknowledged=False)
    report.refresh_from_db()
    assert version.is_late and report.is_late and report.days_late == 10


@time_machine.travel("2026-11-20 15:00:00Z")
def test_an_addendum_becomes_version_2_and_the_diff_shows_what_changed(report_a, signatory_a):
    draft = draft_of(report_a)
    answer_all(draft)
    add_oil(draft, "100")
    v1 = report_submit(report=report_a, actor=signatory_a, revision=draft.revision, warnings_acknowledged=True)
    addendum = report_open_addendum(report=report_a, actor=signatory_a)
    assert addendum.number == 2 and addendum.is_draft
    OilInterdiction.objects.filter(version=addendum).update(quantity=Decimal("120"))
    add_oil(addendum, "7", place="Kilis")
    first = ChecklistAnswer.objects.filter(version=addendum).order_by("measure__code").first()
    first.answer = Answer.PARTIAL
    first.save()
    v2 = report_submit(report=report_a, actor=signatory_a, revision=addendum.revision, warnings_acknowledged=True)
    report_a.refresh_from_db()
    assert v2.number == 2 and report_a.status == ReportStatus.AMENDED and report_a.current_version == v2
    v1.refresh_from_db()
    assert v1.content["oil"][0]["quantity"] == "100"  # the first version did not change
    diff = {section.key: section.changes for section in content_diff(v1.content, v2.content)}
    assert [(c.kind, c.fields) for c in diff["oil"]] == [("changed", ["quantity"]), ("added", [])]
    assert [(c.kind, c.fields, c.after["answer"]) for c in diff["checklist"]] == [("changed", ["answer"], "partial")]
    assert diff["assets"] == []


@time_machine.travel("2026-11-20 15:00:00Z")
def test_an_oil_interdiction_opens_an_event_cycle_of_its_own(state_a, focal_a, signatory_a, focal_b):
    report = event_report_open(state=state_a, actor=focal_a, event_date=datetime.date(2026, 11, 2))
    cycle = report.cycle
    assert cycle.state == state_a and cycle.obligation.code == "2199-oil-interdiction"
    assert cycle.opens == datetime.date(2026, 11, 2) and cycle.due == cycle.opens + datetime.timedelta(
        days=cycle.obligation.due_days
    )
    assert sections_for(cycle) == ["oil", "attachments"]
    draft = draft_of(report)
    assert [i.section for i in version_issues(version=draft) if i.severity == Severity.ERROR] == ["oil"]
    add_oil(draft, "300", date=datetime.date(2026, 11, 2))
    version = report_submit(report=report, actor=signatory_a, revision=draft.revision, warnings_acknowledged=True)
    assert version.content["checklist"] == [] and len(version.content["oil"]) == 1
    with pytest.raises(ReportError):
        event_report_open(state=state_a, actor=focal_a, event_date=datetime.date(2026, 11, 21))
    with pytest.raises(ReportError):
        event_report_open(state=state_a, actor=focal_b, event_date=datetime.date(2026, 11, 2))
    assert ReportingCycle.objects.filter(state=state_a).count() == 1


def test_the_date_window_runs_from_three_years_before_opening_to_today(cycle):
    earliest, latest = date_window(cycle, datetime.date(2026, 11, 20))
    assert earliest == cycle.opens - datetime.timedelta(days=3 * 365) and latest == datetime.date(2026, 11, 20)


@time_machine.travel("2026-11-20 15:00:00Z")
def test_the_receipt_pdf_carries_the_reference_and_fingerprint(report_a, signatory_a):
    draft = draft_of(report_a)
    answer_all(draft)
    version = report_submit(report=report_a, actor=signatory_a, revision=draft.revision, warnings_acknowledged=True)
    pdf = receipt_pdf(version=version)
    text = pdf_text(pdf.content)
    assert version.reference in text and version.content_sha256[:32] in text.replace("\n", "").replace(" ", "")
    assert "France" in text and "Receipt of an implementation report" in text
    assert pdf.refused_urls == []


def test_a_user_of_another_role_cannot_open_an_event_cycle(state_a):
    committee = make_user(Role.COMMITTEE, None)
    with pytest.raises(ReportError):
        event_report_open(state=state_a, actor=committee, event_date=datetime.date(2026, 1, 2))


def test_an_addendum_copies_transit_countries_and_named_parties(report_a, signatory_a):
    from reports.models import MemberState, PartyMention
    from reports.services.parties import normalize_party_name

    row = add_oil(draft_of(report_a), "100")
    row.transit_route_set([MemberState.objects.get(iso3=code) for code in ("TUR", "JOR")])
    PartyMention.objects.create(version=row.version, interdiction=row, name="ISIL", normalized_name=normalize_party_name("ISIL"),
                                list_ref="QDe.115")  # fmt: skip
    report_submit_unchecked(report=report_a, actor=signatory_a)
    addendum = report_open_addendum(report=report_a, actor=signatory_a)
    copy = addendum.oilinterdiction_rows.get()
    # The route keeps its order (TUR before JOR, not alphabetical) in the copy and the original.
    assert [s.iso3 for s in copy.transit_route] == ["TUR", "JOR"]
    assert list(copy.mentions.values_list("list_ref", flat=True)) == ["QDe.115"]
    assert [s.iso3 for s in row.transit_route] == ["TUR", "JOR"]


def test_requests_reach_only_the_checked_submit_service():
    """One public submit service: nothing that answers a request may freeze a draft unchecked."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "reports"
    callers = sorted(
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "report_submit_unchecked" in path.read_text(encoding="utf-8")
    )
    assert callers == ["services/demo.py", "services/reports.py", "services/submission.py"]

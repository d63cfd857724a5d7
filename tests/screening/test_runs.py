"""screen_all on a small world: candidates stored with score and forms, decisions survive a re-screen."""

from __future__ import annotations

import pytest

from reports.models import AuditEvent, MatchStatus, RunStatus, ScreeningMatch, ScreeningRun
from reports.services.screening.runs import ScreeningError, screen_all, screening_match_decide

from .conftest import submit_parties


def _run(snapshot):  # type: ignore[no-untyped-def]
    return screen_all(run=ScreeningRun.objects.create(snapshot=snapshot))


@pytest.mark.django_db
def test_other_transliterations_find_their_entry_and_drafts_are_not_screened(listed, report_a, report_b, aware):
    submit_parties(report_a, ["Abd al-Rahman al-Anizi", "Unrelated Shipping Lines"], when=aware(2014))
    submit_parties(report_b, ["عبد الرحمن العنزي"], when=aware(2016))
    submit_parties(report_b, ["Abdulrahman Al Enezi"], draft=True)  # the next draft, not submitted
    run = _run(listed)
    assert run.status == RunStatus.DONE and run.percent == 100
    assert run.names_total == 3  # the draft's name is not there
    refs = {(m.name, m.entry.reference) for m in ScreeningMatch.objects.select_related("entry")}
    assert ("Abd al-Rahman al-Anizi", "QDi.901") in refs
    assert ("عبد الرحمن العنزي", "QDi.901") in refs
    assert not any(name == "Unrelated Shipping Lines" for name, _ in refs)
    assert not any(name == "Abdulrahman Al Enezi" for name, _ in refs)
    match = ScreeningMatch.objects.get(name="Abd al-Rahman al-Anizi")
    assert match.score >= 85 and match.forms and all("name" in f and "score" in f for f in match.forms)
    # Listed on 2015-09-29: reported in 2014, so listed after it was reported; the 2016 report was not.
    assert match.listed_after_report is True
    assert ScreeningMatch.objects.get(name="عبد الرحمن العنزي").listed_after_report is False


@pytest.mark.django_db
def test_decisions_survive_a_rescreen_and_screening_twice_creates_nothing(listed, report_a, monitoring, aware):
    submit_parties(report_a, ["Abd al-Rahman al-Anizi"], when=aware(2014))
    _run(listed)
    match = ScreeningMatch.objects.get()
    screening_match_decide(match_id=match.pk, status=MatchStatus.DISMISSED, actor=monitoring, note="another man")
    second = _run(listed)
    assert second.matches_new == 0 and second.matches_updated == 0
    match.refresh_from_db()
    assert match.status == MatchStatus.DISMISSED and match.decided_by == monitoring and match.note == "another man"
    assert ScreeningMatch.objects.count() == 1
    event = AuditEvent.objects.get(action="screening_match_dismissed")
    assert event.actor == monitoring and event.detail["reference"] == "QDi.901"


@pytest.mark.django_db
def test_second_expert_is_told_someone_decided_first(listed, report_a, monitoring, aware):
    from reports.models import Role
    from tests.factories import make_user

    other = make_user(Role.MONITORING, username="expert-2")
    submit_parties(report_a, ["Abd al-Rahman al-Anizi"], when=aware(2014))
    _run(listed)
    match = ScreeningMatch.objects.get()
    screening_match_decide(match_id=match.pk, status=MatchStatus.CONFIRMED, actor=monitoring)
    with pytest.raises(ScreeningError):
        screening_match_decide(match_id=match.pk, status=MatchStatus.DISMISSED, actor=other)
    match.refresh_from_db()
    assert match.status == MatchStatus.CONFIRMED and match.decided_by == monitoring
    assert AuditEvent.objects.filter(action__startswith="screening_match_").count() == 1


@pytest.mark.django_db
def test_an_import_queues_a_screening_of_the_new_snapshot(report_a, demo_1_bytes, aware, django_capture_on_commit_callbacks):
    from reports.services.sanctions_import import import_sanctions_list

    submit_parties(report_a, ["Abd al-Rahman al-Anizi"], when=aware(2014))
    with django_capture_on_commit_callbacks(execute=True):
        snapshot = import_sanctions_list(demo_1_bytes, source="test").snapshot
    run = ScreeningRun.objects.get(snapshot=snapshot)
    assert run.status == RunStatus.DONE  # eager in tests: the worker ran it on commit
    assert ScreeningMatch.objects.filter(entry__reference="QDi.901").exists()

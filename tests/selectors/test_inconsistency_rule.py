"""Cross-report inconsistencies (computed in SQL) against a plain-Python recount of the rule.

The recount walks every interdiction of every current version: A names B as origin,
destination or transit; B's report answers A when it names A in a counterpart role (a cargo
bound for B comes *from* or *through* A in B's report, and so on). A pair is a finding when B
has not reported, or when some role of A's has no counterpart in B's report.
"""

from __future__ import annotations

import random
from collections import defaultdict

import pytest

from reports.models import MemberState, OilInterdiction, Report
from reports.selectors.noncompliance import Silence, inconsistencies
from tests.factories import open_cycle
from tests.secretariat.fixtures import DUE, file_report

pytestmark = pytest.mark.django_db

COUNTERPART = {
    "destination": {"origin", "transit"},
    "origin": {"destination", "transit"},
    "transit": {"origin", "destination", "transit"},
}


def recount(cycle, *, include_not_submitted: bool = True) -> dict[tuple[str, str], tuple[str, int, list[str]]]:
    received = {r.state_id: r for r in Report.objects.filter(cycle=cycle, current_version__isnull=False).select_related("state")}
    # named[a][b] = list of roles, one per (interdiction, role) entry
    named: dict[int, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    for row in OilInterdiction.objects.filter(version__in=[r.current_version_id for r in received.values()]).prefetch_related(
        "transit", "version__report"
    ):
        a = row.version.report.state_id
        entries = [("origin", row.origin_id), ("destination", row.destination_id)]
        entries += [("transit", s.pk) for s in row.transit.all()]
        for role, b in entries:
            if b and b != a:
                named[a][b].append(role)
    iso = dict(MemberState.objects.values_list("id", "iso3"))
    expected = {}
    for a, others in named.items():
        for b, roles in others.items():
            if b in received:
                back = set(named.get(b, {}).get(a, []))
                if all(COUNTERPART[role] & back for role in roles):
                    continue
                silence = Silence.SILENT
            elif include_not_submitted:
                silence = Silence.NOT_SUBMITTED
            else:
                continue
            expected[(iso[a], iso[b])] = (silence, len(roles), sorted(set(roles)))
    return expected


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_sql_findings_match_the_recount(reference, secretariat, seed):
    rng = random.Random(seed)
    cycle = open_cycle(f"incons-{seed}", due=DUE)
    states = list(MemberState.objects.order_by("iso3")[:9])
    for state in states[:7]:  # two States never report; one only drafts
        rows = []
        for _ in range(rng.randint(0, 6)):
            others = [s for s in states if rng.random() < 0.5]
            rows.append(
                {
                    "origin": rng.choice([None, state, *others]) if others else None,
                    "destination": rng.choice([None, *others]) if others else None,
                    "transit": rng.sample(states, rng.randint(0, 2)),
                }
            )
        file_report(state, cycle, submit_on=None if state == states[6] else DUE, interdictions=rows)
    expected = recount(cycle)
    assert expected, "the random data should produce some findings"
    found = {
        (f.reporter_iso3, f.other_iso3): (f.silence, f.interdictions, f.roles)
        for f in inconsistencies(user=secretariat, cycle=cycle)
    }
    assert found == expected
    submitted_only = {
        (f.reporter_iso3, f.other_iso3) for f in inconsistencies(user=secretariat, cycle=cycle, include_not_submitted=False)
    }
    assert submitted_only == {pair for pair, (silence, _n, _r) in expected.items() if silence == Silence.SILENT}


def test_a_reciprocal_report_closes_the_pair_only_in_a_counterpart_role(reference, secretariat):
    cycle = open_cycle("incons-roles", due=DUE)
    jor, irq, tur = (MemberState.objects.get(iso3=i) for i in ("JOR", "IRQ", "TUR"))
    file_report(jor, cycle, submit_on=DUE, interdictions=[{"origin": jor, "destination": irq}])
    # IRQ names JOR only as a destination: a cargo bound for IRQ is not answered by that.
    file_report(irq, cycle, submit_on=DUE, interdictions=[{"origin": irq, "destination": jor}])
    file_report(tur, cycle, submit_on=DUE, interdictions=[{"origin": tur, "destination": jor, "transit": [irq]}])
    found = {(f.reporter_iso3, f.other_iso3): f for f in inconsistencies(user=secretariat, cycle=cycle)}
    assert found[("JOR", "IRQ")].roles == ["destination"] and found[("JOR", "IRQ")].silence == Silence.SILENT
    assert ("IRQ", "JOR") in found
    # TUR names JOR (destination) and IRQ (transit); JOR and IRQ never name TUR.
    assert found[("TUR", "IRQ")].roles == ["transit"] and found[("TUR", "JOR")].roles == ["destination"]
    assert recount(cycle) == {k: (f.silence, f.interdictions, f.roles) for k, f in found.items()}


@pytest.mark.parametrize("seed", [7, 8])
def test_incomplete_findings_match_a_recount(reference, secretariat, seed):
    from reports.models import Answer, Measure
    from reports.selectors.noncompliance import incomplete_findings

    rng = random.Random(seed)
    cycle = open_cycle(f"incomplete-{seed}", due=DUE)
    measures = list(Measure.objects.filter(resolution=cycle.obligation.resolution, active=True))
    required = {m.code for m in measures if m.required}
    expected = {}
    for state in MemberState.objects.order_by("iso3")[:8]:
        answers = {m.code: rng.choice([Answer.IN_PLACE, Answer.PARTIAL, ""]) for m in measures if rng.random() < 0.9}
        submitted = rng.random() < 0.8
        file_report(state, cycle, submit_on=DUE if submitted else None, answers=answers)
        missing = sorted(code for code in required if not answers.get(code))
        if submitted and missing:
            expected[state.iso3] = missing
    found = {f.iso3: f.unanswered for f in incomplete_findings(user=secretariat, cycle=cycle)}
    assert expected and found == expected
    assert all(f.required == len(required) for f in incomplete_findings(user=secretariat, cycle=cycle))


def test_register_selectors_answer_nothing_when_nothing_is_visible(reference, secretariat, committee, client):
    from reports.selectors.noncompliance import incomplete_findings
    from reports.services.event_reports import event_report_open
    from tests.factories import make_user

    cycle = open_cycle("nothing-visible", due=DUE)
    jor, irq = MemberState.objects.get(iso3="JOR"), MemberState.objects.get(iso3="IRQ")
    file_report(jor, cycle, submit_on=DUE, interdictions=[{"origin": jor, "destination": irq}])
    from reports.models import Role

    # The Committee sees accepted reports only, and none is accepted.
    assert inconsistencies(user=committee, cycle=cycle) == [] and incomplete_findings(user=committee, cycle=cycle) == []
    # A user who may see no report at all (Django writes no SQL for .none()).
    stateless = make_user(Role.FOCAL_POINT, None, "stateless-nv")
    assert inconsistencies(user=stateless, cycle=cycle) == [] and incomplete_findings(user=stateless, cycle=cycle) == []
    # An interdiction notice has no checklist: nothing can be incomplete.
    focal = make_user(Role.FOCAL_POINT, jor, "focal-jor-nv")
    notice = event_report_open(state=jor, actor=focal, event_date=DUE)
    assert incomplete_findings(user=secretariat, cycle=notice.cycle) == []

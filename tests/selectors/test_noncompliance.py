"""The register's findings, recomputed independently from the database."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import pytest

from reports.models import Confidentiality, MemberState, OilInterdiction, PartyMention, Report
from reports.selectors.noncompliance import Silence, inconsistencies, named_list_refs, named_parties
from tests.secretariat.fixtures import DUE, file_report, world  # noqa: F401

pytestmark = pytest.mark.django_db


def test_named_parties_match_a_naive_recount(world, secretariat):  # noqa: F811
    current = Report.objects.filter(current_version__isnull=False).values_list("current_version_id", flat=True)
    expected: dict[str, dict] = defaultdict(lambda: {"reports": set(), "qty": defaultdict(Decimal), "val": defaultdict(Decimal)})
    for mention in PartyMention.objects.filter(version_id__in=current).select_related("interdiction", "version"):
        entry = expected[mention.normalized_name]
        entry["reports"].add(mention.version.report_id)
        if mention.interdiction:
            entry["qty"][mention.interdiction.unit] += mention.interdiction.quantity
            entry["val"][mention.interdiction.currency] += mention.interdiction.value
    parties = {p.normalized_name: p for p in named_parties(user=secretariat)}
    assert set(parties) == set(expected)
    for name, entry in expected.items():
        assert parties[name].reports == len(entry["reports"])
        assert parties[name].quantity == dict(entry["qty"])
        assert parties[name].value == dict(entry["val"])
    refs = {g.list_ref: g for g in named_list_refs(user=secretariat)}
    assert refs["QDe.115"].names == ["Islamic State in Iraq and the Levant"] and refs["QDe.115"].states == ["JOR"]


def test_drafts_and_superseded_versions_are_not_counted(world, secretariat):  # noqa: F811
    # NGA's draft names a party: the back office never sees it.
    draft = world.reports["NGA"].versions.get(is_draft=True)
    row = OilInterdiction.objects.create(
        version=draft, date="2026-01-01", place="x", commodity="crude", quantity=1, unit="barrels", direction="to"
    )
    PartyMention.objects.create(version=draft, interdiction=row, name="Secret Draft Co", normalized_name="secret draft co")
    assert "secret draft co" not in {p.normalized_name for p in named_parties(user=secretariat)}
    assert named_parties(user=secretariat, search="<script>") == []


def test_the_planted_inconsistency_and_only_real_ones(world, secretariat):  # noqa: F811
    found = {(f.reporter_iso3, f.other_iso3): f for f in inconsistencies(user=secretariat, cycle=world.cycle)}
    assert found[("JOR", "IRQ")].silence == Silence.SILENT
    assert found[("JOR", "IRQ")].roles == ["destination"]
    assert ("JOR", "FRA") not in found and ("FRA", "JOR") not in found
    assert set(found) == {("JOR", "IRQ")}


def test_restricted_registers_are_left_out_when_asked(world, secretariat):  # noqa: F811
    tur = MemberState.objects.get(iso3="TUR")
    file_report(
        tur,
        world.cycle,
        submit_on=DUE,
        interdictions=[{"origin": tur, "destination": world.states["IRQ"], "parties": [("Hidden Broker", "")]}],
        section_confidentiality={"oil": Confidentiality.SECRETARIAT},
    )
    everything = {p.normalized_name for p in named_parties(user=secretariat)}
    allowed = {p.normalized_name for p in named_parties(user=secretariat, audience="restricted")}
    assert "hidden broker" in everything and "hidden broker" not in allowed
    assert everything - allowed == {"hidden broker"}
    pairs = {(f.reporter_iso3, f.other_iso3) for f in inconsistencies(user=secretariat, cycle=world.cycle)}
    assert ("TUR", "IRQ") in pairs
    pairs = {(f.reporter_iso3, f.other_iso3) for f in inconsistencies(user=secretariat, cycle=world.cycle, audience="restricted")}
    assert ("TUR", "IRQ") not in pairs and ("JOR", "IRQ") in pairs

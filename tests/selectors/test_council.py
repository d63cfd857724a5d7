"""Aggregates behind the Council documents: drafts never count, restricted sections only when allowed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.models import Distribution, MemberState
from reports.selectors import council
from tests.pdf.world import build_world


@pytest.fixture
def world(reference):  # type: ignore[no-untyped-def]
    return build_world()


def sections(world, distribution):  # type: ignore[no-untyped-def]
    return council.visible_sections(versions=council.current_versions(cycle=world.cycle), audience=distribution)


def test_key_figures_read_submitted_versions_only(world):
    general = sections(world, Distribution.GENERAL)
    oil = council.oil_by_commodity(sections=general)
    assert [(r["commodity"], r["unit"], r["quantity"], r["cases"], r["states"]) for r in oil] == [
        ("crude", "barrels", Decimal(1500), 2, 2)
    ]
    assert [(r["currency"], r["amount"]) for r in council.assets_by_currency(sections=general)] == [("EUR", Decimal(5000))]
    restricted = sections(world, Distribution.INTERNAL)
    assert [(r["currency"], r["amount"]) for r in council.assets_by_currency(sections=restricted)] == [
        ("EUR", Decimal(5000)),
        ("USD", Decimal(7777)),
    ]
    parties = council.parties_most_named(sections=general)
    assert [(p["name"], p["states"], p["mentions"]) for p in parties] == [("Crescent Tanker Logistics (fictitious)", 2, 2)]


def test_matrix_by_area_sums_the_states_answers(world):
    rows = {r["area"]: r for r in council.matrix_by_area(cycle=world.cycle, sections=sections(world, Distribution.GENERAL))}
    total_in_place = sum(r["in_place"] for r in rows.values())
    assert total_in_place == world.cycle.obligation.resolution.measures.filter(active=True).count()  # FRA: all in place
    assert sum(r["partial"] for r in rows.values()) == 1  # DEU's one answer
    # DEU answered one measure and SAU none: every other cell of theirs is unanswered.
    assert sum(r["unanswered"] for r in rows.values()) == 2 * total_in_place - 1


def test_profiles_cost_the_same_queries_for_4_or_193_states(world):
    few = list(MemberState.objects.filter(iso3__in=["FRA", "DEU", "CHN", "SAU"]))
    with CaptureQueriesContext(connection) as small:
        council.state_profiles(states=few, cycle=world.cycle, audience=Distribution.INTERNAL)
    every = list(MemberState.objects.all())
    with CaptureQueriesContext(connection) as large:
        profiles = council.state_profiles(states=every, cycle=world.cycle, audience=Distribution.INTERNAL)
    assert len(large) == len(small) <= 12
    by_iso = {p.state.iso3: p for p in profiles}
    assert by_iso["CHN"].focus is None  # a draft only: no submitted report to detail
    assert by_iso["FRA"].registers["oil"][0].quantity == Decimal(1200)


def test_data_as_of_moves_when_a_report_changes(world):
    before = council.cycle_data_as_of(cycle=world.cycle)
    report = world.fra.reports.get(cycle=world.cycle)
    report.status = "accepted"
    report.save(update_fields=["status", "updated_at"])
    assert council.cycle_data_as_of(cycle=world.cycle) > before

"""Back-office test data: several States in every position of a cycle."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

import pytest

from reports.models import (
    Answer,
    ChecklistAnswer,
    Commodity,
    Direction,
    Measure,
    MemberState,
    OilInterdiction,
    PartyMention,
    QuantityUnit,
    Report,
    ReportingCycle,
)
from reports.services.parties import normalize_party_name
from reports.services.reports import report_get_or_create, report_submit_unchecked
from tests.factories import at, open_cycle, signatory_of

DUE = datetime.date(2026, 6, 30)
TODAY = datetime.date(2026, 8, 15)


def file_report(
    state: MemberState,
    cycle: ReportingCycle,
    *,
    submit_on: datetime.date | None,
    answers: dict[str, str] | None = None,
    interdictions: list[dict] | None = None,
    section_confidentiality: dict[str, str] | None = None,
) -> Report:
    """A report of `state`, answered as given (measure code -> answer), submitted on a day or left a draft."""
    signatory = signatory_of(state)
    report = report_get_or_create(state=state, cycle=cycle, actor=signatory)
    draft = report.versions.get(is_draft=True)
    if section_confidentiality:
        draft.section_confidentiality = section_confidentiality
        draft.save(update_fields=["section_confidentiality"])
    measures = {m.code: m for m in Measure.objects.filter(resolution=cycle.obligation.resolution, active=True)}
    for code, answer in (answers or {}).items():
        ChecklistAnswer.objects.create(
            version=draft, measure=measures[code], answer=answer, legal_reference=f"Act {state.iso3} art. {code}"
        )
    for position, row in enumerate(interdictions or []):
        parties = row.pop("parties", [])
        transit = row.pop("transit", [])
        interdiction = OilInterdiction.objects.create(
            version=draft,
            position=position,
            date=row.pop("date", DUE - datetime.timedelta(days=30)),
            place=row.pop("place", "Port"),
            commodity=row.pop("commodity", Commodity.CRUDE),
            quantity=Decimal(row.pop("quantity", "100")),
            unit=row.pop("unit", QuantityUnit.BARRELS),
            value=Decimal(row.pop("value", "1000")),
            currency=row.pop("currency", "USD"),
            direction=row.pop("direction", Direction.TO_ISIL),
            **row,
        )
        interdiction.transit_route_set(transit)
        for name, ref in parties:
            PartyMention.objects.create(
                version=draft, interdiction=interdiction, name=name, normalized_name=normalize_party_name(name), list_ref=ref
            )
    if submit_on is not None:
        report_submit_unchecked(report=report, actor=signatory, now=at(submit_on))
        report.refresh_from_db()
    return report


@dataclass
class World:
    cycle: ReportingCycle
    states: dict[str, MemberState] = field(default_factory=dict)
    reports: dict[str, Report] = field(default_factory=dict)


def build_world(extra_states: int = 0, code: str = "sec-cycle") -> World:
    """FRA on time, DEU late, JOR on time naming IRQ as destination, IRQ on time and silent,
    NGA a draft only, USA nothing; `extra_states` more States filed on time."""
    cycle = open_cycle(code, due=DUE)
    iso = ["FRA", "DEU", "JOR", "IRQ", "NGA", "USA"]
    world = World(cycle=cycle, states={s.iso3: s for s in MemberState.objects.filter(iso3__in=iso)})
    s = world.states
    oil = Measure.objects.filter(resolution=cycle.obligation.resolution, active=True).order_by("order", "code")
    codes = [m.code for m in oil]
    full = dict.fromkeys(codes, Answer.IN_PLACE)
    # FRA reports a cargo from JOR and JOR reports one bound for FRA: consistent both ways.
    world.reports["FRA"] = file_report(
        s["FRA"],
        cycle,
        submit_on=DUE - datetime.timedelta(days=10),
        answers=full,
        interdictions=[{"origin": s["JOR"], "destination": s["FRA"], "quantity": "10", "value": "700"}],
    )
    deu_answers = dict(full)
    deu_answers[codes[0]] = Answer.NOT_IN_PLACE
    del deu_answers[codes[1]]
    world.reports["DEU"] = file_report(s["DEU"], cycle, submit_on=DUE + datetime.timedelta(days=12), answers=deu_answers)
    world.reports["JOR"] = file_report(
        s["JOR"],
        cycle,
        submit_on=DUE - datetime.timedelta(days=1),
        answers=full,
        interdictions=[
            {
                "origin": s["JOR"],
                "destination": s["IRQ"],
                "quantity": "1200",
                "value": "50000",
                "parties": [("Crescent Tanker Logistics", ""), ("Islamic State in Iraq and the Levant", "QDe.115")],
            },
            {
                "origin": s["JOR"],
                "destination": s["FRA"],
                "commodity": Commodity.REFINED,
                "unit": QuantityUnit.TONNES,
                "quantity": "30",
                "value": "9000",
                "currency": "EUR",
                "parties": [("CRESCENT  tanker logistics", "")],
            },
        ],
    )
    world.reports["IRQ"] = file_report(s["IRQ"], cycle, submit_on=DUE - datetime.timedelta(days=3), answers=full)
    world.reports["NGA"] = file_report(s["NGA"], cycle, submit_on=None, answers={codes[0]: Answer.IN_PLACE})
    extra = MemberState.objects.exclude(iso3__in=iso).order_by("iso3")[:extra_states]
    for state in extra:
        world.states[state.iso3] = state
        world.reports[state.iso3] = file_report(state, cycle, submit_on=DUE - datetime.timedelta(days=5), answers=full)
    return world


@pytest.fixture
def world(reference) -> World:  # type: ignore[no-untyped-def]
    return build_world()

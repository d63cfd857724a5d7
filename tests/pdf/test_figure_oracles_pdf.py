"""The Council documents built as real PDFs, read back with pypdf, their figures against the
SQL oracle (tests/oracles.py) on the generated world (tests/oracle_world.py).

What a reader sees is what is checked: the summary's sections I (reporting rates, per regional
group), II (late States with days late), III (register totals), IV (parties named) and V
(matrix by area); a profile's checklist (every measure, the unanswered ones marked); the
compendium's summary and every profile's answer counts.
"""

from __future__ import annotations

import random
import re
from decimal import Decimal
from typing import Any

import pytest

from reports.models import Answer, Commodity, JobStatus, MeasureArea, MemberState, PdfKind, QuantityUnit, RegionalGroup
from reports.services.pdf_jobs import pdf_job_request, pdf_job_run
from tests import oracles
from tests.oracle_world import TODAY, build_oracle_world
from tests.oracles import AUDIENCE_PARAMS, distribution_for
from tests.pdf.world import pdf_raw_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(reference):  # type: ignore[no-untyped-def]
    return build_oracle_world(random.Random(2253))


def build(kind: str, world: Any, audience: str, state: MemberState | None = None) -> str:
    job = pdf_job_request(
        actor=None, kind=kind, distribution=distribution_for(audience), cycle=world.cycle, state=state, today=TODAY, enqueue=False
    )
    pdf_job_run(job_id=job.pk, attempt=0)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    with job.file.open("rb") as handle:
        return read_back(handle.read())


def read_back(content: bytes) -> str:
    """The text in layout mode (a table row on one line) with bidi marks dropped and all
    whitespace single spaces; a figure's thousands separator reads as a space ("1 500")."""
    out = pdf_raw_text(content, layout=True)
    for mark in ("\u202a", "\u202b", "\u202c", "\u200e", "\u200f", "\u2066", "\u2067", "\u2068", "\u2069"):
        out = out.replace(mark, "")
    # "12 %" (a no-break space in the template) may come out as "12%": one spelling.
    return re.sub(r"\s+", " ", out).replace(" %", "%")


def figure(value: Decimal | int) -> str:
    """A figure as UN documents print it: thousands apart, no trailing zeros."""
    value = Decimal(value)
    text = f"{value:,.0f}" if value == value.to_integral() else f"{value.normalize():,f}"
    return text.replace(",", " ")


def row_in(text: str, label: str, *numbers: object) -> bool:
    """A table row: its label (or, when the label wraps in its cell, the label's first words)
    followed by its figures."""
    words = label.split()
    figures = " ".join(str(n) for n in numbers)
    return any(f"{' '.join(words[:k])} {figures}" in text for k in range(len(words), 0, -1))


def rate(part: int, whole: int) -> str:
    return str(round(100.0 * part / whole, 1) if whole else 0.0)


def counts_numbers(c: dict[str, int]) -> list[object]:
    return [
        c["expected"],
        c["received"],
        f"{rate(c['received'], c['expected'])}%",
        c["on_time"],
        c["late"],
        c["drafts_only"],
        c["nothing"],
    ]


def check_summary(text: str, world: Any, audience: str) -> None:
    status = oracles.reporting_status(world.cycle.pk, TODAY)
    assert row_in(text, "All States", *counts_numbers(status["total"]))
    for code, c in status["groups"].items():
        assert row_in(text, str(RegionalGroup(code).label), *counts_numbers(c)), code
    names = {s.iso3: (s.names or {}).get("en") or s.name for s in MemberState.objects.filter(iso3__in=status["states"])}
    for iso3, s in status["states"].items():
        if s["category"] == "late":
            assert f"{names[iso3]} ({s['days_late']})" in text, iso3
    overdue = sum(1 for s in status["states"].values() if s["overdue"])
    assert f"{overdue} States have not reported (overdue)" in text

    totals = oracles.register_totals(world.cycle.pk, audience)
    for commodity, unit, quantity, cases, states in totals["oil"]:
        label = f"{Commodity(commodity).label} {QuantityUnit(unit).label}"
        assert row_in(text, label, figure(quantity), cases, states), (label, quantity)
    if totals["oil_value"]:
        values = "; ".join(f"{figure(v)} {currency}" for currency, v, _n in totals["oil_value"])
        assert f"Estimated value: {values}" in text
    for currency, amount, cases, states in totals["assets"]:
        assert row_in(text, currency, figure(amount), cases, states), currency
    cultural, ransom, strs = totals["cultural"], totals["ransom"], totals["str"]
    assert (
        f"Cultural property seizures {cultural['cases']} {cultural['items']} items; {cultural['returned']} seizures returned"
        in text
    )
    assert f"Ransom and donation cases {ransom['cases']} {ransom['prevented']} payments prevented" in text
    assert f"financial intelligence units {strs['reports']} from {strs['states']} States" in text

    for _normalized, list_ref, states, mentions, name in oracles.parties_named(world.cycle.pk, audience)[:10]:
        assert row_in(text, name, list_ref or "—", states, mentions), name

    optional = any(row["optional_unanswered"] for row in oracles.section_v(world.cycle.pk, audience).values())
    for area, row in oracles.section_v(world.cycle.pk, audience).items():
        if not row["measures"]:  # an area the cycle does not ask is left out of the table
            assert not row_in(text, str(MeasureArea(area).label), 0, 0), area
            continue
        answered = sum(row[a] for a in oracles.ANSWERS)
        pct = f"{round(100 * row['in_place'] / answered)}%" if answered else "—"
        numbers = [row["measures"], *(row[a] for a in oracles.ANSWERS), row["unanswered"]]
        if optional:
            numbers.append(row["optional_unanswered"])
        assert row_in(text, str(MeasureArea(area).label), *numbers, pct), (area, numbers)


def answer_counts_line(expected: list[tuple[str, str]]) -> str:
    parts = [f"{label}: {sum(1 for _c, given in expected if given == value)}" for value, label in Answer.choices]
    return "; ".join(parts) + f"; Not answered: {sum(1 for _c, given in expected if not given)}"


@pytest.mark.parametrize("audience", AUDIENCE_PARAMS)
def test_summary_pdf_figures_match_the_oracle(world, audience):
    check_summary(build(PdfKind.SUMMARY, world, audience), world, audience)


def profile_state(world: Any, audience: str) -> MemberState:
    """Internal: the State with the most unanswered measures. General / restricted: a State
    whose checklist is one level above what the audience may read (the case that must not leak)."""
    if audience == "internal":
        candidates = [(s, oracles.profile_checklist(world.cycle.pk, s.iso3, "internal")) for s in world.states]
        return max(((s, r) for s, r in candidates if r), key=lambda pair: sum(1 for _c, g in pair[1] if not g))[0]
    above = {"general": "restricted", "restricted": "internal"}[audience]
    hidden = oracles.shown_versions("checklist", above, world.cycle.pk) - oracles.shown_versions(
        "checklist", audience, world.cycle.pk
    )
    return next(s for s in world.states if s.iso3 in world.reports and world.reports[s.iso3].current_version_id in hidden)


@pytest.mark.parametrize("audience", AUDIENCE_PARAMS)
def test_profile_pdf_lists_every_measure_and_marks_the_unanswered(world, audience):
    codes = [code for _pk, code, _area, _req in oracles.checklist(world.cycle.pk)]
    state = profile_state(world, audience)
    text = build(PdfKind.PROFILE, world, audience, state=state)
    checklist = text[text.index("Implementation checklist") : text.index("Registers")]
    expected = oracles.profile_checklist(world.cycle.pk, state.iso3, audience)
    if expected is None:  # the checklist is not for this audience: none of it printed
        assert not any(f"{code} " in checklist for code in codes)
        return
    assert answer_counts_line(expected) in checklist
    positions = [checklist.index(f"{code} ") for code in codes]
    assert positions == sorted(positions)  # every measure, in checklist order
    # Each unanswered measure's row says so: one "Not answered" per row, plus the counts line.
    unanswered = sum(1 for _c, given in expected if not given)
    assert unanswered > 0 and checklist.count("Not answered") == unanswered + 1


def test_compendium_pdf_matches_the_oracle(world, settings):
    settings.PDF_COMPENDIUM_CHUNK_SIZE = 100
    audience = "internal"
    text = build(PdfKind.COMPENDIUM, world, audience)
    check_summary(text, world, audience)
    lines = sorted(
        re.findall(r"In place: \d+; Partially in place: \d+; Not in place: \d+; Not applicable: \d+; Not answered: \d+", text)
    )
    expected = [oracles.profile_checklist(world.cycle.pk, s.iso3, audience) for s in world.states]
    assert lines == sorted(answer_counts_line(rows) for rows in expected if rows is not None)

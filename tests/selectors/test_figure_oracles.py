"""Every Council figure against an independent oracle (tests/oracles.py: hand-written SQL).

The world (tests/oracle_world.py) holds blanks, missing rows, amendments, drafts, answers to
measures the cycle does not ask, another cycle's rows and sections at all three levels. The
figures are read where the documents and pages read them (the document contexts, the page,
the exports), so a figure computed right in a selector but wrongly wired still fails.

Audience tests run for general / restricted / internal. Until the audience branch lands
(`Distribution.INTERNAL` exists) "internal" is today's restricted edition (every section),
and the general and restricted ones are strict xfails: today "general" still shows
Committee-only sections and "restricted" Secretariat-only ones. They flip by themselves when
Distribution gains "internal".
"""

from __future__ import annotations

import datetime
import json
import random
import re
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from reports.models import MemberState, PdfKind
from reports.pdf.documents import DocumentRequest, profile_context, summary_context
from reports.selectors.dashboard import cycle_status_summary
from tests import oracles
from tests.oracle_world import AMENDED, DRAFT, TODAY, build_oracle_world
from tests.oracles import AUDIENCE_PARAMS as AUDIENCES
from tests.oracles import distribution_for

pytestmark = pytest.mark.django_db
NOW = datetime.datetime.combine(TODAY, datetime.time(16, 0), tzinfo=datetime.UTC)  # noon in New York


@pytest.fixture
def world(reference):  # type: ignore[no-untyped-def]
    return build_oracle_world(random.Random(2253))


def summary(world: Any, audience: str) -> dict[str, Any]:
    request = DocumentRequest(kind=PdfKind.SUMMARY, distribution=distribution_for(audience), today=TODAY, cycle=world.cycle)
    return summary_context(request)


def test_the_world_has_what_the_figures_can_trip_over(world):
    """The oracles are only as good as the world: check it holds each trap at least once."""
    assert {AMENDED, DRAFT, "nothing", "on_time", "late"} <= set(world.fates.values())
    assert world.superseded and world.drafts
    blanks = oracles.rows("SELECT COUNT(*) FROM reports_checklistanswer WHERE answer = ''")[0][0]
    assert blanks > 0
    internal = oracles.section_v(world.cycle.pk, "internal")
    assert sum(row["unanswered"] for row in internal.values()) > 0
    for section in ("checklist", "oil", "assets"):
        assert (
            oracles.shown_versions(section, "general", world.cycle.pk)
            < oracles.shown_versions(section, "restricted", world.cycle.pk)
            < oracles.shown_versions(section, "internal", world.cycle.pk)
        ), section


# --- reporting rates ---------------------------------------------------------------------------


def test_reporting_rates_in_the_summary_and_the_dashboard_match_the_oracle(world):
    expected = oracles.reporting_status(world.cycle.pk, TODAY)
    status = cycle_status_summary(cycle=world.cycle, today=TODAY)
    fields = ("expected", "received", "on_time", "late", "drafts_only", "nothing", "overdue")
    assert {f: getattr(status, f) for f in fields} == expected["total"]
    assert {g.code: {f: getattr(g, f) for f in fields} for g in status.groups} == expected["groups"]
    assert {s.iso3: (s.category, s.days_late, s.is_overdue) for s in status.states} == {
        iso3: (s["category"], s["days_late"], s["overdue"]) for iso3, s in expected["states"].items()
    }
    # The summary document reads the same figures.
    context = summary(world, "internal")
    assert {f: getattr(context["status"], f) for f in fields} == expected["total"]
    late = {s.iso3: s.days_late for s in context["late_states"]}
    assert late == {iso3: s["days_late"] for iso3, s in expected["states"].items() if s["category"] == "late"}
    assert {s.iso3 for s in context["overdue_states"]} == {iso3 for iso3, s in expected["states"].items() if s["overdue"]}


def test_dashboard_page_and_status_export_match_the_oracle(world, secretariat, client):
    expected = oracles.reporting_status(world.cycle.pk, TODAY)
    client.force_login(secretariat)
    status_url = reverse("secretariat:status", args=[world.cycle.pk])
    with time_machine.travel(NOW, tick=False):
        body = client.get(reverse("secretariat:dashboard"), {"cycle": world.cycle.pk}).content.decode()
        exported = {cat: _exported(client, status_url, category=cat) for cat in ("on_time", "late", "draft", "nothing")}
    shown = {k: int(v) for k, v in re.findall(r'data-n="(\w+)">(\d+)<', body)}
    assert {k: shown[k] for k in expected["total"]} == expected["total"]
    got = {r["iso3"]: (r["category"], int(r["days_late"]), r["overdue"]) for rows in exported.values() for r in rows}
    assert got == {iso3: (s["category"], s["days_late"], s["overdue"]) for iso3, s in expected["states"].items()}


# --- section V ---------------------------------------------------------------------------------


@pytest.mark.parametrize("audience", AUDIENCES)
def test_section_v_matches_the_oracle(world, audience):
    expected = oracles.section_v(world.cycle.pk, audience)
    got = {
        row["area"]: {
            k: row[k]
            for k in ("measures", "reports", "in_place", "partial", "not_in_place", "na", "unanswered", "optional_unanswered")
        }
        for row in summary(world, audience)["matrix"]
    }
    assert got == expected


def test_section_v_counts_the_cycles_checklist_not_every_measure(world):
    """The demo-data bug: Measures counted every active measure of every resolution (oil 7,
    finance 12) and answers to measures the cycle does not ask."""
    checklist = oracles.checklist(world.cycle.pk)
    rows = {row["area"]: row for row in summary(world, "internal")["matrix"]}
    for area in oracles.AREAS:
        assert rows[area]["measures"] == sum(1 for m in checklist if m[2] == area)
        cells = sum(rows[area][k] for k in ("in_place", "partial", "not_in_place", "na", "unanswered", "optional_unanswered"))
        assert cells == rows[area]["measures"] * rows[area]["reports"]


def test_section_v_on_a_cycle_with_optional_measures(reference):
    world = build_oracle_world(random.Random(2199), n_states=8, obligation="2199-implementation")
    expected = oracles.section_v(world.cycle.pk, "internal")
    assert sum(r["optional_unanswered"] for r in expected.values()) > 0
    for row in summary(world, "internal")["matrix"]:
        assert row["unanswered"] == expected[row["area"]]["unanswered"]
        assert row["optional_unanswered"] == expected[row["area"]]["optional_unanswered"]


# --- profiles ------------------------------------------------------------------------------------


@pytest.mark.parametrize("audience", AUDIENCES)
def test_profile_rows_match_the_oracle(world, audience):
    request = DocumentRequest(kind=PdfKind.PROFILE, distribution=distribution_for(audience), today=TODAY, cycle=world.cycle)
    context = profile_context(request, world.states)
    for view in context["profiles"]:
        profile = view["profile"]
        expected = oracles.profile_checklist(world.cycle.pk, profile.state.iso3, audience)
        got = [(row.measure.code, row.given) for row in profile.checklist] if profile.checklist else None
        assert got == expected, profile.state.iso3
        if expected is not None:
            assert view["unanswered"] == sum(1 for _code, given in expected if not given)
            assert sum(n for _label, n in view["answer_counts"]) + view["unanswered"] == len(expected)


def test_profiles_list_every_measure_the_cycle_asks(world):
    """The demo-data bug: a State that skipped a measure showed "Unanswered: 0" with 7 of 9 rows."""
    request = DocumentRequest(kind=PdfKind.PROFILE, distribution=distribution_for("internal"), today=TODAY, cycle=world.cycle)
    measures = [code for _pk, code, _area, _req in oracles.checklist(world.cycle.pk)]
    skipped = 0
    for view in profile_context(request, world.states)["profiles"]:
        profile = view["profile"]
        if profile.focus is None:
            continue
        assert [row.measure.code for row in profile.checklist] == measures
        skipped += view["unanswered"]
    assert skipped > 0


# --- register totals and named parties (summary sections III and IV) ---------------------------


@pytest.mark.parametrize("audience", AUDIENCES)
def test_register_totals_match_the_oracle(world, audience):
    expected = oracles.register_totals(world.cycle.pk, audience)
    context = summary(world, audience)
    assert [(r["commodity"], r["unit"], r["quantity"], r["cases"], r["states"]) for r in context["oil"]] == expected["oil"]
    assert [(r["currency"], r["value"], r["cases"]) for r in context["oil_value"]] == expected["oil_value"]
    assert [(r["currency"], r["amount"], r["cases"], r["states"]) for r in context["assets"]] == expected["assets"]
    assert context["cultural"] == expected["cultural"]
    assert context["ransom"] == expected["ransom"]
    assert context["str_counts"] == expected["str"]


@pytest.mark.parametrize("audience", AUDIENCES)
def test_named_parties_in_the_summary_match_the_oracle(world, audience):
    expected = [row[:4] for row in oracles.parties_named(world.cycle.pk, audience)[:10]]
    got = [(p["normalized_name"], p["list_ref"], p["states"], p["mentions"]) for p in summary(world, audience)["parties"]]
    assert got == expected


# --- the back office: matrix, incomplete, named parties, through the pages' exports --------------


def _exported(client: Any, url: str, **params: Any) -> list[dict[str, Any]]:
    """The page's JSON export: the codes (the CSV and XLSX carry the on-screen labels instead)."""
    response = client.get(url, {**params, "export": "json"})
    assert response.status_code == 200
    return json.loads(response.content)


def test_matrix_page_counts_and_export_match_the_oracle(world, secretariat, client):
    cells = oracles.matrix_cells(world.cycle.pk)
    client.force_login(secretariat)
    url = reverse("secretariat:matrix", args=[world.cycle.pk])
    legend = re.findall(r'data-flag="(\w+)" data-cells="(\d+)" data-states="(\d+)"', client.get(url).content.decode())
    counts = {k: int(v) for k, v, _states in legend}
    expected: dict[str, int] = {}
    states: dict[str, set[str]] = {}
    for (iso3, _code), (_answer, _rating, flag) in cells.items():
        expected[flag] = expected.get(flag, 0) + 1
        states.setdefault(flag, set()).add(iso3)
    assert {k: v for k, v in counts.items() if v} == expected
    # The legend also counts States: each State once per flag its row carries.
    assert {k: int(n) for k, _v, n in legend if int(n)} == {flag: len(isos) for flag, isos in states.items()}
    exported = {}
    for row in _exported(client, url):
        for code in {key.rsplit(" ", 1)[0] for key in row if key.endswith(" flag")}:
            exported[(row["iso3"], code)] = (row[f"{code} answer"], row[f"{code} assessment"], row[f"{code} flag"])
    assert exported == cells


def _page_assessment_states(page: str) -> dict[tuple[str, int], str]:
    """(iso3, measure id) -> the words the matrix page prints after a cell's rating ("agreed")."""
    shown = {}
    for iso3, row in re.findall(r'<tr data-state="(\w+)">(.*?)</tr>', page, re.S):
        for measure, cell in re.findall(r'<td class="sec-cell[^"]*" data-measure="(\d+)">(.*?)</td>', row, re.S):
            words = re.search(r'<span class="sec-astate[^"]*" data-astate="\w+">· ([^<]*)</span>', cell)
            shown[(iso3, int(measure))] = words.group(1) if words else ""
    return shown


@pytest.mark.parametrize("language", ["en", "ar"])
def test_matrix_exports_carry_where_each_assessment_stands_as_the_oracle_and_the_page_say(world, secretariat, client, language):
    import csv
    import io

    from django.utils import translation
    from django.utils.translation import gettext

    states = oracles.matrix_assessment_states(world.cycle.pk)
    assert {"draft", "shared", "agreed", "disputed", "final"} <= set(states.values()), "the world holds every state"
    codes = {pk: code for pk, code, _area, _required in oracles.checklist(world.cycle.pk)}
    client.force_login(secretariat)
    client.cookies["django_language"] = language
    url = reverse("secretariat:matrix", args=[world.cycle.pk])
    # JSON: the codes, as the oracle reads them from the tables
    got = {(row["iso3"], code): row[f"{code} assessment_state"] for row in _exported(client, url) for code in codes.values()}
    assert got == states
    # CSV and XLSX: the words the page prints in the cell, under a column of their own
    page = client.get(url).content.decode()
    words = {(iso3, codes[pk]): text for (iso3, pk), text in _page_assessment_states(page).items()}
    assert {k for k, v in words.items() if v} == {k for k, v in states.items() if v}
    response = client.get(url, {"export": "csv"})
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, body = table[0], table[1:]
    _sheet, sheet_rows = _xlsx(client, url)
    for code in codes.values():
        with translation.override(language):
            label = gettext("%(measure)s: where the assessment stands") % {"measure": code}
        column = header.index(label)  # a column of its own, after the assessment
        assert header[column - 1].startswith(f"{code}") and header[column + 1].startswith(f"{code}")
        for row in body:
            iso3 = row[0]
            assert row[column] == words.get((iso3, code), ""), (iso3, code, label)
        for row in sheet_rows:
            assert (row[label] or "") == words.get((row[header[0]], code), ""), (row[header[0]], code)


def test_incomplete_register_export_matches_the_oracle(world, secretariat, client):
    client.force_login(secretariat)
    rows = _exported(client, reverse("secretariat:register_section", args=[world.cycle.pk, "incomplete"]))
    got = {r["iso3"]: (int(r["required"]), r["unanswered"]) for r in rows}
    assert got == oracles.incomplete(world.cycle.pk)
    assert all(int(r["unanswered_count"]) == len(r["unanswered"]) for r in rows)


def test_named_parties_register_export_matches_the_oracle(world, secretariat, client):
    client.force_login(secretariat)
    rows = _exported(client, reverse("secretariat:parties"), cycle=world.cycle.pk)
    got = {
        r["normalized_name"]: {
            "reports": int(r["reports"]),
            "mentions": int(r["mentions"]),
            "states": sorted(r["states"]),
            "cultural_items": int(r["cultural_items"]),
        }
        for r in rows
    }
    assert got == oracles.parties_register(world.cycle.pk)


# --- invariants the oracle world must satisfy whatever the audience ------------------------------


def test_every_audience_sees_a_subset_of_the_next(world):
    """Oracle-side: general <= restricted <= internal for every register total."""
    totals = {a: oracles.register_totals(world.cycle.pk, a) for a in oracles.AUDIENCES}
    for smaller, larger in (("general", "restricted"), ("restricted", "internal")):
        assert totals[smaller]["cultural"]["cases"] <= totals[larger]["cultural"]["cases"]
        assert sum(n for *_, n, _s in totals[smaller]["oil"]) <= sum(n for *_, n, _s in totals[larger]["oil"])
        small_assets = sum((a for _c, a, _n, _s in totals[smaller]["assets"]), Decimal(0))
        assert small_assets <= sum((a for _c, a, _n, _s in totals[larger]["assets"]), Decimal(0))
    assert MemberState.objects.count() == oracles.reporting_status(world.cycle.pk, TODAY)["total"]["expected"]


# --- XLSX read back: real numbers and dates, the same figures as the oracle ----------------------


def _xlsx(client: Any, url: str, **params: Any) -> tuple[Any, list[dict[str, Any]]]:
    import io

    import openpyxl

    response = client.get(url, {**params, "export": "xlsx"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    header = [str(h) for h in values[0]]
    return sheet, [dict(zip(header, row, strict=True)) for row in values[1:]]


def test_status_xlsx_holds_numbers_and_dates_that_match_the_oracle(world, secretariat, client):
    expected = oracles.reporting_status(world.cycle.pk, TODAY)
    first_submitted = {
        iso3: at.astimezone(datetime.UTC).replace(tzinfo=None, microsecond=0)
        for iso3, at in oracles.rows(
            """
            SELECT s.iso3, MIN(v.submitted_at) FROM reports_report r
            JOIN reports_memberstate s ON s.id = r.state_id
            JOIN reports_reportversion v ON v.report_id = r.id AND v.is_draft = FALSE
            WHERE r.cycle_id = %s GROUP BY s.iso3
            """,
            [world.cycle.pk],
        )
    }
    client.force_login(secretariat)
    with time_machine.travel(NOW, tick=False):
        sheet, rows = _xlsx(client, reverse("secretariat:status", args=[world.cycle.pk]))
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == f"A1:H{len(rows) + 1}"
    assert sheet["A1"].font.bold
    got = {}
    for row in rows:
        assert isinstance(row["Days late"], int)
        got[row["ISO code"]] = (row["Days late"], row["Overdue"] == "yes")
        if row["ISO code"] in first_submitted:
            assert isinstance(row["First submitted (UTC)"], datetime.datetime)
            assert row["First submitted (UTC)"] == first_submitted[row["ISO code"]]
        else:
            assert row["First submitted (UTC)"] is None
    assert got == {iso3: (s["days_late"], s["overdue"]) for iso3, s in expected["states"].items()}


def test_named_parties_xlsx_has_one_number_column_per_unit_matching_the_oracle(world, secretariat, client):
    from reports.models import QuantityUnit

    expected = oracles.parties_totals(world.cycle.pk)
    assert any(len(p["quantity"]) > 1 for p in expected.values()), "the world names a party in two units"
    client.force_login(secretariat)
    _sheet, rows = _xlsx(client, reverse("secretariat:parties"), cycle=world.cycle.pk)
    units = {str(label): code for code, label in QuantityUnit.choices}
    checked = 0
    for row in rows:
        name = row["Name as compared"]
        quantities = {
            units[h.removeprefix("Total quantity (").removesuffix(")")]: v
            for h, v in row.items()
            if h.startswith("Total quantity (") and v is not None
        }
        values = {
            h.removeprefix("Total value (").removesuffix(")"): v
            for h, v in row.items()
            if h.startswith("Total value (") and v is not None
        }
        assert all(isinstance(v, (int, float)) for v in (*quantities.values(), *values.values()))
        oracle = expected.get(name, {"quantity": {}, "value": {}})
        assert quantities == pytest.approx({u: float(q) for u, q in oracle["quantity"].items()})
        assert values == pytest.approx({c: float(v) for c, v in oracle["value"].items()})
        checked += bool(quantities)
    assert checked == len([p for p in expected.values() if p["quantity"]])

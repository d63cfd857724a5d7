"""Property: whatever two versions hold (answers, levels, register rows, lists, nested JSON, fields
this code does not know), every page that shows a version or a diff answers without a 5xx, and
the Committee's page never carries what a section marked for the Secretariat holds.

Hypothesis builds each pair: a first frozen content, then a second derived from it (rows kept,
changed, dropped, added; levels and note changed), with arbitrary JSON mixed into the fields.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reports.models import (
    Answer,
    ChecklistAnswer,
    Confidentiality,
    Measure,
    MemberState,
    OilInterdiction,
    Report,
    ReportStatus,
    ReportVersion,
    Role,
    Section,
)
from reports.selectors.versions import SECTION_KEYS, content_display, known_columns, render_value
from reports.services.snapshot import content_sha256
from tests.factories import make_report, make_user
from tests.mfa import totp_give

pytestmark = pytest.mark.django_db

MARKER = "INTERNAL-ONLY-MARKER"
LEVELS = list(Confidentiality.values)
text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40)
leaf = st.none() | st.booleans() | st.integers(-(10**12), 10**12) | st.floats(allow_nan=False, allow_infinity=False) | text
json_value = st.recursive(leaf, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3), max_leaves=8)  # fmt: skip
# What a field plausibly holds: its real shape most of the time, anything at all some of the time.
field_value = st.one_of(
    text,
    st.sampled_from(["2026-10-01", "1990-08-06", "not a date", "12500.000", "-3", "crude", "barrels", "in_place", "na"]),
    st.lists(st.sampled_from(["TUR", "SYR", "GRC", "IRQ"]), max_size=4),
    json_value,
)


def row_for(key: str) -> st.SearchStrategy[dict[str, Any]]:
    names = [c.name for c in known_columns(key)]
    known = st.fixed_dictionaries({}, optional=dict.fromkeys(names, field_value))
    extra = st.dictionaries(st.sampled_from(["extra", "late_field", "nested"]), json_value, max_size=2)
    return st.builds(lambda a, b: {**a, **b}, known, extra)


def checklist_row(codes: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    return st.builds(
        lambda code, rest: {"measure": code, **rest},
        st.sampled_from(codes) | text,
        st.fixed_dictionaries(
            {"answer": st.sampled_from([*Answer.values, ""]) | json_value},
            optional={
                "legal_reference": field_value,
                "narrative": text | st.just("long " * 200),
                "evidence_location": field_value,
            },
        ),
    )


@st.composite
def content_pair(draw: st.DrawFn, codes: list[str]) -> tuple[dict[str, Any], dict[str, Any]]:
    first: dict[str, Any] = {
        "report": {
            "confidentiality": draw(st.sampled_from(LEVELS) | json_value),
            "section_confidentiality": draw(st.dictionaries(st.sampled_from(SECTION_KEYS), st.sampled_from(LEVELS)) | json_value),
            "note": draw(text | json_value),
        },
        "checklist": draw(st.lists(checklist_row(codes), max_size=4)),
    }
    for key in SECTION_KEYS[1:]:
        first[key] = draw(st.lists(row_for(key), max_size=4) | st.just([]) | json_value)
    if draw(st.booleans()):
        first[draw(st.sampled_from(["future_section", "annex"]))] = draw(json_value)
    second: dict[str, Any] = {"report": dict(first["report"])}
    for key, value in first.items():
        if key == "report":
            continue
        if isinstance(value, list) and draw(st.booleans()):
            rows = [dict(row) if isinstance(row, dict) else row for row in value]
            for index in range(len(rows)):
                change = draw(st.sampled_from(["keep", "keep", "edit", "drop"]))
                if change == "edit" and isinstance(rows[index], dict):
                    rows[index][draw(st.sampled_from(["place", "answer", "quantity", "transit", "narrative", "x"]))] = draw(
                        field_value
                    )
                elif change == "drop":
                    rows[index] = None
            rows = [row for row in rows if row is not None]
            strategy = checklist_row(codes) if key == "checklist" else row_for(key)
            rows += draw(st.lists(strategy, max_size=2))
            second[key] = rows
        elif draw(st.booleans()):
            second[key] = value
        else:
            second[key] = draw(json_value)
    if draw(st.booleans()):
        second["report"]["section_confidentiality"] = draw(st.dictionaries(st.sampled_from(SECTION_KEYS), st.sampled_from(LEVELS)) | json_value)  # fmt: skip
    if draw(st.booleans()):
        second["report"]["note"] = draw(text | json_value)
    return first, second


# --- the pure part: any JSON displays and prints ------------------------------------------------


@given(value=json_value)
def test_any_json_value_renders_as_text(value: Any) -> None:
    assert isinstance(render_value(value), str)
    assert isinstance(render_value(value, {"a": "b"}, "date"), str) and isinstance(render_value(value, {}, "number"), str)


@settings(max_examples=100, deadline=None)
@given(
    pair=content_pair(["OIL-1", "FIN-2"]),
    only_changes=st.booleans(),
    visible=st.sets(st.sampled_from(SECTION_KEYS)),
    row_limit=st.integers(1, 4),
    pages=st.dictionaries(st.sampled_from(SECTION_KEYS), st.integers(-2, 9)),
)
def test_any_pair_of_contents_displays_and_the_template_prints_it(
    pair: tuple[dict[str, Any], dict[str, Any]], only_changes: bool, visible: set[str], row_limit: int, pages: dict[str, int]
) -> None:
    first, second = pair
    display = content_display(content=second, previous=first, visible=lambda k: k in visible, only_changes=only_changes,
                              row_limit=row_limit, pages=pages)  # fmt: skip
    for section in display.sections:
        # Every listed row is on exactly one page; the changes on other pages are counted.
        assert len(section.rows) + section.hidden == section.listed
        assert len(section.rows) <= row_limit and 1 <= section.page <= section.page_count
        assert (
            section.restricted == (section.key in SECTION_KEYS and section.key not in visible) or section.key not in SECTION_KEYS
        )
        for row in section.rows:
            assert row.mark in ("", "added", "removed", "changed")
            assert all(isinstance(cell.text, str) for cell in row.cells)
    html = render_to_string("versions/_report.html", {"display": display, "version": {"number": 2}})
    assert 'data-testid="version-report"' in html


# --- the pages: real versions in the database --------------------------------------------------


def _frozen(report: Report, number: int, content: dict[str, Any], level: str, levels: dict[str, str]) -> ReportVersion:
    """A submitted version holding `content` as its frozen JSON (what every page reads)."""
    content = {**content, "report": content["report"]}
    return ReportVersion.objects.create(
        report=report, number=number, is_draft=False, confidentiality=level, section_confidentiality=levels,
        content=content, content_sha256=content_sha256(content), submitted_at=timezone.now(),
        reference=f"S/AC.37/TEST/{number}",
    )  # fmt: skip


def _hide_marker(content: dict[str, Any], version_levels: dict[str, str], level: str) -> dict[str, Any]:
    """Put MARKER into every section the Committee may not see (as the model's levels say)."""
    content = dict(content)
    for key in SECTION_KEYS:
        if (version_levels.get(key) or level) == Confidentiality.SECRETARIAT:
            row = {"measure": MARKER, "answer": MARKER} if key == "checklist" else {"place": MARKER, "name": MARKER, "listed_party": MARKER}  # fmt: skip
            content[key] = [*(content[key] if isinstance(content.get(key), list) else []), row]
    return content


@pytest.fixture
def people(state_a, cycle, focal_a):  # type: ignore[no-untyped-def]
    report = make_report(state_a, cycle, focal_a)
    report.versions.all().delete()  # the open draft: each example makes its own versions
    return {
        "report": report,
        "focal": focal_a,
        "secretariat": totp_give(make_user(Role.SECRETARIAT)),
        "committee": make_user(Role.COMMITTEE),
        "codes": list(Measure.objects.values_list("code", flat=True)[:6]),
    }


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(
    data=st.data(),
    levels=st.tuples(st.sampled_from(LEVELS), st.sampled_from(LEVELS)),
    overrides=st.tuples(*[st.dictionaries(st.sampled_from(SECTION_KEYS), st.sampled_from([*LEVELS, ""]), max_size=4)] * 2),
    draft_answer=st.sampled_from([*Answer.values, ""]),
    draft_levels=st.dictionaries(st.sampled_from(SECTION_KEYS), st.sampled_from(LEVELS), max_size=3),
    draft_transit=st.lists(st.sampled_from(["TUR", "SYR", "GRC"]), max_size=3, unique=True),
)
def test_every_page_that_shows_a_diff_answers_for_any_pair_of_versions(
    client, people, data, levels, overrides, draft_answer, draft_levels, draft_transit
) -> None:  # type: ignore[no-untyped-def]
    report: Report = people["report"]
    first, second = data.draw(content_pair(people["codes"]))
    with transaction.atomic():
        v1 = _frozen(report, 1, _hide_marker(first, overrides[0], levels[0]), levels[0], overrides[0])
        v2 = _frozen(report, 2, _hide_marker(second, overrides[1], levels[1]), levels[1], overrides[1])
        Report.objects.filter(pk=report.pk).update(current_version=v2, status=ReportStatus.ACCEPTED,
                                                    first_submitted_at=v1.submitted_at)  # fmt: skip
        # An addendum draft made of real rows (random answer, levels, route) against version 2.
        draft = ReportVersion.objects.create(report=report, number=3, is_draft=True, confidentiality=levels[1],
                                             section_confidentiality=draft_levels)  # fmt: skip
        measure = Measure.objects.filter(resolution=report.cycle.obligation.resolution, active=True).first()
        ChecklistAnswer.objects.create(version=draft, measure=measure, answer=draft_answer, narrative="n " * 400)
        row = OilInterdiction.objects.create(version=draft, date=datetime.date(2026, 10, 1), place="Ceyhan", commodity="crude",
                                             unit="barrels", direction="from", quantity=Decimal("1.5"))  # fmt: skip
        row.transit_route_set(list(MemberState.objects.filter(iso3__in=draft_transit).order_by("?")))

        secretariat_url = reverse("secretariat:report", args=[report.pk])
        pages = [
            (people["secretariat"], secretariat_url, {}),
            (people["secretariat"], secretariat_url, {"version": "1"}),
            (people["secretariat"], secretariat_url, {"rows-oil": "2"}),
            (people["focal"], reverse("delegation:version", args=[report.pk, 1]), {}),
            (people["focal"], reverse("delegation:version", args=[report.pk, 2]), {}),
            (people["focal"], reverse("delegation:history", args=[report.pk]), {"a": "1", "b": "2"}),
            (people["focal"], reverse("delegation:history", args=[report.pk]), {"a": "2", "b": "1"}),
            (people["focal"], reverse("delegation:review", args=[report.pk]), {}),
        ]
        for user, url, params in pages:
            client.force_login(user)
            response = client.get(url, params)
            assert response.status_code == 200, (url, params, response.status_code)
        client.force_login(people["committee"])
        committee_url = reverse("committee:report", args=[report.pk])
        for number, level in ((None, levels[1]), ("1", levels[0]), ("2", levels[1])):
            response = client.get(committee_url, {"version": number} if number else {})
            readable = levels[1] != Confidentiality.SECRETARIAT and level != Confidentiality.SECRETARIAT
            assert response.status_code == (200 if readable else 404), (number, levels)
            assert MARKER not in response.content.decode()
        transaction.set_rollback(True)


def test_the_sections_are_the_known_ones() -> None:
    assert set(SECTION_KEYS) == set(Section.values)

"""Invariants the Council figures keep whatever the data (hypothesis draws the worlds).

Columns sum to their totals; in each area of section V the answer columns sum to measures x
reports counted; a profile lists the whole checklist; each audience sees at most what the
next one sees; the matrix's flags cover every State x measure once. The figures are read
where the documents and pages read them.
"""

from __future__ import annotations

import random
from collections import defaultdict
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reports.models import MemberState, PdfKind
from reports.pdf.documents import DocumentRequest, profile_context, summary_context
from reports.selectors.matrix import cycle_measures, implementation_matrix
from tests.oracle_world import TODAY, build_oracle_world
from tests.oracles import AUDIENCES, distribution_for

pytestmark = pytest.mark.django_db
COUNTS = ("expected", "received", "on_time", "late", "drafts_only", "nothing", "overdue")
CELLS = ("in_place", "partial", "not_in_place", "na", "unanswered", "optional_unanswered")


def summaries(world: Any) -> dict[str, dict[str, Any]]:
    return {
        audience: summary_context(
            DocumentRequest(kind=PdfKind.SUMMARY, distribution=distribution_for(audience), today=TODAY, cycle=world.cycle)
        )
        for audience in AUDIENCES
    }


def check_status(status: Any) -> None:
    for field in COUNTS:
        assert sum(getattr(g, field) for g in status.groups) == getattr(status, field), field
    for counts in [status, *status.groups]:
        assert counts.received == counts.on_time + counts.late
        assert counts.expected == counts.received + counts.drafts_only + counts.nothing
        assert counts.overdue <= counts.expected - counts.received


def check_section_v(world: Any, matrix: list[dict[str, Any]]) -> None:
    measures = defaultdict(int)
    for measure in cycle_measures(world.cycle):
        measures[measure.area] += 1
    for row in matrix:
        assert row["measures"] == measures[row["area"]]
        assert sum(row[c] for c in CELLS) == row["measures"] * row["reports"], row
        assert row["answered"] == sum(row[c] for c in CELLS[:4])


def check_profiles(world: Any, audience: str) -> None:
    request = DocumentRequest(kind=PdfKind.PROFILE, distribution=distribution_for(audience), today=TODAY, cycle=world.cycle)
    codes = [m.code for m in cycle_measures(world.cycle)]
    for view in profile_context(request, world.states)["profiles"]:
        profile = view["profile"]
        if profile.focus is None or profile.checklist_hidden:
            assert profile.checklist == []
            continue
        assert [row.measure.code for row in profile.checklist] == codes
        assert sum(n for _label, n in view["answer_counts"]) + view["unanswered"] == len(codes)


def totals(context: dict[str, Any]) -> dict[str, Decimal]:
    """Every summable figure of a summary, by a key, to compare audiences."""
    found: dict[str, Decimal] = defaultdict(Decimal)
    for row in context["oil"]:
        found[f"oil {row['commodity']} {row['unit']} quantity"] += row["quantity"]
        found[f"oil {row['commodity']} {row['unit']} cases"] += row["cases"]
    for row in context["assets"]:
        found[f"assets {row['currency']}"] += row["amount"]
    for key in ("cases", "items", "returned"):
        found[f"cultural {key}"] += context["cultural"][key]
    found["ransom"] += context["ransom"]["cases"]
    found["str"] += context["str_counts"]["reports"]
    for party in context["parties"]:
        found[f"party {party['normalized_name']} {party['list_ref']}"] += party["mentions"]
    found["checklist reports"] += context["matrix"][0]["reports"]
    return found


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(rng=st.randoms(use_true_random=False), obligation=st.sampled_from(["committee-periodic-update", "2199-implementation"]))
def test_figures_keep_their_invariants(reference, secretariat, rng: random.Random, obligation: str):
    with transaction.atomic():
        world = build_oracle_world(rng, n_states=7, obligation=obligation)
        contexts = summaries(world)
        check_status(contexts["internal"]["status"])
        for audience in AUDIENCES:
            check_section_v(world, contexts[audience]["matrix"])
            check_profiles(world, audience)
        # Each audience sees a subset of the next (top-ten parties aside: the cut can differ).
        seen = {audience: totals(contexts[audience]) for audience in AUDIENCES}
        for smaller, larger in (("general", "restricted"), ("restricted", "internal")):
            for key, value in seen[smaller].items():
                if not key.startswith("party"):
                    assert value <= seen[larger][key], (smaller, key)
        matrix = implementation_matrix(user=secretariat, cycle=world.cycle)
        flags = matrix.flag_counts()
        assert sum(flags.values()) == MemberState.objects.count() * len(matrix.measures)
        transaction.set_rollback(True)

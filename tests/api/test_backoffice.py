"""The back office's API figures equal the pages' and the independent oracles (tests/oracles.py);
list endpoints cost the same number of queries for 2 States as for 20."""

from __future__ import annotations

import datetime
import random
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.models import TokenScope
from reports.selectors import noncompliance as nc
from tests import oracles
from tests.api.conftest import ApiClient, token_for
from tests.oracle_world import TODAY, build_oracle_world

pytestmark = pytest.mark.django_db
NOW = datetime.datetime.combine(TODAY, datetime.time(16, 0), tzinfo=datetime.UTC)


@pytest.fixture
def world(reference):  # type: ignore[no-untyped-def]
    return build_oracle_world(random.Random(2253))


def _all(api: ApiClient, path: str, **params: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Every page of a cursor-paginated answer: the first page's body and all results."""
    body = api.get(path, **params).json()
    results = list(body["results"])
    first, url = body, body["next"]
    while url:
        body = api.client.get(url).json()
        results += body["results"]
        url = body["next"]
    return first, results


@time_machine.travel(NOW, tick=False)
def test_status_matches_the_oracle_and_the_page(world, secretariat, client):
    api = ApiClient(token_for(secretariat, TokenScope.READ))
    expected = oracles.reporting_status(world.cycle.pk, TODAY)
    first, states = _all(api, f"/api/v1/cycles/{world.cycle.pk}/status/", page_size=50)
    fields = ("expected", "received", "on_time", "late", "drafts_only", "nothing", "overdue")
    assert {f: first["totals"][f] for f in fields} == expected["total"]
    assert {g["code"]: {f: g[f] for f in fields} for g in first["groups"]} == expected["groups"]
    assert {s["iso3"]: (s["category"], s["days_late"], s["is_overdue"]) for s in states} == {
        iso3: (s["category"], s["days_late"], s["overdue"]) for iso3, s in expected["states"].items()
    }
    assert len(states) == 193
    # The page's figures: its status list filtered by category is the same set of States.
    client.force_login(secretariat)
    page = client.get(f"/secretariat/cycles/{world.cycle.pk}/states/", {"category": "late", "export": "csv"})
    page_late = {line.split(",")[0] for line in page.content.decode().splitlines()[1:] if line}
    _first, late = _all(api, f"/api/v1/cycles/{world.cycle.pk}/status/", category="late")
    assert {s["iso3"] for s in late} == {iso3 for iso3, s in expected["states"].items() if s["category"] == "late"}
    assert len(page_late) == len(late)


@time_machine.travel(NOW, tick=False)
def test_matrix_matches_the_oracle(world, monitoring):
    api = ApiClient(token_for(monitoring, TokenScope.READ))
    first, rows = _all(api, f"/api/v1/cycles/{world.cycle.pk}/matrix/", page_size=40)
    codes = {m["id"]: m["code"] for m in first["measures"]}
    got = {(row["iso3"], codes[c["measure"]]): (c["answer"], c["rating"], c["flag"]) for row in rows for c in row["cells"]}
    assert got == oracles.matrix_cells(world.cycle.pk)
    counts: dict[str, int] = {}
    for _a, _r, flag in got.values():
        counts[flag] = counts.get(flag, 0) + 1
    assert {k: v for k, v in first["flag_counts"].items() if v} == counts
    # Where each assessment stands with the State, as the page and the exports print it (SQL oracle).
    states = oracles.matrix_assessment_states(world.cycle.pk)
    stood = {(row["iso3"], codes[c["measure"]]): (c["assessment_state"], c["rating"]) for row in rows for c in row["cells"]}
    assert {key: state for key, (state, _rating) in stood.items()} == {
        key: states[key] if rating else "" for key, (_state, rating) in stood.items()
    }
    assert {state for state, _rating in stood.values()} >= {"shared", "agreed", "disputed"}


@time_machine.travel(NOW, tick=False)
def test_named_parties_match_the_oracle(world, secretariat):
    api = ApiClient(token_for(secretariat, TokenScope.READ))
    _first, parties = _all(api, "/api/v1/parties/", cycle=world.cycle.pk, page_size=3)
    got = {
        p["normalized_name"]: {
            "reports": p["reports"],
            "mentions": p["mentions"],
            "states": p["states"],
            "cultural_items": p["cultural_items"],
        }
        for p in parties
    }
    assert got == oracles.parties_register(world.cycle.pk)
    bad = api.get("/api/v1/parties/", list_ref="nonsense")
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "list_ref"


@time_machine.travel(NOW, tick=False)
def test_inconsistencies_match_the_page(world, secretariat):
    """The page's rows (the selector it renders) and the API's are the same pairs."""
    api = ApiClient(token_for(secretariat, TokenScope.READ))
    _first, rows = _all(api, f"/api/v1/cycles/{world.cycle.pk}/inconsistencies/", page_size=5)
    page = nc.inconsistencies(user=secretariat, cycle=world.cycle)
    assert [(r["reporter"], r["other"], r["silence"], r["interdictions"]) for r in rows] == [
        (f.reporter_iso3, f.other_iso3, f.silence, f.interdictions) for f in page
    ]


def test_bad_filters_and_cursors_are_4xx(world, secretariat):
    api = ApiClient(token_for(secretariat, TokenScope.READ))
    assert api.get(f"/api/v1/cycles/{world.cycle.pk}/status/", category="nope").status_code == 400
    assert api.get(f"/api/v1/cycles/{world.cycle.pk}/matrix/", flag="x" * 500).status_code == 400
    assert api.get(f"/api/v1/cycles/{world.cycle.pk}/status/", cursor="%%%").status_code == 404
    assert api.get("/api/v1/cycles/99999999999999999999999/status/").status_code == 404
    assert api.get("/api/v1/reports/", cursor="garbage").status_code == 404


def test_committee_member_has_no_api(committee, world):
    api = ApiClient(token_for(committee, TokenScope.READ))
    for path in ("/api/v1/reports/", f"/api/v1/cycles/{world.cycle.pk}/matrix/", "/api/v1/obligations/"):
        assert api.get(path).status_code == 404, path


def _queries(api: ApiClient, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert api.get(path).status_code == 200
    return len(captured)


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("endpoint", ["status", "matrix", "inconsistencies", "parties", "reports"])
def test_list_endpoints_cost_the_same_for_2_and_20_states(reference, secretariat, endpoint, monkeypatch):
    from tests import oracle_world

    api = ApiClient(token_for(secretariat, TokenScope.READ))
    counts = []
    make_cycle = oracle_world.oracle_cycle
    for n in (2, 17):
        # Each world in cycles of its own (the world names its cycles by obligation).
        monkeypatch.setattr(oracle_world, "oracle_cycle", lambda code, *a, n=n, **k: make_cycle(f"{code}-{n}", *a, **k))
        world = build_oracle_world(random.Random(n), n_states=n)
        path = {
            "parties": f"/api/v1/parties/?cycle={world.cycle.pk}",
            "reports": f"/api/v1/reports/?cycle={world.cycle.pk}",
        }.get(endpoint, f"/api/v1/cycles/{world.cycle.pk}/{endpoint}/")
        api.get(path)  # warm (content types, the token's last use)
        counts.append(_queries(api, path))
    assert counts[0] == counts[1], counts


def test_delegation_list_endpoints_cost_the_same_for_few_and_many_rows(fra_api, report_fra):
    from tests.delegation import OIL_ROW, draft_of

    path = f"/api/v1/reports/{report_fra.pk}/draft/registers/oil/"
    fra_api.post(path, {"revision": draft_of(report_fra).revision, "rows": [OIL_ROW] * 2})
    few = _queries(fra_api, path)
    fra_api.post(path, {"revision": draft_of(report_fra).revision, "rows": [OIL_ROW] * 40})
    assert _queries(fra_api, path) == few

"""Loading the reference data files (States, resolutions, obligations, measures, cycles).

Idempotent: running it again updates rows in place and creates nothing twice, so a
corrected paragraph number or deadline is a data change followed by one command.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from reports.models import Measure, MemberState, Obligation, ReportingCycle, Resolution

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@dataclass
class LoadResult:
    states: int
    resolutions: int
    obligations: int
    measures: int
    cycles: int


def _read(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


@transaction.atomic
def reference_data_load() -> LoadResult:
    states = _read("member_states.json")
    for row in states:
        MemberState.objects.update_or_create(
            iso3=row["iso3"],
            defaults={
                "iso2": row["iso2"],
                "m49": row.get("m49", ""),
                "name": row["names"]["en"],
                "names": row["names"],
                "regional_group": row["regional_group"],
                "group_observer": bool(row.get("group_observer", False)),
            },
        )
    resolutions = _read("resolutions.json")
    obligation_count = 0
    for row in resolutions:
        resolution, _ = Resolution.objects.update_or_create(
            number=row["number"],
            defaults={"adopted": row["adopted"], "title": row.get("title", {}), "summary": row.get("summary", {})},
        )
        for ob in row.get("obligations", []):
            obligation_count += 1
            Obligation.objects.update_or_create(
                code=ob["code"],
                defaults={
                    "resolution": resolution,
                    "paragraph": ob["paragraph"],
                    "paragraph_confirmed": bool(ob.get("paragraph_confirmed", False)),
                    "kind": ob["kind"],
                    "title": ob.get("title", {}),
                    "description": ob.get("description", {}),
                    "due_days": ob["due_days"],
                    "due_from": ob["due_from"],
                    "period_months": ob.get("period_months"),
                },
            )
    by_number = {r.number: r for r in Resolution.objects.all()}
    measures = _read("measures.json")
    for row in measures:
        Measure.objects.update_or_create(
            code=row["code"],
            defaults={
                "resolution": by_number[row["resolution"]],
                "paragraph": row["paragraph"],
                "paragraph_confirmed": bool(row.get("paragraph_confirmed", False)),
                "area": row["area"],
                "required": bool(row.get("required", True)),
                "order": row.get("order", 0),
                "title": row["title"],
                "guidance": row.get("guidance", {}),
            },
        )
    obligations = {o.code: o for o in Obligation.objects.all()}
    cycles = _read("cycles.json")
    for row in cycles:
        ReportingCycle.objects.update_or_create(
            code=row["code"],
            defaults={
                "obligation": obligations[row["obligation"]],
                "opens": row["opens"],
                "due": row["due"],
                "label": row.get("label", {}),
            },
        )
    return LoadResult(len(states), len(resolutions), obligation_count, len(measures), len(cycles))

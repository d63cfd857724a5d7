"""Loading the reference data files (States, resolutions, obligations, measures, cycles).

Idempotent: running it again updates rows in place and creates nothing twice, so a
corrected paragraph number or deadline is a data change followed by one command.

It also reconciles a database loaded from older files: an obligation or cycle whose code
changed lists its old codes under "replaces", and the row is renamed in place (its
reports, reminders and documents keep pointing at it) instead of a second row appearing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import models, transaction

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


def _adopt_old_code(model: type[models.Model], code: str, replaces: list[str]) -> None:
    """Rename the row an older file created under one of `replaces` to `code`.

    If both exist (an old load after a new one), the old obligation's cycles move to the
    new one and the empty old row goes; two cycles are left for a person to merge.
    """
    if not replaces:
        return
    manager = model._default_manager
    old = manager.filter(code__in=replaces).order_by("pk").first()
    if old is None:
        return
    current = manager.filter(code=code).first()
    if current is None:
        manager.filter(pk=old.pk).update(code=code)
    elif model is Obligation:
        ReportingCycle.objects.filter(obligation_id=old.pk).update(obligation_id=current.pk)
        old.delete()


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
            _adopt_old_code(Obligation, ob["code"], ob.get("replaces", []))
            Obligation.objects.update_or_create(
                code=ob["code"],
                defaults={
                    "resolution": resolution,
                    "paragraph": ob["paragraph"],
                    "paragraph_confirmed": bool(ob.get("paragraph_confirmed", False)),
                    "kind": ob["kind"],
                    "title": ob.get("title", {}),
                    "description": ob.get("description", {}),
                    "basis": ob.get("basis", {}),
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
        _adopt_old_code(ReportingCycle, row["code"], row.get("replaces", []))
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

"""Importing a workbook of register rows: the dry run and the apply, against a bulk insert of the same rows.

    python -m bench workbook [--rows 5000] [--repeat 3]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench python -m bench workbook

Seeds a scratch database as bench/registers.py does (SQLite under /tmp unless DATABASE_URL is set;
the bench's own cycles and reports are replaced at every run: never point it at real data). For
each run, a fresh empty draft of France; its workbook is downloaded (workbook_build), filled with
--rows new rows spread over the five registers (as openpyxl would from a ministry's records), and
saved. Then it times (median of --repeat):

- dry run: reading the upload (every safety check, openpyxl), checking its identity, validating
  every row with the editor's forms, and keeping the plan (import_start, as the upload page);
- apply: import_apply, the editor's own save path for every register, in one transaction
  (rows, countries of transit, named parties, the audit event);
- floor: a bulk_create of the same rows, already parsed, into another empty draft.

The target (issue 13): the dry run and the apply each within 5x of the floor.
"""

from __future__ import annotations

import argparse
import datetime
import io
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from bench.setup import django_on_scratch

SCRATCH = Path(os.environ.get("BENCH_SCRATCH", "/tmp/bench-workbook"))
# How the rows are spread over the registers (fractions of --rows).
SHARE = {"oil": 0.4, "assets": 0.2, "cultural": 0.2, "ransom": 0.1, "str": 0.1}


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench workbook")
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    django_on_scratch(SCRATCH)
    run(args.rows, args.repeat)


def _focal() -> Any:
    from reports.models import MemberState, Role, User
    from reports.services.reference_data import reference_data_load
    from reports.services.roles import roles_ensure

    reference_data_load()
    groups = roles_ensure()
    france = MemberState.objects.get(iso3="FRA")
    focal, _ = User.objects.get_or_create(username="bench-workbook-fra", defaults={"email": "focal@fra.example"})
    focal.state = france
    focal.save(update_fields=["state"])
    focal.groups.add(groups[Role.FOCAL_POINT])
    return focal


def _draft(focal: Any, name: str) -> Any:
    from reports.clock import portal_today
    from reports.models import Obligation, ReportingCycle
    from reports.services.reports import report_draft, report_get_or_create

    today = portal_today()
    cycle, _ = ReportingCycle.objects.update_or_create(
        code=f"bench-workbook-{name}",
        defaults={
            "obligation": Obligation.objects.get(code="committee-periodic-update"),
            "opens": today - datetime.timedelta(days=60),
            "due": today + datetime.timedelta(days=60),
            "label": {"en": f"Bench workbook {name}"},
        },
    )
    return report_draft(report_get_or_create(state=focal.state, cycle=cycle, actor=focal))


def _clean() -> None:
    from reports.models import Report, ReportVersion

    ReportVersion.objects.filter(report__cycle__code__startswith="bench-workbook-", is_draft=True).delete()
    Report.objects.filter(cycle__code__startswith="bench-workbook-").delete()


def _rows(section: str, n: int, today: datetime.date) -> list[dict[str, Any]]:
    """n rows of a register as a ministry's sheet would hold them (labels, names, dates)."""
    rows = []
    for i in range(n):
        day = today - datetime.timedelta(days=i % 50)
        if section == "oil":
            rows.append(
                {
                    "date": day,
                    "place": f"Border crossing {i}",
                    "place_kind": "Border crossing",
                    "commodity": "Crude oil",
                    "quantity": 100 + i,
                    "unit": "barrels",
                    "value": 5000 + i,
                    "currency": "USD",
                    "direction": "From ISIL or ANF",
                    "origin": "Iraq",
                    "transit": "TUR, SYR",
                    "parties": "Tanker Company Ltd (fictitious)\nISIL; QDe.115",
                    "proceedings": "Seized by customs",
                }
            )
        elif section == "assets":
            rows.append(
                {
                    "listed_party": f"Party {i}",
                    "list_ref": "QDe.115",
                    "asset_type": "Bank account",
                    "amount": 1000 + i,
                    "currency": "EUR",
                    "date_frozen": day,
                    "institution_kind": "Bank",
                }
            )
        elif section == "cultural":
            rows.append(
                {
                    "date": day,
                    "description": f"Cylinder seal {i}",
                    "provenance": "Iraq",
                    "count": 1 + i % 5,
                    "returned": "No",
                    "parties": "Dealer (fictitious)",
                }
            )
        elif section == "ransom":
            rows.append({"date": day, "kind": "Donation", "description": f"Collection {i}", "amount": 50 + i, "currency": "USD"})
        else:
            rows.append({"period_start": day, "period_end": day + datetime.timedelta(days=0), "count": i})
    return rows


def _workbook(draft: Any, rows: dict[str, list[dict[str, Any]]]) -> bytes:
    from openpyxl import load_workbook

    from reports.workbook.build import workbook_build
    from reports.workbook.columns import columns, sheet_title

    book = load_workbook(io.BytesIO(workbook_build(version=draft, language="en")))
    for section, values in rows.items():
        sheet = book[sheet_title(section)]
        names = [column.name for column in columns(section)]
        for number, row in enumerate(values, start=2):
            for name, value in row.items():
                sheet.cell(row=number, column=names.index(name) + 1, value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def run(total: int, repeat: int) -> None:
    from django.db import connection, transaction

    from reports.clock import portal_today
    from reports.services.drafts import REGISTER_MODELS
    from reports.services.workbook import import_apply, import_start
    from reports.workbook.read import upload_read

    focal = _focal()
    today = portal_today()
    counts = {section: int(total * share) for section, share in SHARE.items()}
    counts["oil"] += total - sum(counts.values())
    rows = {section: _rows(section, n, today) for section, n in counts.items()}
    dry, apply, floor = [], [], []
    size = 0
    for attempt in range(repeat):
        _clean()
        draft = _draft(focal, f"{attempt}")
        content = _workbook(draft, rows)
        size = len(content)

        started = time.perf_counter()
        upload = upload_read(io.BytesIO(content), name="draft.xlsx", size=len(content))
        plan = import_start(upload=upload, version=draft, user=focal)
        dry.append(time.perf_counter() - started)
        assert sum(item.added for item in plan.sections) == total, [(i.section, i.added, i.bad_rows) for i in plan.sections]
        assert not plan.problem_count, plan.problems[:5]

        started = time.perf_counter()
        import_apply(plan=plan, version=draft, actor=focal)
        apply.append(time.perf_counter() - started)
        stored = sum(REGISTER_MODELS[s].objects.filter(version=draft).count() for s in counts)
        assert stored == total, stored

        other = _draft(focal, f"floor-{attempt}")
        objects = {
            item.section: [
                REGISTER_MODELS[item.section](version=other, position=position, **_plain(row.values))
                for position, row in enumerate(item.data.register_rows)
                if row.values is not None
            ]
            for item in plan.sections
            if item.data is not None and item.section in REGISTER_MODELS
        }
        started = time.perf_counter()
        with transaction.atomic():
            for section, objs in objects.items():
                REGISTER_MODELS[section].objects.bulk_create(objs, batch_size=1000)
        floor.append(time.perf_counter() - started)
    _clean()

    d, a, f = statistics.median(dry), statistics.median(apply), statistics.median(floor)
    print(
        f"bench workbook ({connection.vendor}): {total:,} register rows "
        + ", ".join(f"{section} {n:,}" for section, n in counts.items())
        + f"; workbook {size / 1024:.0f} kB; median of {repeat}"
    )
    print(f"{'step':<10} {'seconds':>8} {'x floor':>8} {'rows/s':>9}")
    print(f"{'dry run':<10} {d:8.2f} {d / f:8.1f} {total / d:9.0f}")
    print(f"{'apply':<10} {a:8.2f} {a / f:8.1f} {total / a:9.0f}")
    print(f"{'floor':<10} {f:8.2f} {1:8.1f} {total / f:9.0f}")
    print(
        "dry run: read (zip checks, openpyxl), identity, every row through the editor's forms, plan kept; "
        "apply: the editor's save path in one transaction (rows, transit, named parties, audit); "
        "floor: bulk_create of the same parsed rows. Target: within 5x of the floor."
    )
    sys.stdout.flush()


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in values.items() if name != "transit"}

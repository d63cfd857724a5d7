"""Registers of any size: the oil register's editor page and a one-row save, at 300, 1,000 and 3,000 rows.

    python -m bench registers [--sizes 300,1000,3000] [--repeat 7]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench python -m bench registers

Seeds a scratch database (SQLite under /tmp unless DATABASE_URL is set; the bench's own cycles
and reports are replaced at every run: never point it at real data) with one draft report per
size, its oil register filled with that many rows. Then, through the Django test client signed
in as the State's focal point, times (median of --repeat after a warm-up):

- opening the editor's first and last page of the register (and the HTML's size, the fields its
  form posts and the page's query count);
- saving one row as the page's autosave does: the page's form as a browser posts it, one row
  changed, with htmx's header.

Before the editor showed a page at a time (issue 14), a 1,000-row register's editor took 3.6 s and
6.7 MB of HTML, 11 s at 3,000 rows, and every save of it was refused (16,023 fields).
"""

from __future__ import annotations

import argparse
import datetime
import os
import re
import statistics
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from bench.setup import django_on_scratch

SCRATCH = Path(os.environ.get("BENCH_SCRATCH", "/tmp/bench-registers"))
SIZES = (300, 1000, 3000)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench registers")
    parser.add_argument("--sizes", default=",".join(str(n) for n in SIZES), help="register rows, comma-separated")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    sizes = [int(n) for n in args.sizes.split(",") if n.strip()]
    django_on_scratch(SCRATCH)
    run(sizes, args.repeat)


def seed(sizes: list[int]) -> tuple[Any, dict[int, Any]]:
    """A focal point of France and, per size, a draft whose oil register has that many rows."""
    from django.db import connection, transaction

    from reports.clock import portal_today
    from reports.models import MemberState, Obligation, OilInterdiction, Report, ReportingCycle, ReportVersion, Role, User
    from reports.services.reference_data import reference_data_load
    from reports.services.reports import report_draft, report_get_or_create
    from reports.services.roles import roles_ensure

    reference_data_load()
    groups = roles_ensure()
    france = MemberState.objects.get(iso3="FRA")
    focal, _ = User.objects.get_or_create(username="bench-focal-fra", defaults={"email": "focal@fra.example"})
    focal.state = france
    focal.save(update_fields=["state"])
    focal.groups.add(groups[Role.FOCAL_POINT])
    obligation = Obligation.objects.get(code="committee-periodic-update")
    today = portal_today()
    # The bench's own drafts of an earlier run (never submitted: the frozen-version guards allow it).
    ReportVersion.objects.filter(report__cycle__code__startswith="bench-registers-", is_draft=True).delete()
    Report.objects.filter(cycle__code__startswith="bench-registers-").delete()
    drafts = {}
    with transaction.atomic():
        for size in sizes:
            cycle, _ = ReportingCycle.objects.update_or_create(
                code=f"bench-registers-{size}",
                defaults={
                    "obligation": obligation,
                    "opens": today - datetime.timedelta(days=60),
                    "due": today + datetime.timedelta(days=60),
                    "label": {"en": f"Bench register of {size} rows"},
                },
            )
            report = report_get_or_create(state=france, cycle=cycle, actor=focal)
            draft = report_draft(report)
            OilInterdiction.objects.bulk_create(
                [
                    OilInterdiction(
                        version=draft,
                        position=i,
                        date=today - datetime.timedelta(days=i % 50),
                        place=f"Border crossing {i + 1}",
                        place_kind="border",
                        commodity="crude",
                        quantity=Decimal(100 + i),
                        unit="barrels",
                        value=Decimal(5000 + i),
                        currency="USD",
                        direction="from",
                        parties="Tanker Company Ltd (fictitious)",
                        proceedings="Seized by customs",
                    )
                    for i in range(size)
                ],
                batch_size=1000,
            )
            drafts[size] = draft
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return focal, drafts


class _Fields(HTMLParser):
    """The fields the editor's form posts, as a browser builds the body (enough for these pages)."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, list[str]] = {}
        self.action = ""
        self._form = self._template = False
        self._select: str | None = None
        self._value: str | None = None
        self._textarea: str | None = None

    def _add(self, name: str, value: str) -> None:
        self.fields.setdefault(name, []).append(value)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("id") == "editor-form":
            self._form, self.action = True, a["action"]
        if not self._form or self._template or tag == "template":
            self._template = self._template or tag == "template"
            return
        if tag == "input" and "name" in a and a.get("type") not in ("submit",):
            if a.get("type") != "checkbox" or "checked" in a:
                self._add(a["name"], a.get("value", "on"))
        elif tag == "select" and "name" in a:
            self._select, self._value = a["name"], None
        elif tag == "option" and self._select is not None and (self._value is None or "selected" in a):
            self._value = a.get("value", "")
        elif tag == "textarea" and "name" in a:
            self._textarea = a["name"]
            self._add(self._textarea, "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "template":
            self._template = False
        elif tag == "form":
            self._form = False
        elif tag == "select" and self._select is not None:
            self._add(self._select, self._value or "")
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self.fields[self._textarea][-1] += data


def _median(fn: Callable[[], Any], repeat: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def run(sizes: list[int], repeat: int) -> None:
    from django.db import connection
    from django.test import Client

    from reports.services.drafts import REGISTER_PAGE_SIZE

    started = time.perf_counter()
    focal, drafts = seed(sizes)
    print(f"seeded in {time.perf_counter() - started:.1f} s: registers of " + ", ".join(f"{n:,}" for n in sizes) + " rows")
    client = Client()
    client.force_login(focal)
    print(
        f"bench registers ({connection.vendor}): oil register editor, {REGISTER_PAGE_SIZE} rows a page, "
        f"median of {repeat} after a warm-up"
    )
    header = (
        f"{'rows':>6} {'pages':>6} {'page 1 ms':>10} {'last page ms':>13} {'HTML kB':>8} {'fields':>7} "
        f"{'queries':>8} {'row save ms':>12} {'save queries':>13}"
    )
    print(header)
    for size in sizes:
        print(_measure(client, drafts[size], size, repeat))
    print(
        "page: the editor's page of the register (the first, the last); HTML kB and fields: the last page and what "
        "its form posts (the request limit is 10,000 fields); row save: the page's autosave with one row changed."
    )
    sys.stdout.flush()


def _measure(client: Any, draft: Any, size: int, repeat: int) -> str:
    """One line of the table: the editor's pages of this register, and a one-row save."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from reports.services.drafts import REGISTER_PAGE_SIZE

    url = reverse("delegation:editor", args=[draft.pk, "oil"])
    pages = max(1, -(-size // REGISTER_PAGE_SIZE))
    last = f"{url}?page={pages}"

    def open_page(target: str) -> bytes:
        response = client.get(target)
        assert response.status_code == 200, (target, response.status_code)
        return bytes(response.content)

    first_s = _median(lambda: open_page(url), repeat)
    last_s = _median(lambda: open_page(last), repeat)
    with CaptureQueriesContext(connection) as captured:
        html = open_page(last).decode()
    page_queries = len(captured.captured_queries)
    parser = _Fields()
    parser.feed(html)
    fields = parser.fields
    n_fields = sum(len(v) for v in fields.values())
    place = next(name for name in fields if name.endswith("-place"))
    counter = iter(range(10**9))

    def save_row() -> None:
        fields[place] = [f"Border crossing, checked {next(counter)}"]
        response = client.post(parser.action, fields, headers={"HX-Request": "true"})
        assert response.status_code == 200, response.status_code
        revision = re.search(r'id="id_revision" value="(\d+)"', response.content.decode())
        assert revision is not None
        fields["revision"] = [revision.group(1)]

    save_s = _median(save_row, repeat)
    with CaptureQueriesContext(connection) as captured:
        save_row()
    save_queries = len(captured.captured_queries)
    return (
        f"{size:6,d} {pages:6d} {first_s * 1000:10.1f} {last_s * 1000:13.1f} {len(html) / 1024:8.0f} {n_fields:7d} "
        f"{page_queries:8d} {save_s * 1000:12.1f} {save_queries:13d}"
    )

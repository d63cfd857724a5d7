"""State profiles with hostile text: how long WeasyPrint takes per page.

    python -m bench pdf_text [--chars 20000] [--rows 1000] [--anywhere 2000]

Renders, each as a State profile through the real template and stylesheet:
- "words": checklist narratives of --chars characters of ordinary words (the form's limit);
- "unbroken": narratives and a named party of --chars characters with no space at all;
- "long table": an oil-interdiction register of --rows rows;
and prints seconds per page (target: under 1 s a page). --anywhere N also renders an N-character
unbroken narrative with the old `overflow-wrap: anywhere` rule, to show what it cost (keep N
small: the time grows with the square of N). The data is written inside a transaction that is
rolled back; any database with the reference data loaded will do (DATABASE_URL, or SQLite).
"""

from __future__ import annotations

import argparse
import datetime
import os
import time
from decimal import Decimal

WORDS = "sanctions interdiction tanker refinery customs border freeze listed entity report measure".split()


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench pdf_text")
    parser.add_argument("--chars", type=int, default=20000, help="length of each narrative")
    parser.add_argument("--answers", type=int, default=3, help="narratives of that length in a profile")
    parser.add_argument("--rows", type=int, default=1000, help="rows in the long register")
    parser.add_argument("--anywhere", type=int, default=0, help="also time the old CSS on an unbroken text this long")
    args = parser.parse_args(argv)
    os.environ.setdefault("PORTAL_VAR_DIR", "/tmp/bench-pdf-var")
    import logging

    import django

    django.setup()
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("weasyprint.progress").setLevel(logging.ERROR)
    from django.core.management import call_command
    from django.db import transaction

    from reports.models import MemberState
    from reports.services.reference_data import reference_data_load

    call_command("migrate", verbosity=0)
    if MemberState.objects.count() < 193:
        reference_data_load()

    class Rollback(Exception):
        pass

    try:
        with transaction.atomic():
            _run(args)
            raise Rollback
    except Rollback:
        pass


def _run(args: argparse.Namespace) -> None:
    from reports.models import (
        Answer,
        ChecklistAnswer,
        Commodity,
        Direction,
        Distribution,
        Measure,
        MemberState,
        OilInterdiction,
        PdfKind,
        QuantityUnit,
        ReportingCycle,
    )
    from reports.pdf.documents import DocumentRequest, profiles_html
    from reports.pdf.render import render_pdf
    from reports.services.reports import report_get_or_create, report_submit_unchecked
    from tests.factories import signatory_of

    cycle = ReportingCycle.objects.filter(state__isnull=True).order_by("-due").first()
    assert cycle is not None, "no periodic reporting cycle: load the reference data"
    measures = list(Measure.objects.filter(active=True).order_by("order", "code"))
    words = " ".join(WORDS[i % len(WORDS)] for i in range(args.chars // 6 + 1))[: args.chars]
    unbroken = ("QDe115ISIL" * (args.chars // 10 + 1))[: args.chars]
    states = list(MemberState.objects.exclude(reports__cycle=cycle).order_by("name")[:4])

    def profile(state: MemberState, narrative: str, *, rows: int = 0, party: str = "") -> None:
        actor = signatory_of(state, prefix="bench-text")
        report = report_get_or_create(state=state, cycle=cycle, actor=actor)
        version = report.versions.get(is_draft=True)
        for measure in measures[: args.answers]:
            ChecklistAnswer.objects.create(version=version, measure=measure, answer=Answer.PARTIAL, narrative=narrative)
        OilInterdiction.objects.bulk_create(
            OilInterdiction(
                version=version,
                position=i,
                date=cycle.due - datetime.timedelta(days=1 + i % 300),
                place=f"Border post {i}",
                commodity=Commodity.CRUDE,
                quantity=Decimal(100 + i),
                unit=QuantityUnit.BARRELS,
                value=Decimal(1000),
                currency="USD",
                direction=Direction.FROM_ISIL,
                parties=party or f"Trading company {i} (fictitious)",
            )
            for i in range(max(rows, 1))
        )
        report_submit_unchecked(report=report, actor=actor)

    cases = [
        (f"words: {args.answers} narratives of {args.chars} characters", states[0], words, 0, ""),
        (f"unbroken: {args.answers} narratives and a party of {args.chars} characters", states[1], unbroken, 0, unbroken),
        (f"long table: {args.rows} register rows", states[2], "In place since 2016.", args.rows, ""),
    ]
    request = DocumentRequest(kind=PdfKind.PROFILE, distribution=Distribution.RESTRICTED, today=cycle.due, cycle=cycle)
    worst = 0.0
    for label, state, narrative, rows, party in cases:
        profile(state, narrative, rows=rows, party=party)
        html = profiles_html(request, [state]).html
        started, started_cpu = time.perf_counter(), time.process_time()
        pdf = render_pdf(html)
        seconds, cpu = time.perf_counter() - started, time.process_time() - started_cpu
        worst = max(worst, seconds / pdf.pages)
        print(
            f"{label}: {pdf.pages} pages in {seconds:.2f} s ({cpu:.2f} CPU-s) = {seconds / pdf.pages:.3f} s a page "
            f"({cpu / pdf.pages:.3f} CPU-s), load {os.getloadavg()[0]:.1f}"
        )
    if args.anywhere:
        state = states[3]
        profile(state, unbroken[: args.anywhere])
        html = profiles_html(request, [state]).html.replace("<wbr>", "")
        old = "<style>.narrative { overflow-wrap: anywhere; }</style></head>"
        started, started_cpu = time.perf_counter(), time.process_time()
        pdf = render_pdf(html.replace("</head>", old, 1))
        seconds, cpu = time.perf_counter() - started, time.process_time() - started_cpu
        print(
            f"old rule (overflow-wrap: anywhere), {args.anywhere} unbroken characters: {pdf.pages} pages in {seconds:.2f} s "
            f"({cpu:.2f} CPU-s)"
        )
    print(f"worst: {worst:.3f} s a page (target: under 1 s a page; the machine is shared: see CPU-s)")

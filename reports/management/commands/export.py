"""`manage.py export status|matrix|named-parties|inconsistencies --cycle ID --format csv|xlsx|json [--out FILE]`

The same tables as the back office, through the same selectors and exports.
"""

from __future__ import annotations

import datetime
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reports.clock import portal_today
from reports.exports import (
    FORMATS,
    CommandLineReader,
    export_bytes,
    inconsistencies_dataset,
    matrix_dataset,
    named_parties_dataset,
    status_dataset,
)
from reports.models import ReportingCycle
from reports.selectors.access import Audience
from reports.selectors.dashboard import cycle_status_summary
from reports.selectors.matrix import implementation_matrix
from reports.selectors.noncompliance import inconsistencies, named_parties

TABLES = ("status", "matrix", "named-parties", "inconsistencies")


class Command(BaseCommand):
    help = "Export a back-office table (status, matrix, named-parties, inconsistencies) for a cycle."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("table", choices=TABLES)
        parser.add_argument("--cycle", required=True, help="the reporting cycle's id (or its code)")
        parser.add_argument("--format", dest="fmt", choices=sorted(FORMATS), default="csv")
        parser.add_argument("--out", help="file to write; standard output if left out")
        parser.add_argument("--today", help="the day to count days late from (YYYY-MM-DD); today if left out")
        parser.add_argument(
            "--audience",
            choices=Audience.values,
            default=Audience.RESTRICTED,
            help="who the export is for: general (only what States marked may be published), restricted (the "
            "Committee; the default) or internal (the Secretariat and the Monitoring Team: everything)",
        )
        parser.add_argument(
            "--include-restricted", action="store_true", help="the same as --audience internal (kept for old scripts)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        cycle = self._cycle(str(options["cycle"]))
        try:
            today = datetime.date.fromisoformat(options["today"]) if options["today"] else portal_today()
        except ValueError:
            raise CommandError("--today must be a date: YYYY-MM-DD") from None
        reader = CommandLineReader()
        audience = Audience.INTERNAL if options["include_restricted"] else options["audience"]
        table = options["table"]
        if table == "status":
            dataset = status_dataset(cycle_status_summary(cycle=cycle, today=today))
        elif table == "matrix":
            dataset = matrix_dataset(implementation_matrix(user=reader, cycle=cycle, audience=audience))  # type: ignore[arg-type]
        elif table == "named-parties":
            dataset = named_parties_dataset(named_parties(user=reader, cycle=cycle, audience=audience))  # type: ignore[arg-type]
        else:
            dataset = inconsistencies_dataset(inconsistencies(user=reader, cycle=cycle, audience=audience))  # type: ignore[arg-type]
        content = export_bytes(dataset, options["fmt"])
        if options["out"]:
            with open(options["out"], "wb") as handle:
                handle.write(content)
            self.stderr.write(f"{len(dataset)} rows written to {options['out']}")
        else:
            sys.stdout.buffer.write(content)
            sys.stdout.flush()

    def _cycle(self, value: str) -> ReportingCycle:
        cycle = None
        if value.isdigit() and len(value) < 12:
            cycle = ReportingCycle.objects.filter(pk=int(value)).first()
        if cycle is None:
            cycle = ReportingCycle.objects.filter(code=value[:80]).first()
        if cycle is None:
            raise CommandError(f"No reporting cycle {value!r}.")
        return cycle

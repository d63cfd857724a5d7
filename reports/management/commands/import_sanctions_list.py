"""python manage.py import_sanctions_list FILE_OR_URL: take a Consolidated List XML as the new snapshot."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reports.services.sanctions_import import (
    SanctionsListRefused,
    fetch_sanctions_list,
    import_sanctions_list,
    read_capped,
)


class Command(BaseCommand):
    help = (
        "Import the ISIL (Da'esh) & Al-Qaida Sanctions List from a Consolidated List XML file, or from an "
        "explicit http(s) URL (timeout and size cap apply). The same file twice changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", help="a file path, or an http:// or https:// URL")

    def handle(self, *args: Any, **options: Any) -> None:
        source: str = options["source"]
        try:
            if source.lower().startswith(("http://", "https://")):
                data = fetch_sanctions_list(source)
            else:
                path = Path(source)
                if not path.is_file():
                    raise CommandError(f"No such file: {source}")
                with path.open("rb") as stream:
                    data = read_capped(stream, declared_size=path.stat().st_size)
            result = import_sanctions_list(data, source=source)
        except SanctionsListRefused as exc:
            raise CommandError(f"Refused: {exc.reason}") from exc
        snapshot = result.snapshot
        if result.unchanged:
            self.stdout.write(
                f"Unchanged: this file was imported on {snapshot.imported_at:%Y-%m-%d %H:%M} UTC "
                f"(snapshot of {snapshot.generated_at:%Y-%m-%d}); nothing changed."
            )
            return
        self.stdout.write(
            f"Imported the list generated {snapshot.generated_at:%Y-%m-%d %H:%M %z}: {snapshot.entries_count} entries, "
            f"{len(result.added)} added, {len(result.amended)} amended, {len(result.delisted)} delisted, "
            f"{len(result.relisted)} relisted; {result.skipped_other_regimes} entries of other regimes skipped."
        )

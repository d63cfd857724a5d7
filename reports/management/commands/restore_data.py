from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reports.services.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Replace ALL data and private files with a backup archive's (run `migrate` first)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args: Any, **options: Any) -> None:
        archive = Path(options["archive"])
        if not options["yes"]:
            answer = input(f"Replace every record and file of this portal with {archive.name}? Type 'yes': ")
            if answer.strip().lower() != "yes":
                raise CommandError("Nothing was changed.")
        try:
            result = backup_restore(archive=archive)
        except BackupError as error:
            raise CommandError(f"Nothing was changed: {error}") from error
        self.stdout.write(f"Restored the backup of {result.created_at}: {sum(result.rows.values())} rows, {result.files} files.")

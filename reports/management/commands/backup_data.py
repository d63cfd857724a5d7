from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from reports.services.backup import backup_create


class Command(BaseCommand):
    help = "Write one archive with a data dump and the private files (see README, 'Backup and restore')."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", default="var/backups", help="Directory for the archive (default var/backups).")

    def handle(self, *args: Any, **options: Any) -> None:
        archive = backup_create(out_dir=Path(options["out"]))
        self.stdout.write(str(archive))

from typing import Any

from django.core.management.base import BaseCommand

from reports.services.reference_data import reference_data_load


class Command(BaseCommand):
    help = "Load or update the 193 Member States, the resolutions, obligations, cycles and measures (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        result = reference_data_load()
        self.stdout.write(
            f"Reference data: {result.states} States, {result.resolutions} resolutions, {result.obligations} obligations, "
            f"{result.measures} measures, {result.cycles} cycles."
        )

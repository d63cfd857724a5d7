"""Django's flush, able to empty the guarded tables on SQLite.

PostgreSQL flushes with TRUNCATE, which row triggers do not see; SQLite flushes with DELETE,
which the immutability triggers (reports/db_guards.py) refuse. The test runner flushes after
every transactional test, so on SQLite the triggers are lifted for the flush and put back.
"""

from typing import Any

from django.core.management.commands.flush import Command as FlushCommand
from django.db import DEFAULT_DB_ALIAS, connections

from reports.db_guards import guards_install, guards_remove


class Command(FlushCommand):
    def handle(self, **options: Any) -> None:
        connection = connections[options.get("database") or DEFAULT_DB_ALIAS]
        if connection.vendor != "sqlite":
            return super().handle(**options)
        guards_remove(connection)
        try:
            super().handle(**options)
        finally:
            guards_install(connection)

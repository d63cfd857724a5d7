"""Triggers: an append-only audit trail and immutable submitted versions (see reports/db_guards.py).

The SQL lives in reports.db_guards because the same triggers are re-installed after every
migrate (SQLite drops a table's triggers when Django rebuilds the table to alter it).
"""

from django.db import migrations


def install(apps, schema_editor):  # type: ignore[no-untyped-def]
    from reports.db_guards import guards_install

    guards_install(schema_editor.connection)


def remove(apps, schema_editor):  # type: ignore[no-untyped-def]
    from reports.db_guards import guards_remove

    guards_remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("reports", "0002_draft_input")]

    operations = [migrations.RunPython(install, remove, elidable=False)]

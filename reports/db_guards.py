"""Database triggers that keep the record honest even against a raw UPDATE.

- reports_auditevent is append-only: no UPDATE, no DELETE (except Django's ON DELETE SET NULL
  of the actor or State, which changes nothing else).
- a submitted (frozen) reports_reportversion row never changes and is never deleted; the one
  allowed change is the freeze itself (draft -> frozen), and the SET NULL of `updated_by`.
- the rows that hang off a version (checklist answers, the five registers, named parties,
  attachments) cannot be inserted, changed or deleted once their version is frozen.

PostgreSQL gets PL/pgSQL functions; SQLite gets one trigger per table and operation, its column
lists read from the table at install time. The triggers are (re)installed by migration 0003
and after every `migrate` (post_migrate): on SQLite, Django rebuilds a table to alter it, which
drops its triggers.

`guards_suspended()` is for the maintenance commands that must rewrite everything (restore_data,
flush): on PostgreSQL a transaction-local setting, on SQLite the triggers dropped and re-created
in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper

AUDIT_TABLE = "reports_auditevent"
VERSION_TABLE = "reports_reportversion"
CHILD_TABLES = (
    "reports_checklistanswer",
    "reports_oilinterdiction",
    "reports_frozenasset",
    "reports_culturalseizure",
    "reports_ransomcase",
    "reports_suspicioustransactioncount",
    "reports_partymention",
    "reports_attachment",
)
SQLITE_PREFIX = "reports_guard_"
PG_BYPASS = "portal.guards_off"  # also spelled out in PG_FUNCTIONS

PG_FUNCTIONS = """
CREATE OR REPLACE FUNCTION reports_guard_audit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('portal.guards_off', true) = 'on' THEN
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
  END IF;
  IF TG_OP = 'UPDATE'
     AND (to_jsonb(NEW) - 'actor_id' - 'state_id') = (to_jsonb(OLD) - 'actor_id' - 'state_id')
     AND (NEW.actor_id IS NULL OR NEW.actor_id = OLD.actor_id)
     AND (NEW.state_id IS NULL OR NEW.state_id = OLD.state_id) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION USING ERRCODE = '23000', MESSAGE = 'The audit trail is append-only: ' || TG_OP || ' refused.';
END $$;

CREATE OR REPLACE FUNCTION reports_guard_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.is_draft OR current_setting('portal.guards_off', true) = 'on' THEN
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
  END IF;
  IF TG_OP = 'UPDATE'
     AND (to_jsonb(NEW) - 'updated_by_id') = (to_jsonb(OLD) - 'updated_by_id')
     AND (NEW.updated_by_id IS NULL OR NEW.updated_by_id = OLD.updated_by_id) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION USING ERRCODE = '23000', MESSAGE = 'A submitted report version cannot change: ' || TG_OP || ' refused.';
END $$;

CREATE OR REPLACE FUNCTION reports_guard_version_child() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('portal.guards_off', true) IS DISTINCT FROM 'on' AND (
       (TG_OP IN ('UPDATE', 'DELETE')
        AND EXISTS (SELECT 1 FROM reports_reportversion v WHERE v.id = OLD.version_id AND NOT v.is_draft))
    OR (TG_OP IN ('INSERT', 'UPDATE')
        AND EXISTS (SELECT 1 FROM reports_reportversion v WHERE v.id = NEW.version_id AND NOT v.is_draft))) THEN
    RAISE EXCEPTION USING ERRCODE = '23000',
      MESSAGE = 'A submitted report version cannot change: ' || TG_OP || ' on ' || TG_TABLE_NAME || ' refused.';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$;
"""


def _pg_statements() -> list[str]:
    statements = [PG_FUNCTIONS]
    triggers = [(AUDIT_TABLE, "reports_guard_audit", "UPDATE OR DELETE")]
    triggers.append((VERSION_TABLE, "reports_guard_version", "UPDATE OR DELETE"))
    triggers += [(table, "reports_guard_version_child", "INSERT OR UPDATE OR DELETE") for table in CHILD_TABLES]
    for table, function, events in triggers:
        name = f"{table}_guard"
        statements.append(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        statements.append(f"CREATE TRIGGER {name} BEFORE {events} ON {table} FOR EACH ROW EXECUTE FUNCTION {function}()")
    return statements


def _columns(connection: BaseDatabaseWrapper, table: str) -> list[str]:
    with connection.cursor() as cursor:
        return [col.name for col in connection.introspection.get_table_description(cursor, table)]


def _same(columns: list[str], *, except_: tuple[str, ...]) -> str:
    return " AND ".join(f'NEW."{c}" IS OLD."{c}"' for c in columns if c not in except_)


def _sqlite_statements(connection: BaseDatabaseWrapper) -> list[str]:
    def trigger(name: str, when: str, table: str, condition: str, message: str) -> str:
        return (
            f"CREATE TRIGGER {SQLITE_PREFIX}{name} BEFORE {when} ON {table} "
            f"WHEN {condition} BEGIN SELECT RAISE(ABORT, '{message}'); END"
        )

    audit = _columns(connection, AUDIT_TABLE)
    version = _columns(connection, VERSION_TABLE)
    audit_unchanged = (
        f"{_same(audit, except_=('actor_id', 'state_id'))}"
        ' AND (NEW."actor_id" IS NULL OR NEW."actor_id" IS OLD."actor_id")'
        ' AND (NEW."state_id" IS NULL OR NEW."state_id" IS OLD."state_id")'
    )
    version_unchanged = (
        f"{_same(version, except_=('updated_by_id',))}"
        ' AND (NEW."updated_by_id" IS NULL OR NEW."updated_by_id" IS OLD."updated_by_id")'
    )
    audit_msg = "The audit trail is append-only."
    frozen_msg = "A submitted report version cannot change."
    statements = [
        trigger("audit_update", "UPDATE", AUDIT_TABLE, f"NOT ({audit_unchanged})", audit_msg),
        trigger("audit_delete", "DELETE", AUDIT_TABLE, "1", audit_msg),
        trigger("version_update", "UPDATE", VERSION_TABLE, f"OLD.is_draft = 0 AND NOT ({version_unchanged})", frozen_msg),
        trigger("version_delete", "DELETE", VERSION_TABLE, "OLD.is_draft = 0", frozen_msg),
    ]
    for table in CHILD_TABLES:
        short = table.removeprefix("reports_")

        def frozen(ref: str) -> str:
            return f"EXISTS (SELECT 1 FROM {VERSION_TABLE} v WHERE v.id = {ref}.version_id AND v.is_draft = 0)"  # noqa: S608

        statements += [
            trigger(f"{short}_insert", "INSERT", table, frozen("NEW"), frozen_msg),
            trigger(f"{short}_update", "UPDATE", table, f"{frozen('OLD')} OR {frozen('NEW')}", frozen_msg),
            trigger(f"{short}_delete", "DELETE", table, frozen("OLD"), frozen_msg),
        ]
    return statements


def _sqlite_drop(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE ?", [f"{SQLITE_PREFIX}%"])
        for (name,) in cursor.fetchall():
            cursor.execute(f'DROP TRIGGER IF EXISTS "{name}"')


def guards_install(connection: BaseDatabaseWrapper) -> None:
    """Create or refresh every guard trigger (idempotent)."""
    tables = set(connection.introspection.table_names())
    if not {AUDIT_TABLE, VERSION_TABLE, *CHILD_TABLES} <= tables:
        return  # an earlier migration state: the next post_migrate installs them
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for statement in _pg_statements():
                cursor.execute(statement)
    elif connection.vendor == "sqlite":
        _sqlite_drop(connection)
        with connection.cursor() as cursor:
            for statement in _sqlite_statements(connection):
                cursor.execute(statement)


def guards_remove(connection: BaseDatabaseWrapper) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in (AUDIT_TABLE, VERSION_TABLE, *CHILD_TABLES):
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_guard ON {table}")
    elif connection.vendor == "sqlite":
        _sqlite_drop(connection)


def guards_installed(connection: BaseDatabaseWrapper) -> int:
    """How many guard triggers exist (for checks and tests)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'reports_%_guard' AND NOT tgisinternal")
        elif connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE ?", [f"{SQLITE_PREFIX}%"])
        else:
            return 0
        return int(cursor.fetchone()[0])


@contextmanager
def guards_suspended(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """Within one transaction, let a maintenance command rewrite guarded rows."""
    with transaction.atomic(using=connection.alias):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, 'on', true)", [PG_BYPASS])
            yield
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, 'off', true)", [PG_BYPASS])
        elif connection.vendor == "sqlite":
            _sqlite_drop(connection)
            yield
            guards_install(connection)
        else:
            yield

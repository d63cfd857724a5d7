"""Migration 0009 (ordered countries of transit) on real rows: forward numbers the existing rows
of each interdiction by id (insertion order), backward keeps the set; nothing is lost."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from reports.models import MemberState, OilInterdiction
from tests.delegation import draft_of

BEFORE = [("reports", "0008_pdfjob_error_args")]
AFTER = [("reports", "0009_routes_transit_order")]


def migrate(target: list[tuple[str, str]]) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)


def rows(sql: str, params: list[object] | None = None) -> list[tuple[object, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return list(cursor.fetchall()) if cursor.description else []


@pytest.mark.django_db(transaction=True)
def test_existing_routes_survive_the_migration_both_ways(report_a):
    draft = draft_of(report_a)
    first, second = (
        OilInterdiction.objects.create(
            version=draft, position=i, date="2026-10-01", place="Kilis", commodity="crude", quantity=1, unit="barrels",
            direction="to",
        )
        for i in range(2)
    )  # fmt: skip
    states = {s.iso3: s.pk for s in MemberState.objects.filter(iso3__in=["SYR", "TUR", "GRC", "JOR"])}
    try:
        migrate(BEFORE)
        assert "position" not in [c.name for c in connection.introspection.get_table_description(
            connection.cursor(), "reports_oilinterdiction_transit")]  # fmt: skip
        # The unordered many-to-many as it was: rows inserted in the order the State typed them,
        # interleaved between two interdictions so id order is not one row's block.
        for row, code in [(first, "SYR"), (second, "JOR"), (first, "TUR"), (second, "SYR"), (first, "GRC")]:
            rows(
                "INSERT INTO reports_oilinterdiction_transit (oilinterdiction_id, memberstate_id) VALUES (%s, %s)",
                [row.pk, states[code]],
            )
        migrate(AFTER)
        ordered = rows(
            "SELECT t.oilinterdiction_id, s.iso3, t.position FROM reports_oilinterdiction_transit t"
            " JOIN reports_memberstate s ON s.id = t.memberstate_id ORDER BY t.oilinterdiction_id, t.position"
        )
        assert ordered == [
            (first.pk, "SYR", 0), (first.pk, "TUR", 1), (first.pk, "GRC", 2), (second.pk, "JOR", 0), (second.pk, "SYR", 1)
        ]  # fmt: skip

        migrate(BEFORE)  # back: the order goes with the column, the set stays
        kept = rows(
            "SELECT oilinterdiction_id, memberstate_id FROM reports_oilinterdiction_transit ORDER BY oilinterdiction_id, id"
        )
        assert sorted(kept) == sorted(
            [(first.pk, states[c]) for c in ("SYR", "TUR", "GRC")] + [(second.pk, states[c]) for c in ("JOR", "SYR")]
        )
    finally:
        # Back to every migration, not only 0009: later tests share this database's schema.
        executor = MigrationExecutor(connection)
        migrate(executor.loader.graph.leaf_nodes())
    # The models read the route at the latest schema (at 0009 the State model's later columns are
    # missing): forward again, the route is numbered in the order it was typed.
    assert [s.iso3 for s in OilInterdiction.objects.get(pk=first.pk).transit_route] == ["SYR", "TUR", "GRC"]

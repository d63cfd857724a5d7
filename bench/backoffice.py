"""Back office at full size: dashboard, matrix and register pages against hand-written SQL.

    python -m bench backoffice [--repeat 15] [--keep]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench python -m bench backoffice

Seeds a scratch database (SQLite under /tmp unless DATABASE_URL is set; the database is
emptied and rebuilt: never point it at real data) with 193 States, 8 reporting cycles, the
full measure catalogue answered in every submitted report and about 50,000 register rows.
Then, in the same run, times each page through the Django test client (signed in as a
Secretariat officer) next to one hand-written SQL query computing the same aggregates,
and prints both, their ratio and the page's query count, with the fixed cost of an empty page (floor)
and the ratio of what each page adds to it. Medians of --repeat runs, after a
warm-up; the machine is shared, so figures are noisy.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from bench.setup import django_on_scratch

SCRATCH = Path(os.environ.get("BENCH_SCRATCH", "/tmp/bench-backoffice"))
STATES = 193
CYCLES = 8
REGISTER_ROWS = 50_000
PARTIES = 400


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench backoffice")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--keep", action="store_true", help="reuse the seeded scratch database if it is there")
    parser.add_argument("--rows", type=int, default=REGISTER_ROWS, help="register rows to seed (the test suite runs a small one)")
    args = parser.parse_args(argv)
    django_on_scratch(SCRATCH, keep=args.keep)
    from reports.models import Report

    if not (args.keep and Report.objects.exists()):
        seeded = time.perf_counter()
        counts = seed(rows=args.rows)
        print(f"seeded in {time.perf_counter() - seeded:.1f} s: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    run(args.repeat)


# --- seeding ----------------------------------------------------------------------------------


def seed(*, rows: int = REGISTER_ROWS) -> dict[str, int]:
    from django.db import connection, transaction

    from reports.models import (
        Answer,
        ChecklistAnswer,
        Commodity,
        CulturalSeizure,
        FrozenAsset,
        Measure,
        MeasureAssessment,
        MemberState,
        OilInterdiction,
        PartyMention,
        Rating,
        Report,
        ReportingCycle,
        ReportVersion,
        Role,
        SuspiciousTransactionCount,
        User,
    )
    from reports.services.parties import normalize_party_name
    from reports.services.reference_data import reference_data_load
    from reports.services.roles import roles_ensure

    rng = random.Random(2253)
    if connection.vendor == "postgresql":
        # A scratch database seeded before: TRUNCATE does not fire the row triggers that keep
        # submitted versions and their rows from being deleted (reports.db_guards).
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE reports_report, reports_reminderlog, reports_followup CASCADE")
    else:
        with transaction.atomic():
            for model in (PartyMention, OilInterdiction, CulturalSeizure, FrozenAsset, SuspiciousTransactionCount):
                model.objects.all().delete()
            MeasureAssessment.objects.all().delete()
            ChecklistAnswer.objects.all().delete()
            Report.objects.update(current_version=None)
        with connection.cursor() as cursor:  # the frozen-version guards forbid deleting submitted versions row by row
            for table in ("reports_reviewevent", "reports_reportversion", "reports_report", "reports_reminderlog"):
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
    reference_data_load()
    groups = roles_ensure()
    officer, _ = User.objects.get_or_create(username="bench-officer", defaults={"email": "bench@un.example"})
    officer.groups.add(groups[Role.SECRETARIAT])
    signatory, _ = User.objects.get_or_create(username="bench-signatory", defaults={"is_active": False})

    states = list(MemberState.objects.order_by("iso3"))
    assert len(states) == STATES, f"expected {STATES} States, found {len(states)}"
    measures = list(Measure.objects.filter(active=True))
    obligations = ["2199-implementation", "2253-implementation", "committee-periodic-update"]
    from reports.models import Obligation

    obligation_of = {o.code: o for o in Obligation.objects.filter(code__in=obligations)}
    ReportingCycle.objects.filter(code__startswith="bench-").delete()
    cycles = []
    for i in range(CYCLES):
        due = datetime.date(2019 + i, 6, 30)
        cycles.append(
            ReportingCycle.objects.create(
                obligation=obligation_of[obligations[i % 3]] if i < CYCLES - 1 else obligation_of["2253-implementation"],
                code=f"bench-{i + 1}",
                label={"en": f"Bench cycle {i + 1}"},
                opens=due - datetime.timedelta(days=120),
                due=due,
            )
        )
    parties = [(f"Bench Trading Company {n} (fictitious)", f"QDe.{n}" if n % 7 == 0 else "") for n in range(PARTIES)]

    with transaction.atomic():
        reports, plans = [], []
        for cycle in cycles:
            for state in states:
                roll = rng.random()
                if roll > 0.85:
                    continue  # nothing
                submitted = roll < 0.75
                late = submitted and rng.random() < 0.3
                reports.append(Report(state=state, cycle=cycle))
                plans.append((submitted, late))
        Report.objects.bulk_create(reports)
        versions = [ReportVersion(report=r, number=1, is_draft=True, updated_by=signatory) for r in reports]
        ReportVersion.objects.bulk_create(versions)
        submitted_versions = [(r, v, late) for r, v, (sub, late) in zip(reports, versions, plans, strict=True) if sub]
        answers = []
        choices = [Answer.IN_PLACE] * 5 + [Answer.PARTIAL] * 2 + [Answer.NOT_IN_PLACE, Answer.NOT_APPLICABLE, ""]
        for _report, version, _late in submitted_versions:
            for measure in measures:
                answers.append(
                    ChecklistAnswer(
                        version=version, measure=measure, answer=rng.choice(choices), legal_reference=f"Act {rng.randint(1, 99)}"
                    )
                )
        ChecklistAnswer.objects.bulk_create(answers, batch_size=5000)
        per_version = rows / len(submitted_versions)
        oil, assets, cultural, strs = [], [], [], []
        state_ids = [s.pk for s in states]
        for _report, version, _late in submitted_versions:
            n = int(per_version) + (1 if rng.random() < per_version % 1 else 0)
            for position in range(n):
                kind = rng.random()
                if kind < 0.6:
                    oil.append(
                        OilInterdiction(
                            version=version,
                            position=position,
                            date=datetime.date(2018, 1, 1) + datetime.timedelta(days=rng.randint(0, 2500)),
                            place="Border crossing",
                            commodity=rng.choice(list(Commodity.values)),
                            quantity=Decimal(rng.randint(1, 5000)),
                            unit=rng.choice(["barrels", "tonnes"]),
                            value=Decimal(rng.randint(1, 900) * 1000),
                            currency=rng.choice(["USD", "EUR"]),
                            direction=rng.choice(["to", "from"]),
                            origin_id=rng.choice(state_ids),
                            destination_id=rng.choice(state_ids),
                        )
                    )
                elif kind < 0.8:
                    assets.append(
                        FrozenAsset(
                            version=version,
                            position=position,
                            listed_party="Listed party",
                            list_ref="QDi.1",
                            asset_type="bank_account",
                            amount=Decimal(rng.randint(1, 100000)),
                            currency="USD",
                            date_frozen=datetime.date(2020, 1, 1),
                            institution_kind="bank",
                        )
                    )
                elif kind < 0.9:
                    cultural.append(
                        CulturalSeizure(
                            version=version,
                            position=position,
                            date=datetime.date(2020, 1, 1),
                            description="Cuneiform tablets",
                            provenance=rng.choice(["iraq", "syria"]),
                            count=rng.randint(1, 40),
                        )
                    )
                else:
                    strs.append(
                        SuspiciousTransactionCount(
                            version=version,
                            position=position,
                            period_start=datetime.date(2020, 1, 1),
                            period_end=datetime.date(2020, 12, 31),
                            count=rng.randint(0, 500),
                        )
                    )
        for rows in (oil, assets, cultural, strs):
            type(rows[0]).objects.bulk_create(rows, batch_size=5000)
        mentions = []
        for row in oil:
            name, ref = rng.choice(parties)
            mentions.append(
                PartyMention(
                    version=row.version, interdiction=row, name=name, normalized_name=normalize_party_name(name), list_ref=ref
                )
            )
        for row in cultural[::2]:
            name, ref = rng.choice(parties)
            mentions.append(
                PartyMention(
                    version=row.version, seizure=row, name=name, normalized_name=normalize_party_name(name), list_ref=ref
                )
            )
        PartyMention.objects.bulk_create(mentions, batch_size=5000)
        transit = OilInterdiction.transit.through
        transit.objects.bulk_create(
            [transit(oilinterdiction_id=row.pk, memberstate_id=rng.choice(state_ids), position=0) for row in oil[::5]],
            batch_size=5000,
        )
        # Freeze the submitted versions (draft -> frozen is the one change the guards allow).
        for report, version, late in submitted_versions:
            due = next(c.due for c in cycles if c.pk == report.cycle_id)
            day = (
                due + datetime.timedelta(days=rng.randint(1, 90)) if late else due - datetime.timedelta(days=rng.randint(0, 100))
            )
            version.is_draft = False
            version.submitted_at = datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)
            version.submitted_by = signatory
            version.content_sha256 = "0" * 64
            version.reference = f"BENCH/{report.pk}"
            version.is_late = late
            report.current_version = version
            report.first_submitted_at = version.submitted_at
            report.is_late = late
            report.days_late = max(0, (day - due).days)
            report.status = rng.choice(["submitted", "under_review", "accepted"])
        ReportVersion.objects.bulk_update(
            [v for _r, v, _l in submitted_versions],
            ["is_draft", "submitted_at", "submitted_by", "content_sha256", "reference", "is_late"],
            batch_size=500,
        )
        Report.objects.bulk_update(
            [r for r, _v, _l in submitted_versions],
            ["current_version", "first_submitted_at", "is_late", "days_late", "status"],
            batch_size=500,
        )
        assessments = []
        for report, _version, _late in submitted_versions:
            for measure in rng.sample(measures, 4):
                assessments.append(
                    MeasureAssessment(
                        report=report,
                        measure=measure,
                        version_id=report.current_version_id,
                        rating=rng.choice(list(Rating.values)),
                        assessed_by=officer,
                    )
                )
        MeasureAssessment.objects.bulk_create(assessments, batch_size=5000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # the planner's statistics, as autovacuum keeps them in production
    return {
        "States": len(states),
        "cycles": len(cycles),
        "reports": len(reports),
        "submitted": len(submitted_versions),
        "checklist answers": len(answers),
        "register rows": len(oil) + len(assets) + len(cultural) + len(strs),
        "party mentions": len(mentions),
        "assessments": len(assessments),
    }


# --- timing -----------------------------------------------------------------------------------


def _median(fn: Callable[[], Any], repeat: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _sql(query: str, params: list[Any]) -> Callable[[], list[Any]]:
    from django.db import connection

    def run() -> list[Any]:
        with connection.cursor() as cursor:
            cursor.execute(query, params)
            return cursor.fetchall()

    return run


def _dialect(query: str, vendor: str) -> str:
    """The queries are written for PostgreSQL; SQLite spells a few things differently."""
    if vendor != "sqlite":
        return query
    for postgres, sqlite in (
        ("GREATEST(%s - c.due, 0)", "MAX(CAST(julianday(%s) - julianday(c.due) AS INTEGER), 0)"),
        ("STRING_AGG(m.code, ' ' ORDER BY m.code)", "GROUP_CONCAT(m.code, ' ')"),
        ("STRING_AGG(DISTINCT pm.name, ' | ')", "GROUP_CONCAT(DISTINCT pm.name)"),
        ("STRING_AGG(DISTINCT s.iso3, ' ')", "GROUP_CONCAT(DISTINCT s.iso3)"),
    ):
        query = query.replace(postgres, sqlite)
    return query


DASHBOARD_SQL = """
SELECT s.regional_group,
       COUNT(*) AS expected,
       SUM(CASE WHEN r.current_version_id IS NOT NULL THEN 1 ELSE 0 END) AS received,
       SUM(CASE WHEN r.current_version_id IS NOT NULL AND NOT r.is_late THEN 1 ELSE 0 END) AS on_time,
       SUM(CASE WHEN r.current_version_id IS NOT NULL AND r.is_late THEN 1 ELSE 0 END) AS late,
       SUM(CASE WHEN r.id IS NOT NULL AND r.current_version_id IS NULL THEN 1 ELSE 0 END) AS n_drafts,
       SUM(CASE WHEN r.id IS NULL THEN 1 ELSE 0 END) AS n_nothing
FROM reports_memberstate s
LEFT JOIN reports_report r ON r.state_id = s.id AND r.cycle_id = %s
GROUP BY s.regional_group
UNION ALL
SELECT 'trend:' || c.code, (SELECT COUNT(*) FROM reports_memberstate),
       SUM(CASE WHEN r.current_version_id IS NOT NULL THEN 1 ELSE 0 END),
       SUM(CASE WHEN r.current_version_id IS NOT NULL AND NOT r.is_late THEN 1 ELSE 0 END),
       SUM(CASE WHEN r.current_version_id IS NOT NULL AND r.is_late THEN 1 ELSE 0 END),
       SUM(CASE WHEN r.id IS NOT NULL AND r.current_version_id IS NULL THEN 1 ELSE 0 END), 0
FROM reporting_cycles_placeholder c
"""


def run(repeat: int) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from reports.clock import portal_today
    from reports.models import MemberState, ReportingCycle, User
    from reports.services.mfa import demo_totp_secret, totp_authenticator_ensure

    cycle = ReportingCycle.objects.filter(code__startswith="bench-").order_by("-due").first()
    assert cycle is not None
    officer = User.objects.get(username="bench-officer")
    totp_authenticator_ensure(user=officer, secret=demo_totp_secret(officer.get_username()))
    client = Client()
    client.force_login(officer)
    states = MemberState.objects.count()
    resolution_id = cycle.obligation.resolution_id

    dashboard_sql = (
        DASHBOARD_SQL.replace(
            "FROM reporting_cycles_placeholder c",
            "FROM reports_reportingcycle c LEFT JOIN reports_report r ON r.cycle_id = c.id "
            "WHERE c.state_id IS NULL AND c.opens <= %s GROUP BY c.code",
        ),
        [cycle.pk, portal_today()],
    )
    # What the overdue register shows: each State without a submitted report, its group, whether
    # a draft exists, days late and its follow-up (the dashboard lists the first of them).
    overdue_sql = (
        """
        SELECT s.iso3, s.name, s.names, s.regional_group, r.id IS NOT NULL AS has_draft,
               GREATEST(%s - c.due, 0) AS days_late, f.is_closed, f.note, f.updated_at
        FROM reports_memberstate s
        JOIN reports_reportingcycle c ON c.id = %s
        LEFT JOIN reports_report r ON r.state_id = s.id AND r.cycle_id = c.id
        LEFT JOIN reports_followup f ON f.kind = 'overdue' AND f.key = c.id || ':' || s.iso3
        WHERE r.current_version_id IS NULL
        ORDER BY days_late DESC, s.name
        """,
        [portal_today(), cycle.pk],
    )
    matrix_sql = (
        """
        SELECT s.iso3, s.name, m.code, a.answer, a.legal_reference <> '', ma.rating, r.id, v.number
        FROM reports_memberstate s
        CROSS JOIN reports_measure m
        LEFT JOIN reports_report r ON r.state_id = s.id AND r.cycle_id = %s AND r.current_version_id IS NOT NULL
        LEFT JOIN reports_reportversion v ON v.id = r.current_version_id
        LEFT JOIN reports_checklistanswer a ON a.version_id = r.current_version_id AND a.measure_id = m.id
        LEFT JOIN reports_measureassessment ma ON ma.report_id = r.id AND ma.measure_id = m.id
        WHERE m.resolution_id = %s AND m.active
        ORDER BY s.name, m."order", m.code
        """,
        [cycle.pk, resolution_id],
    )
    parties_sql = (
        """
        SELECT pm.normalized_name, MIN(pm.name), COUNT(DISTINCT v.report_id), COUNT(*),
               o.unit, o.currency, SUM(o.quantity), SUM(o.value), SUM(cs.count)
        FROM reports_partymention pm
        JOIN reports_reportversion v ON v.id = pm.version_id
        JOIN reports_report r ON r.current_version_id = v.id
        LEFT JOIN reports_oilinterdiction o ON o.id = pm.interdiction_id
        LEFT JOIN reports_culturalseizure cs ON cs.id = pm.seizure_id
        GROUP BY pm.normalized_name, o.unit, o.currency
        ORDER BY 3 DESC, 1
        """,
        [],
    )
    # The same page's second table: Sanctions List references grouped, every spelling and the
    # States that used them.
    list_refs_sql = (
        """
        SELECT pm.list_ref, COUNT(DISTINCT v.report_id),
               STRING_AGG(DISTINCT pm.name, ' | '), STRING_AGG(DISTINCT s.iso3, ' ')
        FROM reports_partymention pm
        JOIN reports_reportversion v ON v.id = pm.version_id
        JOIN reports_report r ON r.current_version_id = v.id
        JOIN reports_memberstate s ON s.id = r.state_id
        WHERE pm.list_ref <> ''
        GROUP BY pm.list_ref
        ORDER BY 2 DESC, 1
        """,
        [],
    )
    # What the inconsistencies register shows: per pair (A names B), the roles and number of
    # entries, B's report or its absence, whether B's report names A in a counterpart role,
    # both States' names and the follow-up.
    inconsistencies_sql = (
        """
        WITH v AS (
            SELECT id, state_id, current_version_id FROM reports_report
            WHERE cycle_id = %s AND current_version_id IS NOT NULL
        ),
        named AS (
            SELECT v.state_id AS a, o.origin_id AS b, 1 AS bit
              FROM reports_oilinterdiction o JOIN v ON v.current_version_id = o.version_id
            UNION ALL
            SELECT v.state_id, o.destination_id, 2
              FROM reports_oilinterdiction o JOIN v ON v.current_version_id = o.version_id
            UNION ALL
            SELECT v.state_id, t.memberstate_id, 4 FROM reports_oilinterdiction_transit t
              JOIN reports_oilinterdiction o ON o.id = t.oilinterdiction_id
              JOIN v ON v.current_version_id = o.version_id
        ),
        pairs AS (
            SELECT a, b, COUNT(*) AS entries, SUM(DISTINCT bit) AS kinds FROM named
            WHERE b IS NOT NULL AND a <> b GROUP BY a, b
        )
        SELECT sa.iso3, sa.names, ra.id, sb.iso3, sb.names, rb.id, p.entries, p.kinds, f.is_closed, f.note
          FROM pairs p
          JOIN v ra ON ra.state_id = p.a
          LEFT JOIN v rb ON rb.state_id = p.b
          LEFT JOIN pairs q ON q.a = p.b AND q.b = p.a
          JOIN reports_memberstate sa ON sa.id = p.a
          JOIN reports_memberstate sb ON sb.id = p.b
          LEFT JOIN reports_followup f ON f.kind = 'inconsistency' AND f.key = %s || ':' || sa.iso3 || ':' || sb.iso3
         WHERE rb.id IS NULL
            OR NOT ((p.kinds & 1 = 0 OR COALESCE(q.kinds, 0) & 6 <> 0)
                AND (p.kinds & 2 = 0 OR COALESCE(q.kinds, 0) & 5 <> 0)
                AND (p.kinds & 4 = 0 OR COALESCE(q.kinds, 0) & 7 <> 0))
         ORDER BY rb.id IS NULL, sa.name, sb.name
        """,
        [cycle.pk, str(cycle.pk)],
    )
    # What the incomplete register shows: each received report leaving required rows
    # unanswered, the State, the version, which measures, and the follow-up.
    incomplete_sql = (
        """
        SELECT s.iso3, s.name, v.number, COUNT(m.id), STRING_AGG(m.code, ' ' ORDER BY m.code), MIN(f.note)
        FROM reports_report r
        JOIN reports_memberstate s ON s.id = r.state_id
        JOIN reports_reportversion v ON v.id = r.current_version_id
        CROSS JOIN reports_measure m
        LEFT JOIN reports_checklistanswer a ON a.version_id = r.current_version_id AND a.measure_id = m.id AND a.answer <> ''
        LEFT JOIN reports_followup f ON f.kind = 'incomplete' AND f.key = r.cycle_id || ':' || s.iso3
        WHERE r.cycle_id = %s AND r.current_version_id IS NOT NULL AND m.resolution_id = %s AND m.active AND m.required
          AND a.id IS NULL
        GROUP BY s.iso3, s.name, v.number
        ORDER BY s.name
        """,
        [cycle.pk, resolution_id],
    )

    def both(*queries: tuple[str, list[Any]]) -> Callable[[], None]:
        runs = [_sql(_dialect(q, connection.vendor), p) for q, p in queries]

        def go() -> None:
            for r in runs:
                r()

        return go

    from reports.clock import portal_today
    from reports.selectors import noncompliance as nc
    from reports.selectors.dashboard import cycle_status_summary, cycle_trend
    from reports.selectors.matrix import implementation_matrix

    today = portal_today()
    benches = [
        (
            "dashboard",
            f"/secretariat/?cycle={cycle.pk}",
            both(dashboard_sql, overdue_sql),
            lambda: (cycle_status_summary(cycle=cycle, today=today), cycle_trend(today=today)),
        ),
        (
            "matrix",
            f"/secretariat/cycles/{cycle.pk}/matrix/",
            both(matrix_sql),
            lambda: implementation_matrix(user=officer, cycle=cycle),
        ),
        (
            "register: named parties",
            "/secretariat/parties/",
            both(parties_sql, list_refs_sql),
            # As the page: counts for every party, details for the first page of 25.
            lambda: (
                nc.party_details_fill(nc.named_parties(user=officer, details=False)[:25]),
                nc.named_list_refs(user=officer),
            ),
        ),
        (
            "register: inconsistencies",
            f"/secretariat/cycles/{cycle.pk}/register/inconsistencies/",
            both(inconsistencies_sql),
            lambda: nc.inconsistencies(user=officer, cycle=cycle),
        ),
        (
            "register: incomplete",
            f"/secretariat/cycles/{cycle.pk}/register/incomplete/",
            both(incomplete_sql),
            lambda: nc.incomplete_findings(user=officer, cycle=cycle),
        ),
        (
            "register: overdue",
            f"/secretariat/cycles/{cycle.pk}/register/",
            both(overdue_sql),
            lambda: nc.overdue_findings(cycle=cycle, today=today),
        ),
    ]
    vendor = connection.vendor
    print(f"bench backoffice: {states} States, cycle {cycle.code} ({vendor}), median of {repeat} after a warm-up")
    print(
        f"{'page':28} {'page ms':>9} {'selector ms':>12} {'SQL ms':>8} {'page / SQL':>11} {'selector / SQL':>15} {'queries':>8}"
        f" {'(page - floor) / SQL':>21}  target"
    )

    def floor() -> None:
        # A back-office page with an empty table: sign-in, MFA, session and layout, no data.
        assert client.get(f"/secretariat/cycles/{cycle.pk}/register/incomplete/?group=none").status_code == 200

    floor_s = _median(floor, repeat)
    print(f"{'(floor: empty register page)':28} {floor_s * 1000:9.1f}")
    for name, url, raw, selector in benches:

        def page(url: str = url) -> None:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as captured:
            page()
        queries = len(captured.captured_queries)
        page_s = _median(page, repeat)
        sql_s = _median(raw, repeat)
        selector_s = _median(selector, repeat)
        if page_s <= 3 * sql_s:
            verdict = "met"
        elif page_s - floor_s <= 3 * sql_s:
            verdict = "met net of the floor"
        elif floor_s > 3 * sql_s:
            verdict = "MISSED, floor-bound (an empty page alone is over 3x this SQL)"
        else:
            verdict = "MISSED"
        print(
            f"{name:28} {page_s * 1000:9.1f} {selector_s * 1000:12.1f} {sql_s * 1000:8.1f} "
            f"{page_s / sql_s:11.1f} {selector_s / sql_s:15.1f} {queries:8d} {max(page_s - floor_s, 0) / sql_s:21.1f}"
            f"  {verdict}"
        )
    print(
        "floor: the fixed cost of any back-office page (session, sign-in, MFA check, layout; an empty table). "
        "(page - floor) / SQL: what the page adds to that fixed cost, against its SQL; page / SQL is the plain ratio. "
        "Below a few milliseconds of SQL the plain ratio cannot reach 3x: the floor alone is several times the query."
    )
    sys.stdout.flush()

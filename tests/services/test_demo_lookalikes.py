"""The demo gives the Monitoring Team screening candidates to decide (reports/services/demo_lookalikes.py).

The oracle is written by hand: which reported name a person would take for which invented list
entry (labelled here, not read from the module), and SQL over the stored rows.
"""

from __future__ import annotations

import datetime

from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from reports.models import PartyMention, ReportVersion, ScreeningMatch, User
from reports.services.demo import demo_seed
from reports.services.snapshot import content_sha256

TODAY = datetime.date(2026, 11, 16)
# The demo's look-alikes and the entry each resembles (consolidated-demo-1.xml), and who reports them.
LOOKALIKES = {
    "Abdulrahman Al Enezi": ("QDi.901", "2199-implementation-2015", "JOR"),  # transliteration
    "عبد الرحمن العنزي": ("QDi.901", "2253-implementation-2016", "IRQ"),  # Arabic script
    "Hamid Yousef al-Madbouli": ("QDi.903", "2253-implementation-2016", "IRQ"),  # another surname ending
    "Tariq Samir": ("QDi.902", "committee-update-2025", "FRA"),  # part of the name
    "Надир Казимов": ("QDi.905", "committee-update-2025", "RUS"),  # Cyrillic
}
NEAR_MISS = ("Salim Farid al-Amiri", "committee-update-2025", "USA")  # QDi.906's given names, another family
# Reported before the entry was listed: QDi.901 on 2015-09-29, after the 2199 reports (due 2015-06-12);
# QDi.903 on 2016-04-20, after the 2253 reports (due 2016-04-15).
LISTED_AFTER = {("Abdulrahman Al Enezi", "QDi.901"), ("Hamid Yousef al-Madbouli", "QDi.903")}

SUBMITTED_MENTIONS = """
    FROM reports_partymention m JOIN reports_reportversion v ON v.id = m.version_id
    WHERE NOT v.is_draft AND v.submitted_at IS NOT NULL"""


def _rows(sql: str, params: list[object] | None = None) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return cursor.fetchall()


def test_the_demo_screening_has_candidates_to_decide_and_leaves_out_the_near_miss(
    reference, django_capture_on_commit_callbacks, client
):
    # The import queues the run when the seed commits; the task (eager in tests, as a worker would) runs it.
    with django_capture_on_commit_callbacks(execute=True):
        demo_seed(today=TODAY)

    # Who reported each look-alike, in a submitted version of the demo's own report.
    reported = _rows(
        """SELECT m.name, c.code, s.iso3, u.username FROM reports_partymention m
           JOIN reports_reportversion v ON v.id = m.version_id JOIN reports_report r ON r.id = v.report_id
           JOIN reports_reportingcycle c ON c.id = r.cycle_id JOIN reports_memberstate s ON s.id = r.state_id
           JOIN reports_user u ON u.id = v.submitted_by_id
           WHERE NOT v.is_draft AND m.name = ANY(%s)""",
        [[*LOOKALIKES, NEAR_MISS[0]]],
    )
    expected_reporters = {(name, cycle, iso3) for name, (_ref, cycle, iso3) in LOOKALIKES.items()} | {NEAR_MISS}
    assert {(name, cycle, iso3) for name, cycle, iso3, _user in reported} == expected_reporters
    assert len(reported) == len(expected_reporters)  # each named once
    assert {user for *_rest, user in reported} == {f"signatory-{iso3.lower()}" for _n, _c, iso3 in expected_reporters}

    # One run, done, over every distinct party named in a submitted version.
    names = _rows(f"SELECT count(DISTINCT m.normalized_name) {SUBMITTED_MENTIONS}")[0][0]
    assert _rows("SELECT status, names_done, names_total FROM reports_screeningrun") == [("done", names, names)]

    # The candidates: the parties named with their list reference (the demo writes the list's own
    # name), and the look-alikes, each with the entry a person would say.
    by_reference = set(
        _rows(
            """SELECT DISTINCT m.normalized_name, e.reference
               FROM reports_partymention m JOIN reports_reportversion v ON v.id = m.version_id
               JOIN reports_sanctionsentry e ON e.reference = m.list_ref
               WHERE NOT v.is_draft AND v.submitted_at IS NOT NULL"""
        )
    )
    keys = dict(_rows(f"SELECT m.name, m.normalized_name {SUBMITTED_MENTIONS} AND m.name = ANY(%s)", [list(LOOKALIKES)]))
    expected = by_reference | {(keys[name], ref) for name, (ref, _c, _s) in LOOKALIKES.items()}
    assert len(by_reference) == 2 and len(expected) == 7
    stored = _rows(
        """SELECT m.name_key, e.reference, m.status, m.decided_by_id, m.score, m.listed_after_report,
                  e.listed_on > (SELECT min(v.submitted_at AT TIME ZONE 'America/New_York')::date
                                 FROM reports_partymention pm JOIN reports_reportversion v ON v.id = pm.version_id
                                 WHERE pm.normalized_name = m.name_key AND NOT v.is_draft)
           FROM reports_screeningmatch m JOIN reports_sanctionsentry e ON e.id = m.entry_id"""
    )
    assert {(key, ref) for key, ref, *_ in stored} == expected
    assert len(stored) == len(expected)
    assert all(status == "candidate" and decided_by is None for _k, _r, status, decided_by, *_ in stored)  # the expert decides
    scores = {score for _k, _r, _st, _d, score, *_ in stored}
    assert min(scores) >= 85 and len(scores) >= 3, scores  # several candidates, different scores
    # "Listed after it was reported": the stored flag agrees with the dates, and the demo has some.
    for key, ref, *_rest, flag, oracle in stored:
        assert flag is oracle, (key, ref)
    names_of = {keys[name]: name for name in LOOKALIKES}
    assert {(names_of.get(key, key), ref) for key, ref, *_rest, flag, _o in stored if flag} == LISTED_AFTER

    # The near miss was reported, and nothing matched it.
    near_key = _rows(f"SELECT m.normalized_name {SUBMITTED_MENTIONS} AND m.name = %s", [NEAR_MISS[0]])[0][0]
    assert _rows("SELECT count(*) FROM reports_screeningmatch WHERE name_key = %s", [near_key]) == [(0,)]

    # The rows were written before the version was frozen: its content names them and its SHA-256 holds.
    for version in ReportVersion.objects.filter(party_mentions__name__in=list(LOOKALIKES)).distinct():
        assert content_sha256(version.content) == version.content_sha256
        named = [row["parties"] for section in ("oil", "cultural") for row in version.content.get(section, [])]
        assert any(name in text for text in named for name in LOOKALIKES)

    # What the Monitoring Team sees: the same number of candidates, the near miss nowhere.
    client.force_login(User.objects.get(username="monitoring"))
    page = client.get(reverse("secretariat:screening"))
    assert page.status_code == 200 and page.context["counts"]["candidate"] == len(expected)
    html = page.content.decode()
    assert all(name in html for name in LOOKALIKES) and NEAR_MISS[0] not in html

    # A second seed adds no party and no match.
    mentions, matches = PartyMention.objects.count(), ScreeningMatch.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo")
    assert (PartyMention.objects.count(), ScreeningMatch.objects.count()) == (mentions, matches)

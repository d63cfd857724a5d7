"""The mandate as data: what the Council's resolutions ask, and nothing they do not.

Expectations are written out by hand from the brief's verified facts (press releases SC/12168
and SC/12917, the Secretary-General's reports), not read back from the fixtures.
"""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path

import pytest
import time_machine
from django.contrib.admin.models import CHANGE, LogEntry
from django.urls import reverse

from reports.models import Measure, Obligation, ObligationKind, Report, ReportingCycle, Resolution, Role
from reports.models.i18n import UN_LANGUAGES
from reports.services.reference_data import reference_data_load
from reports.services.reports import report_get_or_create, report_submit_unchecked
from tests.factories import make_user
from tests.mfa import totp_give

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent.parent

ADOPTED = {
    1373: datetime.date(2001, 9, 28),
    2199: datetime.date(2015, 2, 12),
    2253: datetime.date(2015, 12, 17),
    2368: datetime.date(2017, 7, 20),
    2610: datetime.date(2021, 12, 17),
    2734: datetime.date(2024, 6, 10),
}
# (resolution, paragraph) the brief confirms; every other anchor stays unconfirmed.
CONFIRMED = {
    "CUL-01": (2199, "OP 17"),
    "CUL-02": (2199, "OP 17"),
    "CUL-03": (2199, "OP 17"),
    "CUL-04": (2199, "OP 17"),
    "CUL-05": (2199, "OP 17"),
    "CUL-06": (2199, "OP 17"),
    "OIL-06": (2199, "OP 10"),
    "FIN-04": (1373, "OP 1(b)"),
    "R68-FIN-01": (2368, "OP 1"),
    "R68-FIN-03": (2368, "OP 1"),
    "R68-TRV-01": (2368, "OP 1"),
    "R68-ARM-01": (2368, "OP 1"),
}


def test_the_resolutions_and_their_adoption_dates(reference):
    assert dict(Resolution.objects.values_list("number", "adopted")) == ADOPTED


def test_the_one_off_reports_are_due_120_days_after_adoption(reference):
    for code, number, due in [
        ("2199-implementation-2015", 2199, datetime.date(2015, 6, 12)),
        ("2253-implementation-2016", 2253, datetime.date(2016, 4, 15)),
    ]:
        cycle = ReportingCycle.objects.select_related("obligation__resolution").get(code=code)
        assert cycle.due == due == ADOPTED[number] + datetime.timedelta(days=120)
        assert cycle.obligation.kind == ObligationKind.ONE_OFF and cycle.obligation.resolution.number == number
    oil = Obligation.objects.get(code="2199-oil-interdiction")
    assert (oil.kind, oil.due_days, oil.due_from, oil.paragraph_confirmed) == ("event", 30, "event", False)


def test_the_periodic_update_is_the_committees_and_says_why(reference):
    update = Obligation.objects.get(code="committee-periodic-update")
    assert update.kind == ObligationKind.RECURRING
    assert update.paragraph == "" and update.paragraph_confirmed is False
    assert set(update.basis) == set(UN_LANGUAGES) and all(update.basis.values())
    assert "repeated calls" in update.basis["en"] and "No paragraph" in update.basis["en"]
    assert "2368" not in update.code and "2368" not in update.title["en"]
    assert str(update) == update.title["en"]  # no "2368 :" read into it
    # no obligation, cycle or label still claims a report that resolution 2368 asks for
    assert not Obligation.objects.filter(code__contains="2368").exists()
    assert not ReportingCycle.objects.filter(code__contains="2368").exists()
    for label in ReportingCycle.objects.filter(obligation=update).values_list("label", flat=True):
        assert "2368" not in json.dumps(label, ensure_ascii=False)
    assert set(ReportingCycle.objects.filter(obligation=update).values_list("code", flat=True)) == {
        "committee-update-2025",
        "committee-update-2026",
    }


def test_measure_anchors_are_the_confirmed_ones_and_nothing_else_is_confirmed(reference):
    rows = {code: (number, paragraph, confirmed) for code, number, paragraph, confirmed in Measure.objects.values_list(
        "code", "resolution__number", "paragraph", "paragraph_confirmed"
    )}  # fmt: skip
    for code, (number, paragraph) in CONFIRMED.items():
        assert rows[code] == (number, paragraph, True), code
    assert {code for code, (_n, _p, confirmed) in rows.items() if confirmed} == set(CONFIRMED)
    # bank screening rests on no paragraph; the commodity list is OP 10, not OP 12
    assert rows["FIN-02"][1] == "" and rows["R68-FIN-02"][1] == ""
    assert not Measure.objects.filter(resolution__number=2253, title__en__icontains="financing of terrorism").exists()


def test_every_label_is_in_the_six_languages(reference):
    six = set(UN_LANGUAGES)
    for resolution in Resolution.objects.all():
        assert {k for k, v in resolution.title.items() if v} >= six, resolution
        assert {k for k, v in resolution.summary.items() if v} >= six, resolution
    for obligation in Obligation.objects.all():
        assert {k for k, v in obligation.title.items() if v} >= six, obligation.code
        assert {k for k, v in obligation.description.items() if v} >= six, obligation.code
    for code, label in ReportingCycle.objects.filter(state__isnull=True).values_list("code", "label"):
        assert {k for k, v in label.items() if v} >= six, code
    for measure in Measure.objects.all():
        assert {k for k, v in measure.title.items() if v} >= six, measure.code


def test_a_database_loaded_with_the_old_files_converges(reference, signatory_a, state_a):
    """An install loaded before this change: the invented 2368 obligation and its cycles, a
    report filed on one, the old anchors. One load later it equals a fresh install."""
    fresh = _snapshot()
    update = Obligation.objects.get(code="committee-periodic-update")
    Obligation.objects.filter(pk=update.pk).update(
        code="2368-implementation", basis={}, title={"en": "Periodic implementation report under resolution 2368 (2017)"}
    )
    past = ReportingCycle.objects.get(code="committee-update-2025")
    ReportingCycle.objects.filter(pk=past.pk).update(
        code="2368-implementation-2025", label={"en": "Resolution 2368 (2017): implementation report, 2025"}
    )
    ReportingCycle.objects.filter(code="committee-update-2026").update(code="2368-implementation-2026")
    Measure.objects.filter(code="R68-FIN-01").update(paragraph="OP 1(a)", paragraph_confirmed=False)
    Measure.objects.filter(code="FIN-04").update(
        resolution=Resolution.objects.get(number=2253), paragraph="OP 17", paragraph_confirmed=False
    )
    Resolution.objects.filter(number__in=[1373, 2610, 2734]).exclude(measures__isnull=False).delete()
    report = report_get_or_create(state=state_a, cycle=past, actor=signatory_a)
    report_submit_unchecked(report=report, actor=signatory_a)

    reference_data_load()

    assert _snapshot() == fresh
    update.refresh_from_db()
    past.refresh_from_db()
    assert update.code == "committee-periodic-update" and past.code == "committee-update-2025"
    assert past.obligation_id == update.pk
    assert Report.objects.get(pk=report.pk).cycle_id == past.pk  # the filed report still hangs off its cycle


def test_an_old_load_after_a_new_one_is_merged(reference):
    """Both codes present (the old files loaded again): the old obligation's cycles move over."""
    update = Obligation.objects.get(code="committee-periodic-update")
    old = Obligation.objects.create(
        resolution=update.resolution,
        code="2368-implementation",
        kind="recurring",
        title={"en": "old"},
        due_days=120,
        due_from="cycle_open",
    )
    stray = ReportingCycle.objects.create(
        obligation=old, code="stray-cycle", opens=datetime.date(2024, 1, 1), due=datetime.date(2024, 5, 1)
    )
    reference_data_load()
    assert not Obligation.objects.filter(code="2368-implementation").exists()
    stray.refresh_from_db()
    assert stray.obligation_id == update.pk


def _snapshot() -> list[object]:
    return [
        sorted(Resolution.objects.values_list("number", "adopted", "title", "summary")),
        sorted(
            Obligation.objects.values_list(
                "code", "resolution__number", "paragraph", "paragraph_confirmed", "kind", "title", "basis"
            )
        ),
        sorted(
            ReportingCycle.objects.filter(state__isnull=True).values_list("code", "obligation__code", "opens", "due", "label")
        ),
        sorted(Measure.objects.values_list("code", "resolution__number", "paragraph", "paragraph_confirmed", "title")),
    ]


# --- wording an expert would accept ------------------------------------------------------

OLD_WORDING = [
    (re.compile(r"Monitoring Team analyst", re.I), "say Monitoring Team expert"),
    (re.compile(r"\bviolators?\b", re.I), "parties named in reports are reported, not violators"),
    (re.compile(r"(to|from) ISIL-held territory", re.I), "the direction is to or from ISIL or ANF (the group)"),
    (re.compile(r"Non-compliance register"), "say Reported non-compliance"),
]


def test_no_user_facing_text_keeps_the_old_wording():
    files = [
        *ROOT.glob("templates/**/*.html"),
        *ROOT.glob("templates/**/*.txt"),
        *ROOT.glob("reports/**/*.py"),
        *ROOT.glob("reports/fixtures/*.json"),
    ]
    offenders = []
    for path in files:
        if "migrations" in path.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for pattern, why in OLD_WORDING:
                if pattern.search(line):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {why}")
    assert offenders == []


# --- the Secretariat sees and corrects unconfirmed paragraphs ----------------------------


@pytest.fixture
def filed_2199(reference, signatory_a, state_a):  # type: ignore[no-untyped-def]
    cycle = ReportingCycle.objects.get(code="2199-implementation-2015")
    report = report_get_or_create(state=state_a, cycle=cycle, actor=signatory_a)
    report_submit_unchecked(report=report, actor=signatory_a)
    return report


def test_the_review_page_marks_unconfirmed_paragraphs(client, secretariat, filed_2199, django_assert_max_num_queries):
    client.force_login(totp_give(secretariat))
    with django_assert_max_num_queries(40):
        page = client.get(reverse("secretariat:report", args=[filed_2199.pk])).content.decode()
    rows = dict(re.findall(r'<tr id="measure-([A-Z0-9-]+)">(.*?)</tr>', page, re.DOTALL))
    measures = list(
        Measure.objects.filter(resolution__number=2199, active=True).values_list("code", "paragraph", "paragraph_confirmed")
    )
    assert measures and set(rows) == {code for code, _p, _c in measures}
    marked = 0
    for code, paragraph, confirmed in measures:
        shows_marker = "unconfirmed" in rows[code]
        assert shows_marker is (bool(paragraph) and not confirmed), code
        marked += shows_marker
    assert 0 < marked < len(measures)  # both kinds are on the page: the test can fail either way


def test_the_matrix_header_marks_unconfirmed_paragraphs(client, secretariat, filed_2199):
    client.force_login(totp_give(secretariat))
    page = client.get(reverse("secretariat:matrix", args=[filed_2199.cycle_id])).content.decode()
    headers = dict(
        re.findall(r'<th scope="col" class="sec-matrix-measure"><abbr[^>]*>([A-Z0-9-]+)</abbr>(.*?)</th>', page, re.DOTALL)
    )
    assert headers
    for code, paragraph, confirmed in Measure.objects.filter(code__in=headers).values_list(
        "code", "paragraph", "paragraph_confirmed"
    ):
        assert ("paragraph unconfirmed" in headers[code]) is (bool(paragraph) and not confirmed), code


def test_an_officer_corrects_a_paragraph_in_the_admin_and_the_history_keeps_it(client, reference):
    officer = totp_give(make_user(Role.SECRETARIAT, username="officer-admin"))
    officer.is_staff = True
    officer.save(update_fields=["is_staff"])
    client.force_login(officer)
    for model in ("resolution", "obligation", "measure", "reportingcycle"):
        assert client.get(reverse(f"admin:reports_{model}_changelist")).status_code == 200, model
    measure = Measure.objects.get(code="OIL-02")
    data = {
        "code": measure.code, "resolution": measure.resolution_id, "paragraph": "OP 11", "paragraph_confirmed": "on",
        "area": measure.area, "required": "on", "order": measure.order, "title": json.dumps(measure.title),
        "guidance": json.dumps(measure.guidance), "active": "on",
    }  # fmt: skip
    response = client.post(reverse("admin:reports_measure_change", args=[measure.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    measure.refresh_from_db()
    assert (measure.paragraph, measure.paragraph_confirmed) == ("OP 11", True)
    entry = LogEntry.objects.get(object_id=str(measure.pk), content_type__model="measure")
    assert entry.user_id == officer.pk and entry.action_flag == CHANGE
    assert "Paragraph" in entry.get_change_message() or "paragraph" in entry.get_change_message().lower()
    history = client.get(reverse("admin:reports_measure_history", args=[measure.pk])).content.decode()
    assert "officer-admin" in history


def test_the_delegation_sees_why_the_periodic_update_is_asked(client, focal_a, reference):
    client.force_login(focal_a)
    with time_machine.travel(datetime.datetime(2026, 10, 1, 15, 0, tzinfo=datetime.UTC), tick=False):
        page = client.get(reverse("delegation:dashboard")).content.decode()
    row = re.search(r'<tr data-testid="cycle-committee-update-2026">(.*?)</tr>', page, re.DOTALL)
    assert row and "Why this is asked" in row.group(1)
    assert "repeated calls" in row.group(1).replace("&#x27;", "'")
    one_off = re.search(r'<tr data-testid="cycle-2253-implementation-2016">(.*?)</tr>', page, re.DOTALL)
    assert one_off and "Why this is asked" not in one_off.group(1)

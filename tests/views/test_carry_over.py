"""Starting a draft from the State's last report: carried-over answers, their badge, confirming, editing."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.urls import reverse

from reports.models import ChecklistAnswer, Measure, OilInterdiction
from reports.services.reports import version_freeze
from tests.delegation import OIL_ROW, checklist_post, draft_of
from tests.factories import make_report, open_cycle

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():  # type: ignore[no-untyped-def]
    with time_machine.travel("2026-11-20 15:00:00Z", tick=False):
        yield


def carried(draft) -> set[str]:  # type: ignore[no-untyped-def]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT m.code FROM reports_checklistanswer a JOIN reports_measure m ON m.id = a.measure_id "
            "WHERE a.version_id = %s AND a.carried_over",
            [draft.pk],
        )
        return {code for (code,) in cursor.fetchall()}


@pytest.fixture
def last_report(state_a, focal_a, cycle):  # type: ignore[no-untyped-def]
    """France's submitted report of an earlier cycle: three answers and an oil row."""
    earlier = open_cycle("earlier-cycle", due=datetime.date(2026, 6, 30))
    report = make_report(state_a, earlier, focal_a)
    version = draft_of(report)
    measures = list(Measure.objects.filter(resolution=cycle.obligation.resolution, active=True).order_by("order", "code"))
    for index, measure in enumerate(measures[:3]):
        ChecklistAnswer.objects.create(
            version=version,
            measure=measure,
            answer="in_place",
            legal_reference=f"Act {index}",
            narrative=f"Narrative {index}",
            evidence_location="Annex 2",
        )
    OilInterdiction.objects.create(
        version=version,
        date=datetime.date(2026, 5, 1),
        place="Old",
        commodity="crude",
        quantity=1,
        unit="barrels",
        direction="to",
    )
    return version_freeze(version=version, actor=focal_a), measures


def test_start_from_the_last_report_copies_answers_not_registers(client, focal_a, report_a, last_report):
    _frozen, measures = last_report
    client.force_login(focal_a)
    draft = draft_of(report_a)
    page = client.get(reverse("delegation:editor", args=[draft.pk, "checklist"])).content.decode()
    assert 'data-testid="carry-over-offer"' in page
    response = client.post(reverse("delegation:carry_over", args=[draft.pk]), {"revision": draft.revision})
    assert response.status_code == 302
    assert carried(draft) == {m.code for m in measures[:3]}
    copied = ChecklistAnswer.objects.get(version=draft, measure=measures[1])
    assert (copied.answer, copied.legal_reference, copied.narrative, copied.evidence_location) == (
        "in_place",
        "Act 1",
        "Narrative 1",
        "",
    )
    assert not OilInterdiction.objects.filter(version=draft).exists()
    page = client.get(reverse("delegation:editor", args=[draft.pk, "checklist"])).content.decode()
    assert page.count('data-testid="carried-badge"') == 3 and 'data-testid="carry-over-offer"' not in page


def test_editing_clears_the_mark_of_that_answer_only_and_confirming_clears_another(client, focal_a, report_a, last_report):
    _frozen, measures = last_report
    client.force_login(focal_a)
    draft = draft_of(report_a)
    client.post(reverse("delegation:carry_over", args=[draft.pk]), {"revision": draft.revision})
    draft.refresh_from_db()
    # The editor posts every answer: the first edited, the two others as they were.
    answers = {
        measures[0].code: {"answer": "partial", "legal_reference": "Act 0", "narrative": "Narrative 0"},
        measures[1].code: {"answer": "in_place", "legal_reference": "Act 1", "narrative": "Narrative 1"},
        measures[2].code: {"answer": "in_place", "legal_reference": "Act 2", "narrative": "Narrative 2"},
    }
    url = reverse("delegation:editor", args=[draft.pk, "checklist"])
    assert client.post(url, checklist_post(measures, answers, revision=draft.revision)).status_code == 302
    assert carried(draft) == {measures[1].code, measures[2].code}

    confirm = reverse("delegation:answer_confirm", args=[draft.pk, measures[1].pk])
    response = client.post(confirm, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Confirmed" in response.content.decode()
    assert carried(draft) == {measures[2].code}

    review = client.get(reverse("delegation:review", args=[report_a.pk])).content.decode()
    assert 'data-testid="carried-over"' in review
    assert measures[2].code in review.split('data-testid="carried-over"')[1].split("</section>")[0]
    assert measures[1].code not in review.split('data-testid="carried-over"')[1].split("</section>")[0]


def test_no_last_report_means_no_offer_and_a_clear_refusal(client, focal_a, report_a):
    client.force_login(focal_a)
    draft = draft_of(report_a)
    page = client.get(reverse("delegation:editor", args=[draft.pk, "checklist"])).content.decode()
    assert 'data-testid="carry-over-offer"' not in page
    response = client.post(reverse("delegation:carry_over", args=[draft.pk]), {"revision": draft.revision}, follow=True)
    assert "no submitted report to start from" in response.content.decode()


def test_another_states_last_report_is_never_offered(client, focal_b, report_b, last_report):
    client.force_login(focal_b)
    draft = draft_of(report_b)
    client.post(reverse("delegation:carry_over", args=[draft.pk]), {"revision": draft.revision})
    assert not ChecklistAnswer.objects.filter(version=draft).exists()


def test_answers_already_given_are_not_overwritten(client, focal_a, report_a, last_report):
    _frozen, measures = last_report
    client.force_login(focal_a)
    draft = draft_of(report_a)
    ChecklistAnswer.objects.create(version=draft, measure=measures[0], answer="", legal_reference="Mine")
    client.post(reverse("delegation:carry_over", args=[draft.pk]), {"revision": draft.revision})
    assert ChecklistAnswer.objects.get(version=draft, measure=measures[0]).legal_reference == "Mine"
    assert carried(draft) == {measures[1].code, measures[2].code}


def test_an_oil_row_saved_in_the_editor_leaves_the_marks(client, focal_a, report_a, last_report):
    from tests.delegation import formset_post

    client.force_login(focal_a)
    draft = draft_of(report_a)
    client.post(reverse("delegation:carry_over", args=[draft.pk]), {"revision": draft.revision})
    draft.refresh_from_db()
    client.post(reverse("delegation:editor", args=[draft.pk, "oil"]), formset_post("oil", [OIL_ROW], revision=draft.revision))
    assert len(carried(draft)) == 3

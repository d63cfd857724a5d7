"""The named-party register groups parties by confirmed list entry first and shows list status."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports.models import MatchStatus, ScreeningMatch, ScreeningRun
from reports.selectors.noncompliance import named_parties
from reports.services.screening.runs import screen_all, screening_match_decide

from .conftest import submit_parties


def _confirm_all(actor) -> None:  # type: ignore[no-untyped-def]
    for match in ScreeningMatch.objects.filter(status=MatchStatus.CANDIDATE):
        screening_match_decide(match_id=match.pk, status=MatchStatus.CONFIRMED, actor=actor)


@pytest.mark.django_db
def test_confirmed_parties_come_first_grouped_under_their_entry_with_list_status(
    listed, report_a, report_b, secretariat, monitoring, aware
):
    submit_parties(report_a, ["Zeta Shipping Lines", "Abd al-Rahman al-Anizi"], when=aware(2014))
    submit_parties(report_b, ["Yellow Ferry Company", "عبد الرحمن العنزي"], when=aware(2016))
    screen_all(run=ScreeningRun.objects.create(snapshot=listed))
    _confirm_all(monitoring)
    rows = named_parties(user=secretariat)
    # Oracle: the confirmed matches' names, by a loop over the stored rows.
    confirmed = {m.name_key: m.entry for m in ScreeningMatch.objects.filter(status="confirmed").select_related("entry")}
    assert len(confirmed) == 2
    head, tail = rows[: len(confirmed)], rows[len(confirmed) :]
    assert {r.normalized_name for r in head} == set(confirmed)
    for row in head:
        entry = confirmed[row.normalized_name]
        assert (row.entry_reference, row.listed_on, row.delisted_on) == (entry.reference, entry.listed_on, entry.delisted_on)
        assert row.listed_on == datetime.date(2015, 9, 29)
    assert all(r.entry_reference == "" for r in tail) and len(tail) == 2


@pytest.mark.django_db
def test_dismissed_and_open_candidates_do_not_group(listed, report_a, secretariat, monitoring, aware):
    submit_parties(report_a, ["Abd al-Rahman al-Anizi"], when=aware(2014))
    screen_all(run=ScreeningRun.objects.create(snapshot=listed))
    assert named_parties(user=secretariat)[0].entry_reference == ""
    match = ScreeningMatch.objects.get()
    screening_match_decide(match_id=match.pk, status=MatchStatus.DISMISSED, actor=monitoring)
    assert named_parties(user=secretariat)[0].entry_reference == ""


@pytest.mark.django_db
def test_parties_page_costs_the_same_queries_with_more_confirmed_parties(
    client, listed, report_a, report_b, secretariat, monitoring, aware
):
    client.force_login(secretariat)
    url = reverse("secretariat:parties")
    submit_parties(report_a, ["Abd al-Rahman al-Anizi", "Zeta Shipping Lines"], when=aware(2014))
    screen_all(run=ScreeningRun.objects.create(snapshot=listed))
    _confirm_all(monitoring)
    client.get(url)  # warm-up
    with CaptureQueriesContext(connection) as few:
        page = client.get(url)
    assert "QDi.901" in page.content.decode()
    submit_parties(
        report_b, ["Hamid Yusuf al-Madeupi", "Omar Khalid al-Inventi", "Nadir Ismail Qasimov", "Other Co"], when=aware(2020)
    )
    screen_all(run=ScreeningRun.objects.create(snapshot=listed))
    _confirm_all(monitoring)
    assert ScreeningMatch.objects.filter(status="confirmed").count() >= 3
    with CaptureQueriesContext(connection) as many:
        page = client.get(url)
    assert "QDi.903" in page.content.decode()
    assert len(many) == len(few)

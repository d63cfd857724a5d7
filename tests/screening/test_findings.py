"""A new listing that matches a party already reported: a finding in the register and a line in the Council summary."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from reports.models import Distribution, MatchStatus, PdfKind, ScreeningMatch, ScreeningRun
from reports.pdf.documents import DocumentRequest, summary_context, summary_html
from reports.selectors.noncompliance import listed_party_findings
from reports.services.screening.runs import screen_all, screening_match_decide

from .conftest import submit_parties

TODAY = datetime.date(2026, 12, 6)


@pytest.fixture
def reported_before_listing(listed, report_a, report_b, aware):  # type: ignore[no-untyped-def]
    # QDi.901 was listed on 2015-09-29: State A named him in 2014, State B only in 2016.
    submit_parties(report_a, ["Abd al-Rahman al-Anizi", "Zeta Shipping Lines"], when=aware(2014))
    submit_parties(report_b, ["Tariq bin Samir"], when=aware(2016))
    screen_all(run=ScreeningRun.objects.create(snapshot=listed))
    return ScreeningMatch.objects.select_related("entry").get(name="Abd al-Rahman al-Anizi")


@pytest.mark.django_db
def test_candidate_listed_after_it_was_reported_is_a_finding_until_dismissed(
    reported_before_listing, cycle, secretariat, monitoring, report_a
):
    match = reported_before_listing
    findings = listed_party_findings(user=secretariat, cycle=cycle)
    # Oracle: the stored matches listed after their first report, by a loop over rows.
    expected = {(m.entry.reference, m.name) for m in ScreeningMatch.objects.select_related("entry") if m.listed_after_report}
    assert {(f.entry_reference, f.name) for f in findings} == expected
    assert ("QDi.901", "Abd al-Rahman al-Anizi") in expected
    finding = next(f for f in findings if f.entry_reference == "QDi.901")
    assert finding.first_reported == datetime.date(2014, 1, 1) and finding.listed_on == datetime.date(2015, 9, 29)
    assert finding.states == [report_a.state.iso3]
    screening_match_decide(match_id=match.pk, status=MatchStatus.DISMISSED, actor=monitoring)
    assert all(f.entry_reference != "QDi.901" for f in listed_party_findings(user=secretariat, cycle=cycle))


@pytest.mark.django_db
def test_register_tab_shows_the_finding(client, reported_before_listing, cycle, secretariat):
    client.force_login(secretariat)
    page = client.get(reverse("secretariat:register_section", args=[cycle.pk, "listed"]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "QDi.901" in html and "Abd al-Rahman al-Anizi" in html


@pytest.mark.django_db
def test_council_summary_prints_confirmed_parties_since_listed_for_its_audience(reported_before_listing, cycle, monitoring):
    request = DocumentRequest(kind=PdfKind.SUMMARY, distribution=Distribution.INTERNAL, today=TODAY, cycle=cycle)
    assert summary_context(request)["since_listed"] == []  # a candidate is not printed for the Council
    screening_match_decide(match_id=reported_before_listing.pk, status=MatchStatus.CONFIRMED, actor=monitoring)
    rows = summary_context(request)["since_listed"]
    assert [(r["reference"], r["name"], r["states"]) for r in rows] == [("QDi.901", "Abd al-Rahman al-Anizi", 1)]
    assert "Parties reported by States and since listed" in summary_html(request).html
    # Committee-only by default: the restricted edition (the Committee's) prints it, the general one not.
    restricted = DocumentRequest(kind=PdfKind.SUMMARY, distribution=Distribution.RESTRICTED, today=TODAY, cycle=cycle)
    general = DocumentRequest(kind=PdfKind.SUMMARY, distribution=Distribution.GENERAL, today=TODAY, cycle=cycle)
    assert [r["reference"] for r in summary_context(restricted)["since_listed"]] == ["QDi.901"]
    assert summary_context(general)["since_listed"] == []


@pytest.mark.django_db
def test_a_restricted_summary_leaves_out_parties_of_a_secretariat_only_section(listed, report_a, cycle, monitoring, aware):
    submit_parties(report_a, ["Abd al-Rahman al-Anizi"], when=aware(2014), sections={"oil": "secretariat"})
    screen_all(run=ScreeningRun.objects.create(snapshot=listed))
    match = ScreeningMatch.objects.get(entry__reference="QDi.901")
    screening_match_decide(match_id=match.pk, status=MatchStatus.CONFIRMED, actor=monitoring)
    internal = DocumentRequest(kind=PdfKind.SUMMARY, distribution=Distribution.INTERNAL, today=TODAY, cycle=cycle)
    restricted = DocumentRequest(kind=PdfKind.SUMMARY, distribution=Distribution.RESTRICTED, today=TODAY, cycle=cycle)
    assert [r["reference"] for r in summary_context(internal)["since_listed"]] == ["QDi.901"]
    assert summary_context(restricted)["since_listed"] == []

"""The Secretariat's review page shows the whole report as filed, any version of it, and what
changed; the Committee's reading view uses the same component within its audience."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from reports.models import Attachment, Confidentiality, OilInterdiction, Role
from reports.services.review import report_accept, report_start_review
from tests.factories import make_user, open_cycle
from tests.mfa import totp_give
from tests.review_world import LONG_NARRATIVE, amend, filed_report

pytestmark = pytest.mark.django_db

SECRET = "ZEPHYR-SECRET-7731"


@pytest.fixture
def amended(state_a, cycle, focal_a, signatory_a):  # type: ignore[no-untyped-def]
    return amend(filed_report(state_a, cycle, focal=focal_a, signatory=signatory_a), signatory=signatory_a)


def _page(client, user, report, **params) -> str:  # type: ignore[no-untyped-def]
    client.force_login(user)
    response = client.get(reverse("secretariat:report", args=[report.pk]), params)
    assert response.status_code == 200
    return response.content.decode()


def _section(page: str, key: str) -> str:
    match = re.search(rf'<section[^>]*id="section-{key}".*?</section>', page, re.S)
    assert match, f"no section {key}"
    return match.group(0)


def test_the_review_page_shows_every_section_as_filed(client, secretariat, amended) -> None:
    page = _page(client, secretariat, amended)
    checklist = _section(page, "checklist")
    assert "Customs Act, art. 12" in checklist and "Decree 7" in checklist  # legal references
    assert "END-OF-NARRATIVE" in checklist  # the narrative, whole, folded behind "show more"
    assert re.search(r'<details class="fold"><summary>.*?show more.*?END-OF-NARRATIVE', checklist, re.S)
    oil = _section(page, "oil")
    rows = OilInterdiction.objects.filter(version=amended.current_version)
    assert rows.count() == 4
    for row in rows:  # every register row, by its place
        assert f"<bdi>{row.place}</bdi>" in oil
    assert "Türkiye" in oil or "TUR" in oil  # the route
    assert "QDe.115" in _section(page, "assets")
    attachment = Attachment.objects.get(version=amended.current_version)
    download = reverse("delegation:attachment_download", args=[attachment.pk])
    assert f'href="{download}"' in _section(page, "attachments")
    client.force_login(secretariat)
    assert client.get(download).status_code == 200  # the gate lets the Secretariat through
    for empty in ("cultural", "ransom", "str"):
        assert "Nothing reported in this section." in _section(page, empty)


def test_the_diff_to_the_previous_version_is_marked_inline_with_a_legend(client, secretariat, amended) -> None:
    page = _page(client, secretariat, amended)
    assert 'data-testid="diff-legend"' in page and "Version 2 against version 1" in page
    oil = _section(page, "oil")
    # The first interdiction's quantity: 100 → 999, struck and inserted, in words for screen readers.
    assert re.search(r'<del class="diff-del"><span class="visually-hidden">before: </span><bdi>100</bdi></del> '
                     r'<ins class="diff-ins"><span class="visually-hidden">after: </span><bdi>999</bdi></ins>', oil)  # fmt: skip
    assert re.search(r'data-mark="added">.*?>added<.*?Kilis crossing', oil, re.S)
    assert oil.count('data-mark="changed"') == 1 and oil.count('data-mark="added"') == 1
    checklist = _section(page, "checklist")
    assert re.search(r"<del[^>]*>.*?Partially in place</bdi></del> <ins[^>]*>.*?Not in place</bdi></ins>", checklist)
    # The section levels changed (the old 500) and the note is new.
    assert re.search(r'data-testid="fact-level-cultural"><del class="diff-del">.*?</del> <ins class="diff-ins">.*?May be published', page, re.S)  # fmt: skip
    assert "Addendum after the Secretariat" in page
    assert 'data-testid="section-assets"' in page and "data-mark" not in _section(page, "assets")


def test_the_version_switcher_shows_an_older_version_as_filed(client, secretariat, amended) -> None:
    page = _page(client, secretariat, amended, version="1")
    assert 'data-version="1"' in page
    assert 'data-testid="diff-legend"' not in page  # nothing before version 1
    # (The thread form further down offers the rows of the version under review, v2's included.)
    assert "Kilis crossing" not in _section(page, "oil") and "<bdi>101</bdi>" in page
    assert '?version=2#version-report"' in page and 'aria-current="page">v1' in page
    latest = _page(client, secretariat, amended)
    assert 'data-version="2"' in latest and 'aria-current="page">v2' in latest


@pytest.mark.parametrize("bad", ["0", "3", "x", "-1", "1.5", "<script>"])
def test_a_version_that_does_not_exist_answers_404(client, secretariat, amended, bad) -> None:
    client.force_login(secretariat)
    assert client.get(reverse("secretariat:report", args=[amended.pk]), {"version": bad}).status_code == 404


def test_a_long_register_is_paged_fifty_rows_at_a_time(client, secretariat, state_a, cycle) -> None:
    report = filed_report(state_a, cycle, oil_rows=63)
    oil = _section(_page(client, secretariat, report), "oil")
    assert oil.count('<tr id="row-oil-') == 50 and 'id="row-oil-50"' in oil
    assert "Rows 1–50 of 63" in oil and "rows-oil=2#section-oil" in oil
    second = _section(_page(client, secretariat, report, **{"rows-oil": "2"}), "oil")
    assert second.count('<tr id="row-oil-') == 13 and 'id="row-oil-51"' in second and 'id="row-oil-63"' in second
    assert "Rows 51–63 of 63" in second and "rows-oil=1#section-oil" in second
    assert "Next rows" not in second
    for bad in ("x", "-1", "0", "99999999999999"):  # not a page: the first; past the end: the last
        page = _section(_page(client, secretariat, report, **{"rows-oil": bad}), "oil")
        assert 'id="row-oil-1"' in page or 'id="row-oil-63"' in page, bad
    assert 'id="row-oil-63"' in _section(_page(client, secretariat, report, **{"rows-oil": "7"}), "oil")


def test_the_committee_never_sees_an_internal_section_in_any_version(client, state_a, cycle, committee) -> None:
    internal = {"oil": Confidentiality.SECRETARIAT, "assets": Confidentiality.SECRETARIAT}
    report = filed_report(state_a, cycle, secret=SECRET, sections=internal)
    report = amend(report, levels=internal)
    officer = totp_give(make_user(Role.SECRETARIAT))
    report_start_review(report=report, actor=officer)
    report_accept(report=report, actor=officer)
    client.force_login(committee)
    url = reverse("committee:report", args=[report.pk])
    for params in ({}, {"version": "1"}, {"version": "2"}, {"version": "2", "rows-oil": "2"}):
        response = client.get(url, params)
        assert response.status_code == 200, params
        body = response.content.decode()
        assert SECRET not in body, params
        assert 'data-testid="restricted-oil"' in body and 'data-testid="restricted-assets"' in body
        assert "Customs Act, art. 12" in body  # the checklist is the Committee's
        assert "Addendum after the Secretariat" not in body  # the note is the State's word to the Secretariat
    assert 'data-testid="change-history"' in body and "?version=1#version-report" in body
    # The back office sees all of it.
    assert SECRET in _page(client, officer, report)


def test_the_committee_reads_older_versions_and_the_changes_within_its_audience(client, state_a, cycle, committee) -> None:
    report = amend(filed_report(state_a, cycle))
    secret_first = amend(filed_report(state_a, open_cycle("second-cycle"), confidentiality=Confidentiality.SECRETARIAT),
                         confidentiality=Confidentiality.COMMITTEE)  # fmt: skip
    officer = totp_give(make_user(Role.SECRETARIAT))
    report_start_review(report=report, actor=officer)
    report_accept(report=report, actor=officer)
    report_start_review(report=secret_first, actor=officer)
    report_accept(report=secret_first, actor=officer)
    client.force_login(committee)
    body = client.get(reverse("committee:report", args=[report.pk])).content.decode()
    assert "Version 2 against version 1" in body and "Kilis crossing" in body and 'data-mark="added"' in body
    older = client.get(reverse("committee:report", args=[report.pk]), {"version": "1"}).content.decode()
    assert "Kilis crossing" not in older
    # A version marked for the Secretariat only is not the Committee's, even of an accepted report.
    assert client.get(reverse("committee:report", args=[secret_first.pk]), {"version": "1"}).status_code == 404
    body = client.get(reverse("committee:report", args=[secret_first.pk])).content.decode()
    assert "Kilis crossing" in body and "diff-legend" not in body  # nothing earlier the Committee may read to compare with


def test_the_delegation_version_page_marks_what_the_addendum_changed(client, focal_a, amended) -> None:
    client.force_login(focal_a)
    page = client.get(reverse("delegation:version", args=[amended.pk, 2])).content.decode()
    assert "Version 2 against version 1" in page and "Kilis crossing" in page and LONG_NARRATIVE[:40] in page
    first = client.get(reverse("delegation:version", args=[amended.pk, 1])).content.decode()
    assert "diff-legend" not in first


def test_the_pages_cost_the_same_whatever_the_rows_and_versions(
    client, state_a, cycle, secretariat, committee, focal_a, signatory_a, django_assert_max_num_queries
) -> None:
    def pages(rows: int, versions: int, code: str) -> list[tuple[object, str, dict[str, str]]]:
        report = filed_report(state_a, open_cycle(code), oil_rows=rows, focal=focal_a, signatory=signatory_a)
        for _ in range(versions - 1):
            report = amend(report, signatory=signatory_a)
        report_start_review(report=report, actor=secretariat)
        report_accept(report=report, actor=secretariat)
        return [
            (secretariat, reverse("secretariat:report", args=[report.pk]), {}),
            (secretariat, reverse("secretariat:report", args=[report.pk]), {"version": "1"}),
            (secretariat, reverse("secretariat:report", args=[report.pk]), {"rows-oil": "2"}),
            (committee, reverse("committee:report", args=[report.pk]), {}),
            (focal_a, reverse("delegation:version", args=[report.pk, versions]), {}),
            (focal_a, reverse("delegation:history", args=[report.pk]), {}),
        ]

    def cost(user, url: str, params: dict[str, str]) -> int:  # type: ignore[no-untyped-def]
        client.force_login(user)
        with django_assert_max_num_queries(26) as queries:
            assert client.get(url, params).status_code == 200, url
        return len(queries.captured_queries)

    small = [cost(*page) for page in pages(2, 2, "small")]
    large = [cost(*page) for page in pages(20, 20, "large")]
    assert small == large, (small, large)
    print("queries per page", small)

"""The version tables name the States a register names (origin, destination, the route) in the
reader's language, the ISO code after each as a hint; at a constant number of queries."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.urls import reverse

from reports.models import MemberState, OilInterdiction, OilInterdictionTransit
from reports.selectors.versions import content_display
from reports.services.reports import report_open_addendum, report_submit_unchecked
from reports.services.threads import thread_open
from tests.factories import open_cycle
from tests.review_world import filed_report, oil_row

pytestmark = pytest.mark.django_db


def names(language: str, codes: list[str]) -> dict[str, str]:
    """The oracle: each State's name in `language`, read from the reference table by hand."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT iso3, names->>%s FROM reports_memberstate WHERE iso3 = ANY(%s)", [language, codes])
        return dict(cursor.fetchall())


def _routed(report, signatory):  # type: ignore[no-untyped-def]
    """An addendum whose first interdiction came from Iraq through Syria and Türkiye, bound for Italy."""
    draft = report_open_addendum(report=report, actor=signatory)
    row = OilInterdiction.objects.filter(version=draft).order_by("position").first()
    assert row is not None
    states = {s.iso3: s for s in MemberState.objects.filter(iso3__in=["IRQ", "ITA", "SYR", "TUR"])}
    row.origin, row.destination = states["IRQ"], states["ITA"]
    row.save(update_fields=["origin", "destination"])
    OilInterdictionTransit.objects.filter(oilinterdiction=row).delete()
    for position, code in enumerate(["SYR", "TUR"]):
        OilInterdictionTransit.objects.create(oilinterdiction=row, memberstate=states[code], position=position)
    report_submit_unchecked(report=report, actor=signatory)
    report.refresh_from_db()
    return report


def _oil(page: str) -> str:
    match = re.search(r'<section[^>]*id="section-oil".*?</section>', page, re.S)
    assert match
    return match.group(0)


@pytest.mark.parametrize("language", ["en", "ar", "fr", "zh-hans"])
def test_every_version_page_names_the_states_in_the_readers_language(
    client, state_a, cycle, focal_a, signatory_a, secretariat, language
):
    report = _routed(filed_report(state_a, cycle, focal=focal_a, signatory=signatory_a), signatory_a)
    thread_open(
        report=report, actor=secretariat, body="Which crossing?", anchor="row", row_model="reports.oilinterdiction", row_key="1"
    )
    said = names(language.split("-")[0], ["IRQ", "ITA", "SYR", "TUR"])
    route = f"{said['SYR']} (SYR), {said['TUR']} (TUR)"
    client.cookies["django_language"] = language
    pages = {}
    for user, url in [
        (secretariat, reverse("secretariat:report", args=[report.pk])),
        (focal_a, reverse("delegation:version", args=[report.pk, 2])),
        (focal_a, reverse("delegation:report", args=[report.pk])),
    ]:
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200 and f'lang="{language}"' in response.content.decode()[:200]
        pages[url] = response.content.decode()
    review, version, state_page = pages.values()
    for oil in (_oil(review), _oil(version)):
        assert f"<bdi>{said['IRQ']} (IRQ)</bdi>" in oil and f"<bdi>{said['ITA']} (ITA)</bdi>" in oil
        assert f"<bdi>{route}</bdi>" in oil
        # the diff against version 1 (routed through Türkiye alone) in names too
        assert re.search(
            rf"<del[^>]*>.*?<bdi>{re.escape(said['TUR'])} \(TUR\)</bdi></del> <ins[^>]*>.*?<bdi>{re.escape(route)}</bdi>", oil
        )
        assert "<bdi>IRQ</bdi>" not in oil and "<bdi>TUR</bdi>" not in oil
    for page in (review, state_page):  # the thread shows the row as asked (v2) in names as well
        row = re.search(r'data-testid="thread-row".*?</div>', page, re.S)
        assert row and f"{said['IRQ']} (IRQ)" in row.group(0) and route in row.group(0)


def test_a_code_the_reference_data_does_not_hold_prints_as_stored() -> None:
    content = {"oil": [{"place": "Port", "origin__iso3": "XKX", "transit": ["TUR", "ZZZ"]}]}
    display = content_display(content=content, states={"TUR": "Türkiye (TUR)"}, visible=lambda key: True)
    oil = display.section("oil")
    assert oil is not None
    texts = [cell.text for cell in oil.rows[0].cells]
    assert "XKX" in texts and "Türkiye (TUR), ZZZ" in texts


def test_the_names_cost_one_query_whatever_the_states_named(
    client, state_a, focal_a, signatory_a, secretariat, django_assert_max_num_queries
):
    def cost(report) -> list[int]:  # type: ignore[no-untyped-def]
        counts = []
        for user, url in [
            (secretariat, reverse("secretariat:report", args=[report.pk])),
            (focal_a, reverse("delegation:version", args=[report.pk, 1])),
        ]:
            client.force_login(user)
            client.get(url)
            with django_assert_max_num_queries(40) as queries:
                assert client.get(url).status_code == 200
            counts.append(len(queries.captured_queries))
        return counts

    few = filed_report(state_a, open_cycle("few-states"), oil_rows=1, focal=focal_a, signatory=signatory_a)
    many = filed_report(state_a, open_cycle("many-states"), oil_rows=1, focal=focal_a, signatory=signatory_a)
    draft = report_open_addendum(report=many, actor=signatory_a)
    states = list(MemberState.objects.order_by("iso3")[:30])
    for n in range(10):  # ten more interdictions naming thirty States between them
        row = oil_row(draft, 10 + n, origin=states[3 * n], destination=states[3 * n + 1])
        OilInterdictionTransit.objects.create(oilinterdiction=row, memberstate=states[3 * n + 2], position=0)
    report_submit_unchecked(report=many, actor=signatory_a)
    many.refresh_from_db()
    assert cost(few) == cost(many)
